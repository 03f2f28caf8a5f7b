"""The response cache keeps only what may be shared, per caller scope, and forgets on events."""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import GraphQLError
from strawberry.types import ExecutionResult

from areagraph.api.protection.response_cache import (
    CACHEABLE_ROOT_FIELDS,
    ResponseCache,
    root_fields,
)
from areagraph.api.realtime.broker import Hub
from areagraph.auth.policy import ROOT_FIELDS, Capability
from areagraph.auth.principal import Principal, Role

GOVERNOR_34 = Principal(subject="a", roles=frozenset({Role.GOVERNOR}), area_scope=("34",))
GOVERNOR_34_OTHER = Principal(subject="b", roles=frozenset({Role.GOVERNOR}), area_scope=("34",))
GOVERNOR_10 = Principal(subject="c", roles=frozenset({Role.GOVERNOR}), area_scope=("10",))


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


class Counting:
    """A query that counts its runs and answers the count (with an error when `failing`)."""

    def __init__(self, *, failing: bool = False, pause: float = 0.0) -> None:
        self.runs = 0
        self.failing = failing
        self.pause = pause

    async def __call__(self) -> ExecutionResult:
        self.runs += 1
        if self.pause:
            await asyncio.sleep(self.pause)
        if self.failing:
            return ExecutionResult(data=None, errors=[GraphQLError("no")])
        return ExecutionResult(data={"n": self.runs}, errors=None)


def governor_key(cache: ResponseCache) -> Any:
    key = cache.key("{ areas { totalCount } }", None, None, GOVERNOR_34)
    assert key is not None
    return key


def test_only_queries_of_shareable_root_fields_have_a_key() -> None:
    cache = ResponseCache(ttl=5)
    assert cache.key("{ areas { totalCount } }", None, None, GOVERNOR_34) is not None
    assert cache.key("query Q { area(code: \"34\") { code } }", "Q", {}, GOVERNOR_34)
    for refused in ("{ me { subject } }", "{ areas { totalCount } me { subject } }",
                    "{ complaints(first: 1) { totalCount } }", "{ sources { name } }",
                    "mutation { revokeApiKey(id: 1) }", "subscription { alertRaised { eventId } }",
                    "{ ...F } fragment F on Query { areas { totalCount } }", "{ areas {",
                    "query A { areas { totalCount } } query B { me { subject } }"):
        assert cache.key(refused, None, None, GOVERNOR_34) is None, refused
    assert cache.key("query A { areas { totalCount } } query B { me { subject } }", "B", None,
                     GOVERNOR_34) is None
    assert root_fields("query A { area(code: \"1\") { code } } mutation B { x }", "A") == {"area"}
    assert ResponseCache(ttl=0).key("{ areas { totalCount } }", None, None, GOVERNOR_34) is None


def test_cacheable_root_fields_are_the_policy_tables() -> None:
    marked = {name for name, row in ROOT_FIELDS.items() if row.cacheable}
    assert CACHEABLE_ROOT_FIELDS == {"__typename", *marked}
    # Only reference queries: what the caller's scope alone decides, nothing per record.
    assert marked == {"area", "areas", "indicator", "indicators", "agencies",
                      "complaintCategories"}
    assert {ROOT_FIELDS[name].capability for name in marked} == {Capability.REFERENCE}
    cache = ResponseCache(ttl=5)
    for name in ("me", "sources", "auditLog", "apiKeys", "complaints", "dashboard"):
        assert not ROOT_FIELDS[name].cacheable
        assert cache.key(f"{{ {name} }}", None, None, GOVERNOR_34) is None, name


def test_the_key_is_the_callers_scope_not_their_name() -> None:
    cache = ResponseCache(ttl=5)
    query = "{ area(code: \"34\") { code } }"
    assert cache.key(query, None, None, GOVERNOR_34) == cache.key(query, None, None,
                                                                  GOVERNOR_34_OTHER)
    assert cache.key(query, None, None, GOVERNOR_34) != cache.key(query, None, None, GOVERNOR_10)
    assert cache.key(query, None, {"a": 1, "b": 2}, None) == cache.key(query, None,
                                                                       {"b": 2, "a": 1}, None)
    assert cache.key(query, None, {"a": 1}, None) != cache.key(query, None, {"a": 2}, None)


async def test_answers_kept_until_ttl_or_an_event() -> None:
    clock = Clock()
    cache = ResponseCache(ttl=5, clock=clock)
    hub = Hub()
    cache.watch(hub)
    key, run = governor_key(cache), Counting()
    assert (await cache.answer(key, run)).data == {"n": 1}
    assert (await cache.answer(key, run)).data == {"n": 1}
    assert (await cache.answer(key, run, fresh=True)).data == {"n": 2}
    clock.now = 5
    assert (await cache.answer(key, run)).data == {"n": 3}

    class Event:
        id = 1
        kind = "observation_recorded"

    hub.deliver([Event()])  # type: ignore[list-item]
    assert (await cache.answer(key, run)).data == {"n": 4}


async def test_errors_and_refused_answers_are_not_kept() -> None:
    cache = ResponseCache(ttl=5)
    key, failing = governor_key(cache), Counting(failing=True)
    await cache.answer(key, failing)
    await cache.answer(key, failing)
    assert failing.runs == 2
    personal = Counting()
    await cache.answer(key, personal, keep_for=lambda _r: 0)
    await cache.answer(key, personal, keep_for=lambda _r: 0)
    assert personal.runs == 2


async def test_answers_live_no_longer_than_their_sources_allow() -> None:
    clock = Clock()
    cache = ResponseCache(ttl=5, clock=clock)
    key, run = governor_key(cache), Counting()
    await cache.answer(key, run, keep_for=lambda _r: 0.5)
    clock.now = 0.4
    assert (await cache.answer(key, run, keep_for=lambda _r: 0.5)).data == {"n": 1}
    clock.now = 0.5
    assert (await cache.answer(key, run, keep_for=lambda _r: 0.5)).data == {"n": 2}


async def test_concurrent_misses_run_once() -> None:
    cache = ResponseCache(ttl=5)
    key, slow = governor_key(cache), Counting(pause=0.01)
    answers = await asyncio.gather(*(cache.answer(key, slow) for _ in range(10)))
    assert slow.runs == 1 and all(a.data == {"n": 1} for a in answers)


def test_mutations_are_recognised_as_writes() -> None:
    from areagraph.api.protection.response_cache import writes

    assert writes("mutation { revokeApiKey(id: 1) }", None)
    assert writes("query A { areas { totalCount } } mutation B { x }", "B")
    assert not writes("query A { areas { totalCount } } mutation B { x }", "A")
    assert not writes("{ areas { totalCount } }", None)
    assert not writes("{ areas {", None)
    assert not writes(None, None)


async def test_large_answers_are_bounded() -> None:
    from areagraph.api.protection.response_cache import weight

    assert weight({"a": [1, 2, {"b": None}]}) == 6
    assert weight([[0] * 10] * 10, limit=50) is None
    cache = ResponseCache(ttl=5, max_values=25)
    keys = [cache.key("{ areas { totalCount } }", None, {"n": n}, GOVERNOR_34) for n in range(3)]

    async def run() -> ExecutionResult:
        return ExecutionResult(data={"list": list(range(10))}, errors=None)  # 12 values

    for key in keys:
        assert key is not None
        await cache.answer(key, run)
    assert len(cache._entries) == 2  # the oldest answer made room
