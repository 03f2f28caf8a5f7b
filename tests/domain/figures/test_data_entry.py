"""recordObservations over HTTP: validation, all-or-nothing, revisions, idempotency, access."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.conftest import Gateway
from tests.domain.helpers import RECORD, count_rows, record, row, rows_of

HISTORY = """query($area: String!) { observationHistory(indicatorCode: "DROUGHT_AFFECTED_HH",
  areaCode: $area, period: "2026-03") { value previousValue revision isCurrent recordedBy
  yearBE } }"""


def _next_month() -> str:
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{year:04d}-{month:02d}"


async def test_every_bad_row_is_reported_and_nothing_is_written(gateway: Gateway) -> None:
    drought = "DROUGHT_AFFECTED_HH"
    rows = [
        row("NOPE", "830101", "2026-03", 1),
        row(drought, "839999", "2026-03", 1),
        row(drought, "3x", "2026-03", 1),
        row(drought, "8301", "2026-03", 1),  # entered for subdistricts only
        row("WASTEWATER_TREATED_PCT", "8301", "FY2026-Q1", 50),  # computed, not entered
        row("SERVICE_SATISFACTION_PCT", "830101", "2026-03", 80),  # takes fiscal quarters
        row(drought, "830101", _next_month(), 1),
        row(drought, "830101", "2026-13", 1),
        row("SAFE_WATER_PCT", "830101", "2026-03", 101),
        row(drought, "830101", "2026-03", -1),
        row(drought, "830101", "2026-03", 2.5),
        row(drought, "830101", "2026-03", 5),  # the one good row
        row(drought, "830101", "2026-03", 6),  # the same figure again
    ]
    result = await record(gateway, rows)
    assert not result["accepted"] and result["written"] == 0 and result["revisions"] == []
    fields = {e["index"]: e["field"] for e in result["errors"]}
    assert fields == {0: "indicatorCode", 1: "areaCode", 2: "areaCode", 3: "areaCode",
                      4: "areaCode", 5: "period", 6: "period", 7: "period", 8: "value",
                      9: "value", 10: "value", 12: "period"}
    reasons = {e["index"]: e["reason"] for e in result["errors"]}
    assert "future" in reasons[6] and "between 0 and 100" in reasons[8]
    assert "row 11" in reasons[12]
    for table in ("observation", "outbox_event", "audit_record", "alert"):
        assert await count_rows(gateway, table) == 0, table


async def test_revisions_keep_the_history(gateway: Gateway) -> None:
    first = await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 10)])
    assert first["accepted"] and first["written"] == 1
    assert first["revisions"][0]["revision"] == 1
    second = await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 12)])
    assert second["revisions"][0]["revision"] == 2
    same = await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 12)])
    assert (same["written"], same["unchanged"]) == (0, 1)
    body = await gateway.query(HISTORY, {"area": "830101"})
    assert body["data"]["observationHistory"] == [
        {"value": 10, "previousValue": None, "revision": 1, "isCurrent": False,
         "recordedBy": "admin", "yearBE": 2569},
        {"value": 12, "previousValue": 10, "revision": 2, "isCurrent": True,
         "recordedBy": "admin", "yearBE": 2569},
    ]
    events = await rows_of(gateway, "SELECT kind, area_code FROM outbox_event ORDER BY id")
    assert events == [{"kind": "observation_recorded", "area_code": "830101"}] * 2
    audits = await rows_of(gateway, "SELECT operation FROM audit_record ORDER BY id")
    assert audits == [{"operation": "Record"}] * 3


async def test_an_idempotency_key_writes_once(gateway: Gateway) -> None:
    rows = [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 10),
            row("DROUGHT_AFFECTED_HH", "830102", "2026-03", 20)]
    first = await record(gateway, rows, key="district-8301-2026-03")
    # The same rows again (as a client retrying would send them) answer the first result.
    again = await record(gateway, [{**r, "indicatorCode": " drought_affected_hh "}
                                   for r in rows], key="district-8301-2026-03")
    assert not first["replayed"] and again["replayed"]
    assert {k: v for k, v in again.items() if k != "replayed"} == \
        {k: v for k, v in first.items() if k != "replayed"}
    assert await count_rows(gateway, "observation") == 2
    assert await count_rows(gateway, "idempotency_record") == 1


async def test_an_idempotency_key_reused_with_other_rows_is_refused(gateway: Gateway) -> None:
    rows = [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 10),
            row("DROUGHT_AFFECTED_HH", "830102", "2026-03", 20)]
    await record(gateway, rows, key="district-8301-2026-03")
    for changed in ([{**r, "value": 99} for r in rows], rows[:1], [{**rows[0], "value": -5}],
                    [*rows, row("DROUGHT_AFFECTED_HH", "830103", "2026-03", 5)]):
        body = await gateway.query(RECORD, {"input": changed, "key": "district-8301-2026-03"})
        error = body["errors"][0]
        assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED", body
        assert error["extensions"]["idempotencyKey"] == "district-8301-2026-03"
        assert "district-8301-2026-03" in error["message"] and body["data"] is None
    values = await rows_of(gateway, "SELECT area_code, value FROM observation ORDER BY area_code")
    assert values == [{"area_code": "830101", "value": 10}, {"area_code": "830102", "value": 20}]
    assert await count_rows(gateway, "idempotency_record") == 1
    # Keys are the caller's own: the same key with other rows is fine under a new key.
    fresh = await record(gateway, [{**r, "value": 99} for r in rows], key="district-8301-v2")
    assert fresh["written"] == 2 and not fresh["replayed"]


async def test_too_many_rows_are_refused(gateway: Gateway) -> None:
    rows = [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 1)] * 10_001
    body = await gateway.query(RECORD, {"input": rows})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await count_rows(gateway, "observation") == 0


async def test_a_hundred_concurrent_writers_lose_no_update(gateway: Gateway) -> None:
    async def write(n: int) -> dict[str, object]:
        return await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", n),
                                      row("DROUGHT_AFFECTED_HH", "830102", "2026-03", n)])

    results = await asyncio.gather(*(write(n) for n in range(1, 101)))
    assert all(r["accepted"] and r["written"] == 2 for r in results)
    found = await rows_of(gateway, "SELECT area_code, revision, is_current, value FROM "
                                   "observation ORDER BY area_code, revision")
    for area in ("830101", "830102"):
        mine = [r for r in found if r["area_code"] == area]
        assert [r["revision"] for r in mine] == list(range(1, 101))
        assert sorted(r["value"] for r in mine) == [float(n) for n in range(1, 101)]
        assert [r["revision"] for r in mine if r["is_current"]] == [100]
    assert await count_rows(gateway, "outbox_event") == 200


async def test_writes_follow_the_access_policy(gateway: Gateway) -> None:
    gateway.login("district_chief", areas=["8301"], subject="chief-8301")
    result = await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 3),
                                    row("DROUGHT_AFFECTED_HH", "830201", "2026-03", 4)])
    assert not result["accepted"]
    assert [(e["index"], e["field"]) for e in result["errors"]] == [(1, "areaCode")]
    assert "forbidden" in result["errors"][0]["reason"]
    assert await count_rows(gateway, "observation") == 0
    assert (await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 3)]))[
        "accepted"]

    gateway.login("department_officer", agency="PWA", subject="pwa-officer")
    result = await record(gateway, [row("SAFE_WATER_PCT", "500101", "2026-03", 88),
                                    row("DROUGHT_AFFECTED_HH", "500101", "2026-03", 1)])
    assert [e["index"] for e in result["errors"]] == [1]

    gateway.login("partner", topics=["water"], subject="partner")
    body = await gateway.query(RECORD, {"input": [row("SAFE_WATER_PCT", "500101", "2026-03", 1)]})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await count_rows(gateway, "observation") == 1


SET_TARGETS = """mutation($input: [TargetInput!]!) { setTargets(input: $input) {
  indicatorCode areaCode fiscalYear fiscalYearBE value setBy } }"""


async def test_targets_are_all_or_nothing(gateway: Gateway) -> None:
    good = {"indicatorCode": "SAFE_WATER_PCT", "areaCode": "34", "fiscalYear": 2026, "value": 90}
    bad = {**good, "areaCode": "8301", "value": 120}
    body = await gateway.query(SET_TARGETS, {"input": [good, bad]})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert [r["index"] for r in error["extensions"]["rows"]] == [1]
    assert await count_rows(gateway, "target") == 0
    body = await gateway.query(SET_TARGETS, {"input": [good]})
    assert body["data"]["setTargets"] == [{"indicatorCode": "SAFE_WATER_PCT", "areaCode": "34",
                                           "fiscalYear": 2026, "fiscalYearBE": 2569,
                                           "value": 90.0, "setBy": "admin"}]
    body = await gateway.query(SET_TARGETS, {"input": [{**good, "value": 92}]})
    listed = await gateway.query('{ targets(areaCode: "34", fiscalYear: 2026) { value } }')
    assert listed["data"]["targets"] == [{"value": 92.0}]
    gateway.login("governor", areas=["34"], subject="governor-34")
    body = await gateway.query(SET_TARGETS, {"input": [{**good, "areaCode": "35"}]})
    assert body["errors"][0]["extensions"]["rows"][0]["reason"].startswith("forbidden")


async def test_ten_thousand_rows_in_one_call(gateway: Gateway) -> None:
    areas = [r["code"] for r in await rows_of(
        gateway, "SELECT code FROM area WHERE level = 'subdistrict' ORDER BY code LIMIT 2500")]
    indicators = ("DROUGHT_AFFECTED_HH", "FLOOD_AFFECTED_HH", "DISASTER_DEATHS",
                  "DISASTER_LOSS_THB")
    rows = [row(code, area, "2026-03", 5) for area in areas for code in indicators]
    assert len(rows) == 10_000
    result = await record(gateway, rows, key="national-upload-2026-03")
    assert result["accepted"] and result["written"] == 10_000
    assert await count_rows(gateway, "observation") == 10_000
    assert await count_rows(gateway, "outbox_event") == 10_000
    assert await count_rows(gateway, "audit_record") == 1
