"""What each provider sends, and how to tell it really sent it.

Every `verify_*` works on the raw request (bytes and headers) and runs before anything is parsed; the
comparisons are constant-time. Every `parse_*` turns a verified request into `Incoming` events, the
provider-neutral shape that intake stores.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from haven.channels.models import Channel, InboundEvent
from haven.privacy.blind import NormalisationError, blind_index, phone_index


@dataclass(frozen=True)
class Incoming:
    kind: str
    sender: str
    provider_message_id: str
    body: str
    payload: str


@dataclass(frozen=True)
class RawRequest:
    """What a webhook received, as bytes: enough to verify it again and to spool it to disk."""

    url: str
    body: bytes
    content_type: str

    def form(self) -> list[tuple[str, str]]:
        # Bytes that are not UTF-8 come from no provider: replaced, so the signature simply fails to match.
        return parse_qsl(self.body.decode("utf-8", errors="replace"), keep_blank_values=True)


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


# --- Twilio ----------------------------------------------------------------------------------------------


def twilio_signature(auth_token: str, url: str, params: Sequence[tuple[str, str]]) -> str:
    """Twilio's scheme: the full URL, then each POST parameter name and value in name order, HMAC-SHA1."""
    signed = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_twilio(channel: Channel, raw: RawRequest, headers: Mapping[str, str]) -> bool:
    given = headers.get("X-Twilio-Signature", "")
    secret = channel.webhook_secret
    return bool(given and secret) and _same(twilio_signature(secret, raw.url, raw.form()), given)


def parse_twilio(channel: Channel, raw: RawRequest) -> list[Incoming]:
    fields = dict(raw.form())
    sender = fields.get("From", "")
    if not sender:
        return []
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    if "CallSid" in fields:
        # One event per call state, so "ringing" and "completed" of one call are two rows.
        call_id = f"{fields['CallSid']}:{fields.get('CallStatus', '')}"
        return [Incoming(InboundEvent.Kind.CALL, sender, call_id, "", payload)]
    message_id = fields.get("MessageSid") or fields.get("SmsSid") or ""
    if not message_id:
        return []
    return [Incoming(InboundEvent.Kind.MESSAGE, sender, message_id, fields.get("Body", ""), payload)]


# --- Meta WhatsApp Cloud API -----------------------------------------------------------------------------


def meta_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify_meta(channel: Channel, raw: RawRequest, headers: Mapping[str, str]) -> bool:
    given = headers.get("X-Hub-Signature-256", "")
    secret = channel.webhook_secret
    return bool(given and secret) and _same(meta_signature(secret, raw.body), given)


def verify_meta_challenge(channel: Channel, query: Mapping[str, str]) -> str | None:
    """The subscription handshake: echo hub.challenge when the verify token matches, else nothing."""
    token = channel.verify_token
    if query.get("hub.mode") != "subscribe" or not token:
        return None
    return query.get("hub.challenge", "") if _same(token, query.get("hub.verify_token", "")) else None


def parse_meta(channel: Channel, raw: RawRequest) -> list[Incoming]:
    try:
        document = json.loads(raw.body)
    except (ValueError, UnicodeDecodeError):
        return []
    return list(_meta_events(document)) if isinstance(document, dict) else []


def _meta_events(document: dict[str, Any]) -> Iterator[Incoming]:
    for entry in document.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for message in value.get("messages") or []:
                text = (message.get("text") or {}).get("body", "")
                yield Incoming(
                    InboundEvent.Kind.MESSAGE,
                    str(message.get("from", "")),
                    str(message.get("id", "")),
                    text,
                    json.dumps(message, ensure_ascii=False, sort_keys=True),
                )
            for status in value.get("statuses") or []:
                # A status is about one of our messages; its id repeats for sent, delivered and read.
                yield Incoming(
                    InboundEvent.Kind.STATUS,
                    str(status.get("recipient_id", "")),
                    f"{status.get('id', '')}:{status.get('status', '')}",
                    "",
                    json.dumps(status, ensure_ascii=False, sort_keys=True),
                )


# --- Telegram --------------------------------------------------------------------------------------------


def verify_telegram(channel: Channel, raw: RawRequest, headers: Mapping[str, str]) -> bool:
    given = headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    secret = channel.webhook_secret
    return bool(given and secret) and _same(secret, given)


def parse_telegram(channel: Channel, raw: RawRequest) -> list[Incoming]:
    try:
        update = json.loads(raw.body)
    except (ValueError, UnicodeDecodeError):
        return []
    message = update.get("message") if isinstance(update, dict) else None
    if not isinstance(message, dict) or "chat" not in message:
        return []  # edits, joins, callbacks: acknowledged, not stored
    return [
        Incoming(
            InboundEvent.Kind.MESSAGE,
            str(message["chat"].get("id", "")),
            str(message.get("message_id", "")),
            str(message.get("text", "")),
            json.dumps(message, ensure_ascii=False, sort_keys=True),
        )
    ]


# --- Haven webchat --------------------------------------------------------------------------------------


def parse_webchat(channel: Channel, raw: RawRequest) -> list[Incoming]:
    """The body webchat.py builds from her verified session: {"session", "id", "text"}."""
    message = json.loads(raw.body)
    kind, body = InboundEvent.Kind.MESSAGE, raw.body.decode()
    return [Incoming(kind, message["session"], message["id"], message["text"], body)]


# --- Sender identity -------------------------------------------------------------------------------------


def sender_index(channel: Channel, sender: str) -> str:
    """The blind index of who wrote: phone numbers share the people index, so a returning caller is found."""
    if channel.provider in {Channel.Provider.TWILIO, Channel.Provider.META}:
        number = sender.removeprefix("whatsapp:")
        if channel.provider == Channel.Provider.META and not number.startswith("+"):
            number = "+" + number  # Meta's wa_id is the number without its plus
        try:
            return phone_index(channel.org_id, number, channel.org.country)
        except NormalisationError:
            pass
    return blind_index(channel.org_id, f"channel:{channel.provider}", sender)


VERIFIERS: dict[str, Callable[[Channel, RawRequest, Mapping[str, str]], bool]] = {
    Channel.Provider.TWILIO: verify_twilio,
    Channel.Provider.META: verify_meta,
    Channel.Provider.TELEGRAM: verify_telegram,
}
PARSERS: dict[str, Callable[[Channel, RawRequest], list[Incoming]]] = {
    Channel.Provider.TWILIO: parse_twilio,
    Channel.Provider.META: parse_meta,
    Channel.Provider.TELEGRAM: parse_telegram,
    Channel.Provider.HAVEN: parse_webchat,
}
