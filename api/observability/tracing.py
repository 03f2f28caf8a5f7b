"""OpenTelemetry tracing (off by default; the `tracing` extra): a span per GraphQL operation
(and its resolvers) and a span per source call (the shared httpx clients), exported by OTLP.

The exporter reads the usual `OTEL_EXPORTER_OTLP_*` variables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension

from areagraph.core.settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter


class Tracing:
    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider

    @classmethod
    def from_settings(cls, settings: Settings, exporter: SpanExporter | None = None
                      ) -> Tracing | None:
        if not settings.tracing_enabled:
            return None
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError as missing:
            raise RuntimeError("tracing needs the extra: pip install 'areagraph[tracing]'"
                               ) from missing
        provider = TracerProvider(resource=Resource.create({"service.name": "areagraph"}))
        provider.add_span_processor(BatchSpanProcessor(exporter or OTLPSpanExporter()))
        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
        return cls(provider)

    def extension(self) -> SchemaExtension:
        from strawberry.extensions.tracing import OpenTelemetryExtension

        return OpenTelemetryExtension(tracer_provider=self.provider)

    def shutdown(self) -> None:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor().uninstrument()
        self.provider.shutdown()


def tracing_extensions(tracing: Tracing | None) -> list[Any]:
    return [] if tracing is None else [tracing.extension]
