"""Generated permission tests: every staff-UI view and every API endpoint, for every role and an outsider.

The walk reads the URL configuration and the API routers, so a page or endpoint added later is checked
without anyone writing a test for it. What it needs to know comes from the `staff_view` / `api_access`
marks; a URL argument naming an object needs an entry in OBJECTS, and a write endpoint a payload in
PAYLOADS, or the walk fails and says so.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from haven.accounts.actions import create_api_token
from haven.api import api
from haven.associations.tests import walk as associations_walk
from haven.benefits.distribution.tests import walk as distribution_walk
from haven.benefits.grievances.tests import walk as grievances_walk
from haven.benefits.imports.tests import walk as imports_walk
from haven.benefits.payments.tests import walk as payments_walk
from haven.benefits.selection.tests import walk as selection_walk
from haven.benefits.tests import walk as benefits_walk
from haven.cases import care_actions
from haven.cases.actions import assign_worker, open_case, record_incident, schedule_follow_up
from haven.cases.models import Case, CaseAssignment, manages_cases
from haven.channels.tests import factories as channel_factories
from haven.committees.tests import walk as committees_walk
from haven.conftest import World, make_member
from haven.counselling.tests import walk as counselling_walk
from haven.dispatch.tests import walk as dispatch_walk
from haven.documents.tests import walk as documents_walk
from haven.groups.tests import walk as groups_walk
from haven.hotline.tests import walk as hotline_walk
from haven.legal.tests import walk as legal_walk
from haven.loans.tests import walk as loans_walk
from haven.orgs.access import ViewAccess
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.people.actions import add_to_her_household, register_person
from haven.people.models import HouseholdMember
from haven.people.tests import factories as people_factories
from haven.perpetrators.tests import walk as perpetrators_walk
from haven.referrals.tests import walk as referral_walk
from haven.reports.dhis2.tests import walk as dhis2_walk
from haven.reports.exports.tests import walk as report_exports_walk
from haven.reports.projects.tests import walk as report_projects_walk
from haven.reports.sharing.tests import walk as report_sharing_walk
from haven.reports.tests import walk as reports_walk
from haven.risk.tests import walk as risk_walk
from haven.shelters.tests import page_walk as shelters_page_walk
from haven.shelters.tests import walk as shelters_walk
from haven.supporters.tests import walk as supporters_walk
from haven.training.tests import walk as training_walk


def _walk_member(username: str) -> Membership:
    """A caseworker of the home organisation used as a third party by team endpoints (made once)."""
    org = Organisation.objects.get(slug="home")
    existing = Membership.objects.filter(org=org, user__username=username).first()
    return existing or make_member(org, Role.CASEWORKER, username=username, at=timezone.now())


def _walk_person(world: World, member: Membership) -> Any:
    """A person of the home organisation with a child in her household (for the household endpoints)."""
    person = register_person(org=world.org, name="Walk Person", acting_user=None, at=world.at)
    add_to_her_household(head=person, name="Walk Child", relationship="CHILD", acting_user=None, at=world.at)
    return person.pk


def _newest_household_member() -> int:
    """The child added with the person the endpoint's URL names (made just before the payload)."""
    member = HouseholdMember.objects.order_by("-pk").first()
    assert member is not None
    return member.pk


def _walk_case(world: World, member: Membership) -> Case:
    """A case of the home organisation with `member` as its lead when she works on cases (so every verb a
    case page offers is hers to use), else led by the caseworker; a support worker is on it as well."""
    survivor = register_person(org=world.org, name="Walk Person", acting_user=None, at=world.at)
    role = member.role_enum
    works_on_cases = role.traits.works_with_survivors and not manages_cases(role)
    own_lead = member.org_id == world.org.pk and works_on_cases
    lead = member if own_lead else world.members[Role.CASEWORKER]
    case = open_case(survivor=survivor, lead=lead, acting_user=None, at=world.at)
    assign_worker(
        case=case,
        membership=_walk_member("walk.support"),
        role_in_case=CaseAssignment.RoleInCase.SUPPORT,
        acting_user=None,
        at=world.at,
    )
    return case


def _walk_incident(world: World, member: Membership) -> Any:
    case = Case.objects.get(pk=OBJECTS["case_id"](world, member))
    return record_incident(
        case=case,
        acting_user=None,
        at=world.at,
        occurred_on=world.at.date(),
        reported_on=world.at.date(),
        place_type="HOME",
        physical_violence=True,
    ).pk


