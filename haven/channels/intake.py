"""From a verified webhook to stored events, and from stored events to the handlers.

The webhook only verifies, stores and enqueues, so it answers within the providers' timeouts. Storing uses
INSERT … ON CONFLICT DO NOTHING: a provider's retry or a replayed request finds its row already there. If
the database cannot be reached, the verified request goes to an encrypted spool file and is stored later
by `replay_spool` (the command, the worker at start, or the next webhook that succeeds).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, DataError, connection, transaction
from django.db.models import F
from django_tasks_db.backend import DatabaseBackend

from haven import sql
from haven.channels import actions, handlers, hours
from haven.channels.models import Channel, InboundEvent, OutboundMessage
from haven.channels.providers import PARSERS, RawRequest, sender_index
from haven.privacy.keyring import NONCE_BYTES, keyring

log = logging.getLogger(__name__)

SPOOL_AAD = b"haven-channels-spool-v1"
CHANNEL_CACHE_SECONDS = 300
CLOSED_NOTICE_EVERY = timedelta(hours=12)


def spool_dir() -> Path:
    return Path(settings.VAR_DIR) / "spool" / "channels"


# --- Finding the channel, even while the database is away ------------------------------------------------


@dataclass
class _Cached:
    channel: Channel
    loaded_at: float


_channels: dict[uuid.UUID, _Cached] = {}


def webhook_channel(channel_id: uuid.UUID, *, fresh: bool = False) -> Channel | None:
    """The active channel a webhook URL names, with its secrets decrypted.

    A copy read in the last `HAVEN_CHANNEL_FRESH_SECONDS` is used as it is (unless `fresh`): every webhook
    request would otherwise read the channel and its organisation again (a third of the acknowledgement's
    cost). A change made in this process (`forget_saved_channel`, on every save) is seen at once; one made by
    another process within those seconds, such as a channel switched off, at the latest when they have
    passed. A new secret is seen at once all the same: the webhook reads the channel again, with `fresh`,
    before it refuses a request that the copy's secret does not verify (`webhooks._verified_channel`). The
    last good copy is also kept for a few minutes so that a webhook arriving while the database is down can
    still be verified and spooled; without a copy the DatabaseError propagates (the provider retries).
    """
    cached = _channels.get(channel_id)
    if not fresh and cached and time.monotonic() - cached.loaded_at < settings.HAVEN_CHANNEL_FRESH_SECONDS:
        return cached.channel
    try:
        channel: Channel | None = (
            Channel.objects.select_related("org").filter(pk=channel_id, is_active=True).first()
        )
    except DatabaseError:
        if cached and time.monotonic() - cached.loaded_at < CHANNEL_CACHE_SECONDS:
            return cached.channel
        raise
    if channel is None:  # unknown or switched off: nothing kept, so random URLs cannot fill the memory
        _channels.pop(channel_id, None)
        return None
    _ = (channel.webhook_secret, channel.verify_token)  # decrypt now, while keys are reachable
    _channels[channel_id] = _Cached(channel, time.monotonic())
    return channel


def forget_saved_channel(instance: Channel, **_kwargs: Any) -> None:
    """Drop this process's copy of a channel that was just saved (connected to `post_save`)."""
    _channels.pop(instance.pk, None)


# --- Storing -------------------------------------------------------------------------------------------


def receive(channel: Channel, raw: RawRequest, *, at: datetime) -> bool:
    """Store a verified request, or spool it when the database fails. True when stored now."""
    try:
        store(channel, raw, at=at)
    except DatabaseError:
        log.warning("channels: database unavailable, webhook spooled to disk")
        spool(channel.pk, raw, at=at)
        return False
    if _spool_waiting():
        transaction.on_commit(_enqueue_replay)
    return True


def store(channel: Channel, raw: RawRequest, *, at: datetime) -> list[InboundEvent]:
    """Insert the request's events (duplicates ignored) and enqueue processing per sender on commit."""
    events = [
        InboundEvent(
            org_id=channel.org_id,
            channel=channel,
            kind=incoming.kind,
            sender_index=sender_index(channel, incoming.sender),
            sender=incoming.sender,
            provider_message_id=incoming.provider_message_id[:200],
            body=incoming.body,
            payload=incoming.payload,
            # Events of one request share a clock reading; a microsecond apart keeps their order.
            received_at=at + timedelta(microseconds=position),
        )
        for position, incoming in enumerate(PARSERS[channel.provider](channel, raw))
        if incoming.sender and incoming.provider_message_id
    ]
    with transaction.atomic():
        for event in events:  # mostly one; a statement built once (`haven.sql`) costs less than bulk_create
            sql.insert(event, ignore_conflicts=True)
        for index in dict.fromkeys(event.sender_index for event in events):
            _enqueue_processing(channel.pk, index)
    return events


