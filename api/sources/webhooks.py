"""``POST /ingest/{source}``: a source system tells the gateway that its data changed.

The body is signed with the source's shared secret (``Settings.webhook_secrets``)::

    X-Areagraph-Timestamp: <unix seconds>
    X-Areagraph-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">

A timestamp further than `webhook_max_age_seconds` from now is refused, and so is a signature
already accepted within that window (a replay). Accepted events invalidate the source's cached
answers for their areas and go through the outbox to subscribers of `sourceEvent`. A body
naming `figures` (areas whose figures changed) syncs the source's figures for their provinces
at once, and answers with the sync's report.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import date
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel
from redis.exceptions import RedisError

from areagraph.api.sources.replay_guard import ReplayGuard
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import SourceRegistry
from areagraph.core.errors import (
    BadUserInput,
    Conflict,
    NotFound,
    PayloadTooLarge,
    SourceUnavailable,
    Unauthenticated,
)
from areagraph.core.settings import Settings
from areagraph.core.validation import ascii_digits, text_problem
from areagraph.domain.figures.sync.flow import (
    SyncReport,
    provinces_of_areas,
    recent_scope,
    sync_source,
)
from areagraph.domain.sources.events import record_source_events
from areagraph.resolvers import inputs

TIMESTAMP_HEADER = "X-Areagraph-Timestamp"
SIGNATURE_HEADER = "X-Areagraph-Signature"
_MAX_BODY = 1_000_000
MAX_HOUSEHOLDS = 30_000_000  # more than Thailand has


class _CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


def _storable(text: str) -> str:
    problem = text_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


Text = Annotated[str, AfterValidator(_storable)]


class IngestedEvent(_CamelModel):
    kind: Text = Field(min_length=1, max_length=64)
    reference: Text = Field(min_length=1, max_length=100)
    title: Text = Field(default="", max_length=500)
    area_code: str
    area_codes: list[str] = Field(default_factory=list, max_length=10_000)
    started_on: date | None = None
    ended_on: date | None = None
    status: Text | None = Field(default=None, max_length=32)
    households_affected: int | None = Field(default=None, ge=0, le=MAX_HOUSEHOLDS)

    @property
    def agency_code(self) -> str | None:
        """A webhook reports happenings, not records held by an agency."""
        return None


class ChangedFigures(_CamelModel):
    area_codes: list[str] = Field(min_length=1, max_length=1000)
    fiscal_years: int | None = Field(default=None, ge=1, le=10,
                                     description="Fiscal years back from today to sync.")


class IngestBody(_CamelModel):
    events: list[IngestedEvent] = Field(default_factory=list, max_length=1000)
    figures: ChangedFigures | None = None

    @model_validator(mode="after")
    def _something(self) -> IngestBody:
        if not self.events and self.figures is None:
            raise ValueError("send events, figures or both")
        return self


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The signature header value a source sends (also used by the simulators and tests)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes,
           max_age: int, now: float | None = None) -> None:
    """Raises `Unauthenticated` unless the request is signed with `secret` and recent."""
    if not timestamp or not signature:
        raise Unauthenticated(f"send {TIMESTAMP_HEADER} and {SIGNATURE_HEADER}")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Unauthenticated("malformed timestamp") from None
    if abs((time.time() if now is None else now) - sent) > max_age:
        raise Unauthenticated(f"timestamp outside the {max_age} s window")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        raise Unauthenticated("bad signature")


class IngestServices(Protocol):
    """What ingesting needs of the process's services (api/services.py)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def database(self) -> Database: ...

    @property
    def sources(self) -> SourceRegistry: ...

    @property
    def replays(self) -> ReplayGuard | None: ...


def build_router() -> APIRouter:
    router = APIRouter(tags=["ingest"])

    @router.post("/ingest/{source}", status_code=202)
    async def ingest(source: str, request: Request) -> JSONResponse:
        """Refusals are `AppError`s, answered as JSON `{code, message}` by the app."""
        services: IngestServices = request.app.state.services
        return JSONResponse(await _ingest(services, source, request), status_code=202)

    return router


async def _ingest(services: IngestServices, source: str, request: Request) -> dict[str, Any]:
    settings = services.settings
    secret = settings.webhook_secrets.get(source)
    if secret is None:
        raise NotFound(f"no webhook is configured for source {source!r}")
    declared = request.headers.get("content-length", "0")
    if not ascii_digits(declared) or len(declared) > 12 or int(declared) > _MAX_BODY:
        raise PayloadTooLarge(f"send at most {_MAX_BODY} bytes")
    body = await request.body()
    if len(body) > _MAX_BODY:
        raise PayloadTooLarge(f"send at most {_MAX_BODY} bytes")
    signature = request.headers.get(SIGNATURE_HEADER)
    verify(secret, request.headers.get(TIMESTAMP_HEADER), signature, body,
           settings.webhook_max_age_seconds)
    parsed = _parse(body)
    events = parsed.events
    if parsed.figures is not None and services.sources.get(source) is None:
        raise NotFound(f"no source system {source!r} is configured to sync figures from")
    replays = services.replays
    assert replays is not None
    try:
        first = await replays.first_time(f"{source}:{signature}",
                                                  2 * settings.webhook_max_age_seconds)
    except RedisError:
        raise SourceUnavailable("cannot check for replays now; send again later") from None
    if not first:
        raise Conflict("this delivery was already received (replay)")
    rows = await record_source_events(services.database, source, events)
    figure_areas = parsed.figures.area_codes if parsed.figures else []
    changed = sorted({c for e in events for c in [e.area_code, *e.area_codes]} |
                     set(figure_areas))
    dropped = await services.sources.invalidate(source, changed)
    answer: dict[str, Any] = {"accepted": len(rows), "eventIds": [str(r.id) for r in rows],
                              "cacheEntriesDropped": dropped}
    if parsed.figures is not None:
        answer["sync"] = (await _sync(services, source, parsed.figures)).to_json()
    return answer


async def _sync(services: IngestServices, name: str, figures: ChangedFigures) -> SyncReport:
    source = services.sources.get(name)
    assert source is not None
    scope = recent_scope(figures.fiscal_years or source.config.sync_fiscal_years,
                         provinces_of_areas(figures.area_codes))
    return await sync_source(source, services.database, scope)


def _parse(body: bytes) -> IngestBody:
    try:
        parsed = IngestBody.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadUserInput(f"invalid body at {where}: {first['msg']}") from None
    for event in parsed.events:
        event.area_code = inputs.area_code(event.area_code, "areaCode")
        event.area_codes = [inputs.area_code(c, "areaCodes") for c in event.area_codes]
    if parsed.figures is not None:
        parsed.figures.area_codes = [inputs.area_code(c, "figures.areaCodes")
                                     for c in parsed.figures.area_codes]
    return parsed
