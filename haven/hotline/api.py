"""API for the hotline: the queue board, contacts and their verbs, agents' status, the service level and
callbacks.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Answers carry survivor codes, never names; reading a contact (its summary) is an audited read.
"""

import uuid
from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.cases.models import Case
from haven.hotline import actions, queries
from haven.hotline.models import Callback, Contact, ContactAgent, ContactCategory
from haven.hotline.taxonomy import ensure_default_taxonomy
from haven.hotline.views import HOTLINE_ROLES, SUPERVISOR_ROLES
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Membership
from haven.orgs.validation import LocalDateTime
from haven.people.models import Person
from haven.people.queries import find_returning_people
from haven.web.openapi import SchemaName

ContactKind = Annotated[Contact.Kind, SchemaName("ContactKind")]
ContactOutcome = Annotated[Contact.Outcome, SchemaName("ContactOutcome")]
CallbackChannel = Annotated[Callback.Channel, SchemaName("CallbackChannel")]


router = Router(tags=["hotline"])


class ContactIn(Schema):
    kind: ContactKind
    direction: Contact.Direction = Contact.Direction.INBOUND
    language: str = Field("", max_length=8)


class AgentOut(Schema):
    membership_id: int
    transfer: str
    joined_at: datetime
    left_at: datetime | None


class ContactOut(Schema):
    id: uuid.UUID
    kind: str
    direction: str
    state: str
    language: str
    offered_at: datetime
    queued_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    time_to_answer_seconds: float | None
    handle_time_seconds: float | None
    caller_type: str
    outcome: str
    category_codes: list[str]
    summary: str
    person_id: uuid.UUID | None
    survivor_code: str | None
    case_id: uuid.UUID | None
    agents: list[AgentOut]


def _seconds(value: object) -> float | None:
    return None if value is None else value.total_seconds()  # type: ignore[attr-defined]


def _contact_out(contact: Contact) -> ContactOut:
    return ContactOut(
        id=contact.pk,
        kind=contact.kind,
        direction=contact.direction,
        state=contact.state,
        language=contact.language,
        offered_at=contact.offered_at,
        queued_at=contact.queued_at,
        answered_at=contact.answered_at,
        ended_at=contact.ended_at,
        time_to_answer_seconds=_seconds(contact.time_to_answer),
        handle_time_seconds=_seconds(contact.handle_time),
        caller_type=contact.caller_type,
        outcome=contact.outcome,
        category_codes=[c.code for c in contact.categories.all()],
        summary=contact.summary,
        person_id=contact.person_id,
        survivor_code=contact.person.survivor_code if contact.person else None,
        case_id=contact.case_id,
        agents=[
            AgentOut(
                membership_id=a.membership_id, transfer=a.transfer, joined_at=a.joined_at, left_at=a.left_at
            )
            for a in contact.agents.all()
        ],
    )


def _contact(request: StaffRequest, contact_id: uuid.UUID) -> Contact:
    contact: Contact = get_visible_or_404(Contact.objects.all(), request.user, "change", pk=contact_id)
    return contact


@router.post("/contacts", response={201: ContactOut}, summary="A contact reaches the hotline (or a walk-in)")
@api_access(HOTLINE_ROLES)
def offer_contact(request: StaffRequest, payload: ContactIn) -> Status[ContactOut]:
    contact = actions.offer_contact(
        org=request.org, acting_user=request.user, at=timezone.now(), **payload.dict()
    )
    return Status(201, _read_contact(request, contact))


@router.get("/contacts/{contact_id}", response=ContactOut, summary="One contact (an audited read)")
@api_access(HOTLINE_ROLES, object_kwargs=("contact_id",))
def get_contact(request: StaffRequest, contact_id: uuid.UUID) -> ContactOut:
    return _read_contact(request, get_visible_or_404(Contact.objects.all(), request.user, pk=contact_id))


def _read_contact(request: StaffRequest, contact: Contact) -> ContactOut:
    """The contact as an answer: it carries what she said (the summary) and who she is, so every answer
    carrying it is an audited read, whether it answers a read or a step of the call."""
    actions.record_contact_view(contact=contact, acting_user=request.user, at=timezone.now())
    return _contact_out(contact)


