"""With tracing on, each GraphQL operation is a span (resolvers are its children), and so is each
call a connector makes to its source system."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from areagraph.api.observability.tracing import Tracing, tracing_extensions
from areagraph.connectors import pwa
from areagraph.connectors.base import ValueRequest
from areagraph.connectors.config import load_sources
from areagraph.connectors.simulators.server import RunningSimulator
from areagraph.connectors.simulators.sources_file import write_sources_file
from areagraph.core.settings import Settings
from areagraph.schema import build_schema


def test_tracing_is_off_by_default() -> None:
    assert Tracing.from_settings(Settings(_env_file=None)) is None


async def test_each_operation_is_a_span() -> None:
    exporter = InMemorySpanExporter()
    tracing = Tracing.from_settings(Settings(tracing_enabled=True), exporter)
    assert tracing is not None
    try:
        schema = build_schema(extensions=tracing_extensions(tracing))
        result = await schema.execute("query Ping { __typename }")
        assert result.errors is None
        tracing.provider.force_flush()
        spans = exporter.get_finished_spans()
        operation = [s for s in spans if s.parent is None]
        assert len(operation) == 1
        assert "Ping" in operation[0].name
    finally:
        tracing.shutdown()


async def test_each_call_to_a_source_system_is_a_span(tmp_path: Path) -> None:
    exporter = InMemorySpanExporter()
    tracing = Tracing.from_settings(Settings(tracing_enabled=True), exporter)
    assert tracing is not None
    simulator = RunningSimulator("pwa").start()
    sources = write_sources_file(tmp_path / "sources.toml", {"pwa": simulator.url},
                                 {"pwa": {"timeout": 5.0}})
    [config] = [c for c in load_sources(sources) if c.name == "pwa"]
    connector = pwa.build(config, None)
    try:
        fetched = await connector.fetch_values(ValueRequest(
            area_codes=("3401",), indicator_codes=("WATER_LOSS_PCT",),
            start=date(2026, 1, 1), end=date(2026, 1, 31)))
        tracing.provider.force_flush()
        spans = exporter.get_finished_spans()
    finally:
        await connector.aclose()
        simulator.stop()
        tracing.shutdown()
    assert [v.indicator_code for v in fetched.rows["3401"]] == ["WATER_LOSS_PCT"]
    # the OAuth token, then the data: each call the connector made is a span of its own
    assert [(s.attributes or {}).get("url.full", (s.attributes or {}).get("http.url"))
            for s in spans] == [f"{simulator.url}/oauth/token",
                                f"{simulator.url}/pwa/v1/service-stats"]
    assert {(s.attributes or {}).get("http.response.status_code",
                                     (s.attributes or {}).get("http.status_code"))
            for s in spans} == {200}
