"""Ended hotline contacts and webchats purged under a policy: the transcript and summary go either way."""

from __future__ import annotations

from datetime import timedelta

import pytest

from haven.channels.models import InboundEvent, OutboundMessage
from haven.conftest import World
from haven.hotline.models import Contact, ContactAgent
from haven.privacy import audit
from haven.privacy.models import AuditEntry
from haven.retention.actions import purge_all, set_retention_policy
from haven.retention.models import RetentionPolicy
from haven.retention.record_types import ENDED_CONTACT
from haven.retention.tests.factories import database_text, ended_webchat, webchat_line

pytestmark = pytest.mark.django_db


def _policy(world: World, mode: str) -> None:
    set_retention_policy(
        org=world.org,
        record_type=ENDED_CONTACT,
        keep_days=90,
        mode=mode,
        active=True,
        acting_user=None,
        at=world.at,
    )


def _reason_codes(world: World) -> list[str]:
    entries = AuditEntry.objects.filter(org=world.org, action="retention.purge")
    return [entry.reason_code for entry in entries]


def test_it_deletes_ended_conversations_with_their_transcript(world: World) -> None:
    _policy(world, RetentionPolicy.Mode.WHOLE)
    line = webchat_line(world)
    old, traces_old = ended_webchat(world, line, ended_at=world.at - timedelta(days=91), marker="OLD")
    recent, traces_recent = ended_webchat(world, line, ended_at=world.at - timedelta(days=5), marker="NEW")
    ongoing, traces_ongoing = ended_webchat(world, line, ended_at=None, marker="LIVE")

    purge_all(at=world.at)

    assert set(Contact.objects.values_list("pk", flat=True)) == {recent.pk, ongoing.pk}
    assert not ContactAgent.objects.filter(contact_id=old.pk).exists()
    assert InboundEvent.objects.count() == OutboundMessage.objects.count() == 2
    text = database_text()
    assert all(value not in text for value in traces_old.values)
    assert all(value in text for value in [traces_recent.values[0], *traces_recent.values[5:]])
    assert all(value in text for value in [traces_ongoing.values[0], *traces_ongoing.values[5:]])
    assert _reason_codes(world) == ["ended_contact/WHOLE/1"]
    assert audit.verify_all()[1] == []


def test_it_erases_what_was_said_and_keeps_the_call_statistics(world: World) -> None:
    _policy(world, RetentionPolicy.Mode.PARTIAL)
    line = webchat_line(world)
    old, traces_old = ended_webchat(world, line, ended_at=world.at - timedelta(days=100), marker="OLD")
    recent, traces_recent = ended_webchat(world, line, ended_at=world.at - timedelta(days=5), marker="NEW")

    purge_all(at=world.at)

    kept = Contact.objects.get(pk=old.pk)
    assert (kept.kind, kept.outcome, kept.ended_at) == (old.kind, old.outcome, old.ended_at)
    assert (kept.summary, kept.sender_index, kept.person_id, kept.case_id) == ("", "", None, None)
    assert ContactAgent.objects.get(contact=old).briefing == ""
    assert Contact.objects.get(pk=recent.pk).summary == "Synthetic summary NEW"
    text = database_text()
    assert all(value not in text for value in traces_old.values)
    assert all(value in text for value in [traces_recent.values[0], *traces_recent.values[5:]])
    assert _reason_codes(world) == ["ended_contact/PARTIAL/1"]
    assert audit.verify_all()[1] == []
