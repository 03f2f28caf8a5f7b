"""With tracing on, each GraphQL operation is a span (resolvers are its children)."""

from __future__ import annotations

import httpx
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.settings import Settings
from api.tracing import Tracing, tracing_extensions
from connectors.simulators.server import RunningSimulator
from schema import build_schema


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


async def test_each_call_to_a_source_system_is_a_span() -> None:
    exporter = InMemorySpanExporter()
    tracing = Tracing.from_settings(Settings(tracing_enabled=True), exporter)
    assert tracing is not None
    dopa = RunningSimulator("dopa").start()
    try:
        async with httpx.AsyncClient() as client:  # as the connectors' shared client
            await client.get(f"{dopa.url}/health")
        tracing.provider.force_flush()
        [span] = exporter.get_finished_spans()
        assert span.attributes is not None
        assert str(span.attributes.get("url.full", span.attributes.get("http.url"))).endswith(
            "/health")
    finally:
        dopa.stop()
        tracing.shutdown()
