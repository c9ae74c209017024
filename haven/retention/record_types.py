"""The kinds of record a retention policy can purge, and what a WHOLE or PARTIAL purge does to each.

A record type knows which records are due (finished, and finished long enough ago), how to delete a batch
of them with what they own, and how to erase a batch's identifying and narrative content while keeping
the non-identifying row that statistics count. Open records are never due.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import TruncYear
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


def _not_partially_purged(queryset: QuerySet[Any], code: str, finished: str) -> QuerySet[Any]:
    """Records not erased since they were last finished: a case reopened and closed again after its
    erasure holds new notes, so it is due once more."""
    from haven.retention.models import PartialPurge

    done = PartialPurge.objects.filter(
        record_type=code, object_id=OuterRef("pk"), purged_at__gte=OuterRef(finished)
    )
    return queryset.exclude(Exists(done))


ERASE_DEPTH = 3
"""How far below a record the erasure follows what it owns (a case's plan, the plan's transitions...)."""


def erase_with_what_it_owns(model: type[models.Model], ids: list[Any], *, links: bool = False) -> None:
    """Erase the rows' encrypted content and that of every record they own (deleted with them: CASCADE),
    down to ERASE_DEPTH levels. `links`: also every record of any app that points at them (a case's
    referrals, legal matters, safety plans...), with what those own in turn."""
    _erase_level(model, ids, depth=0, links=links)


def _erase_level(model: type[models.Model], ids: list[Any], *, depth: int, links: bool) -> None:
    erase_encrypted(model._base_manager.filter(pk__in=ids))
    if depth == ERASE_DEPTH:
        return
    for rel in model._meta.related_objects:
        child = rel.related_model
        owned = rel.on_delete is models.CASCADE or (links and depth == 0)
        if rel.many_to_many or not owned or not isinstance(child, type):
            continue
        child_ids = list(
            child._base_manager.filter(**{f"{rel.field.name}__in": ids}).values_list("pk", flat=True)
        )
        if child_ids:
            _erase_level(child, child_ids, depth=depth + 1, links=False)


# Closed cases --------------------------------------------------------------------------------------


def _closed_cases_due(org_id: uuid.UUID, cutoff: datetime, whole: bool) -> QuerySet[Any]:
    from haven.cases.models import Case

    due = _not_in_use(Case.objects.filter(org_id=org_id, status=Case.Status.CLOSED, closed_at__lte=cutoff))
    # A case another app still points at (a stay, a referral, a legal matter, a hotline contact) waits
    # until that record is purged: deleting it would break their link or their own retention.
    return _without_outside_links(due) if whole else _not_partially_purged(due, CLOSED_CASE, "closed_at")


def _open_records_of_a_case() -> list[tuple[type[models.Model], Q]]:
    """Records of other apps that are still going on: while one points at a closed case, neither mode
    touches the case. An open legal matter is Haven's legal hold (the court may yet need the file);
    a woman still in a shelter, a referral not yet answered, a team still on its way need theirs too."""
    from haven.dispatch.models import Dispatch
    from haven.documents.models import Draft
    from haven.hotline.models import Contact
    from haven.legal.models import Consultation, Matter
    from haven.referrals.models import Referral
    from haven.shelters.models import Stay, WaitlistEntry

    return [
        (Matter, ~Q(status=Matter.Status.CLOSED)),
        (Consultation, Q(status=Consultation.Status.SCHEDULED)),
        (Stay, Q(status=Stay.Status.ACTIVE)),
        (WaitlistEntry, Q(closed_at__isnull=True)),
        (Referral, Q(status__in=[Referral.Status.SENT, Referral.Status.ACCEPTED])),
        (Contact, Q(ended_at__isnull=True)),
        (Dispatch, Q(closed_at__isnull=True)),
        (Draft, ~Q(status=Draft.Status.APPROVED)),
    ]


def _not_in_use(cases: QuerySet[Any]) -> QuerySet[Any]:
    for model, still_going in _open_records_of_a_case():
        cases = cases.exclude(Exists(model._base_manager.filter(still_going, case=OuterRef("pk"))))
    return cases


def _delete_cases(cases: list[Any]) -> None:
    from haven.cases.models import Case, Incident

    ids = [case.pk for case in cases]
    # Incidents protect their case from a careless delete; here the case goes, so they go first
    # (their alleged perpetrators with them). Everything else the case owns cascades.
    Incident.objects.filter(case_id__in=ids).delete()
    Case.objects.filter(pk__in=ids).delete()


def _erase_cases(cases: list[Any]) -> None:
    """Keep the incidents' GBVIMS facts (type, contexts, dates, age band, area) and the case's status row;
    erase every narrative: incident accounts, notes, comments, goals, needs, service details, outcomes,
    and what other apps wrote about the case (referrals, legal matters, safety plans, counselling...)."""
    from haven.cases.models import Case

    erase_with_what_it_owns(Case, [case.pk for case in cases], links=True)


# Ended hotline contacts (calls, messages, webchat) -------------------------------------------------


def _contacts_due(org_id: uuid.UUID, cutoff: datetime, whole: bool) -> QuerySet[Any]:
    from haven.hotline.models import Callback, Contact

    due = Contact.objects.filter(org_id=org_id, ended_at__isnull=False, ended_at__lte=cutoff)
    # Someone has still to call her back: the contact says why, so it waits for the call.
    due = due.exclude(Exists(Callback.objects.filter(contact=OuterRef("pk"), done_at__isnull=True)))
    return _without_outside_links(due) if whole else _not_partially_purged(due, ENDED_CONTACT, "ended_at")


def _transcript_start(contact: Any) -> datetime | None:
    """Her first message can arrive before the contact is offered to an agent (it waits in the queue),
    so the transcript starts where her previous conversation on the channel ended, or at the beginning."""
    from haven.hotline.models import Contact

    previous = Contact.objects.filter(
        channel_id=contact.channel_id,
        sender_index=contact.sender_index,
        ended_at__lt=contact.offered_at,
    ).aggregate(end=Max("ended_at"))["end"]
    return previous if previous is None else previous + timedelta(microseconds=1)


def _delete_transcripts(contacts: list[Any]) -> None:
    """The messages exchanged with the sender during the conversation (the chat's transcript)."""
    from haven.channels.models import InboundEvent, OutboundMessage

    for contact in contacts:
        if contact.channel_id is None or not contact.sender_index:
            continue
        start = _transcript_start(contact)
        received = Q(received_at__lte=contact.ended_at) & (Q(received_at__gte=start) if start else Q())
        sent = Q(sent_at__lte=contact.ended_at) & (Q(sent_at__gte=start) if start else Q())
        InboundEvent.objects.filter(
            received, channel_id=contact.channel_id, sender_index=contact.sender_index
        ).delete()
        OutboundMessage.objects.filter(
            sent, channel_id=contact.channel_id, recipient_index=contact.sender_index
        ).delete()


def _delete_contacts(contacts: list[Any]) -> None:
    from haven.hotline.models import Callback, Contact

    ids = [contact.pk for contact in contacts]
    _delete_transcripts(contacts)
    Callback.objects.filter(contact_id__in=ids).delete()  # all done: see _contacts_due
    Contact.objects.filter(pk__in=ids).delete()


def _erase_contacts(contacts: list[Any]) -> None:
    """Keep when, how and what kind of contact it was; erase the summary, the agents' briefings, the
    call-backs' purposes, the transcript, the sender's blind index and the links to her file."""
    from haven.hotline.models import Callback, Contact

    ids = [contact.pk for contact in contacts]
    _delete_transcripts(contacts)
    erase_with_what_it_owns(Contact, ids)
    erase_encrypted(Callback.objects.filter(contact_id__in=ids))
    Contact.objects.filter(pk__in=ids).update(sender_index="", person=None, case=None)


# Ended shelter stays ------------------------------------------------------------------------------


def _stays_due(org_id: uuid.UUID, cutoff: datetime, whole: bool) -> QuerySet[Any]:
    from haven.shelters.models import Stay

    due = Stay.objects.filter(
        org_id=org_id, status=Stay.Status.ENDED, ended_at__isnull=False, ended_at__lte=cutoff
    )
    if not whole:
        return _not_partially_purged(due, ENDED_STAY, "ended_at")
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


# Person records ---------------------------------------------------------------------------------------


def _people_due(org_id: uuid.UUID, cutoff: datetime, whole: bool) -> QuerySet[Any]:
    """WHOLE: a person record nothing points at any more (her cases, contacts and stays were deleted).
    PARTIAL: one with nothing of hers still going on, every file of hers finished before the cut-off."""
    from haven.people.models import Person

    people = Person.objects.filter(org_id=org_id, created_at__lte=cutoff)
    if whole:
        return _without_links(people)
    return _not_erased_since_her_files_ended(_with_nothing_going_on(people, cutoff))


def _not_erased_since_her_files_ended(people: QuerySet[Any]) -> QuerySet[Any]:
    """People not erased since the last of their files ended. Her record, unlike a case, has no moment it
    finishes: a case of hers reopened (or a contact or stay begun) after her erasure brings her details back
    into it, so it is due once more when that file has ended too."""
    from haven.cases.models import Case
    from haven.hotline.models import Contact
    from haven.retention.models import PartialPurge
    from haven.shelters.models import StayResident

    erased = PartialPurge.objects.filter(record_type=PERSON, object_id=OuterRef("pk"))
    her = OuterRef(OuterRef("pk"))
    since = OuterRef("purged_at")
    for ended_later in (
        Case.objects.filter(survivor=her, closed_at__gt=since),
        Contact.objects.filter(person=her, ended_at__gt=since),
        StayResident.objects.filter(person=her, ended_at__gt=since),
    ):
        erased = erased.exclude(Exists(ended_later))
    return people.exclude(Exists(erased))


def _without_links(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Rows no other record needs: every reverse relation but what the row owns (deleted with it)."""
    for rel in queryset.model._meta.related_objects:
        if rel.on_delete is not models.CASCADE and not rel.many_to_many:
            linked = rel.related_model._base_manager.filter(**{rel.field.name: OuterRef("pk")})
            queryset = queryset.exclude(Exists(linked))
    return queryset


def _with_nothing_going_on(people: QuerySet[Any], cutoff: datetime) -> QuerySet[Any]:
    from haven.benefits.models import Beneficiary
    from haven.cases.models import Case
    from haven.hotline.models import Callback, Contact
    from haven.people.models import Household, HouseholdMember
    from haven.shelters.models import StayResident

    finished_cases = _not_in_use(Case.objects.filter(status=Case.Status.CLOSED, closed_at__lte=cutoff))
    recent = Q(ended_at__isnull=True) | Q(ended_at__gt=cutoff)
    going_on = [
        Case.objects.filter(survivor=OuterRef("pk")).exclude(pk__in=finished_cases.values("pk")),
        Contact.objects.filter(recent, person=OuterRef("pk")),
        Callback.objects.filter(person=OuterRef("pk"), done_at__isnull=True),
        StayResident.objects.filter(recent, person=OuterRef("pk")),
        # A programme's beneficiaries and households follow the programme's own rules, not these.
        Beneficiary.objects.filter(person=OuterRef("pk")),
        HouseholdMember.objects.filter(person=OuterRef("pk")),
        Household.objects.filter(head=OuterRef("pk")),
    ]
    for records in going_on:
        people = people.exclude(Exists(records))
    return people


def _delete_people(people: list[Any]) -> None:
    from haven.people.models import Person

    Person.objects.filter(pk__in=[person.pk for person in people]).delete()  # tokens, safe contacts


def _erase_people(people: list[Any]) -> None:
    """Keep sex, birth year, languages, disabilities and statuses (what statistics count); erase name,
    phone, address, ID number, the details of her disability and her safe contacts, and the blind
    indexes and name tokens that could find her again."""
    from haven.people.models import Person, PersonNameToken

    ids = [person.pk for person in people]
    erase_with_what_it_owns(Person, ids)
    PersonNameToken.objects.filter(person_id__in=ids).delete()
    Person.objects.filter(pk__in=ids).update(
        phone_index="", id_number_index="", born_on=TruncYear("born_on"), born_on_is_estimate=True
    )


CLOSED_CASE = "closed_case"
ENDED_CONTACT = "ended_contact"
ENDED_STAY = "ended_stay"
PERSON = "person"

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
    PERSON: RecordType(
        PERSON, _("Person records with nothing still going on"), _people_due, _delete_people, _erase_people
    ),
}


def record_type_choices() -> list[tuple[str, str | Promise]]:
    return [(code, kind.label) for code, kind in RECORD_TYPES.items()]