def _walk_follow_up(world: World, member: Membership) -> Any:
    """A follow-up on the walk's case (the "case_id" factory), so whoever may see that case sees it."""
    case = OBJECTS["case_id"](world, member)
    return schedule_follow_up(
        case=Case.objects.get(pk=case),
        title="Call back about the court date",
        due_on=timezone.localdate(),
        acting_user=None,
        at=timezone.now(),
    ).pk


def _home_person_id() -> str:
    org = Organisation.objects.get(slug="home")
    return str(register_person(org=org, name="Walk Person", acting_user=None, at=timezone.now()).pk)


def _walk_care(world: World, member: Membership, record: str) -> Any:
    """A care record on the walk's case: a referred service, a goal (its plan is in effect), or an
    appointment tomorrow with the case's support worker."""
    case = Case.objects.select_related("org").get(pk=OBJECTS["case_id"](world, member))
    common: dict[str, Any] = {"case": case, "acting_user": None, "at": timezone.now()}
    if record == "service":
        return care_actions.record_service(
            kind="CRISIS_COUNSELLING", status="REFERRED", started_on=timezone.localdate(), **common
        ).pk
    if record == "appointment":
        worker = _walk_member("walk.support")
        starts_at = timezone.now() + timedelta(days=1)
        return care_actions.record_appointment(worker=worker, starts_at=starts_at, **common).pk
    goal = care_actions.add_goal(domain="SAFETY", description="Walk goal", **common)
    return goal.plan_id if record == "plan" else goal.pk


# URL argument → the object of the home organisation that a persona would open.
OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "site_id": lambda world, member: world.shelter.pk,
    "area_id": lambda world, member: world.district.pk,
    "membership_id": lambda world, member: world.members[Role.NURSE].pk,
    "token_id": lambda world, member: create_api_token(membership=member, name="walk", at=world.at)[0].pk,
    "person_id": _walk_person,
    "case_id": lambda world, member: _walk_case(world, member).pk,
    "follow_up_id": _walk_follow_up,
    "service_id": lambda world, member: _walk_care(world, member, "service"),
    "goal_id": lambda world, member: _walk_care(world, member, "goal"),
    "plan_id": lambda world, member: _walk_care(world, member, "plan"),
    "appointment_id": lambda world, member: _walk_care(world, member, "appointment"),
    "flag_id": lambda world, member: people_factories.flagged_pair(world).pk,
    "merge_id": lambda world, member: people_factories.merge(world).pk,
    "incident_id": _walk_incident,
    "provider_id": lambda world, member: referral_walk.provider(world.org).pk,
    "release_id": referral_walk.release,
    "referral_id": lambda world, member: referral_walk.sent_referral(_walk_case(world, member)).pk,
    "incoming_id": referral_walk.incoming,
    "unit_id": dispatch_walk.unit,
    "dispatch_id": dispatch_walk.dispatch,
    "instrument": lambda world, member: "lap",
    "assessment_id": lambda world, member: risk_walk.screened_in(_walk_case(world, member)).pk,
    "escalation_id": lambda world, member: risk_walk.escalation_id(_walk_case(world, member)),
    **risk_walk.OBJECTS,
    **hotline_walk.OBJECTS,
    "channel_id": lambda world, member: channel_factories.walk_channel(world.org).pk,
    **shelters_walk.OBJECTS,
    **shelters_page_walk.OBJECTS,
    **legal_walk.OBJECTS,
    **documents_walk.OBJECTS,
    **counselling_walk.OBJECTS,
    **groups_walk.OBJECTS,
    **perpetrators_walk.OBJECTS,
    **committees_walk.OBJECTS,
    **supporters_walk.OBJECTS,
    **benefits_walk.OBJECTS,
    **imports_walk.OBJECTS,
    **selection_walk.OBJECTS,
    **grievances_walk.OBJECTS,
    **distribution_walk.OBJECTS,
    **payments_walk.OBJECTS,
    **loans_walk.OBJECTS,
    **associations_walk.OBJECTS,
    **training_walk.OBJECTS,
    **report_exports_walk.OBJECTS,
    **report_projects_walk.OBJECTS,
    **reports_walk.OBJECTS,
    **report_sharing_walk.OBJECTS,
    **dhis2_walk.OBJECTS,
}

