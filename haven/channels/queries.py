"""Reads about channels that need more than one line."""

from __future__ import annotations

from datetime import datetime, timedelta

from haven.channels.models import Channel, InboundEvent
from haven.channels.providers import sender_index

WHATSAPP_SERVICE_WINDOW = timedelta(hours=24)


def last_message_from(channel: Channel, who: str) -> datetime | None:
    """When she last wrote on this channel (messages, not delivery statuses)."""
    event = (
        InboundEvent.objects.filter(
            channel=channel, sender_index=sender_index(channel, who), kind=InboundEvent.Kind.MESSAGE
        )
        .order_by("-received_at")
        .only("received_at")
        .first()
    )
    return event.received_at if event else None


def free_text_allowed(channel: Channel, to: str, at: datetime) -> bool:
    """WhatsApp's customer-service window: free text only within 24 hours of her last message.

    Other channels have no such rule. Outside the window only an approved template may be sent.
    """
    if channel.kind != Channel.Kind.WHATSAPP:
        return True
    last = last_message_from(channel, to)
    return last is not None and at - last < WHATSAPP_SERVICE_WINDOW