@router.post("/contacts/{waiting_id}/pick-up", response=ContactOut, summary="Pick up a waiting contact")
@api_access(HOTLINE_ROLES, object_kwargs=("waiting_id",))
def pick_up(request: StaffRequest, waiting_id: uuid.UUID) -> ContactOut:
    contact = actions.pick_up(
        contact=_contact(request, waiting_id), acting_user=request.user, at=timezone.now()
    )
    return _read_contact(request, contact)


@router.post(
    "/contacts/{waiting_id}/abandon", response=ContactOut, summary="The caller left before an answer"
)
@api_access(HOTLINE_ROLES, object_kwargs=("waiting_id",))
def abandon(request: StaffRequest, waiting_id: uuid.UUID) -> ContactOut:
    contact = actions.abandon_contact(
        contact=_contact(request, waiting_id), acting_user=request.user, at=timezone.now()
    )
    return _read_contact(request, contact)


class HotlineTransferIn(Schema):
    to_membership_id: int
    kind: ContactAgent.Transfer
    briefing: str = Field("", max_length=2000)


@router.post("/contacts/{contact_id}/transfer", response=ContactOut, summary="Transfer warm or cold")
@api_access(HOTLINE_ROLES, object_kwargs=("contact_id",))
def transfer(request: StaffRequest, contact_id: uuid.UUID, payload: HotlineTransferIn) -> ContactOut:
    contact = _contact(request, contact_id)
    to = Membership.objects.filter(org=request.org, pk=payload.to_membership_id).first()
    if to is None:
        raise ValidationError({"to_membership_id": _("Choose an active colleague who works with survivors.")})
    actions.transfer_contact(
        contact=contact,
        to=to,
        kind=payload.kind,
        briefing=payload.briefing,
        acting_user=request.user,
        at=timezone.now(),
    )
    return _read_contact(request, contact)


class WrapUpIn(Schema):
    caller_type: Contact.CallerType
    outcome: ContactOutcome
    category_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    summary: str = Field("", max_length=4000)
    language: str = Field("", max_length=8)


@router.post(
    "/contacts/{contact_id}/wrap-up", response=ContactOut, summary="Record how it ended and close it"
)
@api_access(HOTLINE_ROLES, object_kwargs=("contact_id",))
def wrap_up(request: StaffRequest, contact_id: uuid.UUID, payload: WrapUpIn) -> ContactOut:
    contact = _contact(request, contact_id)
    categories = ContactCategory.objects.filter(org=request.org, pk__in=payload.category_ids)
    closed = actions.wrap_up(
        contact=contact,
        caller_type=payload.caller_type,
        outcome=payload.outcome,
        categories=categories,
        summary=payload.summary,
        language=payload.language,
        acting_user=request.user,
        at=timezone.now(),
    )
    return _read_contact(request, closed)


class QuickCloseIn(Schema):
    reason: str = Field(description="information, silent or hang_up")


@router.post("/contacts/{contact_id}/quick-close", response=ContactOut, summary="Close in one click")
@api_access(HOTLINE_ROLES, object_kwargs=("contact_id",))
def quick_close(request: StaffRequest, contact_id: uuid.UUID, payload: QuickCloseIn) -> ContactOut:
    closed = actions.quick_close(
        contact=_contact(request, contact_id),
        reason=payload.reason,
        acting_user=request.user,
        at=timezone.now(),
    )
    return _read_contact(request, closed)


class LookupIn(Schema):
    phone: str = Field("", max_length=40)
    name: str = Field("", max_length=200)


class HotlineMatchOut(Schema):
    person_id: uuid.UUID
    survivor_code: str
    score: float
    reasons: list[str]
    case_ids: list[uuid.UUID]


# A POST: names and phone numbers must not end up in URLs and access logs.
@router.post(
    "/contacts/{contact_id}/people-search", response=list[HotlineMatchOut], summary="Is she known? (codes)"
)
@api_access(HOTLINE_ROLES, object_kwargs=("contact_id",))
def people_search(request: StaffRequest, contact_id: uuid.UUID, payload: LookupIn) -> list[HotlineMatchOut]:
    _contact(request, contact_id)
    matches = find_returning_people(user=request.user, phone=payload.phone, name=payload.name)
    cases = Case.objects.visible_to(request.user)
    return [
        HotlineMatchOut(
            person_id=m.person.pk,
            survivor_code=m.person.survivor_code,
            score=m.score,
            reasons=m.reasons,
            case_ids=list(cases.filter(survivor=m.person).values_list("pk", flat=True)),
        )
        for m in matches
    ]


