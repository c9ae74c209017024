"""The kinds of record a retention policy can purge, and what a WHOLE or PARTIAL purge does to each.

A record type knows which records are due (finished, and finished long enough ago), how to delete a batch
of them with what they own, and how to erase a batch's identifying and narrative content while keeping
the non-identifying row that statistics count. Open records are never due.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.privacy.fields import EncryptedTextField


@dataclass(frozen=True)
class RecordType:
    code: str
    label: str | Promise
    due: Callable[[uuid.UUID, datetime, bool], QuerySet[Any]]
    """(org id, cut-off, whole?) -> the records finished on or before the cut-off that may be purged."""
    delete: Callable[[list[Any]], None]
    erase: Callable[[list[Any]], None]


def erase_encrypted(rows: QuerySet[Any]) -> None:
    """Overwrite every encrypted field of the rows: NULL where the column allows it, else a sealed empty
    string (a fresh ciphertext of nothing: the old one, and what it held, is gone)."""
    model = rows.model
    fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
    if not fields:
        return
    for row in rows.iterator(chunk_size=200):
        for field in fields:
            setattr(row, field.attname, None if field.null else "")
        row.save(update_fields=[f.name for f in fields])


def _outside_links(model: type[models.Model]) -> list[Any]:
    """Reverse relations from other apps: their records still need this one, so it is not deleted."""
    label = model._meta.app_label
    links: list[Any] = [
        rel
        for rel in model._meta.related_objects
        if isinstance(rel.related_model, type) and rel.related_model._meta.app_label != label
    ]
    return links


def _without_outside_links(queryset: QuerySet[Any]) -> QuerySet[Any]:
    for rel in _outside_links(queryset.model):
        linked = rel.related_model.objects.filter(**{rel.field.name: OuterRef("pk")})
        queryset = queryset.exclude(Exists(linked))
    return queryset


def _not_partially_purged(queryset: QuerySet[Any], code: str) -> QuerySet[Any]:
    from haven.retention.models import PartialPurge

    done = PartialPurge.objects.filter(record_type=code, object_id=OuterRef("pk"))
    return queryset.exclude(Exists(done))


# Closed cases --------------------------------------------------------------------------------------


def _case_rows_with_content(case_ids: list[uuid.UUID]) -> list[QuerySet[Any]]:
    """Every record the cases app keeps about these cases that holds encrypted content."""
    from haven.cases import models as m

    by_case = {"case_id__in": case_ids}
    return [
        m.Incident.objects.filter(**by_case),
        m.CaseTransition.objects.filter(**by_case),
        m.CaseService.objects.filter(**by_case),
        m.NeedsAssessment.objects.filter(**by_case),
        m.CasePlanTransition.objects.filter(plan__case_id__in=case_ids),
        m.Goal.objects.filter(**by_case),
        m.GoalProgress.objects.filter(goal__case_id__in=case_ids),
        m.Appointment.objects.filter(**by_case),
        m.CaseNote.objects.filter(**by_case),
    ]


def _closed_cases_due(org_id: uuid.UUID, cutoff: datetime, whole: bool) -> QuerySet[Any]:
    from haven.cases.models import Case

    due = _not_under_legal_hold(
        Case.objects.filter(org_id=org_id, status=Case.Status.CLOSED, closed_at__lte=cutoff)
    )
    # A case another app still points at (a stay, a referral, a legal matter, a hotline contact) waits
    # until that record is purged: deleting it would break their link or their own retention.
    return _without_outside_links(due) if whole else _not_partially_purged(due, CLOSED_CASE)


def _not_under_legal_hold(cases: QuerySet[Any]) -> QuerySet[Any]:
    """Haven has no legal-hold flag; a legal matter still open on the case is one: the court may yet
    need the file, so neither mode touches it."""
    from haven.legal.models import Matter

    pending = Matter.objects.filter(case=OuterRef("pk")).exclude(status=Matter.Status.CLOSED)
    return cases.exclude(Exists(pending))


def _delete_cases(cases: list[Any]) -> None:
    from haven.cases.models import Case, Incident

    ids = [case.pk for case in cases]
    # Incidents protect their case from a careless delete; here the case goes, so they go first
    # (their alleged perpetrators with them). Everything else the case owns cascades.
    Incident.objects.filter(case_id__in=ids).delete()
    Case.objects.filter(pk__in=ids).delete()


def _erase_cases(cases: list[Any]) -> None:
    """Keep the incidents' GBVIMS facts (type, contexts, dates, age band, area) and the case's status row;
    erase every narrative: incident accounts, notes, comments, goals, needs, service details, outcomes."""
    for rows in _case_rows_with_content([case.pk for case in cases]):
        erase_encrypted(rows)


# Ended hotline contacts (calls, messages, webchat) -------------------------------------------------


def _contacts_due(org_id: uuid.UUID, cutoff: datetime, whole: bool) -> QuerySet[Any]:
    from haven.hotline.models import Contact

    due = Contact.objects.filter(org_id=org_id, ended_at__isnull=False, ended_at__lte=cutoff)
    return _without_outside_links(due) if whole else _not_partially_purged(due, ENDED_CONTACT)


def _delete_transcripts(contacts: list[Any]) -> None:
    """The messages exchanged with the sender while the contact was open (the chat's transcript)."""
    from haven.channels.models import InboundEvent, OutboundMessage

    for contact in contacts:
        if contact.channel_id is None or not contact.sender_index:
            continue
        span = (contact.offered_at, contact.ended_at)
        InboundEvent.objects.filter(
            channel_id=contact.channel_id, sender_index=contact.sender_index, received_at__range=span
        ).delete()
        OutboundMessage.objects.filter(
            channel_id=contact.channel_id, recipient_index=contact.sender_index, sent_at__range=span
        ).delete()


def _delete_contacts(contacts: list[Any]) -> None:
    from haven.hotline.models import Contact

    _delete_transcripts(contacts)
    Contact.objects.filter(pk__in=[contact.pk for contact in contacts]).delete()


def _erase_contacts(contacts: list[Any]) -> None:
    """Keep when, how and what kind of contact it was; erase the summary, the agents' briefings, the
    transcript, the sender's blind index and the links to her file."""
    from haven.hotline.models import Contact, ContactAgent

    ids = [contact.pk for contact in contacts]
    _delete_transcripts(contacts)
    erase_encrypted(Contact.objects.filter(pk__in=ids))
    erase_encrypted(ContactAgent.objects.filter(contact_id__in=ids))
    Contact.objects.filter(pk__in=ids).update(sender_index="", person=None, case=None)


# Ended shelter stays ------------------------------------------------------------------------------


def _stays_due(org_id: uuid.UUID, cutoff: datetime, whole: bool) -> QuerySet[Any]:
    from haven.shelters.models import Stay

    due = Stay.objects.filter(
        org_id=org_id, status=Stay.Status.ENDED, ended_at__isnull=False, ended_at__lte=cutoff
    )
    if not whole:
        return _not_partially_purged(due, ENDED_STAY)
    # A stay she was transferred on from keeps the earlier one until the later stay goes too.
    transferred_on = Stay.objects.filter(transferred_from=OuterRef("pk"))
    return _without_outside_links(due).exclude(Exists(transferred_on))


def _delete_stays(stays: list[Any]) -> None:
    from haven.shelters.models import Stay, StayExtension, StayResident

    ids = [stay.pk for stay in stays]
    StayExtension.objects.filter(stay_id__in=ids).delete()
    StayResident.objects.filter(stay_id__in=ids).delete()
    Stay.objects.filter(pk__in=ids).delete()


def _erase_stays(stays: list[Any]) -> None:
    """Keep the stay, its beds and dates (occupancy figures); erase the reasons given for extensions."""
    from haven.shelters.models import StayExtension

    erase_encrypted(StayExtension.objects.filter(stay_id__in=[stay.pk for stay in stays]))


CLOSED_CASE = "closed_case"
ENDED_CONTACT = "ended_contact"
ENDED_STAY = "ended_stay"

RECORD_TYPES: dict[str, RecordType] = {
    CLOSED_CASE: RecordType(CLOSED_CASE, _("Closed cases"), _closed_cases_due, _delete_cases, _erase_cases),
    ENDED_CONTACT: RecordType(
        ENDED_CONTACT,
        _("Ended hotline contacts and webchats"),
        _contacts_due,
        _delete_contacts,
        _erase_contacts,
    ),
    ENDED_STAY: RecordType(ENDED_STAY, _("Ended shelter stays"), _stays_due, _delete_stays, _erase_stays),
}


def record_type_choices() -> list[tuple[str, str | Promise]]:
    return [(code, kind.label) for code, kind in RECORD_TYPES.items()]
