"""Times without a UTC offset, in the API or in a poll's query string, are read in the hotline's time zone:
never a server error."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.hotline.models import Callback
from haven.hotline.tests.test_callbacks import _person, _post, _tomorrow_at
from haven.hotline.tests.test_chat import _offline, _picked_up, _whatsapp_chat  # noqa: F401 (fixture)
from haven.privacy.models import AuditEntry


def test_a_callback_time_without_an_offset_is_her_local_time(world: World) -> None:
    person = _person(world, safe_to_call=True, safe_channel="PHONE", safe_hours="10:00-12:00")
    due_at = timezone.localtime(_tomorrow_at(11))

    response = _post(world, person, {"channel": "PHONE", "due_at": due_at.replace(tzinfo=None).isoformat()})

    assert response.status_code == 201
    assert Callback.objects.get(person=person).due_at == due_at


def test_a_callback_time_without_an_offset_outside_her_hours_is_refused(world: World) -> None:
    person = _person(world, safe_to_call=True, safe_channel="PHONE", safe_hours="10:00-12:00")
    naive = timezone.localtime(_tomorrow_at(15)).replace(tzinfo=None).isoformat()

    response = _post(world, person, {"channel": "PHONE", "due_at": naive})

    assert response.status_code == 422
    assert "outside her safe hours" in response.json()["errors"][0]["message"]
    assert not Callback.objects.filter(person=person).exists()


def test_a_chat_poll_with_a_time_without_an_offset_answers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _channel, contact = _whatsapp_chat(world, django_capture_on_commit_callbacks)
    agent = _picked_up(world, contact)
    url = reverse("hotline:chat", args=[contact.pk])
    reads = AuditEntry.objects.filter(action="contact.conversation_view", object_id=str(contact.pk))

    before = reads.count()
    long_ago = agent.get(url, {"seen": "2000-01-01T10:00:00"})

    assert long_ago.status_code == 200
    assert reads.count() == before + 1  # the poll shows messages newer than that: a read
