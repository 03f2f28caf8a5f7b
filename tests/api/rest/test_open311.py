"""Open311 GeoReport v2: civic apps file a Damrongdhama complaint and follow it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from areagraph.connectors.local.models import (
    AuditRecord,
    Complaint,
    ComplaintTransition,
    OutboxEvent,
)
from tests.conftest import Gateway

OPEN311 = "/open311/v2"
FORM = {"service_code": "water", "address_id": "340101",
        "description": "No tap water in Moo 3 since Monday\nThe whole village is affected.",
        "first_name": "Somchai", "last_name": "Jaidee", "phone": "0812345678"}


async def count(gateway: Gateway, table: type) -> int:
    async with gateway.services.database.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def test_services_are_the_complaint_categories(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get(f"{OPEN311}/services.json",
                                             headers=http_gateway.headers)
    assert response.status_code == 200
    services = {s["service_code"]: s for s in response.json()}
    assert {"land", "water", "officials"} <= services.keys()
    assert services["water"]["type"] == "realtime" and services["water"]["metadata"] is False


async def test_file_a_complaint_and_follow_it(gateway: Gateway) -> None:
    before = {t: await count(gateway, t) for t in (Complaint, ComplaintTransition, OutboxEvent,
                                                   AuditRecord)}
    created = await gateway.client.post(f"{OPEN311}/requests.json", data=FORM,
                                        headers=gateway.headers)
    assert created.status_code == 201, created.text
    [receipt] = created.json()
    ticket = receipt["service_request_id"]
    assert ticket.startswith("1567-")
    after = {t: await count(gateway, t) for t in before}
    assert after == {t: n + 1 for t, n in before.items()}  # one unit of work wrote all four

    one = await gateway.client.get(f"{OPEN311}/requests/{ticket}.json",
                                   params={"extensions": "true"}, headers=gateway.headers)
    [request] = one.json()
    assert request["status"] == "open"
    assert request["service_code"] == "water"
    assert request["address_id"] == "340101"
    assert request["description"] == "No tap water in Moo 3 since Monday"
    assert request["extended_attributes"]["history"][0]["status"] == "received"
    assert "Somchai" not in one.text  # the complainant stays out of Open311

    listed = await gateway.client.get(f"{OPEN311}/requests.json",
                                      params={"service_code": "water", "status": "open"},
                                      headers=gateway.headers)
    assert ticket in {r["service_request_id"] for r in listed.json()}
    closed = await gateway.client.get(f"{OPEN311}/requests.json", params={"status": "closed"},
                                      headers=gateway.headers)
    assert ticket not in {r["service_request_id"] for r in closed.json()}


async def test_errors_in_georeport_shape(http_gateway: Gateway) -> None:
    missing = await http_gateway.client.get(f"{OPEN311}/requests/1567-2569-999999.json",
                                            headers=http_gateway.headers)
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404
    no_place = await http_gateway.client.post(f"{OPEN311}/requests.json",
                                              data={**FORM, "address_id": None, "lat": "15.2"},
                                              headers=http_gateway.headers)
    assert no_place.status_code == 400
    assert "address_id" in no_place.json()[0]["description"]
    unknown = await http_gateway.client.post(f"{OPEN311}/requests.json",
                                             data={**FORM, "service_code": "ufo"},
                                             headers=http_gateway.headers)
    assert unknown.status_code == 400


async def test_filing_follows_the_role_policy(http_gateway: Gateway) -> None:
    http_gateway.logout()
    anonymous = await http_gateway.client.post(f"{OPEN311}/requests.json", data=FORM)
    assert anonymous.status_code == 401
    http_gateway.login("complaint_officer", areas=["10"])
    elsewhere = await http_gateway.client.post(f"{OPEN311}/requests.json", data=FORM,
                                               headers=http_gateway.headers)
    assert elsewhere.status_code == 403
    http_gateway.login("partner")
    partner = await http_gateway.client.get(f"{OPEN311}/requests.json",
                                            headers=http_gateway.headers)
    assert partner.status_code == 403


async def test_list_filters_apply_before_the_list_limit(gateway: Gateway) -> None:
    """230 old closed cases first, then 20 open ones: every open one is listed (the filters
    run in the store, not on the first 200 rows), and dates choose the right ones."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [{"ticket_no": f"1567-L-{n:03d}", "channel": "web", "category_code": "water",
             "area_code": "340101", "subject": "น้ำไม่ไหล",
             "status": "closed" if n < 230 else "received",
             "received_at": start + timedelta(hours=n), "due_at": start + timedelta(days=30),
             "complainant_name": "สมชาย ใจดี", "complainant_phone": "0812345678",
             "complainant_citizen_id": "", "updated_at": start} for n in range(250)]
    async with gateway.services.database.engine.begin() as conn:
        await conn.execute(insert(Complaint.__table__), rows)  # type: ignore[attr-defined]

    async def listed(**params: str) -> list[str]:
        response = await gateway.client.get(f"{OPEN311}/requests.json", params=params,
                                            headers=gateway.headers)
        assert response.status_code == 200, response.text
        return [r["service_request_id"] for r in response.json()]

    assert await listed(status="open") == [f"1567-L-{n:03d}" for n in range(230, 250)]
    closed = await listed(status="closed")
    assert len(closed) == 200 and closed[0] == "1567-L-000"
    late = (start + timedelta(hours=240)).isoformat()
    assert await listed(start_date=late) == [f"1567-L-{n:03d}" for n in range(240, 250)]
    assert await listed(status="closed", start_date=(start + timedelta(hours=225)).isoformat(),
                        end_date=(start + timedelta(hours=227)).isoformat()) == [
        "1567-L-225", "1567-L-226", "1567-L-227"]
