"""Closed cases purged under a policy: whole or in part, only when due, never open ones."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from haven.cases.models import Case, CaseNote, Incident
from haven.conftest import World
from haven.hotline.models import Contact
from haven.legal.actions import open_matter
from haven.legal.models import Matter
from haven.privacy import audit
from haven.privacy.models import AuditEntry
from haven.retention.actions import purge_all, set_retention_policy
from haven.retention.models import RetentionPolicy
from haven.retention.record_types import CLOSED_CASE
from haven.retention.tests.factories import closed_case, database_text

pytestmark = pytest.mark.django_db


def _policy(world: World, mode: str) -> RetentionPolicy:
    return set_retention_policy(
        org=world.org,
        record_type=CLOSED_CASE,
        keep_days=365,
        mode=mode,
        active=True,
        acting_user=None,
        at=world.at,
    )


def _purge_entries(world: World) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(org=world.org, action="retention.purge").order_by("at", "seq"))


def _assert_gone(text: str, traces: list[str]) -> None:
    for value in traces:
        assert value not in text


def _assert_kept(text: str, traces: list[str]) -> None:
    for value in traces:
        assert value in text


def test_it_deletes_due_closed_cases_whole_in_batches(world: World) -> None:
    _policy(world, RetentionPolicy.Mode.WHOLE)
    old_a, traces_a = closed_case(world, closed_at=world.at - timedelta(days=400), marker="OLD-A")
    old_b, traces_b = closed_case(world, closed_at=world.at - timedelta(days=366), marker="OLD-B")
    recent, traces_recent = closed_case(world, closed_at=world.at - timedelta(days=300), marker="RECENT")
    still_open, traces_open = closed_case(world, closed_at=None, marker="OPEN")

    purge_all(at=world.at, batch_size=1)

    assert set(Case.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not Incident.objects.filter(case_id__in=[old_a.pk, old_b.pk]).exists()
    assert not CaseNote.objects.filter(case_id__in=[old_a.pk, old_b.pk]).exists()
    text = database_text()
    _assert_gone(text, traces_a.values + traces_b.values)
    _assert_kept(text, traces_recent.values[2:] + traces_open.values[2:])
    entries = _purge_entries(world)
    assert [entry.reason_code for entry in entries] == ["closed_case/WHOLE/1", "closed_case/WHOLE/1"]
    assert all(entry.fields == [] and entry.object_type == "retention.retentionpolicy" for entry in entries)
    assert all(str(old_a.pk) not in entry.object_id for entry in entries)
    assert audit.verify_all()[1] == []


def test_it_keeps_a_case_another_record_still_points_at(world: World) -> None:
    _policy(world, RetentionPolicy.Mode.WHOLE)
    linked, _traces = closed_case(world, closed_at=world.at - timedelta(days=400), marker="LINKED")
    Contact.objects.create(
        org=world.org,
        offered_at=world.at - timedelta(days=401),
        ended_at=world.at - timedelta(days=401),
        case=linked,
    )

    purge_all(at=world.at)

    assert Case.objects.filter(pk=linked.pk).exists()
    assert _purge_entries(world) == []


def test_it_erases_narratives_and_keeps_the_gbvims_facts(world: World) -> None:
    _policy(world, RetentionPolicy.Mode.PARTIAL)
    old, traces_old = closed_case(world, closed_at=world.at - timedelta(days=400), marker="OLD")
    recent, traces_recent = closed_case(world, closed_at=world.at - timedelta(days=10), marker="RECENT")

    purge_all(at=world.at)

    incident = Incident.objects.get(case=old)
    assert (incident.violence_type, incident.survivor_age_at_incident) == ("PHYSICAL_ASSAULT", 30)
    assert incident.narrative == ""
    assert CaseNote.objects.get(case=old).text == ""
    assert Incident.objects.get(case=recent).narrative == "Synthetic account RECENT"
    text = database_text()
    _assert_gone(text, traces_old.values)
    _assert_kept(text, traces_recent.values[2:])
    assert [entry.reason_code for entry in _purge_entries(world)] == ["closed_case/PARTIAL/1"]
    assert audit.verify_all()[1] == []


def test_a_case_with_a_legal_matter_still_open_is_held(world: World) -> None:
    _policy(world, RetentionPolicy.Mode.PARTIAL)
    case, _traces = closed_case(world, closed_at=None, marker="COURT")
    open_matter(
        case=case,
        kind=Matter.Kind.PROTECTION_ORDER,
        opened_on=date(2025, 1, 1),
        court="Synthetic Court",
        acting_user=None,
        at=world.at,
    )
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, closed_at=world.at - timedelta(days=400)
    )

    purge_all(at=world.at)

    assert Incident.objects.get(case=case).narrative == "Synthetic account COURT"
    assert _purge_entries(world) == []


def test_a_second_run_finds_nothing_more_to_erase(world: World) -> None:
    _policy(world, RetentionPolicy.Mode.PARTIAL)
    closed_case(world, closed_at=world.at - timedelta(days=400), marker="OLD")

    purge_all(at=world.at)
    purge_all(at=world.at + timedelta(days=1))

    assert len(_purge_entries(world)) == 1


def test_an_inactive_policy_purges_nothing(world: World) -> None:
    policy = _policy(world, RetentionPolicy.Mode.WHOLE)
    set_retention_policy(
        org=world.org,
        record_type=CLOSED_CASE,
        keep_days=policy.keep_days,
        mode=policy.mode,
        active=False,
        acting_user=None,
        at=world.at,
    )
    case, _traces = closed_case(world, closed_at=world.at - timedelta(days=400), marker="OLD")

    purge_all(at=world.at)

    assert Case.objects.filter(pk=case.pk).exists()
