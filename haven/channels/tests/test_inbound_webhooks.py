"""Providers' own payloads, really signed: stored once, forgeries refused before anything is parsed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from haven.channels import intake, providers
from haven.channels.models import Channel, InboundEvent
from haven.channels.senders import RecordingSender
from haven.channels.tests import factories
from haven.conftest import World
from haven.privacy.blind import phone_index

Capture = Callable[..., Any]


def test_it_stores_a_signed_twilio_sms_once_and_absorbs_the_retry(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(world.org, "SMS")
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.post_twilio(Client(), channel, factories.twilio_sms())
        retry = factories.post_twilio(Client(), channel, factories.twilio_sms())
    assert first.status_code == retry.status_code == 200
    assert first["Content-Type"] == "text/xml" and first.content == b"<Response/>"
    event = InboundEvent.objects.get()
    assert event.kind == "MESSAGE" and event.sender == "+15145550123"
    assert event.body.startswith("I need help")
    # The sender's index is the people phone index: the hotline can find a returning caller.
    assert event.sender_index == phone_index(world.org.pk, "+1 514 555 0123", "CA")
    assert event.processed_at is not None


@pytest.mark.parametrize(
    "tamper",
    [
        {"token": "not-the-auth-token-of-this-channel"},
        {"fields": {"Body": "changed after signing"}},
    ],
    ids=["wrong-token", "changed-body"],
)
def test_it_refuses_a_forged_twilio_request_before_parsing(world: World, tamper: dict[str, Any]) -> None:
    channel = factories.channel(world.org, "SMS")
    fields = factories.twilio_sms()
    signature = providers.twilio_signature(
        tamper.get("token", factories.TWILIO_TOKEN),
        f"http://testserver{factories.hook_url(channel)}",
        list(fields.items()),
    )
    fields.update(tamper.get("fields", {}))
    with mock.patch.dict(providers.PARSERS, {"TWILIO": mock.Mock(side_effect=AssertionError("parsed"))}):
        response = Client().post(
            factories.hook_url(channel),
            urlencode(fields),
            content_type="application/x-www-form-urlencoded",
            headers={"X-Twilio-Signature": signature},
        )
    assert response.status_code == 403
    assert not InboundEvent.objects.exists()


def test_it_refuses_an_unsigned_request_and_unknown_channels(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    assert Client().post(factories.hook_url(channel), factories.twilio_sms()).status_code == 403
    webchat = factories.channel(world.org, "WEBCHAT")
    assert factories.post_twilio(Client(), webchat, factories.twilio_sms()).status_code == 404
    channel.is_active = False
    channel.save()
    assert factories.post_twilio(Client(), channel, factories.twilio_sms()).status_code == 404
    assert not InboundEvent.objects.exists()


def test_a_call_is_queued_in_hours_and_told_the_closed_message_outside(world: World) -> None:
    channel = factories.channel(world.org, "VOICE")
    answer = factories.post_twilio(Client(), channel, factories.twilio_call())
    assert answer.content.decode() == f"<Response><Enqueue>{channel.pk}</Enqueue></Response>"
    channel.always_open, channel.weekly_hours = False, {"0": [["00:00", "00:01"]]}
    channel.closed_messages = {"en": "We open at 9 & answer every message."}
    channel.save()
    answer = factories.post_twilio(Client(), channel, factories.twilio_call(sid="CA" + "2" * 32))
    assert "<Say>We open at 9 &amp; answer every message.</Say><Hangup/>" in answer.content.decode()
    completed = factories.post_twilio(Client(), channel, factories.twilio_call(status="completed"))
    assert completed.content == b"<Response/>"
    assert InboundEvent.objects.filter(kind="CALL").count() == 3


def test_meta_verify_challenge_echoes_only_with_the_right_token(world: World) -> None:
    channel = factories.channel(world.org, "WHATSAPP")
    url = factories.hook_url(channel)
    query = {
        "hub.mode": "subscribe",
        "hub.challenge": "1158201444",
        "hub.verify_token": factories.META_VERIFY,
    }
    answer = Client().get(url, query)
    assert answer.status_code == 200 and answer.content == b"1158201444"
    assert Client().get(url, {**query, "hub.verify_token": "guess"}).status_code == 403


def _renew_secret_elsewhere(channel: Channel, **secrets: str) -> None:
    """Another web process saves new secrets: this process's copy of the channel is not told."""
    kept = intake._channels[channel.pk]
    renewed = Channel.objects.get(pk=channel.pk)
    for name, value in secrets.items():
        setattr(renewed, name, value)
    renewed.save()
    intake._channels[channel.pk] = kept  # the save dropped this process's copy; the other's keeps it
    assert all(getattr(kept.channel, name) != value for name, value in secrets.items())


