"""Synthetic records for the retention tests, and a raw look at every table.

Each record carries a marker string of its own, so a test can tell a purged record's traces from those
of the records that must survive."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection

from haven.cases.models import Case, CaseNote, Incident
from haven.channels.models import Channel, InboundEvent, OutboundMessage
from haven.channels.tests import factories as channel_factories
from haven.conftest import World
from haven.hotline.models import Contact, ContactAgent
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.blind import blind_index


@dataclass
class Traces:
    """What a record left in the database: ciphertexts and blind indexes (as stored) and plaintexts."""

    values: list[str] = field(default_factory=list)

    def add_stored(self, table: str, column: str, pk: Any) -> None:
        self.values.append(raw_column(table, column, pk))


def raw_column(table: str, column: str, pk: Any) -> str:
    """The stored value, read past the ORM: what someone with the database but no key would see."""
    key = pk.hex if connection.vendor == "sqlite" else pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [key])
        return str(cursor.fetchone()[0])


def database_text() -> str:
    """Every row of every table as text (SELECT *): a purged value found here was not purged."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def closed_case(world: World, *, closed_at: datetime | None, marker: str) -> tuple[Case, Traces]:
    """A case (closed at `closed_at`, or still open when None) with an incident, a perpetrator-free
    GBVIMS record, a narrative and a note, all bearing `marker`."""
    survivor = register_person(
        org=world.org, name=f"Synthetic Survivor {marker}", acting_user=None, at=world.at
    )
    case = Case.objects.create(
        org=world.org,
        survivor=survivor,
        status=Case.Status.CLOSED if closed_at else Case.Status.ACTIVE,
        opened_at=(closed_at or world.at) - timedelta(days=30),
        closed_at=closed_at,
    )
    incident = Incident.objects.create(
        org=world.org,
        case=case,
        occurred_on=date(2020, 1, 1),
        place_type=Incident.PlaceType.HOME,
        narrative=f"Synthetic account {marker}",
        reported_on=date(2020, 1, 2),
        physical_violence=True,
        survivor_age_at_incident=30,
        violence_type="PHYSICAL_ASSAULT",
        classification_rule="physical",
        delay_bucket="DAYS_0_3",
        recorded_at=world.at,
    )
    note = CaseNote.objects.create(
        org=world.org, case=case, written_at=world.at, text=f"Synthetic note {marker}"
    )
    traces = Traces([f"Synthetic account {marker}", f"Synthetic note {marker}"])
    traces.add_stored("cases_incident", "narrative", incident.pk)
    traces.add_stored("cases_casenote", "text", note.pk)
    return case, traces


def webchat_line(world: World) -> Channel:
    return channel_factories.channel(world.org, "WEBCHAT")


def ended_webchat(
    world: World, line: Channel, *, ended_at: datetime | None, marker: str
) -> tuple[Contact, Traces]:
    """A webchat conversation (ended at `ended_at`, or still open) with a summary, a warm-transfer
    briefing and two messages of transcript, all bearing `marker`."""
    started = (ended_at or world.at) - timedelta(minutes=30)
    sender_index = blind_index(world.org.pk, "webchat", f"visitor-{marker}")
    contact = Contact.objects.create(
        org=world.org,
        channel=line,
        kind=Contact.Kind.WEBCHAT,
        sender_index=sender_index,
        offered_at=started,
        answered_at=started,
        ended_at=ended_at,
        summary=f"Synthetic summary {marker}",
        outcome=Contact.Outcome.COUNSELLING if ended_at else "",
    )
    agent = ContactAgent.objects.create(
        org=world.org,
        contact=contact,
        membership=world.members[Role.HOTLINE_AGENT],
        briefing=f"Synthetic briefing {marker}",
        joined_at=started,
        left_at=ended_at,
    )
    said = InboundEvent.objects.create(
        org=world.org,
        channel=line,
        kind=InboundEvent.Kind.MESSAGE,
        sender_index=sender_index,
        sender=f"visitor-{marker}",
        provider_message_id=uuid.uuid4().hex,
        body=f"Synthetic message {marker}",
        payload="{}",
        received_at=started + timedelta(minutes=1),
        processed_at=started + timedelta(minutes=1),
    )
    answered = OutboundMessage.objects.create(
        org=world.org,
        channel=line,
        recipient_index=sender_index,
        recipient=f"visitor-{marker}",
        body=f"Synthetic answer {marker}",
        sent_at=started + timedelta(minutes=2),
    )
    traces = Traces(
        [sender_index]
        + [f"Synthetic {what} {marker}" for what in ("summary", "briefing", "message", "answer")]
    )
    traces.add_stored("hotline_contact", "summary", contact.pk)
    traces.add_stored("hotline_contactagent", "briefing", agent.pk)
    traces.add_stored("channels_inboundevent", "body", said.pk)
    traces.add_stored("channels_inboundevent", "sender", said.pk)
    traces.add_stored("channels_outboundmessage", "body", answered.pk)
    return contact, traces
