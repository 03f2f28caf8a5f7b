"""Answers of reference and figures queries kept for a few seconds, per caller scope.

A dashboard asks the same question many times a second; the answer depends only on the
document, the variables, the operation and what the caller may see (roles, areas, agency,
topics: the inputs of every policy decision). So the answer is kept under exactly that key:

- only for queries whose root fields are all marked `cacheable` in `auth.policy.ROOT_FIELDS`
  (the area tree and the catalogue, with the figures and source data reached through areas);
  never for mutations, subscriptions, `me`, complaints, audit, API keys or source health, whose
  answers depend on who asks or must be read (and audited) every time;
- only answers without errors that read no personal data (nothing for the audit log);
- for `ttl` seconds at most, and never longer than the answer cache lifetime (`cache_ttl`) of
  any source system the answer consulted (a source configured with 0 is never kept);
- dropped at once, all of them, when any event (a figure
  recorded, a project or complaint changed, a source event) reaches this process from the
  outbox, so a change is visible as soon as its event is;
- bypassed by a request that sends `Cache-Control: no-cache` (its answer is stored afresh).

Callers still authenticate and are still rate limited before the cache is asked; concurrent
misses for one key run the operation once and share its answer.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse
from strawberry.types import ExecutionResult

from areagraph.api.realtime.broker import Hub, Subscription
from areagraph.auth.policy import ROOT_FIELDS
from areagraph.auth.principal import Principal
from areagraph.connectors.local.outbox import EventKind

if TYPE_CHECKING:
    from areagraph.api.observability.metrics import Metrics

# The root fields the policy table marks cacheable, and `__typename`.
CACHEABLE_ROOT_FIELDS = frozenset({
    "__typename", *(name for name, row in ROOT_FIELDS.items() if row.cacheable)})
_Key = tuple[str, str | None, bytes, tuple[Any, ...]]
MAX_ANSWER_VALUES = 250_000  # larger answers are not kept
MAX_KEPT_VALUES = 2_000_000  # values in all kept answers together (a few hundred MB at most)
_EVENT_KINDS = tuple(kind.value for kind in EventKind)


@lru_cache(maxsize=512)
def _query(query: str, operation_name: str | None) -> tuple[str | None, frozenset[str]] | None:
    """The name and root field names of the operation a request runs, when it is a query made
    only of plain fields; None for anything else (mutations, subscriptions, fragments, bad
    text)."""
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return None
    selections = operations[0].selection_set.selections
    if not all(isinstance(s, FieldNode) and not s.directives for s in selections):
        return None
    name = operations[0].name.value if operations[0].name else None
    return name, frozenset(s.name.value for s in selections)  # type: ignore[attr-defined]


@lru_cache(maxsize=512)
def writes(query: str | None, operation_name: str | None) -> bool:
    """Whether a request runs a mutation (which makes this process forget its answers at once,
    before the mutation's events arrive: a client reads its own writes)."""
    if not query:
        return False
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return False
    return any(isinstance(d, OperationDefinitionNode) and d.operation is OperationType.MUTATION
               and (operation_name is None or (d.name is not None
                                               and d.name.value == operation_name))
               for d in document.definitions)


def root_fields(query: str, operation_name: str | None) -> frozenset[str] | None:
    found = _query(query, operation_name)
    return None if found is None else found[1]


def weight(data: Any, limit: int = MAX_ANSWER_VALUES) -> int | None:
    """How many values an answer holds (None beyond `limit`): what keeping it costs."""
    count = 0
    pending = [data]
    while pending:
        value = pending.pop()
        count += 1
        if count > limit:
            return None
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


def scope_key(principal: Principal | None) -> tuple[Any, ...]:
    """What every policy decision reads from the caller."""
    if principal is None:
        return ("anonymous",)
    return (tuple(sorted(principal.roles)), tuple(principal.area_scope), principal.agency,
            tuple(principal.topics))


def wants_fresh(cache_control: str | None) -> bool:
    return cache_control is not None and "no-cache" in cache_control.lower()


class ResponseCache:
    """This process's cached answers (least recently used dropped beyond `max_entries`)."""

    def __init__(self, ttl: float, max_entries: int = 1024,
                 clock: Callable[[], float] = time.monotonic,
                 metrics: Metrics | None = None, max_values: int = MAX_KEPT_VALUES) -> None:
        self.ttl = ttl
        self._metrics = metrics
        self._max_entries = max_entries
        self._max_values = max_values
        self._values = 0
        self._clock = clock
        self._entries: OrderedDict[_Key, tuple[float, ExecutionResult, int]] = OrderedDict()
        self._pending: dict[_Key, asyncio.Future[ExecutionResult | None]] = {}
        self._generation = 0
        self.hits = 0
        self.misses = 0

    def key(self, query: str | None, operation_name: str | None, variables: Any,
            principal: Principal | None) -> _Key | None:
        """The request's key, or None when its answer must not be cached."""
        if not query or self.ttl <= 0:
            return None
        roots = root_fields(query, operation_name)
        if roots is None or not roots <= CACHEABLE_ROOT_FIELDS:
            return None
        try:
            encoded = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        except TypeError:
            return None
        return (query, operation_name, encoded, scope_key(principal))

    async def answer(self, key: _Key, run: Callable[[], Awaitable[Any]], *,
                     fresh: bool = False,
                     keep_for: Callable[[ExecutionResult], float] = lambda _r: float("inf"),
                     ) -> Any:
        """The kept answer for `key`, or `run()`'s, kept when it has no errors for `ttl` or
        `keep_for(answer)` seconds, whichever is shorter (0: not kept); callers arriving while
        it runs share it."""
        started = time.perf_counter()
        if not fresh:
            found = self._get(key)
            if found is None and (pending := self._pending.get(key)) is not None:
                found = await asyncio.shield(pending)
            if found is not None:
                self._hit(key, started)
                return found
        self.misses += 1
        if self._metrics is not None:
            self._metrics.observe_cache("responses", hit=False)
        generation = self._generation
        future: asyncio.Future[ExecutionResult | None] = (
            asyncio.get_running_loop().create_future())
        self._pending.setdefault(key, future)
        kept: ExecutionResult | None = None
        try:
            result = await run()
            if (isinstance(result, ExecutionResult) and not result.errors
                    and generation == self._generation):
                seconds = min(self.ttl, keep_for(result))
                size = weight(result.data) if seconds > 0 else None
                if size is not None:
                    kept = result
                    self._put(key, result, seconds, size)
            return result
        finally:
            if self._pending.get(key) is future:
                del self._pending[key]
            future.set_result(kept)

    def _hit(self, key: _Key, started: float) -> None:
        """Counted like the operation it answers (which did not run), and as a cache hit."""
        self.hits += 1
        if self._metrics is None:
            return
        found = _query(key[0], key[1])
        self._metrics.observe_cache("responses", hit=True)
        self._metrics.observe_operation(None if found is None else found[0], "query", "ok",
                                        time.perf_counter() - started)

    def invalidate(self) -> None:
        """Forget every answer (and answers being computed now)."""
        self._generation += 1
        self._entries.clear()
        self._values = 0

    def watch(self, hub: Hub, kinds: Iterable[str] = _EVENT_KINDS) -> None:
        """Forget every answer whenever an event of these kinds reaches this process."""

        def on_event(_event: object) -> bool:
            self.invalidate()
            return False  # nothing to queue: the event has done its work here

        hub.add(Subscription(frozenset(kinds), on_event, size=1, on_overflow=lambda: None))

    def _get(self, key: _Key) -> ExecutionResult | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, result, size = entry
        if self._clock() >= expires:
            del self._entries[key]
            self._values -= size
            return None
        self._entries.move_to_end(key)
        return result

    def _put(self, key: _Key, result: ExecutionResult, seconds: float, size: int) -> None:
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._values -= previous[2]
        self._entries[key] = (self._clock() + seconds, result, size)
        self._values += size
        while self._entries and (len(self._entries) > self._max_entries
                                 or self._values > self._max_values):
            _, (_, _, dropped) = self._entries.popitem(last=False)
            self._values -= dropped
