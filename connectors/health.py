"""What the gateway has seen of each source lately: latency, errors, last success."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from areagraph.connectors.base import Unmapped
from areagraph.core.clock import utcnow

_WINDOW = 50


@dataclass
class SourceHealth:
    """A rolling record of the last fetches from one source."""

    last_success_at: datetime | None = None
    last_failure_at: datetime | None = None
    last_error: str | None = None
    latency_ms: float | None = None
    calls: int = 0
    failures: int = 0
    last_unmapped: list[Unmapped] = field(default_factory=list)
    _outcomes: deque[bool] = field(default_factory=lambda: deque(maxlen=_WINDOW))

    def succeeded(self, latency_ms: float, unmapped: list[Unmapped]) -> None:
        self.calls += 1
        self.latency_ms = latency_ms
        self.last_success_at = utcnow()
        self.last_unmapped = unmapped
        self._outcomes.append(True)

    def failed(self, latency_ms: float, message: str) -> None:
        self.calls += 1
        self.latency_ms = latency_ms
        self.failures += 1
        self.last_failure_at = utcnow()
        self.last_error = message
        self._outcomes.append(False)

    @property
    def error_rate(self) -> float:
        """Share of the last fetches that failed (0 when none were made)."""
        if not self._outcomes:
            return 0.0
        return sum(1 for ok in self._outcomes if not ok) / len(self._outcomes)

    @property
    def last_ok(self) -> bool | None:
        return self._outcomes[-1] if self._outcomes else None
