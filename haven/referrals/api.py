"""API for releases and referrals: record, read and revoke releases; send a referral; list a case's
referrals and the incoming ones; accept, decline, withdraw, complete, or record an outcome by hand.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
The receiving side of an external referral never gets her case or survivor code; it gets the released
data (`shared`) only while the release is valid.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.cases.catalogue import ServiceKind
from haven.cases.models import Case
from haven.directory.models import Provider
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Membership, Site
from haven.people.models import Person
from haven.people.views import SURVIVOR_ROLES
from haven.referrals import actions
from haven.referrals.models import Referral, Release
from haven.referrals.views import apply_outcome, send
from haven.web.openapi import SchemaName

ReferralKind = Annotated[Referral.Kind, SchemaName("ReferralKind")]


router = Router(tags=["referrals"])


class ReleaseIn(Schema):
    recipient_id: uuid.UUID
    scope: list[Release.Scope] = Field(min_length=1, max_length=len(Release.Scope.values))
    purpose: str = Field(min_length=1, max_length=2000)
    signed_on: date
    expires_on: date
    consent_method: Release.ConsentMethod
    witness: str = Field("", max_length=200)


class ReleaseOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    recipient_id: uuid.UUID
    recipient: str
    scope: list[str]
    signed_on: date
    expires_on: date
    consent_method: str
    state: str = Field(description="VALID, REVOKED, EXPIRED or NOT_YET, today")
    revoked_at: datetime | None


class ReleaseDetailOut(ReleaseOut):
    purpose: str
    witness: str


class ReferralIn(Schema):
    kind: ReferralKind
    service: ServiceKind
    urgency: Referral.Urgency = Referral.Urgency.ROUTINE
    needs: str = Field(min_length=1, max_length=4000)
    provider_id: uuid.UUID | None = None
    release_id: uuid.UUID | None = Field(None, description="Empty: an opaque referral, without her identity")
    contact_back: str = Field("", max_length=300)
    target_membership_id: int | None = None
    target_site_id: uuid.UUID | None = None


class SharedFieldOut(Schema):
    label: str
    value: str


class SharedSectionOut(Schema):
    category: str
    title: str
    records: list[list[SharedFieldOut]]


class ReferralOut(Schema):
    id: uuid.UUID
    kind: str
    service: str
    urgency: str
    status: str
    is_opaque: bool
    from_org: str
    provider_id: uuid.UUID | None
    provider: str | None
    target_membership_id: int | None
    target_site_id: uuid.UUID | None
    # Only inside the sending organisation (and for internal referrals):
    case_id: uuid.UUID | None = None
    survivor_code: str | None = None
    release_id: uuid.UUID | None = None
    shared_categories: list[str] = Field(default_factory=list)
    sent_at: datetime
    responded_at: datetime | None


class ReferralDetailOut(ReferralOut):
    needs: str
    contact_back: str
    response_comment: str
    shared: list[SharedSectionOut] = Field(description="Her released data (receiving side, valid release)")


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


class ReferralOutcomeIn(Schema):
    outcome: Literal["ACCEPTED", "DECLINED", "COMPLETED", "WITHDRAWN"]
    comment: str = Field("", max_length=2000)


def _release_out(release: Release, schema: Any = ReleaseOut, **extra: Any) -> Any:
    return schema(
        id=release.pk,
        person_id=release.person_id,
        recipient_id=release.recipient_id,
        recipient=release.recipient.name,
        scope=list(release.scope),
        signed_on=release.signed_on,
        expires_on=release.expires_on,
        consent_method=release.consent_method,
        state=release.state(timezone.localdate()),
        revoked_at=release.revoked_at,
        **extra,
    )


def _referral_out(referral: Referral, shows_case: bool, schema: Any = ReferralOut, **extra: Any) -> Any:
    return schema(
        id=referral.pk,
        kind=referral.kind,
        service=referral.service,
        urgency=referral.urgency,
        status=referral.status,
        is_opaque=referral.is_opaque,
        from_org=referral.org.name,
        provider_id=referral.provider_id,
        provider=referral.provider.name if referral.provider else None,
        target_membership_id=referral.target_membership_id,
        target_site_id=referral.target_site_id,
        case_id=referral.case_id if shows_case else None,
        survivor_code=referral.case.survivor.survivor_code if shows_case else None,
        release_id=referral.release_id if shows_case else None,
        shared_categories=list(referral.shared_categories) if shows_case else [],
        sent_at=referral.sent_at,
        responded_at=referral.responded_at,
        **extra,
    )


def _referrals() -> Any:
    return Referral.objects.select_related("org", "case__survivor", "provider", "release")


def _detail(request: StaffRequest, referral_id: uuid.UUID) -> ReferralDetailOut:
    referral = get_visible_or_404(_referrals(), request.user, pk=referral_id)
    reading = actions.open_referral(referral=referral, acting_user=request.user, at=timezone.now())
    shared = [
        SharedSectionOut(
            category=section.category,
            title=section.title,
            records=[
                [SharedFieldOut(label=lab, value=val) for lab, val in record] for record in section.records
            ],
        )
        for section in reading.sections
    ]
    result: ReferralDetailOut = _referral_out(
        referral,
        reading.shows_case,
        ReferralDetailOut,
        needs=referral.needs,
        contact_back=referral.contact_back,
        response_comment=referral.response_comment,
        shared=shared,
    )
    return result


def _pick(queryset: Any, pk: Any, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


# --- releases ------------------------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/releases", response=list[ReleaseOut], summary="Her releases (consents to share)"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def list_releases(request: StaffRequest, person_id: uuid.UUID) -> list[ReleaseOut]:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    releases = Release.objects.visible_to(request.user).filter(person=person).select_related("recipient")
    return [_release_out(release) for release in releases]


@router.post(
    "/people/{person_id}/releases", response={201: ReleaseDetailOut}, summary="Record a release she gave"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def record_release(
    request: StaffRequest, person_id: uuid.UUID, payload: ReleaseIn
) -> Status[ReleaseDetailOut]:
    person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=person_id)
    data = payload.dict()
    data["recipient"] = _pick(
        Provider.objects.visible_to(request.user),
        data.pop("recipient_id"),
        "recipient_id",
        _("No such provider in your directory."),
    )
    data["scope"] = [str(code) for code in data["scope"]]
    release = actions.record_release(person=person, acting_user=request.user, at=timezone.now(), **data)
    return Status(
        201, _release_out(release, ReleaseDetailOut, purpose=release.purpose, witness=release.witness)
    )


@router.get(
    "/releases/{release_id}", response=ReleaseDetailOut, summary="One release, with its purpose (audited)"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("release_id",))
def get_release(request: StaffRequest, release_id: uuid.UUID) -> ReleaseDetailOut:
    release = get_visible_or_404(
        Release.objects.select_related("recipient", "person__org"), request.user, pk=release_id
    )
    actions.record_release_view(release=release, acting_user=request.user, at=timezone.now())
    result: ReleaseDetailOut = _release_out(
        release, ReleaseDetailOut, purpose=release.purpose, witness=release.witness
    )
    return result


@router.post(
    "/releases/{release_id}/revoke", response=ReleaseOut, summary="Revoke a release (she withdrew consent)"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("release_id",))
def revoke_release(request: StaffRequest, release_id: uuid.UUID) -> ReleaseOut:
    release = get_visible_or_404(
        Release.objects.select_related("recipient", "person__org"), request.user, "change", pk=release_id
    )
    actions.revoke_release(release=release, acting_user=request.user, at=timezone.now())
    result: ReleaseOut = _release_out(release)
    return result


# --- referrals -----------------------------------------------------------------------------------------


@router.get("/cases/{case_id}/referrals", response=list[ReferralOut], summary="The referrals sent for a case")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def list_case_referrals(request: StaffRequest, case_id: uuid.UUID) -> list[ReferralOut]:
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    return [_referral_out(referral, True) for referral in _referrals().filter(case=case)]


@router.post("/cases/{case_id}/referrals", response={201: ReferralDetailOut}, summary="Refer a case")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def send_referral(
    request: StaffRequest, case_id: uuid.UUID, payload: ReferralIn
) -> Status[ReferralDetailOut]:
    case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    data: dict[str, Any] = payload.dict()
    data["provider"] = _pick(
        Provider.objects.visible_to(request.user),
        data.pop("provider_id"),
        "provider_id",
        _("No such provider in your directory."),
    )
    data["release"] = _pick(
        Release.objects.visible_to(request.user), data.pop("release_id"), "release_id", _("No such release.")
    )
    data["target_membership"] = _pick(
        Membership.objects.filter(org_id=case.org_id),
        data.pop("target_membership_id"),
        "target_membership_id",
        _("Choose an active member of your own organisation."),
    )
    data["target_site"] = _pick(
        Site.objects.filter(org_id=case.org_id),
        data.pop("target_site_id"),
        "target_site_id",
        _("Choose an active site of your own organisation."),
    )
    referral = send(case, data, request=request)
    return Status(201, _detail(request, referral.pk))


@router.get(
    "/referrals/incoming", response=list[ReferralOut], summary="Referrals addressed to me or my organisation"
)
@api_access(SURVIVOR_ROLES)
def list_incoming(request: StaffRequest) -> list[ReferralOut]:
    referrals = _referrals().incoming_to(request.user).order_by("-sent_at")
    return [_referral_out(referral, referral.kind == Referral.Kind.INTERNAL) for referral in referrals]


@router.get("/referrals/{referral_id}", response=ReferralDetailOut, summary="One referral (audited read)")
@api_access(SURVIVOR_ROLES, object_kwargs=("referral_id",))
def get_referral(request: StaffRequest, referral_id: uuid.UUID) -> ReferralDetailOut:
    return _detail(request, referral_id)


@router.post(
    "/referrals/{incoming_id}/accept", response=ReferralOut, summary="Accept a referral addressed to me"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("incoming_id",))
def accept_referral(request: StaffRequest, incoming_id: uuid.UUID, payload: CommentIn) -> ReferralOut:
    referral = get_visible_or_404(_referrals(), request.user, "respond", pk=incoming_id)
    actions.accept_referral(
        referral=referral, comment=payload.comment, acting_user=request.user, at=timezone.now()
    )
    result: ReferralOut = _referral_out(referral, referral.kind == Referral.Kind.INTERNAL)
    return result


@router.post(
    "/referrals/{incoming_id}/decline", response=ReferralOut, summary="Decline a referral, saying why"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("incoming_id",))
def decline_referral(request: StaffRequest, incoming_id: uuid.UUID, payload: CommentIn) -> ReferralOut:
    referral = get_visible_or_404(_referrals(), request.user, "respond", pk=incoming_id)
    actions.decline_referral(
        referral=referral, comment=payload.comment, acting_user=request.user, at=timezone.now()
    )
    result: ReferralOut = _referral_out(referral, referral.kind == Referral.Kind.INTERNAL)
    return result


def _sender_move(request: StaffRequest, referral_id: uuid.UUID, outcome: str, comment: str) -> ReferralOut:
    referral = get_visible_or_404(_referrals(), request.user, "change", pk=referral_id)
    apply_outcome(referral, outcome, comment, acting_user=request.user)
    result: ReferralOut = _referral_out(referral, True)
    return result


@router.post("/referrals/{referral_id}/withdraw", response=ReferralOut, summary="Withdraw a referral I sent")
@api_access(SURVIVOR_ROLES, object_kwargs=("referral_id",))
def withdraw_referral(request: StaffRequest, referral_id: uuid.UUID, payload: CommentIn) -> ReferralOut:
    return _sender_move(request, referral_id, Referral.Status.WITHDRAWN, payload.comment)


@router.post("/referrals/{referral_id}/complete", response=ReferralOut, summary="Mark a referral completed")
@api_access(SURVIVOR_ROLES, object_kwargs=("referral_id",))
def complete_referral(request: StaffRequest, referral_id: uuid.UUID, payload: CommentIn) -> ReferralOut:
    return _sender_move(request, referral_id, Referral.Status.COMPLETED, payload.comment)


@router.post(
    "/referrals/{referral_id}/outcome",
    response=ReferralOut,
    summary="Record what happened (answer of a provider not on Haven, completion, withdrawal)",
)
@api_access(SURVIVOR_ROLES, object_kwargs=("referral_id",))
def record_outcome(request: StaffRequest, referral_id: uuid.UUID, payload: ReferralOutcomeIn) -> ReferralOut:
    return _sender_move(request, referral_id, payload.outcome, payload.comment)
