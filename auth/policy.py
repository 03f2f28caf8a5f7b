"""The role policy: one declarative table of what each role may read and write, and where.

Everything that decides access reads this module; resolvers ask it, they do not decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from areagraph.auth.principal import Principal, Role
from areagraph.core.area_codes import LEVEL_DEPTH, level_of, within
from areagraph.core.errors import Forbidden, Unauthenticated


class Capability(StrEnum):
    REFERENCE = "reference"  # the area tree, indicator catalogue, agencies, one's own identity
    FIGURES = "figures"  # observations, indicator values, roll-ups, targets, dashboards
    EVENTS = "events"  # source events and alerts
    PROJECTS = "projects"
    COMPLAINTS = "complaints"
    SOURCES = "sources"  # health of the source systems
    AUDIT_LOG = "audit_log"
    WRITE_FIGURES = "write_figures"  # observations and targets
    WRITE_PROJECTS = "write_projects"
    WRITE_COMPLAINTS = "write_complaints"  # file a complaint, move it through its workflow
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_ALERTS = "manage_alerts"


class Reach(StrEnum):
    """How far a capability reaches over the area tree."""

    ALL = "all"  # every area
    SCOPE = "scope"  # the subtree of the principal's area scope
    SCOPE_AND_LEVEL = "scope_and_level"  # own subtree in full, other areas down to a level
    AGENCY = "agency"  # every area, only the principal's agency's records
    LEVEL = "level"  # every area down to a level (partners: aggregates only)


class PersonalData(StrEnum):
    FULL = "full"
    SCOPE = "scope"  # unmasked inside the area scope, masked elsewhere
    MASKED = "masked"
    NEVER = "never"


@dataclass(frozen=True)
class RoleRule:
    reach: dict[Capability, Reach]
    personal: PersonalData
    other_level: str | None = None  # deepest level readable outside the scope
    topics_only: bool = False  # figures restricted to the principal's granted topics


_ALL_READS = {c: Reach.ALL for c in (Capability.REFERENCE, Capability.FIGURES, Capability.EVENTS,
                                       Capability.PROJECTS, Capability.COMPLAINTS,
                                       Capability.SOURCES)}

POLICY: dict[Role, RoleRule] = {
    Role.MINISTRY_ADMIN: RoleRule(
        reach={**_ALL_READS, Capability.AUDIT_LOG: Reach.ALL,
               Capability.WRITE_FIGURES: Reach.ALL, Capability.WRITE_PROJECTS: Reach.ALL,
               Capability.WRITE_COMPLAINTS: Reach.ALL, Capability.MANAGE_API_KEYS: Reach.ALL,
               Capability.MANAGE_ALERTS: Reach.ALL},
        personal=PersonalData.FULL,
    ),
    Role.EXECUTIVE: RoleRule(reach=dict(_ALL_READS), personal=PersonalData.MASKED),
    Role.GOVERNOR: RoleRule(
        reach={Capability.REFERENCE: Reach.ALL, Capability.SOURCES: Reach.ALL,
               Capability.FIGURES: Reach.SCOPE_AND_LEVEL, Capability.EVENTS: Reach.SCOPE,
               Capability.PROJECTS: Reach.SCOPE, Capability.COMPLAINTS: Reach.SCOPE,
               Capability.WRITE_FIGURES: Reach.SCOPE, Capability.WRITE_PROJECTS: Reach.SCOPE,
               Capability.WRITE_COMPLAINTS: Reach.SCOPE, Capability.MANAGE_ALERTS: Reach.SCOPE},
        personal=PersonalData.MASKED, other_level="province",
    ),
    Role.DISTRICT_CHIEF: RoleRule(
        reach={Capability.REFERENCE: Reach.ALL, Capability.SOURCES: Reach.ALL,
               Capability.FIGURES: Reach.SCOPE_AND_LEVEL, Capability.EVENTS: Reach.SCOPE,
               Capability.PROJECTS: Reach.SCOPE, Capability.COMPLAINTS: Reach.SCOPE,
               Capability.WRITE_FIGURES: Reach.SCOPE, Capability.WRITE_PROJECTS: Reach.SCOPE,
               Capability.WRITE_COMPLAINTS: Reach.SCOPE},
        personal=PersonalData.MASKED, other_level="district",
    ),
    Role.DEPARTMENT_OFFICER: RoleRule(
        reach={Capability.REFERENCE: Reach.ALL, Capability.SOURCES: Reach.ALL,
               Capability.FIGURES: Reach.ALL, Capability.EVENTS: Reach.ALL,
               Capability.PROJECTS: Reach.AGENCY, Capability.COMPLAINTS: Reach.AGENCY,
               Capability.WRITE_FIGURES: Reach.AGENCY, Capability.WRITE_PROJECTS: Reach.AGENCY,
               Capability.WRITE_COMPLAINTS: Reach.AGENCY},
        personal=PersonalData.MASKED,
    ),
    Role.COMPLAINT_OFFICER: RoleRule(
        reach={Capability.REFERENCE: Reach.ALL, Capability.COMPLAINTS: Reach.SCOPE,
               Capability.WRITE_COMPLAINTS: Reach.SCOPE},
        personal=PersonalData.SCOPE,
    ),
    Role.PARTNER: RoleRule(
        reach={Capability.REFERENCE: Reach.ALL, Capability.FIGURES: Reach.LEVEL},
        personal=PersonalData.NEVER, other_level="district", topics_only=True,
    ),
    Role.AUDITOR: RoleRule(
        reach={**_ALL_READS, Capability.AUDIT_LOG: Reach.ALL}, personal=PersonalData.MASKED,
    ),
}

def require_principal(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthenticated("authentication required: send a bearer token or an API key")
    return principal


def rules(principal: Principal) -> tuple[RoleRule, ...]:
    return _rules_of(principal.roles)


def reaches(principal: Principal, capability: Capability) -> tuple[tuple[Reach, RoleRule], ...]:
    return _reaches_of(principal.roles, capability)


# The policy table is fixed, so what a set of roles may do is worked out once per set: a list
# of 1,000 areas asks for figures thousands of times per request.
@cache
def _rules_of(roles: frozenset[Role]) -> tuple[RoleRule, ...]:
    return tuple(POLICY[r] for r in sorted(roles) if r in POLICY)


@cache
def _reaches_of(roles: frozenset[Role], capability: Capability
                ) -> tuple[tuple[Reach, RoleRule], ...]:
    return tuple((rule.reach[capability], rule) for rule in _rules_of(roles)
                 if capability in rule.reach)


def require(principal: Principal | None, capability: Capability) -> Principal:
    """The caller, when one of their roles has the capability at all; otherwise an error."""
    who = require_principal(principal)
    if not reaches(who, capability):
        raise Forbidden(f"your roles ({', '.join(who.role_names) or 'none'}) may not "
                        f"{capability.value.replace('_', ' ')}")
    return who


@dataclass(frozen=True)
class Grant:
    """One way a caller may see records: under these areas (None: all), of this agency."""

    areas: tuple[str, ...] | None
    agency: str | None = None


def grants(principal: Principal, capability: Capability) -> list[Grant]:
    """The union of what the caller's roles allow for a list capability (projects, complaints)."""
    out: list[Grant] = []
    for reach, _rule in reaches(principal, capability):
        if reach is Reach.ALL or reach is Reach.LEVEL:
            out.append(Grant(areas=None))
        elif reach is Reach.AGENCY:
            if principal.agency:
                out.append(Grant(areas=None, agency=principal.agency))
        elif principal.area_scope:
            out.append(Grant(areas=principal.area_scope))
    return out


