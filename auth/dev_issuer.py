"""The development issuer: a local key pair that signs tokens for demos and manual testing.

Its tokens go through the same verifier as the identity provider's; the gateway trusts the
development public key only when ``Settings.dev_tokens`` is on.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey

from areagraph.auth.principal import Role

DEV_ISSUER = "urn:areagraph:dev"
DEV_ALGORITHM = "ES256"


def load_or_create_key(path: Path) -> ECKey:
    """The development private key stored at `path`, created there (mode 0600) on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = ECKey.generate_key("P-256", auto_kid=True)
        document = json.dumps(key.as_dict(private=True))
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use theirs
        else:
            with os.fdopen(fd, "w") as file:
                file.write(document)
    return ECKey.import_key(json.loads(path.read_text()))


def public_key(path: Path) -> ECKey:
    """The development public key, for the gateway's key set."""
    return ECKey.import_key(load_or_create_key(path).as_dict(private=False))


def issue_token(key: ECKey, *, audience: str, subject: str, roles: Sequence[Role],
                areas: Sequence[str] = (), agency: str | None = None,
                topics: Sequence[str] = (), ttl: int = 3600, now: int | None = None) -> str:
    """A signed development token carrying areagraph's claims."""
    issued = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "iss": DEV_ISSUER, "aud": audience, "sub": subject, "iat": issued, "nbf": issued,
        "exp": issued + ttl, "jti": secrets.token_hex(8),
        "roles": [r.value for r in roles], "areas": list(areas), "topics": list(topics),
    }
    if agency is not None:
        claims["agency"] = agency
    return jwt.encode({"alg": DEV_ALGORITHM, "kid": key.kid, "typ": "JWT"}, claims, key,
                      algorithms=[DEV_ALGORITHM])
