"""The one error every authentication failure becomes: a 401 with a short, client-safe reason."""

from __future__ import annotations

from areagraph.core.errors import Unauthenticated


class InvalidCredentials(Unauthenticated):
    """Credentials were sent but are not acceptable.

    The message is one of a few fixed phrases; it never repeats the token, a key id, a claim value
    or a library's own error text, so a caller learns nothing it could use to forge a credential.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
