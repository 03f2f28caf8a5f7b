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
        self.extensions = extensions


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
