"""Outbound messages go through the sender interface; WhatsApp's 24-hour window is enforced."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from haven.channels.actions import send_message
from haven.channels.models import Channel, InboundEvent, OutboundMessage
from haven.channels.senders import RecordingSender
from haven.channels.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

WINDOW_CLOSED = "only allows an approved template now"


def _whatsapp_with_message_hours_ago(world: World, hours: int) -> tuple[Channel, str]:
    channel = factories.channel(world.org, "WHATSAPP", approved_templates=["check_in_v1"])
    factories.post_meta(Client(), channel, factories.meta_message())
    InboundEvent.objects.update(received_at=timezone.now() - timedelta(hours=hours))
    return channel, "+15145550123"


def _send(world: World, channel: Channel, body: dict[str, object]) -> Any:
    token = world.token_for(world.members[Role.HOTLINE_AGENT])
    return Client().post(
        f"/api/v1/channels/{channel.pk}/messages",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_free_text_within_24_hours_of_her_message_is_sent(world: World) -> None:
    channel, her = _whatsapp_with_message_hours_ago(world, 23)
    response = _send(world, channel, {"to": her, "text": "We can talk now."})
    assert response.status_code == 201
    [(_channel, message)] = RecordingSender.outbox
    assert (message.to, message.text) == (her, "We can talk now.")
    stored = OutboundMessage.objects.get()
    assert stored.body == "We can talk now." and stored.provider_message_id.startswith("recorded-")
    assert AuditEntry.objects.filter(action="channel.message_send", object_id=str(stored.pk)).exists()


def test_free_text_after_24_hours_is_refused_and_says_to_use_a_template(world: World) -> None:
    channel, her = _whatsapp_with_message_hours_ago(world, 25)
    response = _send(world, channel, {"to": her, "text": "Are you safe?"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "text" and WINDOW_CLOSED in error["message"]
    assert not RecordingSender.outbox and not OutboundMessage.objects.exists()


def test_an_approved_template_goes_out_after_24_hours(world: World) -> None:
    channel, her = _whatsapp_with_message_hours_ago(world, 72)
    response = _send(world, channel, {"to": her, "template": "check_in_v1", "params": ["Monday"]})
    assert response.status_code == 201
    [(_channel, message)] = RecordingSender.outbox
    assert (message.template, message.params, message.language) == ("check_in_v1", ("Monday",), "en")


def test_a_template_that_meta_did_not_approve_is_refused(world: World) -> None:
    channel, her = _whatsapp_with_message_hours_ago(world, 72)
    response = _send(world, channel, {"to": her, "template": "made_up"})
    assert response.status_code == 422
    assert "approved templates" in response.json()["errors"][0]["message"]


def test_someone_who_never_wrote_can_only_get_a_template_on_whatsapp(world: World) -> None:
    channel = factories.channel(world.org, "WHATSAPP")
    with pytest.raises(ValidationError, match=WINDOW_CLOSED):
        send_message(channel=channel, to="+15145550999", text="Hello", acting_user=None, at=timezone.now())


def test_sms_and_telegram_have_no_window(world: World) -> None:
    for kind, to in (("SMS", "+15145550123"), ("TELEGRAM", "1111111")):
        channel = factories.channel(world.org, kind)
        send_message(
            channel=channel, to=to, text="We tried to reach you.", acting_user=None, at=timezone.now()
        )
    assert [message.text for _channel, message in RecordingSender.outbox] == ["We tried to reach you."] * 2


def test_a_switched_off_channel_sends_nothing(world: World) -> None:
    channel = factories.channel(world.org, "SMS", is_active=False)
    assert _send(world, channel, {"to": "+15145550123", "text": "Hi"}).status_code == 404
    assert not RecordingSender.outbox