@cache
def _reads_every_figure(roles: frozenset[Role]) -> bool:
    return any(reach in (Reach.ALL, Reach.AGENCY) and not rule.topics_only
               for reach, rule in _reaches_of(roles, Capability.FIGURES))


def can_read_figures(principal: Principal, area_code: str, topic: str | None = None) -> bool:
    """May the caller read an area's figures (for an indicator of `topic`)?"""
    if _reads_every_figure(principal.roles):  # asked for each area of long lists
        return True
    depth = LEVEL_DEPTH[level_of(area_code)]
    for reach, rule in reaches(principal, Capability.FIGURES):
        if rule.topics_only and (topic is None or topic not in principal.topics):
            continue
        if reach in (Reach.ALL, Reach.AGENCY):
            return True
        if reach in (Reach.SCOPE, Reach.SCOPE_AND_LEVEL) and within(area_code,
                                                                     principal.area_scope):
            return True
        if reach in (Reach.SCOPE_AND_LEVEL, Reach.LEVEL) and rule.other_level is not None:
            if depth <= LEVEL_DEPTH[rule.other_level]:
                return True
    return False


def require_figures(principal: Principal | None, area_code: str,
                    topic: str | None = None) -> Principal:
    who = require(principal, Capability.FIGURES)
    if not can_read_figures(who, area_code, topic):
        raise Forbidden(f"your roles may not read figures of area {area_code}"
                        + (f" on topic {topic}" if topic else ""), area=area_code)
    return who


def can_write(principal: Principal, capability: Capability, area_code: str,
              agency: str | None = None) -> bool:
    for reach, _rule in reaches(principal, capability):
        if reach is Reach.ALL:
            return True
        if reach is Reach.SCOPE and within(area_code, principal.area_scope):
            return True
        if reach is Reach.AGENCY and agency is not None and agency == principal.agency:
            return True
    return False


def require_write(principal: Principal | None, capability: Capability, area_code: str,
                  agency: str | None = None) -> Principal:
    who = require(principal, capability)
    if not can_write(who, capability, area_code, agency):
        raise Forbidden(f"your roles may not {capability.value.replace('_', ' ')} "
                        f"for area {area_code}", area=area_code)
    return who


