"""The monitoring root fields under the access policy (their rows of the access matrix)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Gateway
from tests.domain.helpers import record, row

QUERIES: dict[str, str] = {
    "observationHistory": '{ r: observationHistory(indicatorCode: "DROUGHT_AFFECTED_HH", '
                          'areaCode: "830101", period: "2026-03") { value } }',
    "targets": '{ r: targets(areaCode: "83") { value } }',
    "complaint": "{ r: complaint(ticketNo: \"TICKET\") { status } }",
    "complaintCategories": "{ r: complaintCategories { code slaDays } }",
    "complaintStatistics": '{ r: complaintStatistics(areaCode: "83") { counts { received } } }',
    "alerts": '{ r: alerts(areaCode: "83") { totalCount } }',
    "alertRules": '{ r: alertRules(areaCode: "83") { id } }',
    "dashboard": '{ r: dashboard(areaCode: "83", fiscalYear: 2026) { fiscalYear } }',
}

CALLERS: dict[str, dict[str, Any]] = {
    "anonymous": {},
    "chief_8301": {"roles": ["district_chief"], "areas": ["8301"]},
    "chief_3401": {"roles": ["district_chief"], "areas": ["3401"]},
    "officer_10": {"roles": ["complaint_officer"], "areas": ["10"]},
    "partner": {"roles": ["partner"], "topics": ["poverty"]},
    "auditor": {"roles": ["auditor"]},
}

OK, NULL, EMPTY = "ok", "null", "empty"
U, F = "UNAUTHENTICATED", "FORBIDDEN"
# Written out from the policy table: a district chief reads their own subtree in full and other
# areas down to district level; complaint officers only complaints in scope; partners only
# aggregates of their topics; auditors read everything.
EXPECTED: dict[str, dict[str, str]] = {
    "observationHistory": {"anonymous": U, "chief_8301": OK, "chief_3401": F,
                           "officer_10": F, "partner": F, "auditor": OK},
    "targets": {"anonymous": U, "chief_8301": OK, "chief_3401": OK, "officer_10": F,
                "partner": F, "auditor": OK},
    "complaint": {"anonymous": U, "chief_8301": OK, "chief_3401": NULL, "officer_10": NULL,
                  "partner": F, "auditor": OK},
    "complaintCategories": {"anonymous": U, "chief_8301": OK, "chief_3401": OK,
                            "officer_10": OK, "partner": OK, "auditor": OK},
    "complaintStatistics": {"anonymous": U, "chief_8301": OK, "chief_3401": F,
                            "officer_10": F, "partner": F, "auditor": OK},
    "alerts": {"anonymous": U, "chief_8301": OK, "chief_3401": F, "officer_10": F,
               "partner": F, "auditor": OK},
    "alertRules": {"anonymous": U, "chief_8301": OK, "chief_3401": F, "officer_10": F,
                   "partner": F, "auditor": OK},
    "dashboard": {"anonymous": U, "chief_8301": OK, "chief_3401": OK, "officer_10": F,
                  "partner": F, "auditor": OK},
}


def _outcome(body: dict[str, Any]) -> str:
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    found = body["data"]["r"]
    return NULL if found is None else OK


async def test_monitoring_root_fields_follow_the_policy(gateway: Gateway) -> None:
    await record(gateway, [row("DROUGHT_AFFECTED_HH", "830101", "2026-03", 3)])
    filed = await gateway.query("""mutation { fileComplaint(input: {channel: WEB,
      categoryCode: "water", areaCode: "830101", subject: "น้ำไม่ไหล",
      complainantName: "มาลี ศรีสุข"}) { ticketNo } }""")
    ticket = filed["data"]["fileComplaint"]["ticketNo"]
    found: dict[str, dict[str, str]] = {field: {} for field in QUERIES}
    for name, caller in CALLERS.items():
        if caller:
            gateway.login(caller["roles"], areas=caller.get("areas", ()),
                          topics=caller.get("topics", ()), subject=name)
        else:
            gateway.logout()
        for field, query in QUERIES.items():
            found[field][name] = _outcome(await gateway.query(query.replace("TICKET", ticket)))
    assert found == EXPECTED
