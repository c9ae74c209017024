"""The One Stop Centre progress report against hand-counted figures, monthly (March 2025) and half-yearly
(January-June 2025).

Cases (P1..P4 are four women; "shelter" is a site in the district, "office" a site without an area):

=====  ===  ==============  =======  ==========================================================
case   who  opened          site     what else
=====  ===  ==============  =======  ==========================================================
1      P1   10 Feb          shelter  counselling 15-20 Feb, injury care from 5 Mar; a stay from 20 Feb;
                                     referred for legal information on 3 Apr
2      P2   15 Mar          office   counselling 16 Mar - 10 May; referred for legal information 18 Mar
3      P3   10 Apr          shelter  -
4      P1   20 Mar          office   -
5      P4   5 Jan, closed   shelter  a stay 6-30 Jan
            25 Feb
=====  ===  ==============  =======  ==========================================================
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from haven.cases import care_actions
from haven.cases.actions import open_case
from haven.cases.catalogue import ServiceKind
from haven.cases.models import Case, CaseService
from haven.conftest import World
from haven.orgs.models import Site
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.people.models import Person
from haven.referrals.actions import send_referral
from haven.referrals.models import Referral
from haven.reports.domains import osc
from haven.reports.indicators import AREA, indicator, scope_for
from haven.reports.periods import parse_period
from haven.reports.queries import build_report
from haven.shelters.actions import create_facility
from haven.shelters.models import Facility, Stay

pytestmark = pytest.mark.django_db

MARCH = parse_period("2025-03")
FIRST_HALF = parse_period("2025-H1")


def _at(month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(2025, month, day, 12))


def _case(world: World, person: Person, opened: datetime, site: Site) -> Case:
    lead = world.members[Role.CASEWORKER]
    return open_case(survivor=person, lead=lead, acting_user=None, at=opened, sites=[site])


def _service(world: World, case: Case, kind: str, started: date, ended: date | None = None) -> None:
    care_actions.record_service(
        case=case,
        kind=kind,
        status=CaseService.Status.PROVIDED,
        started_on=started,
        ended_on=ended,
        acting_user=None,
        at=world.at,
    )


def _refer(world: World, case: Case, at: datetime) -> None:
    send_referral(
        case=case,
        kind=Referral.Kind.INTERNAL,
        service=ServiceKind.LEGAL_INFORMATION,
        needs="Synthetic: advice on a protection order",
        target_site=world.office,
        acting_user=None,
        at=at,
    )


def _generate(world: World) -> None:
    women = [
        register_person(
            org=world.org, name=f"Synthetic {n}", sex=Person.Sex.FEMALE, acting_user=None, at=world.at
        )
        for n in range(4)
    ]
    shelter, office = world.shelter, world.office
    first = _case(world, women[0], _at(2, 10), shelter)
    second = _case(world, women[1], _at(3, 15), office)
    _case(world, women[2], _at(4, 10), shelter)
    _case(world, women[0], _at(3, 20), office)
    closed = _case(world, women[3], _at(1, 5), shelter)
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED, closed_at=_at(2, 25))

    _service(world, first, ServiceKind.CRISIS_COUNSELLING, date(2025, 2, 15), date(2025, 2, 20))
    _service(world, first, ServiceKind.INJURY_CARE, date(2025, 3, 5))
    _service(world, second, ServiceKind.CRISIS_COUNSELLING, date(2025, 3, 16), date(2025, 5, 10))
    _refer(world, second, _at(3, 18))
    _refer(world, first, _at(4, 3))

    facility = create_facility(
        site=shelter,
        facility_type=Facility.Type.ONE_STOP_CENTRE,
        operator=Facility.Operator.STATE,
        acting_user=None,
        at=world.at,
    )
    walk_in = Stay.Arrival.WALK_IN
    Stay.objects.create(
        org=world.org, facility=facility, case=first, arrival_kind=walk_in, arrived_at=_at(2, 20)
    )
    Stay.objects.create(
        org=world.org,
        facility=facility,
        case=closed,
        arrival_kind=walk_in,
        arrived_at=_at(1, 6),
        ended_at=_at(1, 30),
        status=Stay.Status.ENDED,
        destination=Stay.Destination.FAMILY,
    )


def _figures(world: World, code: str, period: Any, *by: str) -> tuple[dict[Any, Any], Any]:
    table = indicator(code).table(scope_for(world.org, period), by)
    cells = {key[0] if len(key) == 1 else key: cell.value for key, cell in table.cells.items()}
    return cells, table.total.value


def test_it_counts_the_monthly_and_half_yearly_figures(world: World) -> None:
    _generate(world)
    district = world.shelter.area_id

    # Women assisted: P1 (cases 1 and 4) and P2 in March; all four in the half year.
    assert _figures(world, "osc.women_assisted", MARCH, AREA) == ({district: 1, None: 2}, 2)
    assert _figures(world, "osc.women_assisted", FIRST_HALF, AREA) == ({district: 3, None: 2}, 4)

    # Services we provided that ran in the period (the referrals' "referred" services are not ours).
    assert _figures(world, "osc.women_by_service", MARCH, "service_kind") == (
        {ServiceKind.INJURY_CARE: 1, ServiceKind.CRISIS_COUNSELLING: 1},
        2,
    )
    assert _figures(world, "osc.women_by_service", FIRST_HALF, "service_kind") == (
        {ServiceKind.INJURY_CARE: 1, ServiceKind.CRISIS_COUNSELLING: 2},
        2,
    )

    # Stays at any part of the period; referrals sent in it.
    assert _figures(world, "osc.stays", MARCH, AREA) == ({district: 1}, 1)
    assert _figures(world, "osc.stays", FIRST_HALF) == ({}, 2)
    assert _figures(world, "osc.referrals", MARCH, "service_kind", "referral_kind") == (
        {(ServiceKind.LEGAL_INFORMATION, Referral.Kind.INTERNAL): 1},
        1,
    )
    assert _figures(world, "osc.referrals", FIRST_HALF, AREA) == ({district: 1, None: 1}, 2)

    # One report, the period decides; a district scope keeps what happened at its sites.
    monthly = build_report(osc.OSC_REPORT, scope_for(world.org, MARCH), suppress=False)
    half = build_report(osc.OSC_REPORT, scope_for(world.org, FIRST_HALF), suppress=False)
    assert [item.table.total.value for item in monthly.results] == [2, 2, 1, 1]
    assert [item.table.total.value for item in half.results] == [4, 2, 2, 2]
    in_district = build_report(
        osc.OSC_REPORT, scope_for(world.org, FIRST_HALF, world.district), suppress=False
    )
    assert [item.table.total.value for item in in_district.results] == [3, 1, 2, 1]
    assert osc.OSC_REPORT.readers == {Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.DATA_OFFICER}

    # Another organisation sees none of it.
    other = build_report(osc.OSC_REPORT, scope_for(world.other_org, FIRST_HALF), suppress=False)
    assert [item.table.total.value for item in other.results] == [0, 0, 0, 0]