def _enqueue_processing(channel_id: uuid.UUID, index: str) -> None:
    """Ask a worker to process the sender's events, once they are committed.

    When tasks are rows of this same database, the task is written in the events' own transaction: one
    commit instead of two, and no event can be stored without the task that processes it. Any other
    backend is asked after the commit, so a worker never looks for events that are not there yet.
    """
    from haven.channels.tasks import process_inbound

    enqueue = partial(process_inbound.enqueue, str(channel_id), index)
    if isinstance(process_inbound.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def _enqueue_replay() -> None:
    from haven.channels.tasks import replay_spooled_events

    replay_spooled_events.enqueue()


# --- Processing ------------------------------------------------------------------------------------------


MAX_ATTEMPTS = 5
"""Tries before an event that keeps failing is set aside. The scheduler queues a waiting sender again every
five minutes, so a handler that is down for a while (a deployment, a database hiccup) is retried for
about twenty minutes; an event that fails for a reason of its own stops blocking her next messages."""


def process_sender(channel_id: uuid.UUID, index: str, *, at: datetime) -> int:
    """Hand one sender's unprocessed events to the handlers, oldest first, one transaction each.

    Workers woken for the same sender queue behind each other (`_lock_sender`) instead of handling her
    second message before her first. Each round also looks whether another event waits behind this one;
    when none does, the worker stops without a further round, since an event committed later brings its own
    task. An event whose handling fails is counted (`_count_failure`) and the error raised again, so the
    task fails and the event waits for the next try. Returns how many were processed.
    """
    done = 0
    while True:
        trying: uuid.UUID | None = None
        try:
            with transaction.atomic():
                _lock_sender(channel_id, index)
                waiting = _waiting_events(channel_id, index)
                if not waiting:
                    return done
                event = waiting[0]
                trying = event.pk
                handlers.dispatch(event)
                _answer_outside_hours(event, at)
                _mark_processed(event.pk, at)
        except Exception:
            if trying is not None:
                _count_failure(trying, at)
            raise
        done += 1
        if len(waiting) == 1:
            return done


def _waiting_events(channel_id: uuid.UUID, index: str) -> list[InboundEvent]:
    """The sender's two oldest unprocessed events, locked, each with its channel and organisation.

    Written by hand, and the channel taken from this process's copy (`webhook_channel`): every message
    to the hotline runs this, and the ORM's building of a locking three-table join, and its reading of
    the channel and organisation again for each event, cost more than the database's work on it
    (bench/contact_intake.py, docs/performance.md). A channel switched off since is read from the
    database, so that its events are still handed on with it (and the hotline then leaves them be).
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    events = list(
        InboundEvent.objects.raw(
            f"SELECT {sql.columns(InboundEvent)} FROM {sql.table(InboundEvent)} "  # noqa: S608 (names from the model)
            "WHERE channel_id = %s AND sender_index = %s AND processed_at IS NULL "
            f"ORDER BY received_at, id LIMIT 2{lock}",
            [sql.column_value(InboundEvent, "channel", channel_id), index],
        )
    )
    if events:
        channel = webhook_channel(channel_id) or Channel.objects.select_related("org").get(pk=channel_id)
        for event in events:
            event.channel = channel
    return events


def _mark_processed(event_id: uuid.UUID, at: datetime) -> None:
    """Written by hand for the same reason as `_waiting_events`."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {sql.table(InboundEvent)} SET processed_at = %s WHERE id = %s",  # noqa: S608 (a table name)
            [
                sql.column_value(InboundEvent, "processed_at", at),
                sql.column_value(InboundEvent, "id", event_id),
            ],
        )


def _count_failure(event_id: uuid.UUID, at: datetime) -> None:
    """One more failed try, in its own transaction (the failed one rolled back); at MAX_ATTEMPTS the event
    is set aside and the hotline's supervisors see it counted (`set_aside_count`)."""
    events = InboundEvent.objects.filter(pk=event_id)
    events.update(attempts=F("attempts") + 1)
    if events.filter(attempts__gte=MAX_ATTEMPTS).update(processed_at=at, gave_up=True):
        # Its id only: the event's content and sender are personal data.
        log.error("Inbound event %s set aside after %s failed tries", event_id, MAX_ATTEMPTS)


def set_aside_count(org_id: uuid.UUID) -> int:
    """Messages and calls of the organisation that could not be handed on after MAX_ATTEMPTS tries."""
    return InboundEvent.objects.filter(org_id=org_id, gave_up=True).count()


def retry_set_aside() -> tuple[int, int]:
    """Give every set-aside event its tries back and queue its sender: (events, senders). Her messages
    handled while it was set aside stay handled; it comes after them."""
    from haven.channels.tasks import process_inbound

    set_aside = InboundEvent.objects.filter(gave_up=True)
    senders = list(set_aside.values_list("channel_id", "sender_index").distinct().order_by())
    events = set_aside.update(gave_up=False, attempts=0, processed_at=None)
    for channel_id, index in senders:
        process_inbound.enqueue(str(channel_id), index)
    return events, len(senders)


