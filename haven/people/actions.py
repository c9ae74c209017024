"""Verbs for people: register a person, change their details, record how to contact them safely.

Each verb keeps the blind indexes and name tokens in step with the encrypted values, in one transaction
with the audit entry. Phone numbers are read in the organisation's country unless written with +.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haven.orgs.models import Organisation
from haven.people.models import Household, HouseholdMember, Person, PersonNameToken, SafeContact
from haven.people.names import blind_name_tokens
from haven.privacy import audit
from haven.privacy.blind import NormalisationError, identifier_index, phone_index

if TYPE_CHECKING:
    from haven.accounts.models import User

PERSON_CREATE = audit.register_action("person.create", "A person was registered")
PERSON_UPDATE = audit.register_action("person.update", "A person's details were changed")
PERSON_VIEW = audit.register_action("person.view", "A person's file was opened")
HOUSEHOLD_CREATE = audit.register_action("household.create", "A household was recorded")
HOUSEHOLD_MEMBER_ADD = audit.register_action("household.member_add", "A person was added to a household")
SAFE_CONTACT_SET = audit.register_action("person.safe_contact", "Safe-contact instructions were recorded")

PERSON_FIELDS = (
    "name",
    "latin_name",
    "phone",
    "address",
    "id_kind",
    "id_number",
    "born_on",
    "born_on_is_estimate",
    "sex",
    "languages",
    "needs_interpreter",
)
SAFE_CONTACT_FIELDS = (
    "safe_to_call",
    "safe_channel",
    "safe_hours",
    "code_word",
    "abuser_knows_of_contact",
    "do_not_name_organisation",
    "notes",
)
# Crockford's alphabet: no I, L, O or U, so a code read aloud on a hotline is not misheard.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_ATTEMPTS = 5


def new_survivor_code() -> str:
    """A random code such as 'S-7KQ2-M9XD': identifies no one and reveals nothing about how many there are."""
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"S-{body[:4]}-{body[4:]}"


def _refresh_indexes(person: Person) -> None:
    """Recompute the phone and ID blind indexes from the (plaintext, in memory) values."""
    org = person.org
    try:
        person.phone_index = phone_index(org.pk, person.phone, org.country) if person.phone else ""
    except NormalisationError:
        raise ValidationError({"phone": _("This is not a phone number Haven can read.")}) from None
    kind = person.id_kind or "OTHER"
    try:
        person.id_number_index = identifier_index(org.pk, kind, person.id_number) if person.id_number else ""
    except NormalisationError:
        raise ValidationError({"id_number": _("Enter the ID number's letters and digits.")}) from None


def _refresh_name_tokens(person: Person) -> None:
    tokens = blind_name_tokens(person.org_id, f"{person.name} {person.latin_name}")
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(
        PersonNameToken(org_id=person.org_id, person=person, token=token) for token in sorted(tokens)
    )


def _validate(person: Person, today: date) -> None:
    if not person.name.strip():
        raise ValidationError({"name": _("Enter the name she gives (any script).")})
    if person.born_on is not None and person.born_on > today:
        raise ValidationError({"born_on": _("The date of birth cannot be in the future.")})


def register_person(
    *, org: Organisation, name: str, acting_user: User | None, at: datetime, **details: Any
) -> Person:
    unknown = set(details) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    person = Person(org=org, name=name.strip(), created_at=at, **details)
    _validate(person, at.date())
    _refresh_indexes(person)
    with transaction.atomic():
        _save_with_fresh_code(person)
        _refresh_name_tokens(person)
        audit.record(
            action=PERSON_CREATE,
            actor=acting_user,
            org=org,
            obj=person,
            at=at,
            fields=[f for f in PERSON_FIELDS if getattr(person, f) not in ("", None, False, [])],
        )
    return person


def _save_with_fresh_code(person: Person) -> None:
    for _attempt in range(_CODE_ATTEMPTS):
        person.survivor_code = new_survivor_code()
        try:
            with transaction.atomic():
                person.save()
            return
        except IntegrityError:
            continue  # a code collision: astronomically rare, simply draw again
    raise RuntimeError("Could not draw a free survivor code.")


def update_person(*, person: Person, changes: Mapping[str, Any], acting_user: User, at: datetime) -> Person:
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, changes[name])
    _validate(person, at.date())
    _refresh_indexes(person)
    with transaction.atomic():
        person.save()
        if {"name", "latin_name"} & set(changed):
            _refresh_name_tokens(person)
        audit.record(
            action=PERSON_UPDATE, actor=acting_user, org=person.org, obj=person, fields=changed, at=at
        )
    return person


def record_person_view(*, person: Person, acting_user: User, at: datetime) -> None:
    audit.record(action=PERSON_VIEW, actor=acting_user, org=person.org, obj=person, at=at)


def set_safe_contact(
    *, person: Person, instructions: Mapping[str, Any], acting_user: User, at: datetime
) -> SafeContact:
    if set(instructions) - set(SAFE_CONTACT_FIELDS):
        raise ValidationError({"safe_contact": _("Unknown safe-contact instruction.")})
    contact = SafeContact.objects.filter(person=person).first() or SafeContact(org=person.org, person=person)
    changed = [name for name, value in instructions.items() if getattr(contact, name) != value]
    for name in changed:
        setattr(contact, name, instructions[name])
    if contact.safe_to_call and contact.safe_channel == SafeContact.Channel.IN_PERSON:
        raise ValidationError({"safe_channel": _("She is safe to call: choose the channel to use.")})
    with transaction.atomic():
        contact.save()
        audit.record(
            action=SAFE_CONTACT_SET, actor=acting_user, org=person.org, obj=person, fields=changed, at=at
        )
    return contact


def start_household(*, head: Person, acting_user: User | None, at: datetime) -> Household:
    """The household of a woman; one per head, so asking twice returns the one she has."""
    with transaction.atomic():
        household = Household.objects.filter(head=head).first()
        if household is None:
            household = Household.objects.create(org=head.org, head=head, created_at=at)
            audit.record(action=HOUSEHOLD_CREATE, actor=acting_user, org=head.org, obj=household, at=at)
    return household


def add_household_member(
    *,
    household: Household,
    person: Person,
    relationship: str,
    joined_on: date | None = None,
    acting_user: User | None,
    at: datetime,
) -> HouseholdMember:
    if person.org_id != household.org_id:
        raise ValidationError({"person": _("Choose a person of your own organisation.")})
    if person.pk == household.head_id:
        raise ValidationError({"person": _("She heads this household already.")})
    if relationship not in HouseholdMember.Relationship.values:
        raise ValidationError({"relationship": _("Choose one of the relationships offered.")})
    member = HouseholdMember(
        org=household.org, household=household, person=person, relationship=relationship, joined_on=joined_on
    )
    try:
        with transaction.atomic():
            member.save()
            audit.record(
                action=HOUSEHOLD_MEMBER_ADD,
                actor=acting_user,
                org=household.org,
                obj=household,
                fields=["members"],
                at=at,
            )
    except IntegrityError:
        raise ValidationError({"person": _("This person is already in the household.")}) from None
    return member
