"""Verbs for people: register a person, change their details, record how to contact them safely.

Each verb keeps the blind indexes and name tokens in step with the encrypted values, in one transaction
with the audit entry. Phone numbers are read in the organisation's country unless written with +.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.models import Incident
from haven.orgs.models import Organisation
from haven.people import merging
from haven.people.duplicates import ordered, strong_candidates
from haven.people.models import (
    DuplicateFlag,
    Household,
    HouseholdMember,
    Person,
    PersonMerge,
    PersonNameToken,
    SafeContact,
)
from haven.people.names import blind_name_tokens
from haven.privacy import audit
from haven.privacy.blind import NormalisationError, identifier_index, phone_index

if TYPE_CHECKING:
    from haven.accounts.models import User

PERSON_CREATE = audit.register_action("person.create", "A person was registered")
PERSON_UPDATE = audit.register_action("person.update", "A person's details were changed")
PERSON_VIEW = audit.register_action("person.view", "A person's file was opened", read=True)
HOUSEHOLD_CREATE = audit.register_action("household.create", "A household was recorded")
HOUSEHOLD_MEMBER_ADD = audit.register_action("household.member_add", "A person was added to a household")
HOUSEHOLD_MEMBER_LEFT = audit.register_action(
    "household.member_left", "A person stopped living in a household"
)
SAFE_CONTACT_SET = audit.register_action("person.safe_contact", "Safe-contact instructions were recorded")
DUPLICATE_FLAG = audit.register_action(
    "person.duplicate_flag", "Two records were flagged as possible duplicates"
)
DUPLICATE_DISTINCT = audit.register_action(
    "person.duplicate_distinct", "A flagged pair was marked as two people"
)
PERSON_MERGE = audit.register_action("person.merge", "A person's record was merged into another")
PERSON_MERGE_UNDO = audit.register_action("person.merge_undo", "A merge of two records was undone")
# The reason code of the reads a duplicate review makes (the compare page shows both identities).
DUPLICATE_REVIEW_READ = "duplicate_review"

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
    "disabilities",
    "disability_details",
    "marital_status",
    "displacement_status",
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
    PersonNameToken.objects.filter(person=person).delete()
    _write_name_tokens(person)


def _write_name_tokens(person: Person) -> None:
    tokens = blind_name_tokens(person.org_id, f"{person.name} {person.latin_name}")
    PersonNameToken.objects.bulk_create(
        PersonNameToken(org_id=person.org_id, person=person, token=token) for token in sorted(tokens)
    )


def _validate(person: Person, today: date) -> None:
    if not person.name.strip():
        raise ValidationError({"name": _("Enter the name she gives (any script).")})
    if person.born_on is not None and person.born_on > today:
        raise ValidationError({"born_on": _("The date of birth cannot be in the future.")})
    _validate_disabilities(person.disabilities)
    if person.marital_status not in Person.MaritalStatus.values:
        raise ValidationError({"marital_status": _("Choose one of the marital statuses offered.")})
    if person.displacement_status not in Person.Displacement.values:
        raise ValidationError({"displacement_status": _("Choose one of the displacement statuses offered.")})


def _validate_disabilities(codes: Any) -> None:
    if not isinstance(codes, list) or any(code not in Person.Disability.values for code in codes):
        raise ValidationError({"disabilities": _("Choose among the disabilities offered.")})
    if Person.Disability.NONE_KNOWN in codes and len(codes) > 1:
        raise ValidationError(
            {"disabilities": _("“None known” cannot go with a disability: choose one or the other.")}
        )


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
        _write_name_tokens(person)  # a new person has none to replace
        audit.record(
            action=PERSON_CREATE,
            actor=acting_user,
            org=org,
            obj=person,
            at=at,
            fields=[f for f in PERSON_FIELDS if getattr(person, f) not in ("", None, False, [])],
        )
        if acting_user is not None:
            _flag_strong_candidates(person, acting_user=acting_user, at=at)
    return person


def _flag_strong_candidates(person: Person, *, acting_user: User, at: datetime) -> None:
    """Flag for review the records the registering worker's own search finds strongly alike.

    Registrations without a user (the demo, imports) are left to `haven flag_duplicates`.
    """
    for candidate, reasons in strong_candidates(person, user=acting_user):
        flag_duplicate(first=person, second=candidate, reasons=reasons, acting_user=acting_user, at=at)


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
        if "sex" in changed:
            _incidents_take_her_sex(person)
        audit.record(
            action=PERSON_UPDATE, actor=acting_user, org=person.org, obj=person, fields=changed, at=at
        )
    return person


def _incidents_take_her_sex(person: Person) -> int:
    """Her incidents keep her sex for the GBVIMS statistics (`Incident.survivor_sex`): a correction of her
    record reaches them, and so does a merge that makes another record's cases hers, or its undoing.
    Returns how many incidents changed."""
    return (
        Incident.objects.filter(case__survivor=person)
        .exclude(survivor_sex=person.sex)
        .update(survivor_sex=person.sex)
    )


def record_person_view(*, person: Person, acting_user: User, at: datetime, reason_code: str = "") -> None:
    audit.record(
        action=PERSON_VIEW, actor=acting_user, org=person.org, obj=person, at=at, reason_code=reason_code
    )


def set_safe_contact(
    *, person: Person, instructions: Mapping[str, Any], acting_user: User | None, at: datetime
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


def add_to_her_household(
    *,
    head: Person,
    relationship: str,
    joined_on: date | None = None,
    acting_user: User | None,
    at: datetime,
    **details: Any,
) -> HouseholdMember:
    """Register a child (or another member) who lives with her and add them to her household, at once.

    All or nothing: a refused relationship or date leaves no half-registered child behind.
    """
    if joined_on is not None and joined_on > timezone.localdate(at):
        raise ValidationError({"joined_on": _("This date cannot be in the future.")})
    with transaction.atomic():
        person = register_person(org=head.org, acting_user=acting_user, at=at, **details)
        household = start_household(head=head, acting_user=acting_user, at=at)
        return add_household_member(
            household=household,
            person=person,
            relationship=relationship,
            joined_on=joined_on,
            acting_user=acting_user,
            at=at,
        )


def record_member_left(
    *, member: HouseholdMember, left_on: date, acting_user: User | None, at: datetime
) -> HouseholdMember:
    """A member stopped living with her (a child placed elsewhere, a partner gone); the row stays."""
    if member.left_on is not None:
        raise ValidationError({"left_on": _("This person has already left the household.")})
    if left_on > timezone.localdate(at):
        raise ValidationError({"left_on": _("This date cannot be in the future.")})
    if member.joined_on is not None and left_on < member.joined_on:
        raise ValidationError({"left_on": _("This date is before the day they came to live with her.")})
    with transaction.atomic():
        # Only while the row still says she lives there: two submits at once cannot both record it (the
        # second waits for the first's row and then finds the date set).
        if not HouseholdMember.objects.filter(pk=member.pk, left_on__isnull=True).update(left_on=left_on):
            raise ValidationError({"left_on": _("This person has already left the household.")})
        member.left_on = left_on
        audit.record(
            action=HOUSEHOLD_MEMBER_LEFT,
            actor=acting_user,
            org=member.household.org,
            obj=member.household,
            fields=["members"],
            at=at,
        )
    return member


# --- Possible duplicates: flag, merge (reversible), mark distinct ---------------------------------------


def flag_duplicate(
    *, first: Person, second: Person, reasons: Iterable[str], acting_user: User | None, at: datetime
) -> DuplicateFlag | None:
    """Ask for a review of two records; None when the pair was flagged before (whatever was decided)."""
    codes = sorted(set(reasons))
    if first.pk == second.pk or first.org_id != second.org_id:
        raise ValidationError({"person": _("A possible duplicate needs two records of one organisation.")})
    if not codes or set(codes) - set(DuplicateFlag.Reason.values):
        raise ValidationError({"reasons": _("Give at least one of the reasons offered.")})
    person_a, person_b = ordered(first.pk, second.pk)
    with transaction.atomic():
        flag, created = DuplicateFlag.objects.get_or_create(
            person_a_id=person_a,
            person_b_id=person_b,
            defaults={"org_id": first.org_id, "reasons": codes, "created_at": at},
        )
        if not created:
            return None
        audit.record(
            action=DUPLICATE_FLAG, actor=acting_user, org=first.org, obj=flag, fields=["reasons"], at=at
        )
    return flag


def _locked_flag(flag: DuplicateFlag) -> DuplicateFlag:
    locked: DuplicateFlag = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    if locked.status != DuplicateFlag.Status.OPEN:
        raise ValidationError({"flag": _("This pair has already been decided.")})
    return locked


def mark_distinct(*, flag: DuplicateFlag, acting_user: User, at: datetime) -> DuplicateFlag:
    """Two different women: the pair stays recorded as distinct and is never flagged again."""
    with transaction.atomic():
        flag = _locked_flag(flag)
        flag.status = DuplicateFlag.Status.DISTINCT
        flag.decided_at, flag.decided_by = at, acting_user
        flag.save(update_fields=["status", "decided_at", "decided_by"])
        audit.record(
            action=DUPLICATE_DISTINCT, actor=acting_user, org=flag.org, obj=flag, fields=["status"], at=at
        )
    return flag


def _lock_people(*ids: Any) -> dict[Any, Person]:
    """Lock the rows in primary-key order, so two merges of overlapping pairs cannot deadlock."""
    return {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _refuse_merge(kept: Person, merged: Person) -> None:
    if kept.pk == merged.pk:
        raise ValidationError({"keep": _("A record cannot be merged with itself.")})
    if kept.org_id != merged.org_id:
        raise ValidationError({"keep": _("Only records of the same organisation can be merged.")})
    if merged.merged_into_id is not None or kept.merged_into_id is not None:
        raise ValidationError(
            {"keep": _("One of these records was already merged into another. Undo that merge first.")}
        )


def merge_people(
    *, kept: Person, merged: Person, acting_user: User, at: datetime, flag: DuplicateFlag | None = None
) -> PersonMerge:
    """Merge `merged` into `kept`: everything that pointed at her now points at `kept`; she is hidden.

    Her own record is kept (marked `merged_into`), and the merge lists every row it moved, so
    `undo_merge` can put everything back within `HAVEN_MERGE_UNDO_DAYS`.
    """
    _refuse_merge(kept, merged)
    with transaction.atomic():
        locked = _lock_people(kept.pk, merged.pk)
        kept, merged = locked[kept.pk], locked[merged.pk]
        _refuse_merge(kept, merged)  # again under the locks: a concurrent merge may have won
        if flag is not None:
            flag = _locked_flag(flag)
            if {flag.person_a_id, flag.person_b_id} != {kept.pk, merged.pk}:
                raise ValidationError({"keep": _("Choose one of the two records of this pair.")})
        moved, left = merging.repoint(merged=merged, kept=kept)
        merged.merged_into = kept
        merged.save(update_fields=["merged_into"])
        incidents_changed = _incidents_take_her_sex(kept)
        merge = PersonMerge.objects.create(
            org=kept.org,
            kept=kept,
            merged=merged,
            flag=flag,
            moved=[ref.as_json() for ref in moved],
            left=[ref.as_json() for ref in left],
            merged_at=at,
            merged_by=acting_user,
        )
        if flag is not None:
            flag.status = DuplicateFlag.Status.MERGED
            flag.decided_at, flag.decided_by = at, acting_user
            flag.save(update_fields=["status", "decided_at", "decided_by"])
        audit.record(
            action=PERSON_MERGE,
            actor=acting_user,
            org=kept.org,
            obj=merged,
            fields=_merge_audit_fields(moved, incidents_changed),
            at=at,
        )
    return merge


def _refuse_undo(merge: PersonMerge, kept: Person, at: datetime) -> None:
    if merge.undone_at is not None:
        raise ValidationError({"merge": _("This merge has already been undone.")})
    if at > merge.undo_until:
        raise ValidationError(
            {
                "merge": _("A merge can only be undone within %(days)s days of it.")
                % {"days": settings.HAVEN_MERGE_UNDO_DAYS}
            }
        )
    if kept.merged_into_id is not None:
        raise ValidationError(
            {"merge": _("The record kept has since been merged into another. Undo that merge first.")}
        )


def undo_merge(*, merge: PersonMerge, acting_user: User, at: datetime) -> PersonMerge:
    """Put back every row the merge moved and show the merged record again; her flag goes back to review."""
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        locked = _lock_people(merge.kept_id, merge.merged_id)
        kept, merged = locked[merge.kept_id], locked[merge.merged_id]
        _refuse_undo(merge, kept, at)
        moved = [merging.RowRef.from_json(row) for row in merge.moved]
        merging.restore(moved, merged=merged, kept=kept)
        merged.merged_into = None
        merged.save(update_fields=["merged_into"])
        incidents_changed = _incidents_take_her_sex(merged)
        merge.undone_at, merge.undone_by = at, acting_user
        merge.save(update_fields=["undone_at", "undone_by"])
        if merge.flag_id is not None:
            DuplicateFlag.objects.filter(pk=merge.flag_id).update(
                status=DuplicateFlag.Status.OPEN, decided_at=None, decided_by=None
            )
        audit.record(
            action=PERSON_MERGE_UNDO,
            actor=acting_user,
            org=kept.org,
            obj=merged,
            fields=_merge_audit_fields(moved, incidents_changed),
            at=at,
        )
    return merge


def _merge_audit_fields(moved: list[merging.RowRef], incidents_changed: int) -> list[str]:
    """What a merge, or its undoing, changed: her record's link, each relation moved, her incidents' sex."""
    sex = ["cases.incident.survivor_sex"] if incidents_changed else []
    return ["merged_into", *sorted({ref.relation for ref in moved}), *sex]
