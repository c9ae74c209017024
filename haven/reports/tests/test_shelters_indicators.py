"""The shelters report's indicators against figures counted by hand, with stays crossing both edges of
the period, and against the shelters' own occupancy panel (the same definitions)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils import timezone

from haven.cases.actions import open_case
from haven.conftest import World
from haven.orgs import actions as org_actions
from haven.orgs.models import Organisation, Site
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.people.models import Person
from haven.reports.indicators import REPORTS, indicator, scope_for
from haven.reports.periods import parse_period
from haven.reports.queries import build_report
from haven.shelters import actions
from haven.shelters.models import Bed, Facility, Stay, StayResident, TurnAway
from haven.shelters.queries import occupancy

WOMAN, CHILD = StayResident.Role.WOMAN, StayResident.Role.CHILD
D = Stay.Destination


def at(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=UTC)


def _facility(world: World, site: Site, beds: int) -> Facility:
    facility = actions.create_facility(
        site=site,
        facility_type=Facility.Type.SHELTER,
        operator=Facility.Operator.NGO,
        acting_user=None,
        at=world.at,
    )
    actions.add_room(
        facility=facility,
        name="Room",
        beds=[actions.NewBed(str(n)) for n in range(1, beds + 1)],
        acting_user=None,
        at=world.at,
    )
    return facility


class Shelters:
    """Two facilities (4 and 2 beds) and their stays; what each contributes to March 2025 is noted."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.f1 = _facility(world, world.shelter, 4)
        hidden = org_actions.create_site(
            org=world.org,
            name="Safe house",
            kind=Site.Kind.SHELTER,
            address="1 Quiet Road",
            acting_user=None,
            at=world.at,
        )
        self.f2 = _facility(world, hidden, 2)
        f1, f2 = self.f1, self.f2
        # S1: since 25 Feb 12:00 with her child, left 5 Mar 10:00: 4 + 4 nights in March, 8 in February.
        self.s1 = self.stay(f1, at(2, 25, 12), at(3, 5, 10), D.FAMILY, [(WOMAN, "1"), (CHILD, "2")])
        # S2: from 10 Mar 09:00, still there: 22 nights for her; her son moved bed on the 20th: 10 + 12.
        self.s2 = self.stay(f1, at(3, 10, 9), None, "", [(WOMAN, "3")])
        son = self.person("Son", Person.Sex.MALE)
        self.resident(self.s2, son, "4", CHILD, at(3, 10, 9), at(3, 20, 15))
        self.resident(self.s2, son, "1", CHILD, at(3, 20, 15), None)
        # S3: from 28 Mar 20:00 to 3 Apr: 4 nights in March (it ends in April: not a March departure).
        self.stay(f2, at(3, 28, 20), at(4, 3, 11), D.NEW_HOUSING, [(WOMAN, "1")])
        # S4: 2 Mar 08:00 to 12 Mar 08:00: 10 nights, 10 days' stay.
        self.stay(f2, at(3, 2, 8), at(3, 12, 8), D.OWN_HOME, [(WOMAN, "2")])
        # S5: January to 20 February: nothing in March, 19 nights in February.
        self.stay(f2, at(1, 10, 12), at(2, 20, 9), D.OTHER_SHELTER, [(WOMAN, "1")])
        for facility, moment, reason in (
            (f1, at(3, 3), TurnAway.Reason.FULL),
            (f1, datetime(2025, 3, 31, 23, 59, tzinfo=UTC), TurnAway.Reason.FULL),
            (f2, at(3, 15), TurnAway.Reason.NOT_ACCEPTED),
            (f2, at(4, 1), TurnAway.Reason.FULL),  # April
        ):
            TurnAway.objects.create(org=world.org, facility=facility, reason=reason, at=moment)
        self.outsider_turn_away(world.other_org)

    def person(self, name: str, sex: str = Person.Sex.FEMALE) -> Person:
        return register_person(org=self.world.org, name=name, sex=sex, acting_user=None, at=self.world.at)

    def resident(
        self, stay: Stay, person: Person, label: str, role: str, start: datetime, end: datetime | None
    ) -> None:
        bed = Bed.objects.get(facility=stay.facility, label=label)
        StayResident.objects.create(
            org=stay.org, stay=stay, person=person, bed=bed, role=role, started_at=start, ended_at=end
        )

    def stay(
        self,
        facility: Facility,
        start: datetime,
        end: datetime | None,
        destination: str,
        beds: list[tuple[str, str]],
    ) -> Stay:
        woman = self.person("Woman")
        case = open_case(
            survivor=woman, lead=self.world.members[Role.CASEWORKER], acting_user=None, at=self.world.at
        )
        stay = Stay.objects.create(
            org=facility.org,
            facility=facility,
            case=case,
            status=Stay.Status.ACTIVE if end is None else Stay.Status.ENDED,
            arrival_kind=Stay.Arrival.WALK_IN,
            arrived_at=start,
            ended_at=end,
            destination=destination,
        )
        for role, label in beds:
            self.resident(stay, woman if role == WOMAN else self.person("Child"), label, role, start, end)
        return stay

    def outsider_turn_away(self, other: Organisation) -> None:
        site = Site.objects.create(
            org=other, name="Their shelter", kind=Site.Kind.SHELTER, is_confidential=True
        )
        facility = Facility.objects.create(
            org=other,
            site=site,
            facility_type=Facility.Type.SHELTER,
            operator=Facility.Operator.NGO,
            created_at=self.world.at,
        )
        TurnAway.objects.create(org=other, facility=facility, reason=TurnAway.Reason.FULL, at=at(3, 10))