# API write endpoints → a valid body, so the role check (not validation) decides the answer.
PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/sites"): lambda: {"name": f"Walk {uuid.uuid4().hex[:8]}", "kind": "OFFICE"},
    ("PATCH", "/sites/{site_id}"): lambda: {"phone": "+1 514 555 0199"},
    ("POST", "/areas"): lambda: {"name": f"Walk {uuid.uuid4().hex[:8]}", "level": 1},
    ("POST", "/people"): lambda: {"name": "Walk Person", "phone": "+1 514 555 0123"},
    ("POST", "/people/search"): lambda: {"name": "Walk Person"},
    ("PUT", "/people/{person_id}/safe-contact"): lambda: {"safe_to_call": True, "safe_channel": "SMS"},
    ("POST", "/duplicate-flags/{flag_id}/merge"): lambda: {"keep": "A"},
    ("POST", "/duplicate-flags/{flag_id}/distinct"): lambda: {},
    ("POST", "/person-merges/{merge_id}/undo"): lambda: {},
    ("POST", "/cases"): lambda: {"person_id": _home_person_id()},
    ("POST", "/cases/{case_id}/transition"): lambda: {"verb": "activate"},
    ("POST", "/cases/{case_id}/incidents"): lambda: {
        "occurred_on": "2024-01-02",
        "reported_on": "2024-01-03",
        "place_type": "HOME",
        "physical_violence": True,
    },
    ("POST", "/cases/{case_id}/follow-ups"): lambda: {
        "title": "Call back about the court date",
        "due_on": timezone.localdate().isoformat(),
        "is_safety_critical": True,
    },
    ("POST", "/follow-ups/{follow_up_id}/done"): lambda: {},
    ("POST", "/cases/{case_id}/services"): lambda: {
        "kind": "CRISIS_COUNSELLING",
        "status": "REFERRED",
        "started_on": timezone.localdate().isoformat(),
    },
    ("POST", "/services/{service_id}/change"): lambda: {"status": "RECEIVED_ELSEWHERE"},
    ("POST", "/cases/{case_id}/needs"): lambda: {
        "occasion": "INTAKE",
        "assessed_on": timezone.localdate().isoformat(),
        "levels": {"safety": "URGENT"},
    },
    ("POST", "/cases/{case_id}/plan/goals"): lambda: {"domain": "SAFETY", "description": "Walk goal"},
    ("POST", "/goals/{goal_id}/progress"): lambda: {"status": "IN_PROGRESS", "note": "Walk progress"},
    ("POST", "/plans/{plan_id}/decision"): lambda: {"decision": "submit"},
    ("POST", "/cases/{case_id}/appointments"): lambda: {
        "worker_id": _walk_member("walk.support").pk,
        "starts_at": (timezone.now() + timedelta(days=1)).isoformat(),
    },
    ("POST", "/appointments/{appointment_id}/conclude"): lambda: {"status": "CANCELLED"},
    ("POST", "/cases/{case_id}/notes"): lambda: {"text": "Walk note"},
    ("POST", "/cases/{case_id}/team"): lambda: {"membership_id": _walk_member("walk.newcomer").pk},
    ("POST", "/cases/{case_id}/team/leave"): lambda: {"membership_id": _walk_member("walk.support").pk},
    ("POST", "/incidents/{incident_id}/perpetrators"): lambda: {"relationship": "INTIMATE_PARTNER"},
    ("PUT", "/cases/{case_id}/sites"): lambda: {"site_ids": []},
    ("POST", "/people/{person_id}/household"): lambda: {"name": "Walk Child", "born_on": "2020-01-01"},
    ("PATCH", "/people/{person_id}"): lambda: {"marital_status": "SEPARATED"},
    ("POST", "/people/{person_id}/household/left"): lambda: {
        "member_id": _newest_household_member(),
        "left_on": "2024-01-01",
    },
    ("POST", "/providers"): referral_walk.provider_body,
    ("PATCH", "/providers/{provider_id}"): lambda: {"hours": "Monday to Friday 9:00-17:00"},
    ("POST", "/people/{person_id}/releases"): referral_walk.release_body,
    ("POST", "/releases/{release_id}/revoke"): lambda: {},
    ("POST", "/cases/{case_id}/referrals"): referral_walk.referral_body,
    ("POST", "/referrals/{incoming_id}/accept"): lambda: {"comment": "We can see her on Tuesday"},
    ("POST", "/referrals/{incoming_id}/decline"): lambda: {"comment": "No place before next month"},
    ("POST", "/referrals/{referral_id}/withdraw"): lambda: {},
    ("POST", "/referrals/{referral_id}/complete"): lambda: {},
    ("POST", "/referrals/{referral_id}/outcome"): lambda: {"outcome": "ACCEPTED"},
    ("POST", "/cases/{case_id}/assessments"): risk_walk.assessment_body,
    ("POST", "/people/{person_id}/assessments"): risk_walk.assessment_body,
    ("POST", "/risk/scoring-sheets"): risk_walk.sheet_body,
    ("POST", "/risk/escalation-rules"): risk_walk.rule_body,
    ("PUT", "/cases/{case_id}/safety-plan"): risk_walk.safety_plan_body,
    **hotline_walk.PAYLOADS,
    ("POST", "/units"): dispatch_walk.unit_body,
    ("POST", "/units/{unit_id}/members"): lambda: dispatch_walk.member_body("walk.newcomer"),
    ("POST", "/units/{unit_id}/members/remove"): lambda: dispatch_walk.member_body("walk.responder"),
    ("POST", "/units/{unit_id}/status"): lambda: {"status": "OFF_DUTY"},
    ("POST", "/dispatches"): dispatch_walk.dispatch_body,
    ("POST", "/dispatches/{dispatch_id}/assign"): dispatch_walk.assign_body,
    ("POST", "/dispatches/{dispatch_id}/steps"): dispatch_walk.cancel_body,
    ("PUT", "/dispatch-targets"): lambda: {"interval": "ANSWER_TO_DISPATCH", "seconds": 60, "share": 90},
    ("POST", "/channels"): lambda: {"name": "Walk chat", "kind": "WEBCHAT", "provider": "HAVEN"},
    ("PATCH", "/channels/{channel_id}"): lambda: {"name": "Walk chat, renamed"},
    ("POST", "/channels/{channel_id}/messages"): lambda: {"to": "walk-session", "text": "We are here."},
    **shelters_walk.PAYLOADS,
    **legal_walk.PAYLOADS,
    **documents_walk.PAYLOADS,
    **counselling_walk.PAYLOADS,
    **groups_walk.PAYLOADS,
    **perpetrators_walk.PAYLOADS,
    **committees_walk.PAYLOADS,
    **supporters_walk.PAYLOADS,
    **benefits_walk.PAYLOADS,
    **imports_walk.PAYLOADS,
    **selection_walk.PAYLOADS,
    **grievances_walk.PAYLOADS,
    **distribution_walk.PAYLOADS,
    **payments_walk.PAYLOADS,
    **loans_walk.PAYLOADS,
    **associations_walk.PAYLOADS,
    **training_walk.PAYLOADS,
    **report_exports_walk.PAYLOADS,
    **report_projects_walk.PAYLOADS,
    **report_sharing_walk.PAYLOADS,
    **dhis2_walk.PAYLOADS,
}

