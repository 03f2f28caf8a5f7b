"""GraphiQL's example operations: each one runs as it stands and answers what its title says."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from graphql import OperationType, get_operation_ast, parse, validate
from sqlalchemy import update

from areagraph.api.pages.explorer_examples import examples, parse_example
from areagraph.api.services import GatewayContext
from areagraph.auth.principal import Principal, Role
from areagraph.connectors.local.models import Complaint
from areagraph.schema import build_schema
from tests.conftest import Gateway
from tests.domain.helpers import record, row

FILE = """mutation { fileComplaint(input: {
  channel: HOTLINE_1567, categoryCode: "water", areaCode: "340101",
  subject: "น้ำประปาไม่ไหล", complainantName: "สมชาย ใจดี", complainantPhone: "0812345678",
  complainantCitizenId: "1101700203451" }) { ticketNo } }"""
READ_COMPLAINANT = """query ReadComplainant($t: String!) {
  complaint(ticketNo: $t) { complainant { name phone } } }"""


def _by_name() -> dict[str, Any]:
    return {e.name: e for e in examples()}


def test_every_example_has_thai_and_english_titles_and_is_valid() -> None:
    found = examples()
    assert len(found) >= 5
    graphql_schema = build_schema()._schema
    for example in found:
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in example.title_th), example.name
        assert example.title_en.isascii(), example.name
        assert validate(graphql_schema, parse(example.query)) == [], example.name
        assert example.link.startswith("?query=")


def test_an_example_without_titles_is_refused() -> None:
    try:
        parse_example("untitled", "# en: only English\nquery { me { subject } }\n")
    except ValueError as error:
        assert "th" in str(error)
    else:
        raise AssertionError("an example without a Thai title was accepted")


async def _sample(gateway: Gateway) -> str:
    await record(gateway, [row("SAFE_WATER_PCT", "340101", "2026-03", 71.5)])
    await record(gateway, [row("SAFE_WATER_PCT", "340101", "2026-03", 72.0)])
    body = await gateway.query(FILE)
    assert "errors" not in body, body
    ticket: str = body["data"]["fileComplaint"]["ticketNo"]
    # Received in fiscal year 2026, long enough ago to be past its 15-day service level.
    async with gateway.services.database.engine.begin() as conn:
        await conn.execute(update(Complaint.__table__)  # type: ignore[attr-defined]
                           .where(Complaint.__table__.c.ticket_no == ticket)  # type: ignore[attr-defined]
                           .values(received_at=datetime(2026, 3, 2, tzinfo=UTC),
                                   due_at=datetime(2026, 3, 17, tzinfo=UTC)))
    read = await gateway.query(READ_COMPLAINANT, {"t": ticket})
    assert read["data"]["complaint"]["complainant"]["phone"] == "0812345678", read
    return ticket


async def test_each_query_example_answers_what_its_title_says(gateway: Gateway) -> None:
    ticket = await _sample(gateway)
    named = _by_name()
    answers: dict[str, Any] = {}
    for name, example in named.items():
        operation = get_operation_ast(parse(example.query))
        assert operation is not None
        if operation.operation is OperationType.SUBSCRIPTION:
            continue
        body = await gateway.query(example.query, example.variables)
        assert "errors" not in body, (name, body)
        answers[name] = body["data"]

    reads = answers["01-who-read-personal-data"]["auditLog"]["edges"]
    assert [r["node"]["operation"] for r in reads] == ["ReadComplainant"]
    assert any(ticket in field for field in reads[0]["node"]["personalFields"])

    history = answers["02-changes-to-one-figure"]["observationHistory"]
    assert [(h["revision"], h["value"], h["previousValue"], h["recordedBy"])
            for h in history] == [(1, 71.5, None, "admin"), (2, 72.0, 71.5, "admin")]

    overdue = answers["03-overdue-complaints-by-province"]["complaintStatistics"]
    assert overdue["counts"]["overdue"] == 1
    assert [(c["areaCode"], c["counts"]["overdue"]) for c in overdue["byChildArea"]
            if c["counts"]["received"]] == [("34", 1)]

    dashboard = answers["04-province-dashboard"]["dashboard"]
    assert dashboard["area"]["code"] == "34" and dashboard["fiscalYearBE"] == 2569
    assert dashboard["complaints"]["counts"]["received"] == 1


async def test_the_subscription_example_replays_then_follows(gateway: Gateway) -> None:
    ticket = await _sample(gateway)
    example = _by_name()["05-live-complaints"]
    schema = build_schema()
    admin = Principal(subject="admin", roles=frozenset({Role.MINISTRY_ADMIN}))
    context = GatewayContext(gateway.services, principal=admin)
    stream = await schema.subscribe(example.query, variable_values=example.variables,
                                    context_value=context)
    assert isinstance(stream, AsyncGenerator), stream
    first = await asyncio.wait_for(anext(stream), 10)
    assert first.errors is None, first.errors
    assert first.data is not None
    event = first.data["complaintUpdated"]
    assert (event["ticketNo"], event["status"], event["areaCode"]) == (ticket, "RECEIVED",
                                                                       "340101")
    moved = await gateway.query(
        'mutation($t: String!) { transitionComplaint(ticketNo: $t, toStatus: ACCEPTED, '
        'note: "รับเรื่อง") { status } }', {"t": ticket})
    assert "errors" not in moved, moved
    live = await asyncio.wait_for(anext(stream), 10)
    assert live.data is not None
    assert live.data["complaintUpdated"]["status"] == "ACCEPTED"
    assert live.data["complaintUpdated"]["previousStatus"] == "RECEIVED"
    await stream.aclose()
