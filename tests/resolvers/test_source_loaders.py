"""How one batch of a source loader calls its sources: each once, slowest first, one by one."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from areagraph.connectors.base import IndicatorValue
from areagraph.connectors.dispatch import Dispatch, SourceCall
from areagraph.connectors.resilient import Outcome
from areagraph.core.errors import SourceUnavailable
from areagraph.resolvers.source_loaders import SourceReport, _MergingLoader

START, END = date(2026, 1, 1), date(2026, 1, 31)


@dataclass
class _Health:
    latency_ms: float | None


@dataclass
class _Source:
    name: str
    health: _Health
    fails: bool = False


@dataclass
class _Sources:
    """Stand-ins for configured sources: what they were asked, in order, and when sent."""

    known: dict[str, _Source]
    asked: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    sending: int = 0
    most_sending_at_once: int = 0
    in_flight: int = 0
    most_in_flight: int = 0

    def plan(self, codes: tuple[str, ...]) -> dict[str, tuple[Any, tuple[str, ...]]]:
        return {name: (source, codes) for name, source in self.known.items()}

    async def fetch(self, source: Any, areas: tuple[str, ...], codes: tuple[str, ...],
                    _start: date, _end: date) -> Outcome[IndicatorValue]:
        with SourceCall():  # as a source call does until its request is written
            self.sending += 1
            self.most_sending_at_once = max(self.most_sending_at_once, self.sending)
            self.asked.append((source.name, areas))
            await asyncio.sleep(0)
            self.sending -= 1
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.01)  # the source answering
        self.in_flight -= 1
        if source.fails:
            return Outcome(error=SourceUnavailable(f"{source.name} is down", source=source.name))
        return Outcome(rows={area: [IndicatorValue(
            area_code=area, indicator_code=codes[0], period="2026-01", value=1.0,
            source=source.name, fetched_at="2026-01-05T00:00:00Z")] for area in areas})


def _loader(sources: _Sources, report: SourceReport) -> _MergingLoader[IndicatorValue]:
    return _MergingLoader(sources.plan, sources.fetch, lambda v: (v.source,), report)


async def test_each_source_once_slowest_first_and_one_by_one() -> None:
    sources = _Sources({"fast": _Source("fast", _Health(5.0)),
                        "new": _Source("new", _Health(None)),
                        "slow": _Source("slow", _Health(300.0)),
                        "middling": _Source("middling", _Health(40.0))})
    loader = _loader(sources, SourceReport())
    answers = await loader.load_many([(area, ("X",), START, END) for area in ("34", "10", "50")])
    assert [name for name, _ in sources.asked] == ["slow", "middling", "fast", "new"]
    assert all(areas == ("34", "10", "50") for _, areas in sources.asked)
    # each call was written before the next was started, and all were answering together
    assert sources.most_sending_at_once == 1 and sources.most_in_flight == 4
    assert [[v.source for v in answer.rows] for answer in answers] == [
        ["fast", "middling", "new", "slow"]] * 3


async def test_a_failed_source_is_named_for_each_area_it_left_without_rows() -> None:
    sources = _Sources({"up": _Source("up", _Health(1.0)),
                        "down": _Source("down", _Health(1.0), fails=True)})
    report = SourceReport()
    answer = await _loader(sources, report).load(("34", ("X",), START, END))
    assert [v.source for v in answer.rows] == ["up"] and answer.failed == ("down",)
    assert list(report.errors) == ["down"]


async def test_a_listing_field_waits_for_the_whole_batch_to_be_sent() -> None:
    sources = _Sources({name: _Source(name, _Health(float(n))) for n, name in enumerate("abcd")})
    loader = _loader(sources, SourceReport())
    with Dispatch() as dispatch:
        pending = loader.load_many([("34", ("X",), START, END)])
    await dispatch.sent(longest=5)
    assert len(sources.asked) == 4 and not pending.done()
    await pending
