"""The HTTP client every remote connector shares: pooled connections, auth, error classes.

Failures are sorted into the two kinds a client can act on: the source did not answer
(`SourceUnavailable`: timeouts, refused connections, 5xx, 429) or it answered something we cannot
read (`SourceBadResponse`: other 4xx, not JSON, the wrong shape).
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from areagraph.connectors.config import ApiKeyAuth, ClientCredentialsAuth, SourceConfig
from areagraph.connectors.dispatch import trace_extension
from areagraph.connectors.oauth import ClientCredentials, TokenRefused
from areagraph.core.errors import SourceBadResponse, SourceRefused, SourceUnavailable

T = TypeVar("T")
_REFUSAL: TypeAdapter[dict[str, str]] = TypeAdapter(dict[str, str])


class SourceHttp:
    """One pooled client per source, built once and closed with the app."""

    def __init__(self, config: SourceConfig) -> None:
        self.name = config.name
        options: dict[str, Any] = {
            "base_url": config.url,
            "timeout": httpx.Timeout(config.timeout),
            "limits": httpx.Limits(max_connections=config.max_connections,
                                   max_keepalive_connections=config.max_connections),
            "headers": {"Accept": "application/json", "User-Agent": "areagraph"},
        }
        auth = config.auth
        if isinstance(auth, ClientCredentialsAuth):
            options["auth"] = ClientCredentials(f"{config.url}{auth.token_path}",
                                                auth.client_id, auth.client_secret, auth.scope)
        elif isinstance(auth, ApiKeyAuth):
            options["headers"][auth.header] = auth.key
        self.client = httpx.AsyncClient(**options)

    async def get(self, path: str, *, answer: TypeAdapter[T], params: Any = None) -> T:
        return await self.request("GET", path, answer, params=params)

    async def post(self, path: str, *, answer: TypeAdapter[T], json: Any) -> T:
        return await self.request("POST", path, answer, json=json)

    async def request(self, method: str, path: str, answer: TypeAdapter[T],
                      refusals: frozenset[int] = frozenset(), **kwargs: Any) -> T:
        """The body read as `answer`; raises `SourceUnavailable` or `SourceBadResponse`, or
        `SourceRefused` for a status in `refusals` (a write the source said no to, with its
        `{"code", "reason"}`)."""
        try:
            response = await self.client.request(method, path, extensions=trace_extension(),
                                                 **kwargs)
        except httpx.TimeoutException:
            raise SourceUnavailable(f"{self.name} did not answer in time", source=self.name,
                                    reason="timeout") from None
        except (httpx.TransportError, OSError):
            raise SourceUnavailable(f"{self.name} could not be reached", source=self.name,
                                    reason="unreachable") from None
        except TokenRefused:
            raise SourceUnavailable(f"{self.name} refused the gateway's credentials",
                                    source=self.name, reason="auth") from None
        status = response.status_code
        if status >= 500 or status == 429:
            raise SourceUnavailable(f"{self.name} answered HTTP {status}", source=self.name,
                                    reason=f"http_{status}")
        if status in refusals:
            said = _validated(_REFUSAL, response.content, self.name)
            raise SourceRefused(f"{self.name} refused: {said.get('reason', 'no reason given')}",
                                source=self.name, reason=said.get("code", f"http_{status}"))
        if status >= 400:
            raise SourceBadResponse(f"{self.name} refused the request (HTTP {status})",
                                    source=self.name, reason=f"http_{status}")
        return _validated(answer, response.content, self.name)

    async def aclose(self) -> None:
        await self.client.aclose()


def _validated(answer: TypeAdapter[T], content: bytes, source: str) -> T:
    """The body parsed and checked against the source's documented shape in one pass."""
    try:
        return answer.validate_json(content)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            raise SourceBadResponse(f"{source} answered something that is not JSON",
                                    source=source, reason="not_json") from None
        where = ".".join(str(p) for p in first["loc"])
        raise SourceBadResponse(f"{source} answered data of the wrong shape ({where}: "
                                f"{first['msg']})", source=source, reason="bad_shape") from None