def test_a_secret_renewed_in_another_process_verifies_at_once(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(world.org, "SMS")
    with django_capture_on_commit_callbacks(execute=True):
        assert factories.post_twilio(Client(), channel, factories.twilio_sms()).status_code == 200
        _renew_secret_elsewhere(channel, webhook_secret="a-new-twilio-auth-token")
        renewed = factories.twilio_sms(sid="SM" + "2" * 32)
        answer = factories.post_twilio(Client(), channel, renewed, token="a-new-twilio-auth-token")
    assert answer.status_code == 200
    assert InboundEvent.objects.filter(provider_message_id="SM" + "2" * 32).exists()
    # The copy is renewed, and a request signed with neither secret is still refused.
    assert intake._channels[channel.pk].channel.webhook_secret == "a-new-twilio-auth-token"
    forged = factories.twilio_sms(sid="SM" + "3" * 32)
    assert factories.post_twilio(Client(), channel, forged, token="guess").status_code == 403
    assert InboundEvent.objects.count() == 2


def test_a_verify_token_renewed_in_another_process_answers_metas_handshake(world: World) -> None:
    channel = factories.channel(world.org, "WHATSAPP")
    url = factories.hook_url(channel)
    query = {"hub.mode": "subscribe", "hub.challenge": "731", "hub.verify_token": factories.META_VERIFY}
    assert Client().get(url, query).status_code == 200  # the process keeps its copy
    _renew_secret_elsewhere(channel, verify_token="a-new-verify-token")
    answer = Client().get(url, {**query, "hub.verify_token": "a-new-verify-token"})
    assert answer.status_code == 200 and answer.content == b"731"
    assert Client().get(url, query).status_code == 403  # the old token, checked against the renewed copy


def test_it_stores_signed_meta_messages_and_statuses_once(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(world.org, "WHATSAPP")
    wamid = "wamid.HBgLMTU1NTU1NTU1NTUVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
    with django_capture_on_commit_callbacks(execute=True):
        assert factories.post_meta(Client(), channel, factories.meta_message()).status_code == 200
        assert factories.post_meta(Client(), channel, factories.meta_message()).status_code == 200
        for status in ("sent", "delivered", "delivered"):
            assert (
                factories.post_meta(Client(), channel, factories.meta_status(wamid, status)).status_code
                == 200
            )
    assert InboundEvent.objects.filter(kind="MESSAGE").count() == 1
    assert sorted(
        InboundEvent.objects.filter(kind="STATUS").values_list("provider_message_id", flat=True)
    ) == [
        f"{wamid}:delivered",
        f"{wamid}:sent",
    ]
    message = InboundEvent.objects.get(kind="MESSAGE")
    assert message.sender_index == phone_index(world.org.pk, "+15145550123", "CA")
    assert json.loads(message.payload)["text"]["body"] == "Hello, is anyone there?"


def test_it_refuses_a_meta_body_changed_after_signing(world: World) -> None:
    channel = factories.channel(world.org, "WHATSAPP")
    signed = json.dumps(factories.meta_message()).encode()
    forged = signed.replace(b"Hello", b"Hallo")
    response = Client().post(
        factories.hook_url(channel),
        forged,
        content_type="application/json",
        headers={"X-Hub-Signature-256": providers.meta_signature(factories.META_SECRET, signed)},
    )
    assert response.status_code == 403
    wrong_secret = factories.post_meta(
        Client(), channel, factories.meta_message(), secret="not-the-app-secret"
    )
    assert wrong_secret.status_code == 403
    assert not InboundEvent.objects.exists()


def test_it_takes_telegram_updates_with_the_secret_token_only(world: World) -> None:
    channel = factories.channel(world.org, "TELEGRAM")
    assert (
        factories.post_telegram(Client(), channel, factories.telegram_update(), secret="guessed").status_code
        == 403
    )
    assert not InboundEvent.objects.exists()
    for _ in range(2):
        answer = factories.post_telegram(Client(), channel, factories.telegram_update())
        assert answer.status_code == 200 and answer.json() == {}
    event = InboundEvent.objects.get()
    assert (event.sender, event.provider_message_id, event.body) == ("1111111", "1365", "/start")


def test_telegram_outside_hours_is_answered_once_by_the_task(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(
        world.org,
        "TELEGRAM",
        always_open=False,
        weekly_hours={"6": [["00:00", "00:01"]]},
        closed_messages={"en": "Closed now."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            update = factories.telegram_update(update_id=20 + number, message_id=70 + number, chat_id=424242)
            assert factories.post_telegram(Client(), channel, update).json() == {}
    [(sent_on, message)] = RecordingSender.outbox
    assert sent_on.pk == channel.pk and (message.to, message.text) == ("424242", "Closed now.")
    assert InboundEvent.objects.filter(processed_at__isnull=False).count() == 3


def test_a_webhook_skips_the_middleware_that_serves_people(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    """A provider's post opens no session and is not answered in a language or with a sign-in page, yet
    keeps the security headers; a page next to it still goes through everything."""
    channel = factories.channel(world.org, "SMS")
    client = Client()
    client.cookies["sessionid"] = "a-provider-sends-no-session"
    with django_capture_on_commit_callbacks(execute=True):
        response = factories.post_twilio(client, channel, factories.twilio_sms())
    assert response.status_code == 200 and InboundEvent.objects.count() == 1
    assert "Content-Security-Policy" in response.headers
    assert not response.cookies and "Vary" not in response.headers
    assert not hasattr(response.wsgi_request, "session") and not hasattr(response.wsgi_request, "user")

    unknown = Client().post("/channels/hooks/00000000-0000-4000-8000-000000000000/", {})
    assert unknown.status_code == 404
    page = Client().get(f"/channels/{channel.pk}/")
    assert page.status_code == 302 and hasattr(page.wsgi_request, "user")  # to the sign-in page


@override_settings(ROOT_URLCONF="haven.channels.tests.moved_urls")
def test_moved_webhook_urls_still_skip_that_middleware(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(world.org, "SMS")
    with django_capture_on_commit_callbacks(execute=True):
        response = factories.post_twilio(Client(), channel, factories.twilio_sms())
    assert response.wsgi_request.path == f"/providers/hooks/{channel.pk}/"
    assert response.status_code == 200 and InboundEvent.objects.count() == 1
    assert not hasattr(response.wsgi_request, "session")


def test_it_refuses_a_twilio_body_that_is_not_utf8_without_an_error(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    response = Client().post(
        factories.hook_url(channel),
        b"From=%2B15145550123&Body=\xff\xfe",
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": "forged"},
    )
    assert response.status_code == 403
    assert not InboundEvent.objects.exists()
