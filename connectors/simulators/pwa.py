"""Provincial Waterworks Authority (การประปาส่วนภูมิภาค): service coverage and water loss.

A state enterprise's own style: OAuth2 client credentials at `/oauth/token`, months in the
Buddhist Era (2569-03), percentages as decimal strings, and nothing for Bangkok, Nonthaburi and
Samut Prakan, which the Metropolitan Waterworks Authority serves.
"""

from __future__ import annotations

import base64
import secrets
from typing import Annotated

from fastapi import FastAPI, Form, Header, HTTPException, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2
from pydantic import BaseModel, Field

from areagraph.connectors.simulators.base import SimulatorState, number, simulator_app
from areagraph.connectors.simulators.geography import current_codes

CLIENT_ID = "areagraph"
CLIENT_SECRET = "demo-pwa-secret"
MWA_PROVINCES = ("10", "12", "13")
_BEARER = OAuth2(flows=OAuthFlows(clientCredentials=OAuthFlowClientCredentials(
    tokenUrl="/oauth/token", scopes={"stats.read": "read service statistics"})),
    auto_error=False)


class Token(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


class StatsQuery(BaseModel):
    months: list[str] = Field(description="Buddhist Era months, yyyy-mm: 2569-03.")
    areas: list[str]


class ServiceStat(BaseModel):
    area: str
    month: str
    coverage_pct: str
    water_loss_pct: str
    connections: int


class StatsAnswer(BaseModel):
    data: list[ServiceStat]


def service(area: str, month_be: str, state: SimulatorState | None = None
            ) -> tuple[float, float]:
    """Coverage and water loss (%) of an area in a month; `state` may hold changed figures
    (keys ``coverage_pct|AREA|2569-03`` and ``water_loss_pct|AREA|2569-03``)."""
    coverage = number("pwa-cov", area, month_be, low=6000, high=9900) / 100
    loss = number("pwa-loss", area, month_be, low=1200, high=3800) / 100
    if state is not None:
        coverage = state.figure(f"coverage_pct|{area}|{month_be}", coverage)
        loss = state.figure(f"water_loss_pct|{area}|{month_be}", loss)
    return coverage, loss


def app() -> FastAPI:
    api = simulator_app("pwa", "PWA service statistics",
                        "Water service coverage and water loss by area and month (OAuth2).")
    tokens: set[str] = set()

    @api.post("/oauth/token", tags=["auth"], response_model=Token)
    async def token(grant_type: Annotated[str, Form()],
                    authorization: Annotated[str | None, Header()] = None,
                    client_id: Annotated[str | None, Form()] = None,
                    client_secret: Annotated[str | None, Form()] = None,
                    scope: Annotated[str, Form()] = "stats.read") -> Token:
        if authorization and authorization.startswith("Basic "):
            client_id, _, client_secret = (
                base64.b64decode(authorization[6:]).decode().partition(":"))
        if grant_type != "client_credentials" or (client_id, client_secret) != (
                CLIENT_ID, CLIENT_SECRET):
            raise HTTPException(401, "invalid_client")
        issued = secrets.token_urlsafe(16)
        tokens.add(issued)
        return Token(access_token=issued, expires_in=3600, scope=scope)

    @api.post("/pwa/v1/service-stats", tags=["data"], response_model=StatsAnswer)
    async def stats(body: StatsQuery,
                    authorization: Annotated[str | None, Security(_BEARER)] = None
                    ) -> JSONResponse:
        if not authorization or authorization.removeprefix("Bearer ") not in tokens:
            raise HTTPException(401, "invalid_token")
        known = current_codes()
        data: list[dict[str, str | int]] = []
        for area in dict.fromkeys(body.areas):
            if area not in known or area[:2] in MWA_PROVINCES:
                continue
            for month in body.months:
                coverage, loss = service(area, month, api.state.simulator)
                data.append({"area": area, "month": month, "coverage_pct": f"{coverage:.2f}",
                             "water_loss_pct": f"{loss:.2f}",
                             "connections": number("pwa-conn", area, low=200, high=9000)})
        return JSONResponse({"data": data})

    return api