def _lock_sender(channel_id: uuid.UUID, index: str) -> None:
    """One worker at a time per sender, for the whole transaction.

    The row lock on the oldest event is not enough: an earlier message that commits late can be taken by a
    second worker while the first still handles a later one, and both would open a contact for her
    (bench/contact_intake.py found this). PostgreSQL takes a transaction advisory lock on the sender; SQLite
    needs nothing, as its write transactions begin IMMEDIATE and so already run one at a time.
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"{channel_id}:{index}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _answer_outside_hours(event: InboundEvent, at: datetime) -> None:
    """Tell her once that the line is closed, and not again for `CLOSED_NOTICE_EVERY`.

    Every message she sends at night would otherwise bring the same answer back, and each one lights up
    her phone: a run of them can draw the attention of someone who watches it. Calls are told in the
    webhook's own answer (`webhooks._twiml`), so only messages come here. Runs under the sender's lock,
    so two of her messages cannot both find no notice. A provider that refuses the notice must not stop
    her message from reaching the hotline: the failure is logged (without her number) and processing goes on.
    """
    channel = event.channel
    if event.kind != InboundEvent.Kind.MESSAGE or hours.is_open(channel, event.received_at):
        return
    text = hours.closed_message(channel, "", channel.org.default_language)
    if not text or _told_closed_lately(event, at):
        return
    try:
        actions.send_message(
            channel=channel, to=event.sender, text=text, closed_notice=True, acting_user=None, at=at
        )
    except ValidationError:
        log.warning("channels: the closed-line notice on channel %s was not sent", channel.pk)


def _told_closed_lately(event: InboundEvent, at: datetime) -> bool:
    return OutboundMessage.objects.filter(
        channel_id=event.channel_id,
        recipient_index=event.sender_index,
        is_closed_notice=True,
        sent_at__gt=at - CLOSED_NOTICE_EVERY,
    ).exists()


# --- Spooling --------------------------------------------------------------------------------------------


def _spool_key() -> bytes:
    # Derived from the master key, which lives outside the database: the spool must work without it.
    return hmac.new(keyring.master_key(), b"haven-channels-spool", hashlib.sha256).digest()


def spool(channel_id: uuid.UUID, raw: RawRequest, *, at: datetime) -> Path:
    """Write one verified request to disk, encrypted (it may name a survivor), atomically."""
    record = {
        "channel_id": str(channel_id),
        "url": raw.url,
        "content_type": raw.content_type,
        "body": base64.b64encode(raw.body).decode("ascii"),
        "received_at": at.isoformat(),
    }
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = nonce + AESGCM(_spool_key()).encrypt(nonce, json.dumps(record).encode(), SPOOL_AAD)
    folder = spool_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Names sort in arrival order, so a replay keeps each sender's messages in sequence.
    path = folder / f"{at.strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex}.spool"
    partial = path.with_suffix(".partial")
    partial.write_bytes(sealed)
    os.replace(partial, path)
    return path


def _spool_waiting() -> bool:
    folder = spool_dir()
    return folder.is_dir() and any(folder.glob("*.spool"))


def _read_spooled(path: Path) -> tuple[uuid.UUID, RawRequest, datetime]:
    blob = path.read_bytes()
    record = json.loads(AESGCM(_spool_key()).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], SPOOL_AAD))
    raw = RawRequest(record["url"], base64.b64decode(record["body"]), record["content_type"])
    return uuid.UUID(record["channel_id"]), raw, datetime.fromisoformat(record["received_at"])


@dataclass
class ReplayOutcome:
    stored: int = 0
    unreadable: int = 0
    left: int = 0


def replay_spool() -> ReplayOutcome:
    """Store every spooled request, oldest first; stop (leaving the rest) if the database fails again.

    A request already stored is absorbed by the unique constraint, so replaying twice is harmless. A file
    that does not decrypt (another master key), names a channel that no longer exists, or holds a value
    the database refuses is kept aside as `.failed` rather than deleted: it may be the only copy of a cry
    for help.
    """
    outcome = ReplayOutcome()
    paths = sorted(spool_dir().glob("*.spool")) if spool_dir().is_dir() else []
    for position, path in enumerate(paths):
        try:
            channel_id, raw, at = _read_spooled(path)
            channel = Channel.objects.select_related("org").get(pk=channel_id)
            store(channel, raw, at=at)
        except DataError:
            # A value the database refuses whatever its state (a NUL in a text): not an outage. Stopping
            # here would hold every request spooled after it, so it is set aside like an unreadable file.
            log.warning("channels: a spooled request the database refuses was set aside as .failed")
            os.replace(path, path.with_suffix(".failed"))
            outcome.unreadable += 1
            continue
        except DatabaseError:
            outcome.left = len(paths) - position
            return outcome
        except (InvalidTag, ValueError, KeyError, Channel.DoesNotExist):
            os.replace(path, path.with_suffix(".failed"))
            outcome.unreadable += 1
            continue
        path.unlink()
        outcome.stored += 1
    return outcome
