"""The bulk path and the per-person judgement agree: for a varied synthetic population (ages on the
boundaries, 29 February, missing values, shared households, past and current enrolments, a tree of
areas), the SQL list of eligible women and their scores equals what `judge` says for each of them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from haven.benefits import rules
from haven.benefits.eligibility import eligible_beneficiaries, judge, top_per_area
from haven.benefits.models import Beneficiary, Enrolment, Programme, RuleSet
from haven.benefits.tests import factories
from haven.conftest import make_org
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Organisation
from haven.people.models import Household, Person

POPULATION = 200
DATES = (date(2026, 5, 15), date(2028, 2, 29))

EVERY_OPERATOR: dict[str, list[dict[str, Any]]] = {
    "eligibility": [
        {"name": "not_man", "field": "sex", "op": "!=", "value": "MALE"},
        {
            "name": "place",
            "any": [
                {"field": "area", "op": "=", "value": "UPAZILA_A"},
                {
                    "all": [
                        {"field": "area", "op": "!=", "value": "UNION_B1"},
                        {"field": "age", "op": ">", "value": 30},
                    ]
                },
            ],
        },
        {"name": "age", "not": {"field": "age", "op": "in", "value": [33, 34, 40]}},
        {"name": "age_set", "field": "age", "op": "is_set"},
        {"name": "age_not", "field": "age", "op": "!=", "value": 44},
        {
            "name": "land",
            "any": [
                {"field": "land_decimals", "op": "between", "value": [2.5, 30]},
                {"field": "land_decimals", "op": "is_set", "value": False},
            ],
        },
        {"name": "income", "not": {"field": "monthly_income", "op": ">=", "value": 11000}},
        {
            "name": "delivery",
            "any": [
                {"field": "pregnant", "op": "=", "value": False},
                {"field": "months_to_delivery", "op": "<=", "value": 6},
            ],
        },
    ],
    "priority": [
        {"name": "young", "points": 12.5, "field": "age", "op": "<", "value": 25},
        {"name": "income_known", "points": -3, "field": "monthly_income", "op": "!=", "value": 5000},
        {"name": "id", "points": 7, "field": "has_national_id", "op": "!=", "value": False},
        {
            "name": "status",
            "points": 4.25,
            "field": "marital_status",
            "op": "in",
            "value": ["SINGLE", "ABANDONED"],
        },
        {"name": "exact_age", "points": 1, "field": "age", "op": "=", "value": 35},
    ],
    "exclusions": [{"name": "recent", "kind": "enrolled_before", "months": 6}],
}


@pytest.fixture
def world_of_women(db: None) -> dict[str, Any]:
    """Areas, programmes with rule sets, and a seeded random population with enrolments."""
    org = make_org("bd-bulk", at=timezone.now())
    areas = _areas(org)
    vwb, mcb = factories.vwb(org), factories.mother_and_child(org)
    oaa = factories.vwb(org, code="oaa", name="Old age allowance")
    women = _population(org, random.Random(7), list(areas.values()))
    _enrol_some(random.Random(11), women, vwb, mcb, oaa)
    sink = _substitute_areas(EVERY_OPERATOR, areas)
    return {
        "org": org,
        "areas": areas,
        "rule_sets": [
            _rule_set(vwb, rules.VWB_RULES),
            _rule_set(mcb, rules.MOTHER_AND_CHILD_RULES),
            _rule_set(vwb, sink, version=2),
        ],
    }


def _areas(org: Organisation) -> dict[str, Area]:
    at, made = timezone.now(), {}

    def area(key: str, level: int, parent: Area | None) -> Area:
        made[key] = org_actions.create_area(
            org=org, name=key, level=level, parent=parent, acting_user=None, at=at
        )
        return made[key]

    district = area("DISTRICT", Area.Level.DISTRICT, None)
    for upazila_key in ("A", "B"):
        upazila = area(f"UPAZILA_{upazila_key}", Area.Level.SUBDISTRICT, district)
        for n in (1, 2):
            area(f"UNION_{upazila_key}{n}", Area.Level.LOCALITY, upazila)
    return made


def _substitute_areas(seed: dict[str, Any], areas: dict[str, Area]) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return str(areas[value].pk) if isinstance(value, str) and value in areas else value

    result: dict[str, Any] = walk(seed)
    return result


def _rule_set(programme: Programme, seed: dict[str, Any], version: int = 1) -> RuleSet:
    rules.validate_rule_set(seed["eligibility"], seed["priority"], seed["exclusions"], org=programme.org)
    return RuleSet.objects.create(
        org=programme.org, programme=programme, version=version, created_at=timezone.now(), **seed
    )


def _birthdays(rng: random.Random) -> date | None:
    """Many birthdays sit on the edges of 20, 25, 35 and 51 years before one of the test dates."""
    if rng.random() < 0.06:
        return None
    if rng.random() < 0.1:
        return date(rng.choice([1976, 1980, 2004, 2008]), 2, 29)
    on = rng.choice(DATES)
    years = rng.choice([20, 25, 35, 44, 51, rng.randint(15, 60)])
    return rules.years_before(on, years) + timedelta(days=rng.choice([-1, 0, 1, rng.randint(-400, 400)]))


def _person(org: Organisation, index: int, rng: random.Random) -> Person:
    has_id = rng.random() < 0.8
    return Person(
        org=org,
        survivor_code=f"SYN-{index:05d}",
        name=f"Synthetic {index}",
        created_at=timezone.now(),
        sex=rng.choice(["FEMALE"] * 8 + ["MALE", "UNKNOWN"]),
        marital_status=rng.choice(list(Person.MaritalStatus.values)),
        born_on=_birthdays(rng),
        id_kind=rng.choice(["NATIONAL_ID"] * 4 + ["PASSPORT", ""]),
        id_number_index=f"id-{index}" if has_id else "",
        phone_index=f"ph-{index}" if rng.random() < 0.85 else "",
    )


def _population(org: Organisation, rng: random.Random, areas: list[Area]) -> list[Beneficiary]:
    people = Person.objects.bulk_create([_person(org, i, rng) for i in range(POPULATION)])
    households = [
        Household.objects.create(org=org, head=people[i], created_at=timezone.now()) for i in range(0, 60, 3)
    ]
    women = [_beneficiary(org, person, rng, areas, households) for person in people]
    return Beneficiary.objects.bulk_create(women)


def _beneficiary(
    org: Organisation, person: Person, rng: random.Random, areas: list[Area], households: list[Household]
) -> Beneficiary:
    on = rng.choice(DATES)
    return Beneficiary(
        org=org,
        person=person,
        household=rng.choice(households) if rng.random() < 0.4 else None,
        area=rng.choice(areas),
        mobile_is_own=rng.random() < 0.8,
        land_decimals=rng.choice(
            [None, Decimal(15), Decimal("14.99"), Decimal("2.50"), Decimal(rng.randint(0, 4000)) / 100]
        ),
        monthly_income=rng.choice([None, 4000, 5000, 8000, 7999, 11000, rng.randint(0, 15000)]),
        household_has_disabled_member=rng.random() < 0.3,
        expected_delivery_on=rng.choice(
            [
                None,
                None,
                rules.add_months(on, rng.choice([0, 5, 6, 7])),
                on + timedelta(days=rng.randint(-60, 300)),
            ]
        ),
        registered_at=timezone.now() - timedelta(minutes=rng.randint(0, 50)),
    )


def _enrol_some(rng: random.Random, women: list[Beneficiary], *programmes: Programme) -> None:
    """Current and past enrolments, so every exclusion has women on both sides of it."""
    for index, who in enumerate(rng.sample(women, 70)):
        programme = programmes[index % len(programmes)]
        start = rules.add_months(date(2026, 1, 1), -rng.randint(0, 80))
        made = factories.enrolment(programme, who, starts_on=start)
        if rng.random() < 0.5:
            exit_on = start + timedelta(days=rng.randint(0, 700))
            Enrolment.objects.filter(pk=made.pk).update(status=Enrolment.Status.EXITED, exited_on=exit_on)


def _everyone(org: Organisation) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.filter(org=org).select_related(
        "person", "area__parent__parent__parent__parent"
    )


def test_the_sql_list_equals_the_judgement_of_each_woman(world_of_women: dict[str, Any]) -> None:
    everyone = list(_everyone(world_of_women["org"]))
    vwb, mcb, every_operator = world_of_women["rule_sets"]
    # Each pairing judges 200 women one by one; four pairings keep the test quick and cover 29 February.
    for rule_set, on in ((vwb, DATES[0]), (vwb, DATES[1]), (mcb, DATES[0]), (every_operator, DATES[1])):
        in_sql = dict(eligible_beneficiaries(rule_set, on=on).values_list("pk", "priority_score"))
        judged = {b.pk: judge(b, rule_set, on=on) for b in everyone}
        by_judge = {pk: j.priority for pk, j in judged.items() if j.eligible}
        assert in_sql.keys() == by_judge.keys(), (rule_set.version, rule_set.programme.code, on)
        assert {pk: Decimal(s) for pk, s in in_sql.items()} == by_judge
        assert 0 < len(in_sql) < POPULATION  # the rules split the population: the test can fail


def test_it_is_one_query_and_loads_nothing_until_read(
    world_of_women: dict[str, Any], django_assert_num_queries: Any
) -> None:
    vwb = world_of_women["rule_sets"][0]
    with django_assert_num_queries(0):
        listed = eligible_beneficiaries(vwb, on=DATES[0])
    with django_assert_num_queries(1):
        assert listed.count() > 0
    with django_assert_num_queries(1):
        list(listed[:20])


def test_ties_are_broken_the_same_way_every_time(world_of_women: dict[str, Any]) -> None:
    vwb = world_of_women["rule_sets"][0]
    ranked = list(
        eligible_beneficiaries(vwb, on=DATES[0]).values_list("priority_score", "registered_at", "pk")
    )
    assert ranked == sorted(ranked, key=lambda row: (-row[0], row[1], row[2]))
    assert len({row[0] for row in ranked}) < len(ranked)  # there are ties to break


def test_among_narrows_and_other_organisations_never_appear(world_of_women: dict[str, Any]) -> None:
    vwb = world_of_women["rule_sets"][0]
    union = world_of_women["areas"]["UNION_A1"]
    outsider_org = make_org("elsewhere-bulk", at=timezone.now())
    stranger = factories.beneficiary(outsider_org)
    listed = eligible_beneficiaries(vwb, on=DATES[0], among=Beneficiary.objects.filter(area=union))
    assert set(listed.values_list("area_id", flat=True)) == {union.pk}
    assert not eligible_beneficiaries(vwb, on=DATES[0]).filter(pk=stranger.pk).exists()
    with pytest.raises(TypeError):
        eligible_beneficiaries(vwb, on=DATES[0], among=Enrolment.objects.all())


def test_top_per_area_cuts_each_union_in_priority_order(world_of_women: dict[str, Any]) -> None:
    vwb = world_of_women["rule_sets"][0]
    ranked = eligible_beneficiaries(vwb, on=DATES[0])
    full = list(ranked.values_list("area_id", "pk"))
    expected: dict[Any, list[Any]] = {}
    for area_id, pk in full:
        expected.setdefault(area_id, [])
        if len(expected[area_id]) < 3:
            expected[area_id].append(pk)
    got: dict[Any, list[Any]] = {}
    for area_id, pk in top_per_area(ranked, 3).values_list("area_id", "pk"):
        got.setdefault(area_id, []).append(pk)
    assert got == expected