SKIPPED_NAMESPACES = {"admin", "api"}


@dataclass(frozen=True)
class Page:
    name: str
    kwargs: tuple[str, ...]
    access: ViewAccess | None


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[Page]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            kwargs = tuple(entry.pattern.regex.groupindex)
            yield Page(f"{namespace}{entry.name}", kwargs, getattr(entry.callback, "haven_access", None))


PAGES = sorted(_walk(get_resolver().url_patterns), key=lambda page: page.name)


def _url(page: Page, world: World, member: Membership) -> str:
    missing = [k for k in page.kwargs if k not in OBJECTS]
    assert not missing, f"{page.name}: add an OBJECTS entry for URL arguments {missing}"
    return reverse(page.name, kwargs={k: OBJECTS[k](world, member) for k in page.kwargs})


def _request(client: Client, page: Page, url: str) -> Any:
    assert page.access is not None
    if "GET" in page.access.methods:
        return client.get(url)
    return client.post(url, {})


def _outsider(world: World, access: ViewAccess) -> Membership:
    """Someone of another organisation whose role passes the role check, so only the scope can refuse them.

    The world's outsider administers the other organisation; where administrators are refused by role
    anyway (people's files), an outsider with an allowed role is made, so the 404 is still proven.
    """
    if world.outsider.role_enum in access.roles:
        return world.outsider
    role = sorted(access.roles)[0]
    username = f"elsewhere.{role.value.lower()}"
    existing = Membership.objects.filter(org=world.other_org, user__username=username).first()
    return existing or make_member(world.other_org, role, username=username, at=world.at)


