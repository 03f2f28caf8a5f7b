"""One way in for every transport (HTTP GET and POST, both websocket protocols, the REST
facade): the caller's rate limit, persisted queries and the allow-list, the execution timeout,
and on a websocket the credential as it is now. The query limits themselves are schema
extensions (api/protection/limits.py), so every execution passes them whatever carried it."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Protocol

from graphql import GraphQLError, OperationType, get_operation_ast, parse

from areagraph.api.services import GatewayContext
from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.principal import Principal
from areagraph.core.clock import utcnow

EXECUTION_TIMEOUT = "EXECUTION_TIMEOUT"


class Sent(Protocol):
    """An operation as a transport received it; `query` is replaced by the text to run."""

    query: str | None
    extensions: dict[str, Any] | None


async def admit(context: GatewayContext, operations: Sequence[Sent], client_ip: str | None, *,
                registered: bool = False) -> None:
    """Charge the caller (one token per operation), then resolve each operation's text from
    the persisted-query store or the allow-list (`registered`: the gateway's own fixed
    operations, as the REST facade runs, need neither). Raises `RateLimited` or
    `PersistedQueryError`."""
    services = context.services
    if services.rate_limiter is not None:
        await services.rate_limiter.charge(context.principal, client_ip, cost=len(operations))
    queries = services.persisted_queries
    if queries is None or registered:
        return
    bypass = set(services.settings.allowlist_bypass_roles)
    unrestricted = context.principal is not None and bool(
        bypass & set(context.principal.role_names))
    for sent in operations:
        sent.query = await queries.resolve(sent.query, sent.extensions,
                                           unrestricted=unrestricted)


async def current_principal(context: GatewayContext) -> Principal:
    """The socket's caller as its credential stands now: `InvalidCredentials` when the API
    key was revoked or expired, the token expired, or the credential now names someone else
    or other rights than when the socket opened."""
    params = context.connection_params if isinstance(context.connection_params, dict) else {}
    headers = {name: value for name, value in params.items() if isinstance(value, str)}
    # As at connection time: `connection_init`'s credential, else the upgrade request's.
    principal = await context.services.authenticate(headers)
    if principal is None and context.request is not None:
        principal = await context.services.authenticate(context.request.headers)
    if principal is None or principal != context.principal:
        raise InvalidCredentials("the credential changed since the socket opened")
    if principal.expires_at is not None and principal.expires_at <= utcnow():
        raise InvalidCredentials("credential expired")
    return principal


def timeout_error(seconds: float) -> GraphQLError:
    return GraphQLError(f"the operation ran longer than {seconds:g} s and was stopped",
                        extensions={"code": EXECUTION_TIMEOUT, "limit": seconds})


@functools.lru_cache(maxsize=256)
def runs_to_completion(query: str | None, operation_name: str | None, max_tokens: int) -> bool:
    """Is this a query or mutation (bounded by the execution timeout), rather than a
    subscription (open as long as the client wants it)? A missing or unparsable text counts
    as bounded: it is refused at once anyway."""
    if not isinstance(query, str):
        return True
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return True
    operation = get_operation_ast(document, operation_name)
    return operation is None or operation.operation is not OperationType.SUBSCRIPTION
