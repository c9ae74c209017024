"""Possible duplicates are imported and flagged for review, never merged: the same phone, or a similar
name with the same birth date (or day and month swapped), within the file and against the registry."""

from __future__ import annotations

import pytest

from haven.benefits.imports.models import ImportJob
from haven.benefits.imports.tests.helpers import bangladeshi, csv_bytes, row, run
from haven.benefits.models import Beneficiary
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Organisation
from haven.people.actions import register_person
from haven.people.models import DuplicateFlag

Status = ImportJob.Status


@pytest.fixture
def org(world: World) -> Organisation:
    return bangladeshi(world.org)


def _flags(org: Organisation) -> dict[frozenset[str], list[str]]:
    """Flagged pairs by the registry numbers of the two women."""
    number = dict(Beneficiary.objects.filter(org=org).values_list("person_id", "registry_number"))
    return {
        frozenset((number[a], number[b])): reasons
        for a, b, reasons in DuplicateFlag.objects.filter(org=org).values_list(
            "person_a", "person_b", "reasons"
        )
    }


def test_the_same_phone_in_the_file_is_flagged(org: Organisation) -> None:
    job = run(
        org,
        csv_bytes(
            [
                row(registry_number="A", name="Rokeya Khatun", mobile="01711000009"),
                row(
                    registry_number="B",
                    name="Salma Begum",
                    born_on="1970-01-01",
                    mobile="+880 1711-000009",
                    nid="",
                ),
            ]
        ),
    )

    assert (job.status, job.flagged_same_phone, job.flagged_similar_name) == (Status.DONE, 1, 0)
    assert _flags(org) == {frozenset({"A", "B"}): ["SAME_PHONE"]}


def test_a_similar_name_born_the_same_day_in_another_script_is_flagged(org: Organisation) -> None:
    job = run(
        org,
        csv_bytes(
            [
                row(registry_number="A", name="Fatema Begum", born_on="1991-04-09"),
                row(registry_number="B", name="ফাতেমা বেগম", born_on="1991-04-09", nid=""),
                row(
                    registry_number="C", name="Mst. Fatima Begom", born_on="1991-09-04", nid=""
                ),  # day/month swapped
                row(
                    registry_number="D", name="Fatema Begum", born_on="1993-04-09", nid=""
                ),  # another year: not her
            ]
        ),
    )

    assert job.flagged_similar_name == 3
    assert _flags(org) == {
        frozenset({"A", "B"}): ["SIMILAR_NAME_AND_BIRTH"],
        frozenset({"A", "C"}): ["SIMILAR_NAME_AND_BIRTH"],
        frozenset({"B", "C"}): ["SIMILAR_NAME_AND_BIRTH"],
    }


def test_namesakes_with_two_different_national_ids_are_two_women(org: Organisation) -> None:
    job = run(
        org,
        csv_bytes(
            [
                row(name="Fatema Begum", born_on="1991-04-09", nid="1991000000001"),
                row(name="Fatema Begum", born_on="1991-04-09", nid="1991000000002"),
            ]
        ),
    )

    assert (job.status, job.flagged_similar_name) == (Status.DONE, 0)


def test_women_already_in_the_registry_are_compared_too(org: Organisation) -> None:
    factories.beneficiary(org, name="Rokeya Khatun", person_details={"phone": "01711000077"})
    factories.beneficiary(org, name="Nargis Akter", born_on=None)
    job = run(
        org,
        csv_bytes(
            [
                row(registry_number="NEW-1", name="Shirin Sultana", mobile="01711000077"),
                row(registry_number="NEW-2", name="Rokaiya Khatoon", born_on="1990-03-14", nid=""),
            ]
        ),
    )

    assert (job.flagged_same_phone, job.flagged_similar_name) == (1, 1)
    pairs = _flags(org)
    assert sorted(reasons for reasons in pairs.values()) == [["SAME_PHONE"], ["SIMILAR_NAME_AND_BIRTH"]]
    assert all(any(n.startswith("NEW-") for n in pair) for pair in pairs)


def test_a_phone_on_many_records_is_a_placeholder_not_a_woman(org: Organisation) -> None:
    rows = [
        row(name=f"Woman {letter}", born_on=f"19{70 + i}-01-01", mobile="01700000000")
        for i, letter in enumerate("ABCDEFGHIJK")
    ]
    job = run(org, csv_bytes(rows))

    assert (job.status, job.flagged_same_phone) == (Status.DONE, 0)


def test_survivor_files_are_not_compared(org: Organisation) -> None:
    register_person(org=org, name="Rokeya Khatun", phone="01711000055", acting_user=None, at=org.created_at)
    job = run(org, csv_bytes([row(name="Rokeya Khatun", mobile="01711000055")]))

    assert (job.flagged_same_phone, DuplicateFlag.objects.filter(org=org).count()) == (0, 0)