class LinkIn(Schema):
    person_id: uuid.UUID
    case_id: uuid.UUID | None = None


@router.post("/contacts/{contact_id}/link", response=ContactOut, summary="Link to her file and case")
@api_access(HOTLINE_ROLES, object_kwargs=("contact_id",))
def link(request: StaffRequest, contact_id: uuid.UUID, payload: LinkIn) -> ContactOut:
    contact = _contact(request, contact_id)
    person = get_visible_or_404(Person.objects.all(), request.user, pk=payload.person_id)
    case = (
        get_visible_or_404(Case.objects.all(), request.user, pk=payload.case_id) if payload.case_id else None
    )
    actions.link_contact(
        contact=contact, person=person, case=case, acting_user=request.user, at=timezone.now()
    )
    return _read_contact(request, contact)


class OpenCaseIn(Schema):
    person_id: uuid.UUID


@router.post("/contacts/{contact_id}/open-case", response={201: ContactOut}, summary="Open a case for her")
@api_access(HOTLINE_ROLES, object_kwargs=("contact_id",))
def open_case(request: StaffRequest, contact_id: uuid.UUID, payload: OpenCaseIn) -> Status[ContactOut]:
    contact = _contact(request, contact_id)
    person = get_visible_or_404(Person.objects.all(), request.user, pk=payload.person_id)
    actions.open_case_from_contact(
        contact=contact, person=person, acting_user=request.user, at=timezone.now()
    )
    return Status(201, _read_contact(request, contact))


class CategoryOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    parent_code: str | None


@router.get("/hotline/categories", response=list[CategoryOut], summary="The organisation's contact taxonomy")
@api_access(HOTLINE_ROLES)
def categories(request: StaffRequest) -> list[CategoryOut]:
    ensure_default_taxonomy(request.org)
    rows = ContactCategory.objects.filter(org=request.org, is_active=True).select_related("parent")
    return [
        CategoryOut(id=r.pk, code=r.code, name=r.name, parent_code=r.parent.code if r.parent else None)
        for r in rows
    ]


class QueueOut(Schema):
    media: str
    language: str
    waiting: int
    longest_wait_seconds: float
    contact_ids: list[uuid.UUID]


class AgentRowOut(Schema):
    membership_id: int
    is_available: bool
    calls: int
    chats: int
    max_chats: int


class BoardOut(Schema):
    queues: list[QueueOut]
    agents: list[AgentRowOut]


@router.get("/hotline/board", response=BoardOut, summary="Waiting contacts per queue, and agents' load")
@api_access(HOTLINE_ROLES)
def board(request: StaffRequest) -> BoardOut:
    now = timezone.now()
    return BoardOut(
        queues=[
            QueueOut(
                media=q.media,
                language=q.language,
                waiting=len(q.contacts),
                longest_wait_seconds=q.longest_wait.total_seconds(),
                contact_ids=[c.pk for c in q.contacts],
            )
            for q in queries.queues(request.org, now)
        ],
        agents=[
            AgentRowOut(
                membership_id=a.membership.pk,
                is_available=a.is_available,
                calls=a.calls,
                chats=a.chats,
                max_chats=a.max_chats,
            )
            for a in queries.agents(request.org)
        ],
    )


class AvailabilityIn(Schema):
    is_available: bool
    max_chats: int | None = None


@router.put("/hotline/availability", response=AgentRowOut, summary="Say whether you take contacts now")
@api_access(HOTLINE_ROLES)
def availability(request: StaffRequest, payload: AvailabilityIn) -> AgentRowOut:
    status = actions.set_availability(
        membership=request.membership,
        is_available=payload.is_available,
        chats=payload.max_chats,
        acting_user=request.user,
        at=timezone.now(),
    )
    calls, chats = actions.agent_load(request.membership)
    return AgentRowOut(
        membership_id=request.membership.pk,
        is_available=status.is_available,
        calls=calls,
        chats=chats,
        max_chats=status.max_chats,
    )


class ServiceLevelIn(Schema):
    answer_seconds: int
    answer_percent: int
    abandon_percent: int


class ServiceLevelOut(Schema):
    answer_seconds: int
    answer_percent: int
    abandon_percent: int
    offered: int
    answered_percent: float | None
    abandoned_percent: float | None
    waiting_too_long: int
    breaches: list[str]


