"""Reads about channels that need more than one line: the WhatsApp window and a sender's conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from haven.channels.models import Channel, InboundEvent, OutboundMessage
from haven.channels.providers import sender_index

WHATSAPP_SERVICE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Line:
    """One message of a conversation: hers (`from_her`) or ours (free text, or the template we used)."""

    at: datetime
    from_her: bool
    text: str
    template: str = ""


def conversation(channel: Channel, index: str, since: datetime | None = None) -> list[Line]:
    """Her messages on this channel and what was sent back to her, decrypted, oldest first.

    `index` is the channels' blind index of the sender (what a hotline contact keeps); `since` cuts off
    earlier conversations, e.g. at the moment her contact reached the hotline. Delivery statuses and
    calls are not lines of a conversation.
    """
    inbound = InboundEvent.objects.filter(
        channel=channel, sender_index=index, kind=InboundEvent.Kind.MESSAGE
    ).only("received_at", "body")
    outbound = OutboundMessage.objects.filter(channel=channel, recipient_index=index).only(
        "sent_at", "body", "template"
    )
    if since is not None:
        inbound = inbound.filter(received_at__gte=since)
        outbound = outbound.filter(sent_at__gte=since)
    lines = [Line(event.received_at, True, event.body) for event in inbound]
    lines += [Line(message.sent_at, False, message.body, message.template) for message in outbound]
    return sorted(lines, key=lambda line: line.at)


def sender_address(channel: Channel, index: str) -> str | None:
    """Where to write back to her (phone number, chat id, webchat session): the sender of her latest
    message, decrypted. None when she never wrote on this channel."""
    event = (
        InboundEvent.objects.filter(channel=channel, sender_index=index, kind=InboundEvent.Kind.MESSAGE)
        .order_by("-received_at")
        .only("sender")
        .first()
    )
    return event.sender if event else None


def last_message_at(channel: Channel, index: str) -> datetime | None:
    """When she last wrote on this channel (messages, not delivery statuses)."""
    event = (
        InboundEvent.objects.filter(channel=channel, sender_index=index, kind=InboundEvent.Kind.MESSAGE)
        .order_by("-received_at")
        .only("received_at")
        .first()
    )
    return event.received_at if event else None


def window_open(channel: Channel, index: str, at: datetime) -> bool:
    """WhatsApp's customer-service window: free text only within 24 hours of her last message.

    Other channels have no such rule. Outside the window only an approved template may be sent.
    """
    if channel.kind != Channel.Kind.WHATSAPP:
        return True
    last = last_message_at(channel, index)
    return last is not None and at - last < WHATSAPP_SERVICE_WINDOW


def free_text_allowed(channel: Channel, to: str, at: datetime) -> bool:
    return window_open(channel, sender_index(channel, to), at)
