"""The Damrongdhama simulator asked directly over HTTP, as the centre's own staff would."""

from __future__ import annotations

from typing import Any

import httpx

from areagraph.connectors.simulators import damrongdhama
from tests.connectors.sources.conftest import Simulators

FY2026 = ("2025-10-01", "2026-09-30")


def centre(sims: Simulators, method: str, path: str, key: str | None = None,
           json: Any = None) -> httpx.Response:
    headers = {"Authorization": damrongdhama.TOKEN, **({"Idempotency-Key": key} if key else {})}
    return httpx.request(method, f"{sims.url('damrongdhama')}{path}", headers=headers, json=json)


def source_tickets(sims: Simulators, area: str, period: tuple[str, str] = FY2026
                   ) -> list[dict[str, Any]]:
    """The tickets the simulator holds for an area received in the period."""
    answer = centre(sims, "POST", "/api/v2/tickets/search", json={
        "areas": [area], "received_from": period[0], "received_to": period[1]})
    answer.raise_for_status()
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def move_at_centre(sims: Simulators, ticket: str, key: str, **move: Any) -> None:
    centre(sims, "POST", f"/api/v2/tickets/{ticket}/transitions", key,
           {"by": "centre", **move}).raise_for_status()
