"""Test factories shared by the benefits apps: a union, a programme like VWB or the Mother & child benefit,
a registered beneficiary, an enrolment. Synthetic data only.

They write rows directly (the verbs that create programmes and enrolments are tested on their own); each
factory returns a saved object of the given organisation.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from haven.benefits.models import Beneficiary, Enrolment, Programme
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Organisation
from haven.people.actions import register_person

_serial = itertools.count(1)


def union(org: Organisation, name: str = "Kaliganj union") -> Area:
    existing: Area | None = Area.objects.filter(org=org, name=name, level=Area.Level.LOCALITY).first()
    if existing is not None:
        return existing
    created: Area = org_actions.create_area(
        org=org, name=name, level=Area.Level.LOCALITY, acting_user=None, at=timezone.now()
    )
    return created


def vwb(org: Organisation, **overrides: Any) -> Programme:
    """Vulnerable Women Benefit: 30 kg of rice a month for 24 months, in kind, to a woman."""
    fields: dict[str, Any] = {
        "code": "vwb",
        "name": "Vulnerable Women Benefit",
        "benefit_kind": Programme.BenefitKind.IN_KIND,
        "target_level": Programme.TargetLevel.PERSON,
        "duration_months": 24,
        "item": "rice",
        "quantity_per_cycle": Decimal("30"),
        "unit": "kg",
        "created_at": timezone.now(),
    }
    fields.update(overrides)
    return Programme.objects.create(org=org, **fields)


def mother_and_child(org: Organisation, **overrides: Any) -> Programme:
    """Mother & child benefit: Tk 800 a month for 36 months to her mobile wallet; apply on days 1 to 20."""
    fields: dict[str, Any] = {
        "code": "mcb",
        "name": "Mother & child benefit",
        "benefit_kind": Programme.BenefitKind.CASH,
        "target_level": Programme.TargetLevel.PERSON,
        "duration_months": 36,
        "item": "BDT",
        "quantity_per_cycle": Decimal("800"),
        "unit": "BDT",
        "applications_open_day": 1,
        "applications_close_day": 20,
        "created_at": timezone.now(),
    }
    fields.update(overrides)
    return Programme.objects.create(org=org, **fields)


def beneficiary(
    org: Organisation,
    *,
    name: str = "Rokeya Khatun",
    born_on: date | None = date(1990, 3, 14),
    area: Area | None = None,
    at: datetime | None = None,
    person_details: dict[str, Any] | None = None,
    **fields: Any,
) -> Beneficiary:
    """A woman in the registry. `person_details` go to the person (phone, id_number, marital_status…)."""
    at = at or timezone.now()
    serial = next(_serial)
    details = {"sex": "FEMALE", "born_on": born_on, **(person_details or {})}
    person = register_person(org=org, name=name, acting_user=None, at=at, **details)
    return Beneficiary.objects.create(
        org=org,
        person=person,
        area=area or union(org),
        registry_number=f"R-{serial:06d}",
        registered_at=at,
        **fields,
    )


def enrolment(
    programme: Programme,
    who: Beneficiary | None = None,
    *,
    starts_on: date = date(2026, 1, 1),
    card_number: str | None = None,
) -> Enrolment:
    who = who or beneficiary(programme.org)
    months = programme.duration_months
    last_year, last_month = divmod(starts_on.month - 1 + months - 1, 12)
    return Enrolment.objects.create(
        org=programme.org,
        programme=programme,
        beneficiary=who,
        area=who.area,
        card_number=card_number or f"{programme.code.upper()}-{next(_serial):07d}",
        starts_on=starts_on,
        ends_on=date(starts_on.year + last_year, last_month + 1, 1),
        enrolled_at=timezone.now(),
    )
