"""Complainants' personal data stays out of the outbox and the broker's messages: a complaint
event carries its ticket, and each subscriber reads the complainant as its role may see it."""

from __future__ import annotations

import asyncio
import json

from redis.asyncio import Redis
from sqlalchemy import create_engine, select
from sqlmodel import col

from areagraph.connectors.local.models import OutboxEvent
from tests.api.realtime.conftest import Realtime, Subscriber

NAME, PHONE, CITIZEN_ID = "ประภาพร วงศ์ใหญ่", "0891234567", "3100501234563"
SECRETS = (NAME, PHONE, CITIZEN_ID, "ประภาพร", "0891234", "3100501")
FILE = """mutation File($q: String!, $w: String!, $e: String!) {
  fileComplaint(input: {channel: HOTLINE_1567, categoryCode: "water", areaCode: "340101",
    subject: "น้ำประปาไม่ไหล", complainantName: $q, complainantPhone: $w,
    complainantCitizenId: $e}) { ticketNo } }"""
WATCH = """subscription($since: ID) { complaintUpdated(areaCode: "34", since: $since) {
  ticketNo status complainant { name phone citizenId masked } } }"""


async def test_events_carry_the_ticket_and_subscribers_read_it_masked(
        realtime: Realtime, admin_token: str) -> None:
    redis = Redis.from_url(realtime.redis.url)
    pubsub = redis.pubsub()
    await pubsub.subscribe(f"{realtime.settings.redis_prefix}events")
    since = str(realtime.latest_event_id())
    executive = realtime.token("executive", subject="exec-1")
    officer = realtime.token("complaint_officer", ["34"], subject="officer-34")
    try:
        async with (
            Subscriber(realtime.a.ws_url, executive, WATCH, {"since": since}) as masked,
            Subscriber(realtime.b.ws_url, officer, WATCH, {"since": since}) as in_scope,
        ):
            filed = await realtime.graphql(realtime.a, FILE, admin_token,
                                           {"q": NAME, "w": PHONE, "e": CITIZEN_ID})
            ticket = filed["fileComplaint"]["ticketNo"]
            seen_masked = (await masked.next())["complaintUpdated"]
            seen_in_scope = (await in_scope.next())["complaintUpdated"]
            messages: list[bytes] = []
            async with asyncio.timeout(20):
                while not any(b"complaint_updated" in m for m in messages):
                    message = await pubsub.get_message(ignore_subscribe_messages=True,
                                                       timeout=1.0)
                    if message is not None:
                        messages.append(message["data"])
    finally:
        await pubsub.aclose()
        await redis.aclose()

    assert seen_masked == {"ticketNo": ticket, "status": "RECEIVED", "complainant": {
        "name": "ป****** ว*******", "phone": "*******567", "citizenId": "**********563",
        "masked": True}}
    assert seen_in_scope["complainant"] == {"name": NAME, "phone": PHONE,
                                            "citizenId": CITIZEN_ID, "masked": False}

    published = b"".join(messages).decode()
    assert ticket in published and not [s for s in SECRETS if s in published]
    engine = create_engine(realtime.settings.sync_database_url)
    with engine.connect() as conn:
        payloads = [json.dumps(p, ensure_ascii=False) for p in conn.execute(
            select(col(OutboxEvent.payload)).where(col(OutboxEvent.id) > int(since))).scalars()]
    engine.dispose()
    assert any(ticket in p for p in payloads)
    assert not [s for p in payloads for s in SECRETS if s in p]
