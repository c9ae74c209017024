"""The services report builds the Kazakh project's published figures from records.

"Заң талабы" (Shymkent) published, for its project from 10 November 2020: 176 women and girls given legal
help, 99 given psychological help, 17 men in the perpetrator programme, 85 women and girls trained in
gender and digital rights, 2,000 booklets and 600 brochures handed out in the #StopViolence campaign.
The records are inserted set-based (synthetic people, one bulk insert per table), with records that
must NOT count beside them: a second consultation of one woman, missed and cancelled consultations,
records before the period, and another organisation's records.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.cases.catalogue import ServiceKind
from haven.cases.models import Case, CaseService
from haven.conftest import World
from haven.counselling.models import CounsellingSession, SessionKind
from haven.groups.models import (
    Activity,
    ActivityKind,
    ActivitySession,
    AnonymousCount,
    Audience,
    Campaign,
    Distribution,
    Enrolment,
    Institution,
    Material,
)
from haven.legal.models import Advocate, Consultation, Matter
from haven.orgs import actions as org_actions
from haven.orgs.models import Organisation
from haven.orgs.roles import Role
from haven.people.models import Person
from haven.perpetrators.models import Participant
from haven.reports.indicators import REPORTS, indicator, scope_for
from haven.reports.periods import parse_period
from haven.reports.queries import build_report

PROJECT = "2020-11-10..2021-10-31"
IN_PERIOD = date(2021, 2, 15)
BEFORE = date(2020, 10, 1)


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def people(org: Organisation, count: int, prefix: str) -> list[Person]:
    rows = [
        Person(
            org=org,
            survivor_code=f"{prefix}-{index:04d}",
            name="Synthetic Person",
            sex=Person.Sex.FEMALE,
            created_at=moment(BEFORE),
        )
        for index in range(count)
    ]
    return Person.objects.bulk_create(rows)


def cases_for(org: Organisation, survivors: list[Person]) -> list[Case]:
    rows = [Case(org=org, survivor=person, opened_at=moment(BEFORE)) for person in survivors]
    return Case.objects.bulk_create(rows)


def case_services(org: Organisation, cases: list[Case], kind: str, day: date) -> list[CaseService]:
    return CaseService.objects.bulk_create(
        CaseService(
            org=org,
            case=case,
            kind=kind,
            status=CaseService.Status.PROVIDED,
            started_on=day,
            recorded_at=moment(day),
        )
        for case in cases
    )


def consultations(org: Organisation, cases: list[Case], advocate: Advocate, day: date, **fields: Any) -> None:
    status = fields.get("status", Consultation.Status.HELD)
    held = status == Consultation.Status.HELD
    services: list[CaseService | None] = [None] * len(cases)
    if held:
        services = list(case_services(org, cases, ServiceKind.LEGAL_INFORMATION, day))
    Consultation.objects.bulk_create(
        Consultation(
            org=org,
            case=case,
            advocate=advocate,
            held_at=moment(day),
            modality=fields.get("modality", Consultation.Modality.IN_PERSON),
            status=status,
            service=service,
            recorded_at=moment(day),
        )
        for case, service in zip(cases, services, strict=True)
    )


def counselling(world: World, cases: list[Case], day: date) -> None:
    services = case_services(world.org, cases, ServiceKind.MENTAL_HEALTH, day)
    CounsellingSession.objects.bulk_create(
        CounsellingSession(
            org=world.org,
            case=case,
            service=service,
            kind=SessionKind.PSYCHOLOGICAL,
            counsellor=world.members[Role.COUNSELLOR],
            modality="IN_PERSON",
            language="ru",
            starts_at=moment(day),
            duration_minutes=50,
            recorded_at=moment(day),
        )
        for case, service in zip(cases, services, strict=True)
    )


def participants(org: Organisation, count: int, day: date, prefix: str) -> None:
    Participant.objects.bulk_create(
        Participant(
            org=org,
            code=f"{prefix}-{index:04d}",
            name="Synthetic Man",
            language="ru",
            referral_source=Participant.ReferralSource.SELF
            if index % 2
            else Participant.ReferralSource.COURT,
            created_at=moment(day),
        )
        for index in range(count)
    )


def training(world: World, trainees: list[Person]) -> None:
    course = Activity.objects.create(
        org=world.org,
        kind=ActivityKind.GENDER_DIGITAL_RIGHTS,
        title="Gender and digital rights",
        audience=Audience.WOMEN_AND_GIRLS,
        language="ru",
        starts_on=IN_PERIOD,
        created_at=moment(IN_PERIOD),
    )
    Enrolment.objects.bulk_create(
        Enrolment(org=world.org, activity=course, person=person, enrolled_at=moment(IN_PERIOD))
        for person in trainees
    )
    # enrolled in a second course: still one person trained
    life = Activity.objects.create(
        org=world.org,
        kind=ActivityKind.LIFE_SKILLS,
        title="Life skills",
        audience=Audience.WOMEN,
        language="ru",
        starts_on=IN_PERIOD,
        created_at=moment(IN_PERIOD),
    )
    Enrolment.objects.create(org=world.org, activity=life, person=trainees[0], enrolled_at=moment(IN_PERIOD))
    # a community meeting is not a training
    meeting = Activity.objects.create(
        org=world.org,
        kind=ActivityKind.COMMUNITY_MEETING,
        title="Community meeting",
        audience=Audience.COMMUNITY,
        language="ru",
        starts_on=IN_PERIOD,
        created_at=moment(IN_PERIOD),
    )
    Enrolment.objects.create(
        org=world.org, activity=meeting, person=trainees[1], enrolled_at=moment(IN_PERIOD)
    )
    police = Activity.objects.create(
        org=world.org,
        kind=ActivityKind.PROFESSIONAL_AWARENESS,
        title="Responding to domestic violence",
        audience=Audience.PROFESSIONALS,
        language="ru",
        starts_on=IN_PERIOD,
        created_at=moment(IN_PERIOD),
    )
    for day, counts in (
        (IN_PERIOD, {Institution.POLICE: 12, Institution.HEALTH: 3}),
        (BEFORE, {Institution.LAW: 9}),
    ):
        session = ActivitySession.objects.create(
            org=world.org, activity=police, starts_at=moment(day), language="ru", created_at=moment(day)
        )
        AnonymousCount.objects.bulk_create(
            AnonymousCount(
                org=world.org, session=session, sex="MALE", age_group="25_59", institution=kind, count=n
            )
            for kind, n in counts.items()
        )


def campaign(org: Organisation, copies: dict[str, list[tuple[date, int]]], area: Any = None) -> None:
    stop = Campaign.objects.create(
        org=org,
        title="#StopViolence",
        starts_on=date(2020, 12, 1),
        ends_on=date(2021, 3, 1),
        created_at=moment(BEFORE),
    )
    for kind, handed_out in copies.items():
        material = Material.objects.create(
            org=org,
            campaign=stop,
            kind=kind,
            title=f"{kind} title",
            language="ru",
            audience="everyone",
            quantity_produced=5000,
            created_at=moment(BEFORE),
        )
        Distribution.objects.bulk_create(
            Distribution(
                org=org, material=material, quantity=n, distributed_on=day, area=area, recorded_at=moment(day)
            )
            for day, n in handed_out
        )


@pytest.fixture
def kazakh(world: World) -> World:
    home = world.org
    survivors = people(home, 200, "KZ")
    cases = cases_for(home, survivors)
    lawyer = Advocate.objects.create(
        org=home,
        kind=Advocate.Kind.IN_HOUSE,
        membership=world.members[Role.LAWYER],
        created_at=moment(BEFORE),
    )
    consultations(home, cases[:170], lawyer, IN_PERIOD)
    consultations(home, cases[170:176], lawyer, IN_PERIOD, modality=Consultation.Modality.PHONE)
    consultations(home, cases[:1], lawyer, IN_PERIOD + timedelta(days=7))  # her second: one woman
    consultations(home, cases[176:180], lawyer, IN_PERIOD, status=Consultation.Status.MISSED)
    consultations(home, cases[180:182], lawyer, IN_PERIOD, status=Consultation.Status.CANCELLED)
    consultations(home, cases[182:185], lawyer, BEFORE)
    Matter.objects.bulk_create(
        Matter(
            org=home,
            case=case,
            kind=Matter.Kind.PROTECTION_ORDER if index < 8 else Matter.Kind.DIVORCE,
            reference=f"L-2021-{index:04d}",
            opened_on=IN_PERIOD,
            created_at=moment(IN_PERIOD),
        )
        for index, case in enumerate(cases[:11])
    )
    counselling(world, cases[50:149], IN_PERIOD)  # 99 women
    counselling(world, cases[50:53], IN_PERIOD + timedelta(days=14))  # three of them came back
    counselling(world, cases[190:195], BEFORE)
    participants(home, 17, IN_PERIOD, "P-2021")
    participants(home, 2, BEFORE, "P-2020")
    training(world, survivors[100:185])
    campaign(
        home,
        {
            Material.Kind.BOOKLET: [(date(2020, 12, 5), 1200), (date(2021, 1, 20), 800), (BEFORE, 300)],
            Material.Kind.BROCHURE: [(date(2021, 1, 20), 600)],
        },
        area=world.district,
    )
    # another organisation's records, inside the period
    other = world.other_org
    elsewhere = cases_for(other, people(other, 3, "EL"))
    foreign_lawyer = Advocate.objects.create(
        org=other, kind=Advocate.Kind.EXTERNAL, name="Outside", created_at=moment(BEFORE)
    )
    consultations(other, elsewhere, foreign_lawyer, IN_PERIOD)
    participants(other, 4, IN_PERIOD, "P-2021")
    campaign(other, {Material.Kind.BOOKLET: [(IN_PERIOD, 999)]})
    return world


def test_it_builds_the_kazakh_projects_published_figures_and_their_breakdowns(kazakh: World) -> None:
    scope = scope_for(kazakh.org, parse_period(PROJECT))
    result = build_report(REPORTS["services"], scope, by=("material_kind",), suppress=False)
    totals = {item.indicator.code: item.table.total.value for item in result.results}
    assert totals == {
        "services.legal_clients": 176,
        "services.legal_consultations": 177,
        "services.legal_matters": 11,
        "services.counselling_clients": 99,
        "services.counselling_sessions": 102,
        "services.perpetrator_participants": 17,
        "services.people_trained": 85,
        "services.professionals_trained": 15,
        "services.materials_distributed": 2600,
        "services.campaigns": 1,
    }
    materials = next(
        item for item in result.results if item.indicator.code == "services.materials_distributed"
    )
    assert materials.table.cells == {
        (Material.Kind.BOOKLET,): materials.table.cells[(Material.Kind.BOOKLET,)],
        (Material.Kind.BROCHURE,): materials.table.cells[(Material.Kind.BROCHURE,)],
    }
    assert materials.table.value(Material.Kind.BOOKLET) == 2000
    assert materials.table.value(Material.Kind.BROCHURE) == 600
    assert [names for _key, names, _cell, _before in materials.rows()] == [["Booklet"], ["Brochure"]]
    check_breakdowns(kazakh)


def check_breakdowns(kazakh: World) -> None:
    """Disaggregations, the area filter and another period, on the same records (one costly fixture)."""
    scope = scope_for(kazakh.org, parse_period(PROJECT))
    legal = indicator("services.legal_clients").table(scope, ("consultation_modality",))
    assert legal.cells == {("IN_PERSON",): legal.cells[("IN_PERSON",)], ("PHONE",): legal.cells[("PHONE",)]}
    assert (legal.value("IN_PERSON"), legal.value("PHONE"), legal.total.value) == (170, 6, 176)
    matters = indicator("services.legal_matters").table(scope, ("legal_matter_kind",))
    assert (matters.value("PROTECTION_ORDER"), matters.value("DIVORCE")) == (8, 3)
    men = indicator("services.perpetrator_participants").table(scope, ("perpetrator_referral",))
    assert (men.value("COURT"), men.value("SELF")) == (9, 8)
    professionals = indicator("services.professionals_trained").table(scope, ("professional_institution",))
    assert professionals.cells.keys() == {("POLICE",), ("HEALTH",)}
    assert (professionals.value("POLICE"), professionals.value("HEALTH")) == (12, 3)
    by_month = indicator("services.materials_distributed").table(scope, ("month", "material_kind"))
    assert by_month.value("2020-12", "BOOKLET") == 1200
    assert by_month.value("2021-01", "BROCHURE") == 600
    assert by_month.total.value == 2600
    # materials are handed out in an area: under the district they count, under a sibling they do not
    assert indicator("services.materials_distributed").table(scope).total.value == 2600
    sibling = org_actions.create_area(
        org=kazakh.org,
        name="Elsewhere",
        level=kazakh.district.level,
        parent=kazakh.district.parent,
        acting_user=None,
        at=kazakh.at,
    )
    assert (
        indicator("services.materials_distributed")
        .table(scope_for(kazakh.org, scope.period, kazakh.district))
        .total.value
        == 2600
    )
    assert (
        indicator("services.materials_distributed")
        .table(scope_for(kazakh.org, scope.period, sibling))
        .total.value
        == 0
    )
    # the period before the project: what happened before 10 November 2020 only
    before = scope_for(kazakh.org, parse_period("2020-10"))
    assert indicator("services.legal_clients").table(before).total.value == 3
    assert indicator("services.counselling_clients").table(before).total.value == 5
    assert indicator("services.professionals_trained").table(before).total.value == 9
    assert indicator("services.campaigns").table(before).total.value == 0


def test_the_report_is_for_the_roles_named() -> None:
    report = REPORTS["services"]
    assert report.readers == {Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.DATA_OFFICER}
    assert report.sees_small_cells(Role.CENTRE_MANAGER)
    assert not report.sees_small_cells(Role.DATA_OFFICER)
