"""A small report of its own for the sharing tests (the domain reports are built by other parts), and the
objects a consolidation needs: a network, members, incidents, submissions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from haven.cases.actions import open_case, record_incident
from haven.cases.models import Incident
from haven.conftest import make_member, make_org
from haven.orgs.models import Area, Membership, Organisation
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.reports import indicators
from haven.reports.indicators import INDICATORS, REPORTS, Dimension, Report, Scope, choice_labels
from haven.reports.periods import Period, calendar_month
from haven.reports.sharing import actions
from haven.reports.sharing.models import Network, Submission
from haven.web import calendars

REPORT = "sharing_test"
PLACE = "sharing_test_place"


def _incidents(scope: Scope) -> QuerySet[Any]:
    return Incident.objects.filter(org=scope.org).filter(scope.days("occurred_on"), scope.in_area("area"))


def _register() -> None:
    if REPORT in REPORTS:
        return
    indicators.register_dimension(
        Dimension(PLACE, gettext_lazy("type of place"), choice_labels(Incident.PlaceType.choices))
    )
    indicators.register(
        indicators.count_indicator(
            code="sharing_test.incidents",
            name=gettext_lazy("Incidents (sharing test)"),
            definition=gettext_lazy("Incidents that occurred in the period."),
            records=_incidents,
            dimensions={"area": "area", PLACE: "place_type"},
        )
    )
    indicators.register_report(
        Report(
            code=REPORT,
            title=gettext_lazy("Sharing test"),
            description=gettext_lazy("Incidents, for the sharing tests."),
            indicators=("sharing_test.incidents",),
            readers=frozenset({Role.DATA_OFFICER, Role.ORG_ADMIN}),
            shareable=True,
        )
    )


_register()
assert "sharing_test.incidents" in INDICATORS


def last_month(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return calendar_month(calendars.GREGORIAN, year, month)


def caseworker(org: Organisation) -> Membership:
    username = f"{org.slug}.sharing-caseworker"
    found = Membership.objects.filter(org=org, user__username=username).first()
    return found or make_member(org, Role.CASEWORKER, username=username, at=timezone.now())


def incidents(
    org: Organisation, *, count: int, on: date, area: Area | None, place: str, name: str
) -> list[Any]:
    """``count`` incidents of one woman each (named ``name``) on the day ``on``."""
    lead, at = caseworker(org), timezone.now()
    made = []
    for _index in range(count):
        person = register_person(org=org, name=name, acting_user=None, at=at)
        case = open_case(survivor=person, lead=lead, acting_user=None, at=at)
        made.append(
            record_incident(
                case=case,
                acting_user=None,
                at=at,
                occurred_on=on,
                reported_on=on,
                place_type=place,
                area=area,
                physical_violence=True,
            )
        )
    return made


def network(org: Organisation, *, at: datetime | None = None, **settings: Any) -> Network:
    settings.setdefault("deadline_day", 31)
    name = settings.pop("name", f"Network {timezone.now().timestamp()}")
    return actions.create_network(org=org, name=name, acting_user=None, at=at or timezone.now(), **settings)


def joined(net: Network, slug: str) -> Organisation:
    """An organisation (made if missing) that accepted to join ``net``."""
    at = timezone.now()
    org = Organisation.objects.filter(slug=slug).first() or make_org(slug, at=at)
    invitation = actions.invite_member(network=net, slug=slug, acting_user=None, at=at)
    actions.accept_invitation(invitation=invitation, acting_user=None, at=at)
    return org


def approved_submission(net: Network, org: Organisation, period: Period | None = None) -> Submission:
    at = timezone.now()
    code = (period or last_month()).code
    draft = actions.prepare_submission(
        network=net, org=org, report_code=REPORT, period_code=code, acting_user=None, at=at
    )
    return actions.approve_submission(submission=draft, acting_user=None, at=at)


def acting(member: Membership) -> Any:
    """The member's user, acting under that membership (what the middleware does for a request)."""
    user = member.user
    user.active_membership = member
    return user
