"""Registration: an application with its fee and documents, decided within 30 days (overdue listed),
a registration number on approval, renewal, and lapsing when not renewed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from haven.associations import actions, queries
from haven.associations.models import Association, AssociationTransition
from haven.associations.tests import walk
from haven.associations.tests.helpers import officer
from haven.conftest import World


def test_it_registers_an_application_with_its_documents_and_numbers_it(world: World) -> None:
    association = walk.application(world.org)
    assert association.decision_due_on == association.applied_on + timedelta(days=30)
    later = world.at + timedelta(minutes=1)
    approved = actions.approve_registration(association=association, acting_user=None, at=later)
    year = timezone.localdate(world.at).year
    assert approved.status == "REGISTERED" and approved.registration_number == f"VWA-{year}-00001"
    assert approved.registered_on is not None
    assert approved.expires_on == approved.registered_on.replace(year=year + 1) - timedelta(days=1)
    second = actions.approve_registration(
        association=walk.application(world.org), acting_user=None, at=world.at
    )
    assert second.registration_number == f"VWA-{year}-00002"
    moves = AssociationTransition.objects.filter(association=association).values_list(
        "from_status", "to_status"
    )
    assert list(moves) == [("", "APPLIED"), ("APPLIED", "REGISTERED")]
    with pytest.raises(ValidationError, match="already decided"):
        actions.approve_registration(association=association, acting_user=None, at=world.at)


def test_it_refuses_to_approve_without_the_three_documents(world: World) -> None:
    association = walk.application(world.org, documents=False)
    with pytest.raises(ValidationError) as refused:
        actions.approve_registration(association=association, acting_user=None, at=world.at)
    assert "Constitution" in str(refused.value) and "Minutes" in str(refused.value)
    association.refresh_from_db()
    assert association.status == "APPLIED" and association.registration_number == ""


def test_it_lists_applications_past_their_decision_date(world: World) -> None:
    late = walk.application(world.org)
    Association.objects.filter(pk=late.pk).update(decision_due_on=timezone.localdate() - timedelta(days=1))
    walk.application(world.org)
    assert [a.pk for a in queries.overdue_decisions(officer(world), timezone.localdate())] == [late.pk]


def test_an_unrenewed_registration_lapses_and_a_renewal_brings_it_back(world: World) -> None:
    association = walk.registered(world.org, grade=False)
    expired = timezone.localdate() - timedelta(days=3)
    Association.objects.filter(pk=association.pk).update(expires_on=expired)
    walk.registered(world.org, grade=False)  # still valid: untouched
    now = timezone.now()
    assert actions.lapse_associations(today=timezone.localdate(), at=now) == 1
    assert actions.lapse_associations(today=timezone.localdate(), at=now) == 0
    association.refresh_from_db()
    assert association.status == "LAPSED"
    renewal = actions.renew_registration(
        association=association,
        fee_amount=Decimal("300"),
        fee_receipt_number="REN-1",
        fee_paid_on=timezone.localdate(),
        acting_user=None,
        at=now + timedelta(minutes=1),
    )
    association.refresh_from_db()
    assert renewal.period_start == expired + timedelta(days=1)
    assert (association.status, association.expires_on) == ("REGISTERED", renewal.period_end)
    assert list(association.transitions.values_list("to_status", flat=True))[-2:] == ["LAPSED", "REGISTERED"]


def test_the_command_lapses_registrations_ended_before_the_day_given(world: World) -> None:
    association = walk.registered(world.org, grade=False)
    assert association.expires_on is not None
    out = StringIO()
    call_command(
        "lapse_associations", "--on", (association.expires_on + timedelta(days=1)).isoformat(), stdout=out
    )
    association.refresh_from_db()
    assert association.status == "LAPSED" and out.getvalue().startswith("1 ")
