"""API for people: find a returning person, register her, read her file, record how to contact her safely.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Search answers carry survivor codes, never names; reading one person is an audited act.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.people import actions
from haven.people.duplicates import review_queue
from haven.people.models import DuplicateFlag, HouseholdMember, Person, PersonMerge, SafeContact
from haven.people.queries import find_returning_people
from haven.people.views import REVIEW_ROLES, SURVIVOR_ROLES
from haven.web.openapi import SchemaName

PersonSex = Annotated[Person.Sex, SchemaName("PersonSex")]
SafeContactChannel = Annotated[SafeContact.Channel, SchemaName("SafeContactChannel")]
HouseholdRelationship = Annotated[HouseholdMember.Relationship, SchemaName("HouseholdRelationship")]


router = Router(tags=["people"])


class SearchQuery(Schema):
    phone: str = Field("", max_length=40)
    id_kind: Person.IdKind | None = None
    id_number: str = Field("", max_length=60)
    name: str = Field("", max_length=200)


class PersonMatchOut(Schema):
    id: uuid.UUID
    survivor_code: str
    score: float
    reasons: list[str]


class PersonIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    latin_name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=2000)
    id_kind: Person.IdKind | None = None
    id_number: str = Field("", max_length=60)
    born_on: date | None = None
    born_on_is_estimate: bool = False
    sex: PersonSex = Person.Sex.UNKNOWN
    languages: list[str] = Field(default_factory=list, max_length=20)
    needs_interpreter: bool = False
    disabilities: list[Person.Disability] = Field(default_factory=list, max_length=len(Person.Disability))
    disability_details: str = Field("", max_length=2000)
    marital_status: Person.MaritalStatus = Person.MaritalStatus.NOT_KNOWN
    displacement_status: Person.Displacement = Person.Displacement.NOT_KNOWN


class PersonPatch(Schema):
    """Only the fields sent are changed; an empty text clears a field, except her name."""

    name: str | None = Field(None, min_length=1, max_length=200)
    latin_name: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=2000)
    id_kind: Person.IdKind | None = None
    id_number: str | None = Field(None, max_length=60)
    born_on: date | None = None
    born_on_is_estimate: bool | None = None
    sex: PersonSex | None = None
    languages: list[str] | None = Field(None, max_length=20)
    needs_interpreter: bool | None = None
    disabilities: list[Person.Disability] | None = Field(None, max_length=len(Person.Disability))
    disability_details: str | None = Field(None, max_length=2000)
    marital_status: Person.MaritalStatus | None = None
    displacement_status: Person.Displacement | None = None


class PersonCreated(Schema):
    id: uuid.UUID
    survivor_code: str


class SafeContactIn(Schema):
    safe_to_call: bool = False
    safe_channel: SafeContactChannel = SafeContact.Channel.IN_PERSON
    safe_hours: str = Field("", max_length=200)
    code_word: str = Field("", max_length=200)
    abuser_knows_of_contact: bool = False
    do_not_name_organisation: bool = True
    notes: str = Field("", max_length=2000)


class SafeContactOut(Schema):
    safe_to_call: bool
    safe_channel: str
    safe_hours: str
    code_word: str
    abuser_knows_of_contact: bool
    do_not_name_organisation: bool
    notes: str


class PersonOut(Schema):
    id: uuid.UUID
    survivor_code: str
    name: str
    latin_name: str
    phone: str
    address: str
    id_kind: str
    id_number: str
    born_on: date | None
    born_on_is_estimate: bool
    sex: str
    languages: list[str]
    needs_interpreter: bool
    disabilities: list[str]
    disability_details: str
    marital_status: str
    displacement_status: str
    # Null when nothing is recorded yet: then nobody may call or message her.
    safe_contact: SafeContactOut | None


def _contact_out(contact: SafeContact) -> SafeContactOut:
    return SafeContactOut(**{name: getattr(contact, name) for name in actions.SAFE_CONTACT_FIELDS})


def _person_out(person: Person) -> PersonOut:
    contact = SafeContact.objects.filter(person=person).first()
    return PersonOut(
        id=person.pk,
        survivor_code=person.survivor_code,
        safe_contact=_contact_out(contact) if contact else None,
        **{name: getattr(person, name) for name in actions.PERSON_FIELDS},
    )


# A POST, not a GET with a query string: names and phone numbers must not end up in URLs and access logs.
@router.post(
    "/people/search", response=list[PersonMatchOut], summary="Find a returning person (codes, no names)"
)
@api_access(SURVIVOR_ROLES)
def search_people(request: StaffRequest, filters: SearchQuery) -> list[PersonMatchOut]:
    matches = find_returning_people(
        user=request.user,
        phone=filters.phone,
        id_kind=filters.id_kind or "",
        id_number=filters.id_number,
        name=filters.name,
    )
    return [
        PersonMatchOut(id=m.person.pk, survivor_code=m.person.survivor_code, score=m.score, reasons=m.reasons)
        for m in matches
    ]


@router.post("/people", response={201: PersonCreated}, summary="Register a person")
@api_access(SURVIVOR_ROLES)
def register_person(request: StaffRequest, payload: PersonIn) -> Status[PersonCreated]:
    data = payload.dict()
    data["id_kind"] = data["id_kind"] or ""
    data["disabilities"] = list(dict.fromkeys(data["disabilities"]))
    person = actions.register_person(org=request.org, acting_user=request.user, at=timezone.now(), **data)
    return Status(201, PersonCreated(id=person.pk, survivor_code=person.survivor_code))


@router.get("/people/{person_id}", response=PersonOut, summary="One person's file (an audited read)")
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def get_person(request: StaffRequest, person_id: uuid.UUID) -> PersonOut:
    return _read_person(request, get_visible_or_404(Person.objects.all(), request.user, pk=person_id))


def _read_person(request: StaffRequest, person: Person) -> PersonOut:
    """Her file as an answer: it carries her name, phone, address and ID, so every answer carrying it is
    an audited read, whether it answers a read or a change of her details."""
    actions.record_person_view(person=person, acting_user=request.user, at=timezone.now())
    return _person_out(person)


@router.patch("/people/{person_id}", response=PersonOut, summary="Change her details (only the fields sent)")
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def update_person(request: StaffRequest, person_id: uuid.UUID, payload: PersonPatch) -> PersonOut:
    person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=person_id)
    changes = payload.dict(exclude_unset=True)
    if "id_kind" in changes:
        changes["id_kind"] = changes["id_kind"] or ""
    if changes.get("disabilities") is not None:
        changes["disabilities"] = list(dict.fromkeys(changes["disabilities"]))
    required = {
        "name",
        "born_on_is_estimate",
        "sex",
        "needs_interpreter",
        "marital_status",
        "displacement_status",
    }
    refused = sorted(name for name in required & set(changes) if changes[name] is None)
    if refused:
        raise ValidationError({refused[0]: _("This field cannot be empty.")})
    actions.update_person(person=person, changes=changes, acting_user=request.user, at=timezone.now())
    return _read_person(request, person)


@router.put(
    "/people/{person_id}/safe-contact", response=SafeContactOut, summary="Record how to contact her safely"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def set_safe_contact(request: StaffRequest, person_id: uuid.UUID, payload: SafeContactIn) -> SafeContactOut:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    contact = actions.set_safe_contact(
        person=person, instructions=payload.dict(), acting_user=request.user, at=timezone.now()
    )
    return _contact_out(contact)


# --- Household ---------------------------------------------------------------------------------------


class HouseholdMemberIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    relationship: HouseholdRelationship = HouseholdMember.Relationship.CHILD
    sex: PersonSex = Person.Sex.UNKNOWN
    born_on: date | None = None
    born_on_is_estimate: bool = False
    joined_on: date | None = None


class HouseholdMemberOut(Schema):
    id: int
    person_id: uuid.UUID
    survivor_code: str
    relationship: str
    born_on: date | None
    born_on_is_estimate: bool
    joined_on: date | None
    left_on: date | None


class MemberLeftIn(Schema):
    member_id: int
    left_on: date


def _member_out(member: HouseholdMember) -> HouseholdMemberOut:
    return HouseholdMemberOut(
        id=member.pk,
        person_id=member.person_id,
        survivor_code=member.person.survivor_code,
        relationship=member.relationship,
        born_on=member.person.born_on,
        born_on_is_estimate=member.person.born_on_is_estimate,
        joined_on=member.joined_on,
        left_on=member.left_on,
    )


@router.get(
    "/people/{person_id}/household", response=list[HouseholdMemberOut], summary="Who lives with her (codes)"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def household(request: StaffRequest, person_id: uuid.UUID) -> list[HouseholdMemberOut]:
    head = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    members = HouseholdMember.objects.filter(household__head=head).exclude(person=head)
    return [_member_out(member) for member in members.select_related("person").order_by("pk")]


@router.post(
    "/people/{person_id}/household",
    response={201: HouseholdMemberOut},
    summary="Register a child or another member who lives with her, into her household",
)
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def add_household_member(
    request: StaffRequest, person_id: uuid.UUID, payload: HouseholdMemberIn
) -> Status[HouseholdMemberOut]:
    head = get_visible_or_404(Person.objects.all(), request.user, "change", pk=person_id)
    member = actions.add_to_her_household(
        head=head, acting_user=request.user, at=timezone.now(), **payload.dict()
    )
    return Status(201, _member_out(member))


@router.post(
    "/people/{person_id}/household/left",
    response=HouseholdMemberOut,
    summary="Record that a member no longer lives with her",
)
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def household_member_left(
    request: StaffRequest, person_id: uuid.UUID, payload: MemberLeftIn
) -> HouseholdMemberOut:
    head = get_visible_or_404(Person.objects.all(), request.user, "change", pk=person_id)
    member = (
        HouseholdMember.objects.filter(household__head=head, pk=payload.member_id)
        .select_related("person", "household__org")
        .first()
    )
    if member is None:
        raise ValidationError({"member_id": _("This person is not in her household.")})
    actions.record_member_left(
        member=member, left_on=payload.left_on, acting_user=request.user, at=timezone.now()
    )
    return _member_out(member)


# --- Possible duplicates ----------------------------------------------------------------------------


class FlagOut(Schema):
    id: uuid.UUID
    person_a_id: uuid.UUID
    person_a_code: str
    person_b_id: uuid.UUID
    person_b_code: str
    reasons: list[str]
    status: str
    created_at: datetime


class CompareOut(Schema):
    flag: FlagOut
    a: PersonOut
    b: PersonOut


class MergeIn(Schema):
    # Which record of the pair stays: "A" is `person_a` of the flag, "B" is `person_b`.
    keep: Literal["A", "B"]


class MergeOut(Schema):
    id: uuid.UUID
    kept_id: uuid.UUID
    kept_code: str
    merged_id: uuid.UUID
    merged_code: str
    moved: int
    left: int
    merged_at: datetime
    undo_until: datetime
    undone_at: datetime | None


def _flag_out(flag: DuplicateFlag) -> FlagOut:
    return FlagOut(
        id=flag.pk,
        person_a_id=flag.person_a_id,
        person_a_code=flag.person_a.survivor_code,
        person_b_id=flag.person_b_id,
        person_b_code=flag.person_b.survivor_code,
        reasons=flag.reasons,
        status=flag.status,
        created_at=flag.created_at,
    )


def _merge_out(merge: PersonMerge) -> MergeOut:
    return MergeOut(
        id=merge.pk,
        kept_id=merge.kept_id,
        kept_code=merge.kept.survivor_code,
        merged_id=merge.merged_id,
        merged_code=merge.merged.survivor_code,
        moved=len(merge.moved),
        left=len(merge.left),
        merged_at=merge.merged_at,
        undo_until=merge.undo_until,
        undone_at=merge.undone_at,
    )


def _flag(request: StaffRequest, flag_id: uuid.UUID, action: str = "view") -> DuplicateFlag:
    flags = DuplicateFlag.objects.select_related("person_a", "person_b")
    flag: DuplicateFlag = get_visible_or_404(flags, request.user, action, pk=flag_id)
    return flag


@router.get(
    "/duplicate-flags", response=list[FlagOut], summary="Possible duplicates to review (codes, no names)"
)
@api_access(REVIEW_ROLES)
def list_duplicate_flags(request: StaffRequest) -> list[FlagOut]:
    return [_flag_out(flag) for flag in review_queue(request.user)]


@router.get(
    "/duplicate-flags/{flag_id}", response=CompareOut, summary="Both records of a pair (two audited reads)"
)
@api_access(REVIEW_ROLES, object_kwargs=("flag_id",))
def compare_duplicates(request: StaffRequest, flag_id: uuid.UUID) -> CompareOut:
    flag = _flag(request, flag_id)
    now = timezone.now()
    for person in (flag.person_a, flag.person_b):
        actions.record_person_view(
            person=person, acting_user=request.user, at=now, reason_code=actions.DUPLICATE_REVIEW_READ
        )
    return CompareOut(flag=_flag_out(flag), a=_person_out(flag.person_a), b=_person_out(flag.person_b))


@router.post(
    "/duplicate-flags/{flag_id}/merge", response={201: MergeOut}, summary="Merge the pair, keeping A or B"
)
@api_access(REVIEW_ROLES, object_kwargs=("flag_id",))
def merge_duplicates(request: StaffRequest, flag_id: uuid.UUID, payload: MergeIn) -> Status[MergeOut]:
    flag = _flag(request, flag_id, "change")
    kept, merged = (flag.person_a, flag.person_b) if payload.keep == "A" else (flag.person_b, flag.person_a)
    merge = actions.merge_people(
        kept=kept, merged=merged, flag=flag, acting_user=request.user, at=timezone.now()
    )
    return Status(201, _merge_out(merge))


@router.post("/duplicate-flags/{flag_id}/distinct", response=FlagOut, summary="Mark the pair as two people")
@api_access(REVIEW_ROLES, object_kwargs=("flag_id",))
def mark_distinct(request: StaffRequest, flag_id: uuid.UUID) -> FlagOut:
    flag = _flag(request, flag_id, "change")
    return _flag_out(actions.mark_distinct(flag=flag, acting_user=request.user, at=timezone.now()))


@router.post("/person-merges/{merge_id}/undo", response=MergeOut, summary="Undo a merge within the window")
@api_access(REVIEW_ROLES, object_kwargs=("merge_id",))
def undo_merge(request: StaffRequest, merge_id: uuid.UUID) -> MergeOut:
    merges = PersonMerge.objects.select_related("kept", "merged")
    merge = get_visible_or_404(merges, request.user, "change", pk=merge_id)
    return _merge_out(actions.undo_merge(merge=merge, acting_user=request.user, at=timezone.now()))
