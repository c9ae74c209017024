"""Channels for tests: one per provider, with synthetic secrets, and provider-shaped signed requests."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.channels.actions import create_channel
from haven.channels.models import Channel
from haven.channels.providers import meta_signature, twilio_signature
from haven.orgs.models import Organisation

TWILIO_TOKEN = "12345678901234567890123456789012"
META_SECRET = "meta-app-secret-for-tests"
META_VERIFY = "verify-me-please"
TELEGRAM_SECRET = "telegram_secret-token_42"
HOST = "testserver"


def channel(org: Organisation, kind: str, **overrides: Any) -> Channel:
    settings: dict[str, Any] = {
        "VOICE": {"provider": "TWILIO", "address": "+15145550100"},
        "SMS": {"provider": "TWILIO", "address": "+15145550100"},
        "WHATSAPP": {"provider": "META", "address": "+15145550101", "verify_token": META_VERIFY},
        "TELEGRAM": {"provider": "TELEGRAM", "address": "@haven_test_bot", "api_token": "123:abc"},
        "WEBCHAT": {"provider": "HAVEN"},
    }[kind]
    if settings["provider"] == "TWILIO":
        settings.update(provider_account="AC" + "0" * 32, webhook_secret=TWILIO_TOKEN)
    if settings["provider"] == "META":
        settings.update(provider_account="106540352242922", webhook_secret=META_SECRET, api_token="EAAG-test")
    if settings["provider"] == "TELEGRAM":
        settings["webhook_secret"] = TELEGRAM_SECRET
    settings.update(overrides)
    return create_channel(
        org=org, name=f"{kind.title()} line", kind=kind, acting_user=None, at=timezone.now(), **settings
    )


def walk_channel(org: Organisation) -> Channel:
    """For the permission walk: a webchat, whose sender never leaves Haven."""
    return channel(org, "WEBCHAT")


def hook_url(channel: Channel) -> str:
    return reverse("channels:inbound", args=[channel.pk])


# --- Twilio ----------------------------------------------------------------------------------------------


def twilio_sms(
    sid: str = "SM1f0e8ae6ade43cb3c0ce4525424e404f", sender: str = "+15145550123", **extra: str
) -> dict[str, str]:
    """An inbound SMS as Twilio posts it (form fields as in Twilio's messaging webhook docs)."""
    return {
        "ToCountry": "CA",
        "ToState": "QC",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "MONTREAL",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "QC",
        "SmsStatus": "received",
        "FromCity": "MONTREAL",
        "Body": "I need help, can someone call me after 6?",
        "FromCountry": "CA",
        "To": "+15145550100",
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "ApiVersion": "2010-04-01",
        **extra,
    }


def twilio_call(sid: str = "CA5ee0ad53d4b0c2e0a5b7cc0dd8a1f2e3", status: str = "ringing") -> dict[str, str]:
    return {
        "Called": "+15145550100",
        "ToState": "QC",
        "CallerCountry": "CA",
        "Direction": "inbound",
        "CallerState": "QC",
        "CallSid": sid,
        "To": "+15145550100",
        "CallerCity": "MONTREAL",
        "ToCountry": "CA",
        "CallStatus": status,
        "From": "+15145550123",
        "AccountSid": "AC" + "0" * 32,
        "Caller": "+15145550123",
        "ApiVersion": "2010-04-01",
    }


def post_twilio(
    client: Client, channel: Channel, fields: dict[str, str], *, token: str = TWILIO_TOKEN
) -> Any:
    url = hook_url(channel)
    signature = twilio_signature(token, f"http://{HOST}{url}", list(fields.items()))
    return client.post(
        url,
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )


# --- Meta WhatsApp Cloud API -----------------------------------------------------------------------------


def meta_message(
    wamid: str = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
    text: str = "Hello, is anyone there?",
    sender: str = "15145550123",
) -> dict[str, Any]:
    """A text message notification as in Meta's Cloud API webhook examples."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15145550101",
                                "phone_number_id": "106540352242922",
                            },
                            "contacts": [{"profile": {"name": "Synthetic Sender"}, "wa_id": sender}],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": wamid,
                                    "timestamp": "1749416383",
                                    "text": {"body": text},
                                    "type": "text",
                                }
                            ],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def meta_status(wamid: str, status: str = "delivered", recipient: str = "15145550123") -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15145550101",
                                "phone_number_id": "106540352242922",
                            },
                            "statuses": [
                                {
                                    "id": wamid,
                                    "status": status,
                                    "timestamp": "1750263773",
                                    "recipient_id": recipient,
                                }
                            ],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def post_meta(
    client: Client, channel: Channel, document: dict[str, Any], *, secret: str = META_SECRET
) -> Any:
    body = json.dumps(document).encode()
    return client.post(
        hook_url(channel),
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(secret, body)},
    )


# --- Telegram --------------------------------------------------------------------------------------------


def telegram_update(
    update_id: int = 10000, message_id: int = 1365, chat_id: int = 1111111, text: str = "/start"
) -> dict[str, Any]:
    """A private-chat message Update as the Bot API delivers it."""
    person = {"id": chat_id, "is_bot": False, "first_name": "Synthetic", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "from": person,
            "chat": {"id": chat_id, "first_name": "Synthetic", "type": "private"},
            "date": 1441645532,
            "text": text,
        },
    }


def post_telegram(
    client: Client, channel: Channel, update: dict[str, Any], *, secret: str = TELEGRAM_SECRET
) -> Any:
    return client.post(
        hook_url(channel),
        json.dumps(update),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
    )
