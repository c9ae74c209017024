"""Importing a registry file: every row or none, identifiers normalised and blind-indexed as
`register_person` does, households linked, the errors file free of identifying values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from haven.benefits.imports import actions as import_actions
from haven.benefits.imports import matching
from haven.benefits.imports.models import ImportJob
from haven.benefits.imports.tests.helpers import bangladeshi, csv_bytes, registry_counts, row, run
from haven.benefits.models import Beneficiary
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Area, Organisation
from haven.people.actions import register_person
from haven.people.models import Household, HouseholdMember, Person
from haven.privacy.blind import identifier_index, phone_index
from haven.privacy.models import AuditEntry

Status = ImportJob.Status


@pytest.fixture
def org(world: World) -> Organisation:
    return bangladeshi(world.org)


def test_it_imports_every_row_normalised_and_linked_in_households(org: Organisation) -> None:
    rows = [
        row(
            registry_number="R-1",
            name="রোকেয়া খাতুন",
            latin_name="Rokeya Khatun",
            nid="১৯৯০ ১২৩৪ ৫৬৭৮৯",
            mobile="01711-000001",
            household_key="H1",
            relationship="parent",
            land_decimals="12.5",
            monthly_income="3500",
            disabled_member="yes",
            wallet_provider="bKash",
            wallet_number="01711000001",
            marital_status="widowed",
            born_on="14/03/1990",
        ),
        row(registry_number="R-2", household_key="H1", head="yes"),
        row(registry_number="R-3", household_key="H1", relationship="child", union="Dhamsona"),
        row(registry_number="R-4"),
    ]
    job = run(org, csv_bytes(rows))

    assert job.status == Status.DONE, job.errors_csv
    assert (job.rows_total, job.rows_imported, job.households, job.error_count) == (4, 4, 1, 0)
    first = Beneficiary.objects.select_related("person", "area").get(org=org, registry_number="R-1")
    person = first.person
    assert (person.id_number, person.phone, person.marital_status) == (
        "1990123456789",
        "+8801711000001",
        "WIDOWED",
    )
    assert person.id_number_index == identifier_index(org.pk, "NATIONAL_ID", "1990123456789")
    assert person.phone_index == phone_index(org.pk, "01711000001", "BD")
    assert person.born_on.isoformat() == "1990-03-14"
    assert person.name_tokens.exists()
    assert (first.land_decimals, first.monthly_income, first.household_has_disabled_member) == (
        Decimal("12.5"),
        3500,
        True,
    )
    assert (first.wallet_provider, first.wallet_number, first.mobile_is_own) == (
        "BKASH",
        "+8801711000001",
        True,
    )
    household = Household.objects.get(org=org)
    head = Beneficiary.objects.get(registry_number="R-2")
    assert household.head_id == head.person_id  # the row marked head, not the first row
    members = dict(
        HouseholdMember.objects.filter(household=household).values_list(
            "person__beneficiary__registry_number", "relationship"
        )
    )
    assert members == {"R-1": "PARENT", "R-3": "CHILD"}
    assert Beneficiary.objects.get(registry_number="R-3").area.name == "Dhamsona"
    assert Beneficiary.objects.get(registry_number="R-4").household_id is None
    assert job.upload is None and job.finished_at is not None
    assert AuditEntry.objects.filter(action="registry_import.apply", object_id=str(job.pk)).exists()
    assert list(job.transitions.values_list("to_status", flat=True)) == [
        "QUEUED",
        "CHECKING",
        "IMPORTING",
        "DONE",
    ]


def test_one_bad_row_refuses_the_whole_file_and_lists_every_problem(org: Organisation) -> None:
    before = registry_counts(org)
    rows = [row(), row(mobile="12ab", nid="12345", born_on="2999-01-01"), row(union="Nowhere"), row()]
    job = run(org, csv_bytes(rows))

    assert job.status == Status.REFUSED
    assert registry_counts(org) == before
    assert (job.refused_rows, job.error_count, job.rows_imported) == (2, 4, 0)
    lines = job.errors_csv.splitlines()
    assert lines[0] == "row,column,message"
    assert "3,mobile,This is not a phone number Haven can read." in lines
    assert '3,nid,"A Bangladesh national ID has 10, 13 or 17 digits."' in lines
    assert "4,union,No union of your organisation has this code or name." in lines
    # Identifying values never reach the errors file.
    assert "12ab" not in job.errors_csv and "12345" not in job.errors_csv


def test_a_trial_run_checks_every_row_and_imports_nothing(org: Organisation) -> None:
    before = registry_counts(org)
    job = run(org, csv_bytes([row(household_key="H"), row(household_key="H")]), dry_run=True)

    assert job.status == Status.CHECKED
    assert (job.rows_total, job.rows_checked, job.households, job.rows_imported) == (2, 2, 1, 0)
    assert registry_counts(org) == before


def test_a_national_id_already_in_the_registry_is_refused(org: Organisation) -> None:
    factories.beneficiary(org, person_details={"id_kind": "NATIONAL_ID", "id_number": "1990123456789"})
    before = registry_counts(org)
    job = run(org, csv_bytes([row(), row(nid="1990-1234-56789")]))

    assert job.status == Status.REFUSED
    assert (job.already_registered, job.refused_rows) == (1, 1)
    assert "3,nid,Already registered: a woman with this national ID is in the registry." in job.errors_csv
    assert registry_counts(org) == before


def test_the_same_national_id_twice_in_the_file_is_refused(org: Organisation) -> None:
    job = run(org, csv_bytes([row(nid="1990123456789"), row(), row(nid="1990 1234 56789")]))

    assert (job.status, job.repeated_in_file) == (Status.REFUSED, 1)
    assert "4,nid,The same national ID is on row 2." in job.errors_csv


def test_a_survivor_file_with_the_same_id_is_not_the_registry(org: Organisation) -> None:
    # A person known to survivor work but not in the registry neither blocks nor is reached by the import.
    register_person(
        org=org,
        name="Nasima",
        id_kind="NATIONAL_ID",
        id_number="1990123456789",
        acting_user=None,
        at=org.created_at,
    )
    job = run(org, csv_bytes([row(nid="1990123456789")]))

    assert (job.status, job.flagged_same_phone, job.flagged_similar_name) == (Status.DONE, 0, 0)


def test_registry_numbers_must_be_new_and_unique(org: Organisation) -> None:
    factories.beneficiary(org)  # registry number R-000001…
    existing = Beneficiary.objects.get(org=org).registry_number
    job = run(
        org,
        csv_bytes([row(registry_number="X-1"), row(registry_number="X-1"), row(registry_number=existing)]),
    )

    assert job.status == Status.REFUSED
    assert "3,registry_number,The same registry number is on row 2." in job.errors_csv
    assert "4,registry_number,This registry number is already in the registry." in job.errors_csv


def test_a_household_has_one_head(org: Organisation) -> None:
    job = run(org, csv_bytes([row(household_key="H", head="yes"), row(household_key="H", head="yes")]))

    assert "3,head,Row 2 already heads this household." in job.errors_csv


def test_a_union_name_two_unions_share_must_be_given_by_code(org: Organisation, world: World) -> None:
    upazila = Area.objects.create(org=org, name="Elsewhere upazila", level=Area.Level.SUBDISTRICT)
    Area.objects.create(org=org, name="Ashulia", level=Area.Level.LOCALITY, parent=upazila, code="ASH-99")
    job = run(org, csv_bytes([row(union="ashulia"), row(union="ash-99")]))

    assert job.status == Status.REFUSED
    assert "2,union,Several unions have this name: write the union's official code instead." in job.errors_csv
    assert job.error_count == 1


def test_a_crash_while_writing_leaves_nothing_behind(
    org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(**kwargs: object) -> None:
        raise RuntimeError("Nasima Akter 1990123456789")  # a message that quotes data must not be kept

    monkeypatch.setattr(matching, "flag_new_duplicates", explode)
    before = registry_counts(org)
    job = run(org, csv_bytes([row(household_key="H"), row(household_key="H")]))

    assert (job.status, job.failure) == (Status.FAILED, "RuntimeError")
    assert registry_counts(org) == before
    assert Person.objects.filter(org=org).count() == 0


def test_a_job_runs_once(org: Organisation) -> None:
    job = run(org, csv_bytes([row()]))
    with pytest.raises(ValidationError):
        import_actions.run_import(job=job, clock=lambda: job.created_at, content=b"")
