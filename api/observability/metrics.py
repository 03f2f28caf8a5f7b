"""Prometheus metrics, one registry per app: operations by name and outcome, latency, source
calls, cache hits and open subscriptions."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import PlainTextResponse
from graphql import GraphQLError
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from strawberry.extensions import SchemaExtension

from areagraph.api.error_codes import error_code
from areagraph.auth.policy import Capability, require
from areagraph.resolvers.context import Context

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Everything the gateway counts; other modules call these methods, never the registry."""

    def __init__(self, max_operation_names: int = 500) -> None:
        self.registry = CollectorRegistry()
        self._names: set[str] = set()
        self._max_names = max_operation_names
        self.operations = Counter(
            "areagraph_graphql_operations", "GraphQL operations by name, type and outcome.",
            ["operation", "type", "outcome"], registry=self.registry)
        self.operation_seconds = Histogram(
            "areagraph_graphql_operation_seconds", "GraphQL operation latency.",
            ["operation", "type"], buckets=_LATENCY, registry=self.registry)
        self.http_requests = Counter(
            "areagraph_http_requests", "HTTP requests by route, method and status.",
            ["route", "method", "status"], registry=self.registry)
        self.http_seconds = Histogram(
            "areagraph_http_request_seconds", "HTTP request latency by route.",
            ["route", "method"], buckets=_LATENCY, registry=self.registry)
        self.cache = Counter(
            "areagraph_cache_lookups", "Cache lookups by cache and result (hit or miss).",
            ["cache", "result"], registry=self.registry)
        self.subscriptions = Gauge(
            "areagraph_subscriptions_open", "Open GraphQL subscriptions.",
            registry=self.registry)

    def operation_label(self, name: str | None) -> str:
        """Client-chosen names, bounded so a hostile client cannot flood the registry."""
        if not name:
            return "anonymous"
        if not _NAME.match(name):
            return "invalid"
        if name not in self._names:
            if len(self._names) >= self._max_names:
                return "other"
            self._names.add(name)
        return name

    def observe_operation(self, name: str | None, kind: str, outcome: str,
                          seconds: float | None) -> None:
        label = self.operation_label(name)
        self.operations.labels(label, kind, outcome).inc()
        if seconds is not None:
            self.operation_seconds.labels(label, kind).observe(seconds)

    def observe_cache(self, cache: str, hit: bool) -> None:
        self.cache.labels(cache, "hit" if hit else "miss").inc()

    def observe_http(self, route: str, method: str, status: int, seconds: float) -> None:
        self.http_requests.labels(route, method, str(status)).inc()
        self.http_seconds.labels(route, method).observe(seconds)

    def watch_sources(self, sources: Iterable[Any]) -> None:
        """Export what the connectors record of each source call (their health)."""
        self.registry.register(_SourceCollector(sources))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _SourceCollector(Collector):
    """Read at scrape time from each source's rolling health, so calls are counted once, where
    the connectors make them."""

    def __init__(self, sources: Iterable[Any]) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        calls = CounterMetricFamily("areagraph_source_calls",
                                    "Calls made to each source system, by outcome.",
                                    labels=["source", "outcome"])
        failing = GaugeMetricFamily("areagraph_source_failure_ratio",
                                    "Share of the last 50 calls to a source that failed.",
                                    labels=["source"])
        up = GaugeMetricFamily("areagraph_source_up", "1 when the last call succeeded.",
                               labels=["source"])
        latency = GaugeMetricFamily("areagraph_source_last_call_seconds",
                                    "How long the last call to a source took.", labels=["source"])
        for source in self.sources:
            health = source.health
            calls.add_metric([source.name, "ok"], health.calls - health.failures)
            calls.add_metric([source.name, "failed"], health.failures)
            failing.add_metric([source.name], health.error_rate)
            if health.last_ok is not None:
                up.add_metric([source.name], 1.0 if health.last_ok else 0.0)
            if health.latency_ms is not None:
                latency.add_metric([source.name], health.latency_ms / 1000)
        yield from (calls, failing, up, latency)


class OperationMetrics(SchemaExtension):
    """Counts each operation by name and outcome (the first error's code, or ok), and the
    subscriptions open (a subscription's operation lasts until the client stops it)."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        self._subscribed: Metrics | None = None
        try:
            yield
        except GraphQLError as error:  # refused while parsing
            self._observe([error], started)
            raise
        else:
            ctx = self.execution_context
            self._observe(getattr(ctx.result, "errors", None) or ctx.pre_execution_errors or [],
                          started)
        finally:
            if self._subscribed is not None:
                self._subscribed.subscriptions.dec()

    def on_execute(self) -> Iterator[None]:
        metrics = self._metrics()
        if metrics is not None and self._kind() == "subscription":
            metrics.subscriptions.inc()
            self._subscribed = metrics
        yield

    def _metrics(self) -> Metrics | None:
        services = getattr(self.execution_context.context, "services", None)
        return getattr(services, "metrics", None)

    def _kind(self) -> str:
        try:
            return self.execution_context.operation_type.value
        except RuntimeError:  # no document, or no such operation
            return "unknown"

    def _observe(self, errors: list[GraphQLError], started: float) -> None:
        metrics = self._metrics()
        if metrics is None:
            return
        outcome = "ok"
        if errors:
            outcome = str((errors[0].extensions or {}).get("code") or error_code(errors[0]))
        ctx = self.execution_context
        metrics.observe_operation(ctx.operation_name if ctx.graphql_document else None,
                                  self._kind(), outcome, time.perf_counter() - started)


def metrics_router(context_getter: Callable[..., Awaitable[Context]],
                   registry: Metrics | None) -> APIRouter:
    """`/metrics` for Prometheus, behind the same authentication and policy as GraphQL
    (scrape with an API key whose roles may read source health)."""
    router = APIRouter(tags=["operations"])

    @router.get("/metrics", response_class=PlainTextResponse,
                summary="Prometheus metrics of this replica")
    async def metrics(context: Context = Depends(context_getter)) -> Response:
        require(context.principal, Capability.SOURCES)
        body = registry.exposition() if registry is not None else b""
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router
