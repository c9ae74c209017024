"""GBVIMS statistics against hand-counted figures: every breakdown, the consent and reported-elsewhere
filters, another organisation's incidents, areas, a Solar Hijri month, and the report through the framework.

The incidents (all reported to "home" unless said otherwise), March 2025:

====  ========  ====================  ===  ===========  =========  ===========  ======================
 #    survivor  type                  age  time         place      delay        perpetrators
====  ========  ====================  ===  ===========  =========  ===========  ======================
 1    A         rape (CSA, IPV)       15   morning      home       1 day        partner
 2    A         physical (IPV)        30   evening      home       37 days      partner, in-law
 3    B         forced marriage (EM)  16   afternoon    home       5 days       family
 4    B         psychological         45   unknown      street     3 days       stranger
 5    C         sexual assault (PSE)  20   unknown      workplace  23 days      -
 10   A         physical (IPV)        30   evening      home       0 days       partner
====  ========  ====================  ===  ===========  =========  ===========  ======================

Not counted: #6 (no consent), #7 (reported elsewhere), #8 (reported 1 April), #9 (28 February), and an
incident of another organisation. A and B are women, C's sex is recorded as "other".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.cases import care_actions
from haven.cases.actions import add_alleged_perpetrator, open_case, record_incident
from haven.cases.catalogue import ServiceKind
from haven.cases.forms import IncidentForm
from haven.cases.models import AllegedPerpetrator, Case, CaseService, Incident
from haven.conftest import World, make_member
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Organisation
from haven.orgs.roles import Role
from haven.people.actions import register_person, update_person
from haven.people.models import Person
from haven.reports import grouping
from haven.reports.domains import gbvims
from haven.reports.indicators import AREA, IndicatorError, Scope, Table, indicator, scope_for
from haven.reports.periods import parse_period
from haven.reports.queries import build_report

pytestmark = pytest.mark.django_db

MARCH = parse_period("2025-03")


@dataclass
class Places:
    district: Area
    village: Area
    faraway: Area


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def _case(org: Organisation, world: World, sex: str, lead: Any = None) -> Case:
    person = register_person(org=org, name="Synthetic Survivor", sex=sex, acting_user=None, at=world.at)
    lead = lead or world.members[Role.CASEWORKER]
    return open_case(survivor=person, lead=lead, acting_user=None, at=_noon(date(2025, 1, 2)))


def _incident(case: Case, world: World, occurred: date, reported: date, **facts: Any) -> Incident:
    facts.setdefault("consent_to_statistics", True)
    facts.setdefault("place_type", Incident.PlaceType.HOME)
    perpetrators = facts.pop("perpetrators", ())
    incident = record_incident(
        case=case, acting_user=None, at=world.at, occurred_on=occurred, reported_on=reported, **facts
    )
    for relationship in perpetrators:
        add_alleged_perpetrator(incident=incident, acting_user=None, at=world.at, relationship=relationship)
    return incident


def _places(world: World) -> Places:
    def area(name: str, level: Area.Level, parent: Area | None) -> Area:
        made: Area = org_actions.create_area(
            org=world.org, name=name, level=level, parent=parent, acting_user=None, at=world.at
        )
        return made

    return Places(
        world.district,
        area("Village", Area.Level.LOCALITY, world.district),
        area("Far away", Area.Level.DISTRICT, None),
    )


def _generate(world: World) -> tuple[Places, dict[str, Case]]:
    places = _places(world)
    rel = AllegedPerpetrator.Relationship
    time = Incident.TimeOfDay
    cases = {
        "A": _case(world.org, world, Person.Sex.FEMALE),
        "B": _case(world.org, world, Person.Sex.FEMALE),
        "C": _case(world.org, world, Person.Sex.OTHER),
        "D": _case(world.org, world, Person.Sex.FEMALE),
    }
    a, b, c, d = cases["A"], cases["B"], cases["C"], cases["D"]
    march = (2025, 3)
    _incident(
        a,
        world,
        date(*march, 1),
        date(*march, 2),
        penetration=True,
        survivor_age_at_incident=15,
        perpetrator_is_intimate_partner=True,
        time_of_day=time.MORNING,
        area=places.village,
        perpetrators=[rel.INTIMATE_PARTNER],
    )
    _incident(
        a,
        world,
        date(2025, 2, 1),
        date(*march, 10),
        physical_violence=True,
        survivor_age_at_incident=30,
        perpetrator_is_intimate_partner=True,
        time_of_day=time.EVENING_NIGHT,
        area=places.district,
        perpetrators=[rel.INTIMATE_PARTNER, rel.IN_LAW],
    )
    _incident(
        b,
        world,
        date(*march, 5),
        date(*march, 10),
        forced_marriage=True,
        survivor_age_at_incident=16,
        time_of_day=time.AFTERNOON,
        area=places.district,
        perpetrators=[rel.FAMILY],
    )
    _incident(
        b,
        world,
        date(*march, 28),
        date(*march, 31),
        psychological_abuse=True,
        survivor_age_at_incident=45,
        place_type=Incident.PlaceType.STREET,
        perpetrators=[rel.STRANGER],
    )
    _incident(
        c,
        world,
        date(2025, 2, 20),
        date(*march, 15),
        sexual_contact_without_penetration=True,
        transactional=True,
        survivor_age_at_incident=20,
        place_type=Incident.PlaceType.WORKPLACE,
        area=places.faraway,
    )
    _incident(
        a,
        world,
        date(*march, 20),
        date(*march, 20),
        physical_violence=True,
        survivor_age_at_incident=30,
        perpetrator_is_intimate_partner=True,
        time_of_day=time.EVENING_NIGHT,
        area=places.village,
        perpetrators=[rel.INTIMATE_PARTNER],
    )
    # Not counted: no consent, reported elsewhere, outside the month on either side.
    _incident(
        d,
        world,
        date(*march, 4),
        date(*march, 5),
        physical_violence=True,
        consent_to_statistics=False,
        perpetrators=[rel.STRANGER],
    )
    elsewhere = _incident(
        b,
        world,
        date(*march, 6),
        date(*march, 6),
        penetration=True,
        survivor_age_at_incident=16,
        reported_elsewhere=True,
    )
    assert elsewhere.reported_elsewhere is True
    _incident(c, world, date(*march, 30), date(2025, 4, 1), physical_violence=True)
    _incident(c, world, date(2025, 2, 28), date(2025, 2, 28), physical_violence=True)
    _other_organisation_incident(world)
    _services(world, cases)
    return places, cases


def _other_organisation_incident(world: World) -> None:
    worker = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.worker", at=world.at)
    case = _case(world.other_org, world, Person.Sex.FEMALE, lead=worker)
    _incident(case, world, date(2025, 3, 9), date(2025, 3, 10), penetration=True, survivor_age_at_incident=15)


def _services(world: World, cases: dict[str, Case]) -> None:
    status = CaseService.Status
    kind = ServiceKind
    for case, service_kind, service_status, started in [
        (cases["A"], kind.CRISIS_COUNSELLING, status.PROVIDED, date(2025, 3, 3)),
        (cases["A"], kind.LEGAL_REPRESENTATION, status.REFERRED, date(2025, 3, 4)),
        (cases["B"], kind.INJURY_CARE, status.PROVIDED, date(2025, 3, 12)),
        (cases["B"], kind.INJURY_CARE, status.PROVIDED, date(2025, 4, 2)),  # April
        (cases["C"], kind.MENTAL_HEALTH, status.DECLINED, date(2025, 2, 10)),  # February
        (cases["D"], kind.CRISIS_COUNSELLING, status.PROVIDED, date(2025, 3, 5)),  # no counted incident
    ]:
        care_actions.record_service(
            case=case,
            kind=service_kind,
            status=service_status,
            started_on=started,
            acting_user=None,
            at=world.at,
        )


def _figures(code: str, scope: Scope, *by: str) -> tuple[dict[Any, Any], Any]:
    table: Table = indicator(code).table(scope, by)
    cells = {key[0] if len(key) == 1 else key: cell.value for key, cell in table.cells.items()}
    return cells, table.total.value


def test_it_counts_each_breakdown_of_consented_incidents_reported_here_only(world: World) -> None:
    places, cases = _generate(world)
    scope = scope_for(world.org, MARCH)
    incidents = "gbvims.incidents"

    assert _figures(incidents, scope) == ({}, 6)
    assert _figures(incidents, scope, "violence_type") == (
        {
            "RAPE": 1,
            "PHYSICAL_ASSAULT": 2,
            "FORCED_MARRIAGE": 1,
            "PSYCHOLOGICAL_ABUSE": 1,
            "SEXUAL_ASSAULT": 1,
        },
        6,
    )
    assert _figures(incidents, scope, "age_group")[0] == {"12-17": 2, "26-40": 2, "41-60": 1, "18-25": 1}
    assert _figures(incidents, scope, "survivor_sex")[0] == {"FEMALE": 5, "OTHER": 1}
    assert _figures(incidents, scope, "time_of_day")[0] == {
        "MORNING": 1,
        "EVENING_NIGHT": 2,
        "AFTERNOON": 1,
        "UNKNOWN": 2,
    }
    assert _figures(incidents, scope, "place_type")[0] == {"HOME": 4, "STREET": 1, "WORKPLACE": 1}
    assert _figures(incidents, scope, "reporting_delay")[0] == {
        "DAYS_0_3": 3,
        "DAYS_4_5": 1,
        "WEEKS_2_MONTH_1": 1,
        "OVER_1_MONTH": 1,
    }
    assert _figures(incidents, scope, AREA)[0] == {
        places.village.pk: 2,
        places.district.pk: 2,
        None: 1,
        places.faraway.pk: 1,
    }
    assert _figures(incidents, scope, "violence_type", "survivor_sex")[0] == {
        ("RAPE", "FEMALE"): 1,
        ("PHYSICAL_ASSAULT", "FEMALE"): 2,
        ("FORCED_MARRIAGE", "FEMALE"): 1,
        ("PSYCHOLOGICAL_ABUSE", "FEMALE"): 1,
        ("SEXUAL_ASSAULT", "OTHER"): 1,
    }

    # Several breakdowns at once (one scan on PostgreSQL) give the very same tables, distinct counts too.
    breakdowns = [("violence_type",), ("age_group",), (AREA, "violence_type"), ("violence_type", AREA), ()]
    for code in (incidents, "gbvims.incidents_by_perpetrator"):
        wanted = [by for by in breakdowns if all(d in indicator(code).dimensions for d in by)]
        item = indicator(code)
        together = [(t.dimensions, t.cells, t.total) for t in item.tables(scope, wanted)]
        alone = [(t.dimensions, t.cells, t.total) for t in (item.table(scope, by) for by in wanted)]
        assert together == alone
        assert together[2][1] and together[3][1]  # both orders of the same two dimensions have their cells
    # The grouping query gives what one plain GROUP BY per breakdown gives (SQLite's path).
    records, sources = gbvims.incidents(scope), gbvims.INCIDENT_SOURCES
    plain = {by: grouping._group_by(records, by, sources, None) for by in breakdowns}
    assert grouping.grouped_counts(records, breakdowns, sources) == plain
    # A plain count broken down one way is one plain GROUP BY; its total is the sum of its cells.
    with CaptureQueriesContext(connection) as queries:
        one_way = grouping.grouped_counts(records, [("violence_type",), ()], sources)
    assert one_way == {("violence_type",): plain[("violence_type",)], (): {(): 6}}
    assert len(queries) == 1 and "GROUPING" not in queries[0]["sql"]
    with pytest.raises(IndicatorError):
        indicator(incidents).tables(scope, [("violence_type",), ("perpetrator_relationship",)])

    # Contexts: several per incident; the total counts incidents with at least one.
    contexts = "gbvims.incidents_by_context"
    assert _figures(contexts, scope, "case_context") == (
        {
            "CHILD_SEXUAL_ABUSE": 1,
            "INTIMATE_PARTNER_VIOLENCE": 3,
            "EARLY_MARRIAGE": 1,
            "POSSIBLE_SEXUAL_EXPLOITATION": 1,
        },
        5,
    )
    assert _figures(contexts, scope, "age_group", "case_context")[0] == {
        ("12-17", "CHILD_SEXUAL_ABUSE"): 1,
        ("12-17", "INTIMATE_PARTNER_VIOLENCE"): 1,
        ("26-40", "INTIMATE_PARTNER_VIOLENCE"): 2,
        ("12-17", "EARLY_MARRIAGE"): 1,
        ("18-25", "POSSIBLE_SEXUAL_EXPLOITATION"): 1,
    }
    assert _figures(contexts, scope, "survivor_sex") == ({"FEMALE": 4, "OTHER": 1}, 5)

    # Perpetrators: incident 2 is under both partner and in-law, once in the total; #6's stranger is out.
    assert _figures("gbvims.incidents_by_perpetrator", scope, "perpetrator_relationship") == (
        {"INTIMATE_PARTNER": 3, "IN_LAW": 1, "FAMILY": 1, "STRANGER": 1},
        5,
    )
    assert _figures(
        "gbvims.incidents_by_perpetrator", scope, "violence_type", "perpetrator_relationship"
    ) == (
        {
            ("RAPE", "INTIMATE_PARTNER"): 1,
            ("PHYSICAL_ASSAULT", "INTIMATE_PARTNER"): 2,
            ("PHYSICAL_ASSAULT", "IN_LAW"): 1,
            ("FORCED_MARRIAGE", "FAMILY"): 1,
            ("PSYCHOLOGICAL_ABUSE", "STRANGER"): 1,
        },
        5,
    )

    # Services started in March for survivors with a counted incident (D has none).
    assert _figures("gbvims.services", scope, "service_status") == ({"PROVIDED": 2, "REFERRED": 1}, 3)
    assert _figures("gbvims.services", scope, "service_kind")[0] == {
        "CRISIS_COUNSELLING": 1,
        "LEGAL_REPRESENTATION": 1,
        "INJURY_CARE": 1,
    }

    # An area counts itself and what lies under it.
    district = scope_for(world.org, MARCH, places.district)
    assert _figures(incidents, district)[1] == 4
    assert _figures(contexts, district, "case_context")[0] == {
        "CHILD_SEXUAL_ABUSE": 1,
        "INTIMATE_PARTNER_VIOLENCE": 3,
        "EARLY_MARRIAGE": 1,
    }

    # The other organisation counts only its own incident.
    assert _figures(incidents, scope_for(world.other_org, MARCH), "violence_type") == ({"RAPE": 1}, 1)

    # A correction of C's record reaches the statistics.
    officer = world.members[Role.CASEWORKER].user
    update_person(
        person=cases["C"].survivor, changes={"sex": Person.Sex.FEMALE}, acting_user=officer, at=world.at
    )
    assert _figures(incidents, scope, "survivor_sex") == ({"FEMALE": 6}, 6)


def test_it_builds_the_report_for_a_solar_hijri_month_and_rolls_areas_up(world: World) -> None:
    places, cases = _generate(world)
    report = gbvims.GBVIMS_REPORT
    result = build_report(
        report, scope_for(world.org, MARCH), by=(AREA,), area_level=Area.Level.DISTRICT, suppress=False
    )
    tables = {item.indicator.code: item.table for item in result.results}
    assert set(tables) == set(report.indicators)
    rolled = {key[0]: cell.value for key, cell in tables["gbvims.incidents"].cells.items()}
    assert rolled == {places.district.pk: 4, places.faraway.pk: 1, None: 1}
    assert tables["gbvims.services"].dimensions == ()  # services have no area breakdown
    assert tables["gbvims.services"].total.value == 3
    assert report.sees_small_cells(Role.CENTRE_MANAGER) and not report.sees_small_cells(Role.DATA_OFFICER)
    assert Role.CASEWORKER not in report.readers

    # Suppressed for readers without record access: every cell here is under 5.
    hidden = build_report(report, scope_for(world.org, MARCH), by=("violence_type",))
    assert all(cell.suppressed for cell in hidden.results[0].table.cells.values())

    # Mordad 1403 runs from 22 July to 21 August 2024: both ends in, the days around them out.
    for reported in (date(2024, 7, 21), date(2024, 7, 22), date(2024, 8, 21), date(2024, 8, 22)):
        _incident(cases["B"], world, reported, reported, physical_violence=True, survivor_age_at_incident=40)
    mordad = parse_period("SH1403-05")
    assert (mordad.start, mordad.end) == (date(2024, 7, 22), date(2024, 8, 22))
    assert _figures("gbvims.incidents", scope_for(world.org, mordad), "age_group") == ({"26-40": 2}, 2)
    # By month of the Solar Hijri year: Tir, Mordad, Shahrivar; Esfand (19 Feb - 20 Mar 2025) holds the
    # counted March incidents up to the 20th and #9 (28 February); the rest of March is in 1404.
    year = scope_for(world.org, parse_period("SH1403"))
    by_month = indicator("gbvims.incidents").table(year, ("month", "survivor_sex"))
    assert {key: cell.value for key, cell in by_month.cells.items()} == {
        ("SH1403-04", "FEMALE"): 1,
        ("SH1403-05", "FEMALE"): 2,
        ("SH1403-06", "FEMALE"): 1,
        ("SH1403-12", "FEMALE"): 4,
        ("SH1403-12", "OTHER"): 2,
    }
    assert by_month.total.value == 10


def test_staff_record_an_incident_reported_by_another_organisation_through_the_form(world: World) -> None:
    form = IncidentForm(
        {
            "occurred_on": "2025-03-01",
            "reported_on": "2025-03-02",
            "time_of_day": "UNKNOWN",
            "place_type": "HOME",
            "physical_violence": "on",
            "consent_to_statistics": "on",
            "reported_elsewhere": "on",
        },
        org=world.org,
    )
    assert form.is_valid(), form.errors
    case = _case(world.org, world, Person.Sex.FEMALE)
    incident = record_incident(case=case, acting_user=None, at=world.at, **form.incident_fields())
    incident.refresh_from_db()
    assert incident.reported_elsewhere is True and incident.consent_to_statistics is True
    assert _figures("gbvims.incidents", scope_for(world.org, MARCH)) == ({}, 0)
    Incident.objects.filter(pk=incident.pk).update(reported_elsewhere=False)
    assert _figures("gbvims.incidents", scope_for(world.org, MARCH)) == ({}, 1)
