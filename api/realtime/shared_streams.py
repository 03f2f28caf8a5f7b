"""Subscriptions that would receive identical messages share one execution.

Thousands of dashboards subscribe with the same document and variables, and callers with the
same roles, areas, agency and topics see the same events, masked the same way. For each such
audience one stream runs; every event is executed and encoded to JSON once, then each socket
gets the text through its own bounded queue. Operations that replay with `since` (which starts
at a point of their own) and queries or mutations sent over the socket run on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import DocumentNode, FieldNode, GraphQLError, OperationType, parse
from graphql.utilities import get_operation_ast
from strawberry.schema.base import BaseSchema
from strawberry.types.execution import ExecutionResult, PreExecutionError

from areagraph.auth.principal import Principal
from areagraph.resolvers.context import Context

log = logging.getLogger(__name__)

_PERSONAL_FIELDS = frozenset({"complaintUpdated"})  # unmasked reads are audited per subject


@dataclass(frozen=True)
class Message:
    """One encoded result: a `next` payload, or the `error` that ends the stream."""

    kind: str
    payload: str


class Follower:
    """One socket's operation on a shared stream: a bounded queue of encoded messages."""

    def __init__(self, size: int, on_overflow: Callable[[], None]) -> None:
        self.queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize=size)
        self.on_overflow = on_overflow
        self.overflowed = False

    def offer(self, message: Message | None) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True
            self.on_overflow()


class SharedStream:
    def __init__(self, key: tuple[Any, ...], results: AsyncGenerator[Any, None],
                 on_end: Callable[[SharedStream], None]) -> None:
        self.key = key
        self.followers: set[Follower] = set()
        self._results = results
        self._on_end = on_end
        self.task = asyncio.create_task(self._pump(), name="areagraph-shared-stream")

    async def _pump(self) -> None:
        try:
            async for result in self._results:
                message = _encode(result)
                for follower in tuple(self.followers):
                    follower.offer(message)
                if message.kind == "error":
                    break
                await asyncio.sleep(0)  # let the sockets drain between events
        except Exception:  # pragma: no cover - the schema reports errors as results
            log.exception("shared subscription stream failed")
        finally:
            with contextlib.suppress(Exception):
                await self._results.aclose()
            self._on_end(self)
            for follower in tuple(self.followers):
                follower.offer(None)


class SharedStreams:
    """This process's shared streams by key (document, variables, audience)."""

    def __init__(self, queue_size: int) -> None:
        self.queue_size = queue_size
        self._streams: dict[tuple[Any, ...], SharedStream] = {}

    def key(self, query: str, operation_name: str | None, variables: dict[str, Any] | None,
            principal: Principal | None) -> tuple[Any, ...] | None:
        """The sharing key of a subscription, or None when it must run on its own."""
        if principal is None:
            return None
        fields = _shareable_fields(query, operation_name)
        if fields is None:
            return None
        audience: tuple[Any, ...] = (tuple(sorted(principal.roles)), principal.area_scope,
                                     principal.agency, principal.topics)
        if fields & _PERSONAL_FIELDS:
            audience = (*audience, principal.subject)
        return (query, operation_name, orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS),
                audience)

    def join(self, key: tuple[Any, ...], schema: BaseSchema, context: Context, query: str,
             variables: dict[str, Any] | None, operation_name: str | None,
             on_overflow: Callable[[], None]) -> Follower:
        def overflowed() -> None:
            # Off the stream at once: a socket that stopped reading must not keep its stream
            # executing every event while its close waits to go out.
            self.leave(key, follower)
            on_overflow()

        follower = Follower(self.queue_size, overflowed)
        stream = self._streams.get(key)
        if stream is None:
            # The stream outlives whichever socket started it, so it gets a context of its own.
            own = context.detached()
            results = _results(schema, query, variables, own, operation_name)
            stream = SharedStream(key, results, self._ended)
            self._streams[key] = stream
        stream.followers.add(follower)
        return follower

    def leave(self, key: tuple[Any, ...], follower: Follower) -> None:
        stream = self._streams.get(key)
        if stream is None:
            return
        stream.followers.discard(follower)
        if not stream.followers:
            self._ended(stream)
            stream.task.cancel()

    def _ended(self, stream: SharedStream) -> None:
        if self._streams.get(stream.key) is stream:
            del self._streams[stream.key]

    async def aclose(self) -> None:
        streams = list(self._streams.values())
        self._streams.clear()
        for stream in streams:
            stream.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await stream.task


@contextlib.contextmanager
def shared_follower(context: Any, schema: BaseSchema, query: str, operation_name: str | None,
                    variables: dict[str, Any] | None) -> Iterator[Follower | None]:
    """A socket's operation joins its shared stream (and leaves it afterwards); None when it
    must run on its own (a context without `shared_streams`: no real-time services). Both
    websocket protocols share the same streams."""
    shared: SharedStreams | None = getattr(context, "shared_streams", None)
    key = None if shared is None else shared.key(query, operation_name, variables,
                                                 context.principal)
    if shared is None or key is None:
        yield None
        return
    socket = context.socket

    def too_slow() -> None:
        if socket is not None:
            socket.too_slow(shared.queue_size)

    follower = shared.join(key, schema, context, query, variables, operation_name, too_slow)
    try:
        yield follower
    finally:
        shared.leave(key, follower)


async def _results(schema: BaseSchema, query: str, variables: dict[str, Any] | None,
                   context: Context, operation_name: str | None) -> AsyncGenerator[Any, None]:
    source = await schema.subscribe(query, variable_values=variables, context_value=context,
                                    operation_name=operation_name)
    if isinstance(source, ExecutionResult | PreExecutionError):
        yield source
        return
    async with contextlib.aclosing(source):  # so the resolver leaves the hub at once
        async for result in source:
            yield result


def _encode(result: Any) -> Message:
    errors = [e.formatted for e in result.errors or []]
    if isinstance(result, PreExecutionError) or not isinstance(result, ExecutionResult):
        return Message("error", orjson.dumps(errors or [
            GraphQLError("subscription could not start").formatted]).decode())
    payload: dict[str, Any] = {"data": result.data}
    if errors:
        payload["errors"] = errors
    if result.extensions:
        payload["extensions"] = result.extensions
    return Message("next", orjson.dumps(payload).decode())


@functools.lru_cache(maxsize=1024)
def _document(query: str) -> DocumentNode | None:
    try:
        return parse(query)
    except GraphQLError:
        return None


def _shareable_fields(query: str, operation_name: str | None) -> frozenset[str] | None:
    """The root fields of a subscription that starts live (no `since`), else None."""
    document = _document(query)
    if document is None:
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.SUBSCRIPTION:
        return None
    fields = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    if len(fields) != len(operation.selection_set.selections):
        return None  # fragments at the root: not worth analysing
    if any(a.name.value == "since" for f in fields for a in f.arguments or ()):
        return None
    return frozenset(f.name.value for f in fields)