def _level_out(request: StaffRequest) -> ServiceLevelOut:
    level = queries.service_level(request.org, timezone.now())
    return ServiceLevelOut(
        answer_seconds=level.target.answer_seconds,
        answer_percent=level.target.answer_percent,
        abandon_percent=level.target.abandon_percent,
        offered=level.offered,
        answered_percent=level.answered_percent,
        abandoned_percent=level.abandoned_percent,
        waiting_too_long=level.waiting_too_long,
        breaches=level.breaches,
    )


@router.get("/hotline/service-level", response=ServiceLevelOut, summary="SLA clocks over the last 24 hours")
@api_access(SUPERVISOR_ROLES)
def service_level(request: StaffRequest) -> ServiceLevelOut:
    return _level_out(request)


@router.put("/hotline/service-level", response=ServiceLevelOut, summary="Set the answer target")
@api_access(SUPERVISOR_ROLES)
def set_service_level(request: StaffRequest, payload: ServiceLevelIn) -> ServiceLevelOut:
    actions.set_service_level(org=request.org, acting_user=request.user, at=timezone.now(), **payload.dict())
    return _level_out(request)


class CallbackIn(Schema):
    channel: CallbackChannel
    due_at: LocalDateTime
    purpose: str = Field("", max_length=1000)
    contact_id: uuid.UUID | None = None


class CallbackOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    survivor_code: str
    channel: str
    due_at: datetime
    done_at: datetime | None
    missed: bool


class CallbackResultIn(Schema):
    """How the callback went; `{}` records that she was reached, with no outcome given."""

    reached: bool = True
    outcome: str = Field("", max_length=18, description="INFORMATION_GIVEN, COUNSELLING, REFERRAL, DISPATCH")
    summary: str = Field("", max_length=4000)
    minutes: int | None = Field(None, ge=0, le=actions.CALLBACK_MAX_MINUTES)


class CallbackDoneOut(CallbackOut):
    contact_id: uuid.UUID = Field(description="The outbound contact that records the call")


def _callback_out(callback: Callback, now: datetime) -> CallbackOut:
    return CallbackOut(
        id=callback.pk,
        person_id=callback.person_id,
        survivor_code=callback.person.survivor_code,
        channel=callback.channel,
        due_at=callback.due_at,
        done_at=callback.done_at,
        missed=callback.done_at is None and callback.due_at < now,
    )


@router.post(
    "/hotline/people/{callback_person_id}/callbacks",
    response={201: CallbackOut},
    summary="Schedule a callback",
)
@api_access(HOTLINE_ROLES, object_kwargs=("callback_person_id",))
def schedule_callback(
    request: StaffRequest, callback_person_id: uuid.UUID, payload: CallbackIn
) -> Status[CallbackOut]:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=callback_person_id)
    source = _contact(request, payload.contact_id) if payload.contact_id else None
    now = timezone.now()
    callback = actions.schedule_callback(
        person=person,
        channel=payload.channel,
        due_at=payload.due_at,
        purpose=payload.purpose,
        contact=source,
        acting_user=request.user,
        at=now,
    )
    return Status(201, _callback_out(callback, now))


@router.get(
    "/hotline/callbacks", response=list[CallbackOut], summary="Callbacks not done yet (missed flagged)"
)
@api_access(HOTLINE_ROLES)
def callbacks(request: StaffRequest) -> list[CallbackOut]:
    """The callbacks page's list: an agent's own and unassigned ones, a supervisor's every one."""
    now = timezone.now()
    return [_callback_out(c, now) for c in queries.callbacks_to_make(request.user, request.membership)]


@router.post(
    "/hotline/callbacks/{callback_id}/done", response=CallbackDoneOut, summary="Record how a callback went"
)
@api_access(HOTLINE_ROLES, object_kwargs=("callback_id",))
def callback_done(
    request: StaffRequest, callback_id: uuid.UUID, payload: CallbackResultIn
) -> CallbackDoneOut:
    """Marks the callback done and records the call as an outbound contact (reached or not)."""
    callback = get_visible_or_404(
        Callback.objects.select_related("person"), request.user, "change", pk=callback_id
    )
    now = timezone.now()
    made = actions.complete_callback(callback=callback, acting_user=request.user, at=now, **payload.dict())
    callback.refresh_from_db(fields=["done_at", "done_by"])
    return CallbackDoneOut(**_callback_out(callback, now).dict(), contact_id=made.pk)
