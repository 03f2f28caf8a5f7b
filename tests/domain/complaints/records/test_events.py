"""`complaintUpdated` delivers the tickets a sync brings in, masked per subscriber: a gateway
process subscribed over a websocket while a sync writes to its database."""

from __future__ import annotations

from pathlib import Path

from areagraph.connectors.config import load_sources
from areagraph.connectors.local.database import Database
from areagraph.connectors.registry import ConnectorDeps, SourceRegistry
from areagraph.core.settings import Settings
from areagraph.domain.complaints.records import complaint_system, sync_complaints
from tests.api.realtime.conftest import Subscriber, one_gateway
from tests.conftest import dev_token
from tests.connectors.sources.conftest import Simulators, write_sources_file
from tests.databases import TemplateDatabases
from tests.domain.complaints.records.centre import source_tickets

UPDATED = """subscription($since: ID) { complaintUpdated(areaCode: "340101", since: $since) {
  ticketNo status complainant { phone masked } } }"""


async def test_a_sync_is_delivered_to_complaint_subscribers(
        templates: TemplateDatabases, dev_key_path: Path, tmp_path: Path,
        sims: Simulators) -> None:
    sources = write_sources_file(tmp_path / "sources.toml", sims)
    env = {"AREAGRAPH_SOURCES_FILE": str(sources), "AREAGRAPH_COMPLAINT_SYSTEM": "damrongdhama"}
    held = {t["ticket_no"]: t for t in source_tickets(sims, "340101")}
    with one_gateway(templates, dev_key_path, tmp_path / "gateway.log", env) as (gateway, made):
        settings = Settings(database_url=made.database_url, sources_file=sources)
        token = dev_token(made, ["governor"], ["34"], subject="governor-34")
        database = Database(settings.async_database_url)
        registry = SourceRegistry.from_configs(load_sources(sources), ConnectorDeps(database))
        system = complaint_system(registry, "damrongdhama")
        assert system is not None
        try:
            # From event 0: what the sync writes is replayed or sent live, none lost.
            async with Subscriber(gateway.ws_url, token, UPDATED, {"since": "0"}) as subscriber:
                await sync_complaints(database, system, ["340101"], 2026)
                received = [(await subscriber.next())["complaintUpdated"] for _ in held]
        finally:
            await registry.aclose()
            await database.dispose()
    assert {(e["ticketNo"], e["status"].lower()) for e in received} == {
        (number, t["status"]) for number, t in held.items()}
    assert all(e["complainant"]["masked"] for e in received)
    assert {e["complainant"]["phone"][-3:] for e in received} == {
        t["complainant"]["phone"][-3:] for t in held.values()}
