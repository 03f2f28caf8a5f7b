"""Open311 GeoReport v2 for Damrongdhama complaints, so civic reporting apps can file and follow
them: services are complaint categories, service requests are complaints (JSON format).

A request's location is its DOPA area code in `address_id` (areagraph does not geocode). Each
endpoint runs a fixed GraphQL operation: the same resolvers, policy, audit and outbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field
from strawberry import Schema

from areagraph.api.rest.operations import ContextGetter, Operations, operations_dependency
from areagraph.core.area_codes import SHORT_AREA_CODE_PATTERN
from areagraph.core.errors import BadUserInput, NotFound
from areagraph.core.validation import SUBJECT_LENGTH

PREFIX = "/open311/v2"
CLOSED = {"resolved", "closed", "rejected"}
LIST_LIMIT = 200  # requests per list answer; the filters apply before it


class Open311Error(BaseModel):
    code: int
    description: str


class Service(BaseModel):
    service_code: str
    service_name: str
    description: str
    metadata: bool = False
    type: str = "realtime"
    keywords: str
    group: str = "Damrongdhama"


class Step(BaseModel):
    status: str
    note: str
    agency: str | None
    at: datetime


class Extended(BaseModel):
    status_detail: str = Field(description="The workflow state: received, accepted, assigned, "
                                           "in_progress, referred, rejected, resolved, closed.")
    ticket_channel: str
    history: list[Step] = Field(description="Every status change, oldest first.")


class ServiceRequest(BaseModel):
    service_request_id: str
    status: str = Field(description="open or closed")
    status_notes: str | None
    service_name: str | None
    service_code: str | None
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime
    address: str | None
    address_id: str | None = Field(description="DOPA area code")
    zipcode: str | None
    lat: float | None = None
    long: float | None = None
    media_url: str | None = None
    extended_attributes: Extended | None = Field(
        default=None, description="With `extensions=true`: the full workflow history.")


class Created(BaseModel):
    service_request_id: str
    service_notice: str
    account_id: str | None = None


SERVICES = """query Open311Services { complaintCategories { code nameTh nameEn slaDays } }"""
_REQUEST = """fragment Request on Complaint {
  ticketNo subject status channel receivedAt dueAt
  area { code nameTh nameEn postalCodes } category { code nameEn nameTh }
  assignedAgency { code nameEn } history { toStatus note agencyCode at }
}"""
REQUESTS = ("query Open311Requests($category: String, $open: Boolean, $from: DateTime, "
            "$to: DateTime) { complaints(category: $category, open: $open, receivedFrom: $from, "
            f"receivedTo: $to, first: {LIST_LIMIT}) {{ edges {{ node {{ ...Request }} }} }} }}\n"
            + _REQUEST)
REQUEST = ("query Open311Request($ticket: String!) { complaint(ticketNo: $ticket) "
           "{ ...Request } }\n" + _REQUEST)
FILE = """mutation Open311File($input: FileComplaintInput!) {
  fileComplaint(input: $input) { ticketNo dueAt category { slaDays } }
}"""


def _request(node: dict[str, Any], extended: bool) -> ServiceRequest:
    history = node["history"]
    last = history[-1] if history else None
    status = node["status"].lower()
    area, category, agency = node["area"] or {}, node["category"] or {}, node["assignedAgency"]
    return ServiceRequest(
        service_request_id=node["ticketNo"],
        status="closed" if status in CLOSED else "open",
        status_notes=(last or {}).get("note") or status.replace("_", " "),
        service_name=category.get("nameEn"), service_code=category.get("code"),
        description=node["subject"],
        agency_responsible=agency["nameEn"] if agency else None,
        service_notice=f"Damrongdhama Centre, hotline 1567; due {node['dueAt'][:10]}",
        requested_datetime=node["receivedAt"],
        updated_datetime=last["at"] if last else node["receivedAt"],
        expected_datetime=node["dueAt"],
        address=" / ".join(x for x in (area.get("nameTh"), area.get("nameEn")) if x) or None,
        address_id=area.get("code"), zipcode=(area.get("postalCodes") or [None])[0],
        extended_attributes=Extended(
            status_detail=status, ticket_channel=node["channel"].lower(),
            history=[Step(status=h["toStatus"].lower(), note=h["note"], agency=h["agencyCode"],
                          at=h["at"]) for h in history]) if extended else None,
    )


def open311_router(schema: Schema, context_getter: ContextGetter) -> APIRouter:
    operations = operations_dependency(schema, context_getter)
    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": list[Open311Error], "description": text}
        for code, text in ((400, "Bad request"), (401, "No or bad credentials"),
                           (403, "Not allowed"), (404, "Not found"), (429, "Rate limited"))}
    router = APIRouter(prefix=PREFIX, tags=["Open311 GeoReport v2"], responses=errors,
                       dependencies=[Depends(HTTPBearer(auto_error=False))])

    @router.get("/services.json", response_model=list[Service],
                summary="Complaint categories as Open311 services")
    async def services(ops: Operations = Depends(operations)) -> list[Service]:
        rows = (await ops.run(SERVICES))["complaintCategories"]
        return [Service(service_code=r["code"], service_name=r["nameEn"],
                        description=f"{r['nameTh']} — service level {r['slaDays']} days",
                        keywords=f"{r['nameTh']}, {r['nameEn']}") for r in rows]

    @router.get("/requests.json", response_model=list[ServiceRequest], summary="Complaints")
    async def list_requests(
        service_request_id: Annotated[str | None, Query(
            max_length=1000, description="Comma-separated ticket numbers.")] = None,
        service_code: Annotated[str | None, Query(max_length=32)] = None,
        status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        extensions: bool = False,
        ops: Operations = Depends(operations),
    ) -> list[ServiceRequest]:
        if service_request_id:
            found = []
            for ticket in filter(None, (t.strip() for t in service_request_id.split(","))):
                node = (await ops.run(REQUEST, {"ticket": ticket}))["complaint"]
                if node is not None:
                    found.append(_request(node, extensions))
            return found
        edges = (await ops.run(REQUESTS, {
            "category": service_code, "open": None if status is None else status == "open",
            "from": start_date.isoformat() if start_date else None,
            "to": end_date.isoformat() if end_date else None}))["complaints"]["edges"]
        return [_request(e["node"], extensions) for e in edges]

    @router.get("/requests/{service_request_id}.json", response_model=list[ServiceRequest],
                summary="One complaint")
    async def get_request(
        service_request_id: Annotated[str, Path(max_length=32)],
        extensions: bool = False,
        ops: Operations = Depends(operations),
    ) -> list[ServiceRequest]:
        node = (await ops.run(REQUEST, {"ticket": service_request_id}))["complaint"]
        if node is None:
            raise NotFound(f"no service request {service_request_id}")
        return [_request(node, extensions)]

    @router.post("/requests.json", response_model=list[Created], status_code=201,
                 summary="File a complaint")
    async def create_request(
        service_code: Annotated[str, Form(min_length=1, max_length=32)],
        description: Annotated[str, Form(min_length=1, max_length=4000)],
        address_id: Annotated[str | None, Form(
            pattern=SHORT_AREA_CODE_PATTERN, description="DOPA area code.")] = None,
        lat: Annotated[float | None, Form(ge=-90, le=90)] = None,
        long: Annotated[float | None, Form(ge=-180, le=180)] = None,
        address_string: Annotated[str | None, Form(max_length=500)] = None,
        first_name: Annotated[str, Form(max_length=100)] = "",
        last_name: Annotated[str, Form(max_length=100)] = "",
        phone: Annotated[str, Form(max_length=32)] = "",
        email: Annotated[str | None, Form(max_length=200)] = None,
        ops: Operations = Depends(operations),
    ) -> list[Created]:
        if address_id is None:
            raise BadUserInput("give the location as address_id, a DOPA area code "
                               "(lat/long and address_string alone cannot be placed)")
        lines = description.strip().splitlines()
        subject = lines[0][:SUBJECT_LENGTH] if lines else ""
        created = (await ops.run(FILE, {"input": {
            "channel": "WEB", "categoryCode": service_code, "areaCode": address_id,
            "subject": subject, "detail": description,
            "complainantName": f"{first_name} {last_name}".strip() or "(not given)",
            "complainantPhone": phone}}))["fileComplaint"]
        return [Created(service_request_id=created["ticketNo"],
                        service_notice=f"Received by the Damrongdhama Centre; due "
                                       f"{created['dueAt'][:10]} "
                                       f"({created['category']['slaDays']} days)")]

    return router
