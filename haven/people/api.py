"""API for people: find a returning person, register her, read her file, record how to contact her safely.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Search answers carry survivor codes, never names; reading one person is an audited act.
"""

import uuid
from datetime import date

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.people import actions
from haven.people.models import Person, SafeContact
from haven.people.queries import find_returning_people
from haven.people.views import SURVIVOR_ROLES

router = Router(tags=["people"])


class SearchQuery(Schema):
    phone: str = Field("", max_length=40)
    id_kind: Person.IdKind | None = None
    id_number: str = Field("", max_length=60)
    name: str = Field("", max_length=200)


class MatchOut(Schema):
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
    sex: Person.Sex = Person.Sex.UNKNOWN
    languages: list[str] = Field(default_factory=list, max_length=20)
    needs_interpreter: bool = False


class PersonCreated(Schema):
    id: uuid.UUID
    survivor_code: str


class SafeContactIn(Schema):
    safe_to_call: bool = False
    safe_channel: SafeContact.Channel = SafeContact.Channel.IN_PERSON
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
@router.post("/people/search", response=list[MatchOut], summary="Find a returning person (codes, no names)")
@api_access(SURVIVOR_ROLES)
def search_people(request: StaffRequest, filters: SearchQuery) -> list[MatchOut]:
    matches = find_returning_people(
        user=request.user,
        phone=filters.phone,
        id_kind=filters.id_kind or "",
        id_number=filters.id_number,
        name=filters.name,
    )
    return [
        MatchOut(id=m.person.pk, survivor_code=m.person.survivor_code, score=m.score, reasons=m.reasons)
        for m in matches
    ]


@router.post("/people", response={201: PersonCreated}, summary="Register a person")
@api_access(SURVIVOR_ROLES)
def register_person(request: StaffRequest, payload: PersonIn) -> Status[PersonCreated]:
    data = payload.dict()
    data["id_kind"] = data["id_kind"] or ""
    person = actions.register_person(org=request.org, acting_user=request.user, at=timezone.now(), **data)
    return Status(201, PersonCreated(id=person.pk, survivor_code=person.survivor_code))


@router.get("/people/{person_id}", response=PersonOut, summary="One person's file (an audited read)")
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def get_person(request: StaffRequest, person_id: uuid.UUID) -> PersonOut:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    actions.record_person_view(person=person, acting_user=request.user, at=timezone.now())
    return _person_out(person)


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