def can_read_record(principal: Principal, capability: Capability, area_codes: Iterable[str],
                    agency: str | None) -> bool:
    """May the caller see one project or complaint (by its areas and agency)?"""
    codes = list(area_codes)
    for grant in grants(principal, capability):
        if grant.agency is not None and grant.agency != agency:
            continue
        if grant.areas is None or any(within(c, grant.areas) for c in codes):
            return True
    return False


def personal_access(principal: Principal, area_code: str) -> PersonalData:
    """Whether the caller sees a complainant's personal data in full, masked, or not at all."""
    best = PersonalData.NEVER
    for rule in rules(principal):
        if rule.personal is PersonalData.FULL:
            return PersonalData.FULL
        if rule.personal is PersonalData.SCOPE and within(area_code, principal.area_scope):
            return PersonalData.FULL
        if rule.personal in (PersonalData.SCOPE, PersonalData.MASKED):
            best = PersonalData.MASKED
    return best


@dataclass(frozen=True)
class RootField:
    """A root field's row in the policy table.

    `cacheable`: its answer depends only on the document, the variables and what the caller
    may see (roles, areas, agency, topics), and reads nothing that must be audited, so callers
    of one scope may share a kept answer (api/protection/response_cache.py). Not `me` (it is
    the caller), records, the audit trail, API keys, source health or anything that writes.
    """

    capability: Capability
    cacheable: bool = False


# Every root field of the schema, the capability it needs, and whether its answers may be kept.
# A root field missing here makes the schema refuse to build, so nothing reaches clients
# without a row in this table.
ROOT_FIELDS: dict[str, RootField] = {
    # queries
    "me": RootField(Capability.REFERENCE),
    "area": RootField(Capability.REFERENCE, cacheable=True),
    "areas": RootField(Capability.REFERENCE, cacheable=True),
    "indicators": RootField(Capability.REFERENCE, cacheable=True),
    "indicator": RootField(Capability.REFERENCE, cacheable=True),
    "agencies": RootField(Capability.REFERENCE, cacheable=True),
    "complaintCategories": RootField(Capability.REFERENCE, cacheable=True),
    "projects": RootField(Capability.PROJECTS),
    "project": RootField(Capability.PROJECTS),
    "complaints": RootField(Capability.COMPLAINTS),
    "complaint": RootField(Capability.COMPLAINTS),
    "complaintStatistics": RootField(Capability.COMPLAINTS),
    "sources": RootField(Capability.SOURCES),
    "auditLog": RootField(Capability.AUDIT_LOG),
    "apiKeys": RootField(Capability.MANAGE_API_KEYS),
    "alerts": RootField(Capability.EVENTS),
    "alertRules": RootField(Capability.EVENTS),
    "dashboard": RootField(Capability.FIGURES),
    "observationHistory": RootField(Capability.FIGURES),
    "targets": RootField(Capability.FIGURES),
    # mutations
    "createApiKey": RootField(Capability.MANAGE_API_KEYS),
    "revokeApiKey": RootField(Capability.MANAGE_API_KEYS),
    "recordObservations": RootField(Capability.WRITE_FIGURES),
    "setTargets": RootField(Capability.WRITE_FIGURES),
    "createProject": RootField(Capability.WRITE_PROJECTS),
    "updateProjectProgress": RootField(Capability.WRITE_PROJECTS),
    "fileComplaint": RootField(Capability.WRITE_COMPLAINTS),
    "transitionComplaint": RootField(Capability.WRITE_COMPLAINTS),
    "setComplaintCategorySla": RootField(Capability.WRITE_COMPLAINTS),
    "createAlertRule": RootField(Capability.MANAGE_ALERTS),
    # subscriptions
    "observationRecorded": RootField(Capability.FIGURES),
    "complaintUpdated": RootField(Capability.COMPLAINTS),
    "projectUpdated": RootField(Capability.PROJECTS),
    "sourceEvent": RootField(Capability.EVENTS),
    "alertRaised": RootField(Capability.EVENTS),
}


# Source event kinds that are records of another capability, read as those records are: a
# complaint ticket from the Damrongdhama source is a complaint (scoped by area and agency).
RECORD_EVENT_KINDS: dict[str, Capability] = {"complaint": Capability.COMPLAINTS}


def can_read_event(principal: Principal, kind: str, area_codes: Iterable[str],
                   agency: str | None) -> bool:
    """May the caller see one source event (by its kind, areas and the agency it is with)?"""
    codes = list(area_codes)
    if not can_read_record(principal, Capability.EVENTS, codes, None):
        return False
    record = RECORD_EVENT_KINDS.get(kind)
    return record is None or can_read_record(principal, record, codes, agency)


def require_events(principal: Principal | None, area_code: str) -> Principal:
    """Events (source events, alerts) of an area: within the caller's reach for EVENTS."""
    who = require(principal, Capability.EVENTS)
    if not can_read_record(who, Capability.EVENTS, [area_code], None):
        raise Forbidden(f"your roles may not read events of area {area_code}", area=area_code)
    return who
