"""Sending a message through a channel's provider.

`sender_for(channel)` picks the adapter: the real provider APIs (built on urllib, no SDKs) or, when the
setting HAVEN_CHANNEL_SENDERS is "recording", a double that keeps what would have been sent in memory.
Tests use the double and never reach the internet.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.conf import settings

from haven.channels.models import Channel

TIMEOUT_SECONDS = 10
META_GRAPH_URL = "https://graph.facebook.com/v20.0"
TWILIO_API_URL = "https://api.twilio.com/2010-04-01"
TELEGRAM_API_URL = "https://api.telegram.org"


@dataclass(frozen=True)
class Outgoing:
    """A message to send: free text, or a template with its parameters (WhatsApp outside the window)."""

    to: str
    text: str = ""
    template: str = ""
    language: str = "en"
    params: tuple[str, ...] = ()


class SendFailed(Exception):
    """The provider refused or could not be reached; the message was not sent."""


class Sender(Protocol):
    def send(self, channel: Channel, message: Outgoing) -> str:
        """Send and return the provider's message id."""
        ...


def _post(url: str, data: bytes, headers: dict[str, str]) -> dict[str, Any]:
    if not url.startswith("https://"):
        raise SendFailed("not https")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read() or b"{}")
            return answer
    except (OSError, ValueError) as exc:
        raise SendFailed(type(exc).__name__) from None


class TwilioSender:
    """Twilio's Messages resource, for SMS and WhatsApp; a template is a Content SID."""

    def send(self, channel: Channel, message: Outgoing) -> str:
        prefix = "whatsapp:" if channel.kind == Channel.Kind.WHATSAPP else ""
        fields = {"From": prefix + channel.address, "To": prefix + message.to.removeprefix(prefix)}
        if message.template:
            fields["ContentSid"] = message.template
            fields["ContentVariables"] = json.dumps({str(n + 1): p for n, p in enumerate(message.params)})
        else:
            fields["Body"] = message.text
        account = channel.provider_account
        credentials = base64.b64encode(f"{account}:{channel.webhook_secret}".encode()).decode("ascii")
        answer = _post(
            f"{TWILIO_API_URL}/Accounts/{urllib.parse.quote(account)}/Messages.json",
            urllib.parse.urlencode(fields).encode(),
            {"Authorization": f"Basic {credentials}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        return str(answer.get("sid", ""))


class MetaWhatsAppSender:
    """The WhatsApp Cloud API's /messages endpoint of the channel's phone number id."""

    def send(self, channel: Channel, message: Outgoing) -> str:
        body: dict[str, Any] = {"messaging_product": "whatsapp", "to": message.to.lstrip("+")}
        if message.template:
            parameters = [{"type": "text", "text": p} for p in message.params]
            body["type"] = "template"
            body["template"] = {
                "name": message.template,
                "language": {"code": message.language},
                "components": [{"type": "body", "parameters": parameters}] if parameters else [],
            }
        else:
            body["type"] = "text"
            body["text"] = {"body": message.text}
        answer = _post(
            f"{META_GRAPH_URL}/{urllib.parse.quote(channel.provider_account)}/messages",
            json.dumps(body).encode(),
            {"Authorization": f"Bearer {channel.api_token}", "Content-Type": "application/json"},
        )
        return str((answer.get("messages") or [{}])[0].get("id", ""))


class TelegramSender:
    def send(self, channel: Channel, message: Outgoing) -> str:
        answer = _post(
            f"{TELEGRAM_API_URL}/bot{channel.api_token}/sendMessage",
            json.dumps({"chat_id": message.to, "text": message.text}).encode(),
            {"Content-Type": "application/json"},
        )
        return str((answer.get("result") or {}).get("message_id", ""))


class WebchatSender:
    """Webchat replies are read by her browser from Haven itself; the stored outbound row is the delivery."""

    def send(self, channel: Channel, message: Outgoing) -> str:
        return ""


class RecordingSender:
    """The test double: remembers every message instead of sending it (tests empty `outbox`)."""

    outbox: ClassVar[list[tuple[Channel, Outgoing]]] = []

    def send(self, channel: Channel, message: Outgoing) -> str:
        self.outbox.append((channel, message))
        return f"recorded-{uuid.uuid4().hex}"


PROVIDER_SENDERS: dict[str, Sender] = {
    Channel.Provider.TWILIO: TwilioSender(),
    Channel.Provider.META: MetaWhatsAppSender(),
    Channel.Provider.TELEGRAM: TelegramSender(),
    Channel.Provider.HAVEN: WebchatSender(),
}


def sender_for(channel: Channel) -> Sender:
    if getattr(settings, "HAVEN_CHANNEL_SENDERS", "providers") == "recording":
        return RecordingSender()
    return PROVIDER_SENDERS[channel.provider]
