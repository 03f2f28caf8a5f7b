"""The errors areagraph shows its clients: each carries a code a client can switch on."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An error meant for the client; its message is safe to show."""

    code = "INTERNAL_SERVER_ERROR"
    http_status = 500

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self._extensions = extensions

    @property
    def extensions(self) -> dict[str, Any]:
        """graphql-core copies these onto the GraphQLError, so the code reaches every transport
        (a subscription's error on a socket too), not only answers that pass `with_code`."""
        return {**self._extensions, "code": self.code}


class BadUserInput(AppError):
    code = "BAD_USER_INPUT"
    http_status = 400


class Unauthenticated(AppError):
    code = "UNAUTHENTICATED"
    http_status = 401


class Forbidden(AppError):
    code = "FORBIDDEN"
    http_status = 403


class NotFound(AppError):
    code = "NOT_FOUND"
    http_status = 404


class Conflict(AppError):
    code = "CONFLICT"
    http_status = 409


class IdempotencyKeyReused(AppError):
    """An idempotency key sent again with a different request: its first result stands."""

    code = "IDEMPOTENCY_KEY_REUSED"
    http_status = 422


class PayloadTooLarge(AppError):
    code = "PAYLOAD_TOO_LARGE"
    http_status = 413


class SourceUnavailable(AppError):
    code = "SOURCE_UNAVAILABLE"
    http_status = 502


class SourceBadResponse(AppError):
    code = "SOURCE_BAD_RESPONSE"
    http_status = 502


class SourceRefused(AppError):
    """The system of record refused a write; nothing was written here. `reason` is the source's
    own code for why (and the message its words)."""

    code = "SOURCE_REFUSED"
    http_status = 422