def _cells(code: str, scope: object, by: tuple[str, ...]) -> dict[object, object]:
    table = indicator(code).table(scope, by)  # type: ignore[arg-type]
    return {
        key: (cell.value if cell.base is None else (cell.value, cell.base))
        for key, cell in table.cells.items()
    }


def test_shelter_figures_are_counted_as_by_hand_and_match_the_occupancy_panel(world: World) -> None:
    made = Shelters(world)
    f1, f2 = made.f1.pk, made.f2.pk
    march = scope_for(world.org, parse_period("2025-03"))

    def total(code: str, scope: object = march) -> object:
        cell = indicator(code).table(scope).total  # type: ignore[arg-type]
        return cell.value if cell.base is None else (cell.value, cell.base)

    assert total("shelters.admissions") == 3
    assert _cells("shelters.admissions", march, ("facility",)) == {(f1,): 1, (f2,): 2}
    assert _cells("shelters.admissions", march, ("area",)) == {(world.district.pk,): 1, (None,): 2}
    assert total("shelters.admissions_with_children") == 1
    assert total("shelters.children_admitted") == 1  # the son, once though he had two beds
    assert total("shelters.bed_nights") == 66
    assert _cells("shelters.bed_nights", march, ("facility",)) == {(f1,): 52, (f2,): 14}
    assert _cells("shelters.bed_nights", march, ("resident_role",)) == {(WOMAN,): 40, (CHILD,): 26}
    assert total("shelters.bed_nights", scope_for(world.org, parse_period("2025-02"))) == 27
    # 66 of 6 beds x 31 nights; 52 of 124; 14 of 62. The base is the people who slept there.
    assert total("shelters.occupancy") == (35.48, 6)
    assert _cells("shelters.occupancy", march, ("facility",)) == {(f1,): (41.94, 4), (f2,): (22.58, 2)}
    # Stays that ended in March: 7 days 22 hours and 10 days.
    assert total("shelters.average_stay") == (8.96, 2)
    assert _cells("shelters.average_stay", march, ("facility",)) == {(f1,): (7.92, 1), (f2,): (10.0, 1)}
    assert _cells("shelters.discharges", march, ("discharge_destination",)) == {
        (D.FAMILY,): 1,
        (D.OWN_HOME,): 1,
    }
    assert total("shelters.turn_aways") == 3
    assert _cells("shelters.turn_aways", march, ("facility", "turn_away_reason")) == {
        (f1, TurnAway.Reason.FULL): 2,
        (f2, TurnAway.Reason.NOT_ACCEPTED): 1,
    }
    in_district = scope_for(world.org, parse_period("2025-03"), world.district)
    assert (total("shelters.admissions", in_district), total("shelters.bed_nights", in_district)) == (1, 52)
    assert total("shelters.occupancy", in_district) == (41.94, 4)

    # The occupancy panel gives the same figures, in UTC and in a time zone far from it (local nights).
    for zone in ("UTC", "Asia/Dhaka", "America/Montreal"):
        with timezone.override(zone):
            panel = occupancy(Facility.objects.filter(org=world.org), date(2025, 3, 1), date(2025, 4, 1))
            assert total("shelters.bed_nights") == panel.bed_nights
            assert total("shelters.occupancy") == (round(panel.occupancy_rate * 100, 2), 6)  # type: ignore[operator]
            assert total("shelters.admissions") == panel.admissions
            assert total("shelters.admissions_with_children") == panel.admissions_with_children
            assert total("shelters.average_stay") == (panel.average_stay_days, panel.stays_ended)
            assert total("shelters.turn_aways") == sum(panel.turn_aways.values())

    # Facility names are labels for the report's readers; managers see small cells, others do not.
    report = REPORTS["shelters"]
    assert report.sees_small_cells(Role.SHELTER_MANAGER) and not report.sees_small_cells(Role.ORG_ADMIN)
    built = build_report(report, march, by=("facility",), suppress=False)
    assert built.results[0].labels["facility"] == {f1: "Shelter", f2: "Safe house"}
    suppressed = build_report(report, march, by=("facility",))
    occupancy_result = next(r for r in suppressed.results if r.indicator.code == "shelters.occupancy")
    assert occupancy_result.table.cells[(f2,)].suppressed  # two women: too few to show
