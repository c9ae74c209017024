"""Helpers for the import tests: a Bangladeshi organisation with unions, files built from rows, and a
one-call import. Names, ID numbers and phones are synthetic."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from haven.benefits.imports.actions import run_import, upload_import
from haven.benefits.imports.columns import KEYS
from haven.benefits.imports.models import ImportJob
from haven.benefits.models import Beneficiary
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Organisation
from haven.people.models import DuplicateFlag, Household, HouseholdMember, Person, PersonNameToken

UNIONS = (("Ashulia", "ASH-01"), ("Dhamsona", "DHM-02"), ("Pathalia", "PTH-03"))


def bangladeshi(org: Organisation) -> Organisation:
    """Make the organisation Bangladeshi (phones and ID rules) and give it three unions with codes."""
    org.country = "BD"
    org.save(update_fields=["country"])
    for name, code in UNIONS:
        if not Area.objects.filter(org=org, code=code).exists():
            org_actions.create_area(
                org=org, name=name, code=code, level=Area.Level.LOCALITY, acting_user=None, at=timezone.now()
            )
    return org


_serial = iter(range(1, 10**6))


def row(**fields: Any) -> dict[str, Any]:
    """A valid row; each call a new woman (registry number, NID and phone unique) unless overridden."""
    n = next(_serial)
    base = {
        "registry_number": f"T-{n:06d}",
        "name": f"Nasima Akter {n}",
        "sex": "female",
        "born_on": "1988-05-17",
        "nid": f"{1990000000000 + n}",
        "mobile": f"0171{n:07d}",
        "mobile_is_own": "yes",
        "union": "ASH-01",
    }
    base.update(fields)
    return base


def csv_bytes(rows: Iterable[Mapping[str, Any]], columns: Iterable[str] = KEYS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def run(
    org: Organisation, content: bytes, *, dry_run: bool = False, file_name: str = "list.csv"
) -> ImportJob:
    job = upload_import(
        org=org,
        file_name=file_name,
        content=content,
        dry_run=dry_run,
        acting_user=None,
        at=timezone.now(),
        keep_upload=False,
    )
    return run_import(job=job, clock=timezone.now, content=content)


def registry_counts(org: Organisation) -> tuple[int, ...]:
    """Rows of each kind an import writes: a refused import must leave these unchanged."""
    return (
        Person.objects.filter(org=org).count(),
        PersonNameToken.objects.filter(org=org).count(),
        Beneficiary.objects.filter(org=org).count(),
        Household.objects.filter(org=org).count(),
        HouseholdMember.objects.filter(org=org).count(),
        DuplicateFlag.objects.filter(org=org).count(),
    )
