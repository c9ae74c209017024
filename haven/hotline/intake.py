"""The seam between channels and the hotline: an inbound message or call becomes a waiting contact.

`haven/channels` stores inbound events and calls every handler registered with
`haven.channels.handlers.register_inbound_handler(fn)` with the stored event. `HotlineConfig.ready()`
registers `on_inbound_message`; the hotline reads the event by its attributes (`kind`, `channel`,
`sender_index`, `received_at`) and imports nothing else of channels' internals.

One open contact per sender and channel: a second message from her while her contact waits or is in
progress joins it, rather than queueing her twice. Linking the contact to the conversation rows is left
to the lead (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from haven import sql
from haven.hotline.actions import offer_contact
from haven.hotline.models import Contact

_ROUTED_EVENTS = {"MESSAGE", "CALL"}
"""Delivery statuses are about our own messages: nobody is waiting behind them."""


def on_inbound_message(message: Any) -> None:
    """The handler channels calls for every stored inbound event."""
    contact_for_message(message)


def contact_for_message(message: Any) -> Contact | None:
    """Offer a contact to the hotline for an inbound message or call, or return her open contact.

    Returns None for delivery statuses and for events on an inactive channel.
    """
    channel = getattr(message, "channel", None)
    if getattr(message, "kind", "MESSAGE") not in _ROUTED_EVENTS or channel is None or not channel.is_active:
        return None
    sender_index = getattr(message, "sender_index", "") or ""
    if sender_index:
        open_contact = _open_contact(channel, sender_index)
        if open_contact is not None:
            return open_contact
    return offer_contact(
        org=channel.org,
        kind=channel.kind if channel.kind in Contact.Kind.values else Contact.Kind.WEBCHAT,
        language=getattr(message, "language", "") or "",
        channel=channel,
        sender_index=sender_index,
        acting_user=None,
        at=getattr(message, "received_at", None) or timezone.now(),
    )


def _open_contact(channel: Any, sender_index: str) -> Contact | None:
    """Her newest contact on the channel that has not ended, read by hand.

    Every message to the hotline asks this, and the ORM's building of the query cost more than the
    database's work on it (bench/contact_intake.py, docs/performance.md).
    """
    found = list(
        Contact.objects.raw(
            f"SELECT {sql.columns(Contact)} FROM {sql.table(Contact)} "  # noqa: S608 (names from the model)
            "WHERE channel_id = %s AND sender_index = %s AND ended_at IS NULL "
            "ORDER BY offered_at DESC LIMIT 1",
            [sql.column_value(Contact, "channel", channel.pk), sender_index],
        )
    )
    if not found:
        return None
    found[0].channel = channel
    return found[0]


def register() -> None:
    """Register `on_inbound_message` with the channels' registry (once; a second call changes nothing)."""
    from haven.channels.handlers import register_inbound_handler

    register_inbound_handler(on_inbound_message)
