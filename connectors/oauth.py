"""OAuth2 client credentials for a source's pooled httpx client, from Authlib's OAuth2 parts.

Authlib's own async client is built on httpx2 (its httpx fallback is deprecated); the gateway,
its tracing and its tests are built on httpx, so Authlib prepares the token request, signs it
with the client's credentials, reads the token and signs each call, and httpx sends them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import httpx
from authlib.oauth2 import ClientAuth, TokenAuth
from authlib.oauth2.rfc6749 import OAuth2Token
from authlib.oauth2.rfc6749.parameters import prepare_token_request

FORM = "application/x-www-form-urlencoded"


class TokenRefused(Exception):
    """The token endpoint did not issue a token for the gateway's credentials."""


class ClientCredentials(httpx.Auth):
    """Fetches a token before the first call and again once it expires; one fetch at a time."""

    def __init__(self, token_url: str, client_id: str, client_secret: str,
                 scope: str | None = None) -> None:
        self._token_url = token_url
        self._client = ClientAuth(client_id, client_secret, "client_secret_basic")
        self._scope = scope
        self._token: TokenAuth | None = None
        self._lock = asyncio.Lock()

    def _expired(self) -> bool:
        return self._token is None or bool(self._token.token.is_expired())

    def _token_request(self) -> httpx.Request:
        extra = {"scope": self._scope} if self._scope else {}
        body = prepare_token_request("client_credentials", **extra)
        url, headers, body = self._client.prepare(
            "POST", self._token_url, {"Content-Type": FORM, "Accept": "application/json"}, body)
        return httpx.Request("POST", url, headers=headers, content=body)

    @staticmethod
    def _read_token(response: httpx.Response) -> TokenAuth:
        try:
            answer = response.json() if response.status_code == 200 else None
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or not answer.get("access_token"):
            raise TokenRefused(f"token endpoint answered HTTP {response.status_code}")
        return TokenAuth(OAuth2Token.from_dict(answer))

    async def async_auth_flow(self, request: httpx.Request
                              ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._expired():
            async with self._lock:
                if self._expired():
                    answer = yield self._token_request()
                    await answer.aread()
                    self._token = self._read_token(answer)
        assert self._token is not None
        _, headers, _ = self._token.prepare(str(request.url), {}, None)
        request.headers.update(headers)
        yield request