def test_it_finds_the_pages() -> None:
    names = {page.name for page in PAGES}
    assert {"web:home", "orgs:site_detail", "accounts:tokens", "accounts:login"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_it_marks_every_view(page: Page) -> None:
    assert page.access is not None, f"{page.name} has neither @staff_view nor @public_view"


@pytest.mark.parametrize("page", [p for p in PAGES if p.access and not p.access.public], ids=lambda p: p.name)
def test_it_sends_anonymous_visitors_to_sign_in(world: World, page: Page) -> None:
    response = _request(Client(), page, _url(page, world, world.members[Role.ORG_ADMIN]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


QUERY_BUDGET = 40
"""Most queries a page (GET) may make for one reader, on the walk's data (a handful of each kind of
record): a page that grows past it is doing per-row work. Pages that need more say so here, and why."""
QUERY_BUDGETS: dict[str, int] = {
    # The case file: one query per panel (incidents, notes, services, plan, risk, stays, referrals,
    # appointments, legal, counselling, documents...), not per row.
    "cases:detail": 70,
    # A dashboard's figures: each indicator for this month, last month, and month by month over the
    # year. Worked out once per organisation, role and day every five minutes (reports/views.py).
    "reports:dashboard": 150,
}


@pytest.mark.parametrize("page", [p for p in PAGES if p.access and not p.access.public], ids=lambda p: p.name)
def test_it_opens_for_the_right_roles_and_refuses_the_rest(world: World, page: Page) -> None:
    assert page.access is not None
    budget = QUERY_BUDGETS.get(page.name, QUERY_BUDGET)
    for role, member in world.members.items():
        client, url = world.client_for(member), _url(page, world, member)
        with CaptureQueriesContext(connection) as queries:
            response = _request(client, page, url)
        if role in page.access.roles:
            assert response.status_code in {200, 302}, f"{page.name} as {role}: {response.status_code}"
            within = len(queries) <= budget or "GET" not in page.access.methods
            assert within, f"{page.name} as {role}: {len(queries)} queries (budget {budget})"
        else:
            assert response.status_code in {403, 404}, f"{page.name} as {role}: {response.status_code}"


@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.access and p.access.object_kwargs], ids=lambda p: p.name
)
def test_it_hides_objects_from_outsiders(world: World, page: Page) -> None:
    # The outsider works for another organisation; home objects must not even exist for them.
    assert page.access is not None
    outsider = _outsider(world, page.access)
    response = _request(world.client_for(outsider), page, _url(page, world, world.members[Role.ORG_ADMIN]))
    assert response.status_code == 404


# --- API -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    access: ViewAccess | None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _endpoints() -> list[Endpoint]:
    found = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append(Endpoint(method, path, getattr(operation.view_func, "haven_access", None)))
    return sorted(found, key=str)


ENDPOINTS = _endpoints()


def _call(client: Client, endpoint: Endpoint, world: World, member: Membership, token: str | None) -> Any:
    assert endpoint.access is not None
    path = endpoint.path
    for name in endpoint.access.object_kwargs:
        path = path.replace("{" + name + "}", str(OBJECTS[name](world, member)))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = "/api/v1" + path
    if endpoint.method == "GET":
        return client.get(url, headers=headers)
    payload = PAYLOADS[(endpoint.method, endpoint.path)]()
    return client.generic(
        endpoint.method, url, data=json.dumps(payload), content_type="application/json", headers=headers
    )


def test_it_finds_the_endpoints() -> None:
    assert {"GET /me", "GET /sites/{site_id}", "POST /sites"} <= {str(e) for e in ENDPOINTS}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_it_marks_every_endpoint(endpoint: Endpoint) -> None:
    assert endpoint.access is not None, f"{endpoint} has no @api_access"
    if endpoint.method != "GET":
        assert (endpoint.method, endpoint.path) in PAYLOADS, f"add a PAYLOADS entry for {endpoint}"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_it_answers_401_without_a_token(world: World, endpoint: Endpoint) -> None:
    response = _call(Client(), endpoint, world, world.members[Role.ORG_ADMIN], token=None)
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_it_answers_by_role(world: World, endpoint: Endpoint) -> None:
    assert endpoint.access is not None
    for role, member in world.members.items():
        response = _call(Client(), endpoint, world, member, world.token_for(member))
        expected = {200, 201} if role in endpoint.access.roles else {403, 404}
        assert response.status_code in expected, f"{endpoint} as {role}: {response.status_code}"


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.access and e.access.object_kwargs], ids=str)
def test_it_hides_objects_from_outsider_tokens(world: World, endpoint: Endpoint) -> None:
    assert endpoint.access is not None
    outsider = _outsider(world, endpoint.access)
    response = _call(Client(), endpoint, world, world.members[Role.ORG_ADMIN], world.token_for(outsider))
    assert response.status_code == 404
