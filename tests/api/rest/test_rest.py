"""The REST facade answers from the same resolvers and policy as GraphQL, in JSON or CSV."""

from __future__ import annotations

import csv
import io

from tests.conftest import Gateway


async def test_areas_page_through_the_map(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get(
        "/api/v1/areas", params={"level": "province", "first": 50}, headers=http_gateway.headers)
    assert response.status_code == 200
    page = response.json()
    assert page["totalCount"] == 77 and len(page["items"]) == 50
    following = await http_gateway.client.get(
        "/api/v1/areas", params={"level": "province", "first": 50, "after": page["nextCursor"]},
        headers=http_gateway.headers)
    rest = following.json()
    assert len(rest["items"]) == 27 and rest["nextCursor"] is None
    codes = {a["code"] for a in page["items"] + rest["items"]}
    assert len(codes) == 77 and "10" in codes


async def test_one_area_and_not_found(http_gateway: Gateway) -> None:
    ubon = await http_gateway.client.get("/api/v1/areas/340101", headers=http_gateway.headers)
    assert ubon.status_code == 200
    assert ubon.json()["parentCode"] == "3401"
    missing = await http_gateway.client.get("/api/v1/areas/99", headers=http_gateway.headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "NOT_FOUND"


async def test_csv_for_spreadsheets(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get(
        "/api/v1/areas", params={"parent": "10", "first": 100},
        headers={**http_gateway.headers, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 50
    assert rows[0].keys() >= {"code", "nameTh", "nameEn", "parentCode"}
    assert all(r["parentCode"] == "10" for r in rows)
    assert any("เขต" in r["nameTh"] for r in rows)  # Bangkok's districts are khet


async def test_the_same_policy_as_graphql(http_gateway: Gateway) -> None:
    http_gateway.logout()
    anonymous = await http_gateway.client.get("/api/v1/areas/34")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "UNAUTHENTICATED"
    http_gateway.login("partner", topics=["water"])
    values = await http_gateway.client.get(
        "/api/v1/areas/340101/values", params={"indicator": "SAFE_WATER_PCT"},
        headers=http_gateway.headers)
    assert values.status_code == 403
    assert values.json()["code"] == "FORBIDDEN"


async def test_indicators_by_topic(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get("/api/v1/indicators", params={"topic": "water"},
                                             headers=http_gateway.headers)
    items = response.json()["items"]
    assert items and {i["topic"] for i in items} == {"water"}


async def test_bad_input_is_400_with_a_code(http_gateway: Gateway) -> None:
    response = await http_gateway.client.get(
        "/api/v1/areas/34/values", params={"indicator": "SAFE_WATER_PCT", "from": "2026-13"},
        headers=http_gateway.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_USER_INPUT"
