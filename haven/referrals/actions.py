"""Verbs for releases and referrals.

A release is recorded, read and revoked here. A referral is sent (internal or external), answered by
its receiver (accept, decline), withdrawn or completed by its sender, or given an outcome by hand when
the provider is not on Haven. Every status move locks the referral, checks where it stands, records a
`ReferralTransition` and an audit entry. Refusals are `ValidationError`s that say what to fix; nothing
is written when one is raised.

Callers fetch objects through `visible_to` first (sender side "change", receiver side "respond"); the
verbs check what that rule cannot: dates, state, scope, recipient and the closed case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.actions import assign_worker, may_change_team, require_editable
from haven.cases.care_actions import record_service, refuse_closed
from haven.cases.catalogue import ServiceKind
from haven.cases.models import Case, CaseAssignment, CaseService
from haven.directory.models import Provider
from haven.orgs.models import Membership, Organisation, Site, membership_of
from haven.people.models import Person
from haven.privacy import audit
from haven.referrals.models import Referral, ReferralTransition, Release
from haven.referrals.sharing import SharedSection, build_snapshot, shared_sections

if TYPE_CHECKING:
    from haven.accounts.models import User

RELEASE_RECORD = audit.register_action("release.record", "A release (consent to share) was recorded")
RELEASE_REVOKE = audit.register_action("release.revoke", "A release was revoked")
RELEASE_VIEW = audit.register_action("release.view", "A release was read", read=True)
REFERRAL_SEND = audit.register_action("referral.send", "A referral was sent")
REFERRAL_VIEW = audit.register_action("referral.view", "A referral was read", read=True)
REFERRAL_RESPOND = audit.register_action("referral.respond", "A referral was accepted or declined")
REFERRAL_WITHDRAW = audit.register_action("referral.withdraw", "A referral was withdrawn by its sender")
REFERRAL_COMPLETE = audit.register_action("referral.complete", "A referral was marked completed")
REFERRAL_OUTCOME = audit.register_action(
    "referral.outcome", "The answer of a provider not on Haven was recorded by the sender"
)

Status = Referral.Status


# --- releases ------------------------------------------------------------------------------------------


def _check_release_terms(
    *, scope: list[str], purpose: str, signed_on: date, expires_on: date, today: date
) -> None:
    if not scope or any(code not in Release.Scope.values for code in scope):
        raise ValidationError({"scope": _("Choose at least one kind of data she agrees to share.")})
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what the data will be used for.")})
    if signed_on > today:
        raise ValidationError({"signed_on": _("The release cannot be signed in the future.")})
    if expires_on <= signed_on:
        raise ValidationError({"expires_on": _("The release must expire after the day it was signed.")})
    if expires_on < today:
        raise ValidationError({"expires_on": _("This release has already expired: record a new one.")})


def build_release(
    *,
    person: Person,
    recipient: Provider,
    scope: Iterable[str],
    purpose: str,
    signed_on: date,
    expires_on: date,
    consent_method: str,
    witness: str = "",
    acting_user: User | None,
    at: datetime,
) -> Release:
    """Her consent as a Release not yet saved, refused with a reason if it cannot be recorded."""
    scope = list(dict.fromkeys(scope))
    if recipient.org_id != person.org_id:
        raise ValidationError({"recipient": _("Choose a provider from your own directory.")})
    if consent_method not in Release.ConsentMethod.values:
        raise ValidationError({"consent_method": _("Say how she gave her consent.")})
    if consent_method == Release.ConsentMethod.VERBAL_WITNESSED and not witness.strip():
        raise ValidationError(
            {"witness": _("A verbal consent needs the name of the staff member who witnessed it.")}
        )
    _check_release_terms(
        scope=scope, purpose=purpose, signed_on=signed_on, expires_on=expires_on, today=timezone.localdate(at)
    )
    release = Release(
        org_id=person.org_id,
        person=person,
        recipient=recipient,
        scope=scope,
        purpose=purpose.strip(),
        signed_on=signed_on,
        expires_on=expires_on,
        consent_method=consent_method,
        witness=witness.strip(),
        recorded_by=acting_user,
        recorded_at=at,
    )
    return release


def record_release(**fields: Any) -> Release:
    """Record her consent to share the `scope` categories with `recipient` until `expires_on`."""
    release = build_release(**fields)
    acting_user, at = fields["acting_user"], fields["at"]
    with transaction.atomic():
        release.save()
        audit.record(
            action=RELEASE_RECORD,
            actor=acting_user,
            org=release.person.org,
            obj=release,
            at=at,
            fields=["recipient", "scope", "purpose", "signed_on", "expires_on", "consent_method"],
        )
    return release


def record_release_view(*, release: Release, acting_user: User | None, at: datetime) -> None:
    audit.record(action=RELEASE_VIEW, actor=acting_user, org=release.person.org, obj=release, at=at)


def revoke_release(*, release: Release, acting_user: User | None, at: datetime) -> Release:
    """She withdraws her consent: the release stops working at once, and the identifying snapshots sent
    under it are wiped, so the receiving side no longer sees them (the categories stay, as history)."""
    with transaction.atomic():
        locked: Release = Release.objects.select_for_update().get(pk=release.pk)
        if locked.revoked_at is not None:
            raise ValidationError({"release": _("This release is already revoked.")})
        locked.revoked_at, locked.revoked_by = at, acting_user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        for referral in Referral.objects.filter(release=locked):
            referral.snapshot = ""
            referral.save(update_fields=["snapshot"])
        audit.record(
            action=RELEASE_REVOKE,
            actor=acting_user,
            org=locked.person.org,
            obj=locked,
            at=at,
            fields=["revoked_at", "revoked_by"],
        )
    release.revoked_at, release.revoked_by = locked.revoked_at, locked.revoked_by
    return release


# --- sending -------------------------------------------------------------------------------------------


def _check_release_for(release: Release, case: Case, provider: Provider, today: date) -> None:
    """The release must be hers, for this provider, and valid today."""
    if release.org_id != case.org_id or release.person_id != case.survivor_id:
        raise ValidationError(
            {"release": _("This release was given by someone else: choose one she signed.")}
        )
    if release.recipient_id != provider.pk:
        raise ValidationError(
            {
                "release": _("This release names another recipient: choose one for %(provider)s.")
                % {"provider": provider.name}
            }
        )
    messages = {
        "REVOKED": _("She revoked this release: nothing identifying can be shared under it."),
        "EXPIRED": _("This release expired on %(day)s: record a new one, or send without her identity."),
        "NOT_YET": _("This release is not valid until %(day)s."),
    }
    state = release.state(today)
    if state != "VALID":
        day = release.expires_on if state == "EXPIRED" else release.signed_on
        raise ValidationError({"release": messages[state] % {"day": day.isoformat()}})


_DIGITS = re.compile(r"\D")


def _check_no_identity(texts: dict[str, str], person: Person) -> None:
    """An opaque referral must not carry her name or phone number in its free text."""
    name_words = [
        word for word in re.split(r"\W+", f"{person.name} {person.latin_name}".casefold()) if len(word) >= 3
    ]
    phone = _DIGITS.sub("", person.phone)[-7:]
    for field, text in texts.items():
        words = set(re.split(r"\W+", text.casefold()))
        if any(word in words for word in name_words) or (len(phone) >= 6 and phone in _DIGITS.sub("", text)):
            raise ValidationError(
                {field: _("Without a release, do not write her name or phone number here.")}
            )


def _check_external(
    case: Case, service: str, provider: Provider, release: Release | None, today: date
) -> None:
    if provider.org_id != case.org_id:
        raise ValidationError({"provider": _("Choose a provider from your own directory.")})
    if not provider.is_active:
        raise ValidationError({"provider": _("This provider is marked inactive in the directory.")})
    if not provider.services.filter(service=service).exists():
        raise ValidationError(
            {
                "service": _("%(provider)s does not offer “%(service)s”: choose another provider or service.")
                % {"provider": provider.name, "service": ServiceKind(service).label}
            }
        )
    if release is not None:
        _check_release_for(release, case, provider, today)


def _check_internal(
    case: Case, membership: Membership | None, site: Site | None, acting_user: User | None
) -> None:
    if membership is None and site is None:
        raise ValidationError({"target_membership": _("Choose a colleague or a site to refer her to.")})
    if not may_change_team(case, acting_user):
        # Accepting puts the colleague on the case, so referring is deciding who works on it.
        raise ValidationError(
            {
                "target_membership": _(
                    "Only the lead worker, the supervisor or a manager can refer this case to a colleague."
                )
            }
        )
    if site is not None and (site.org_id != case.org_id or not site.is_active):
        raise ValidationError({"target_site": _("Choose an active site of your own organisation.")})
    if membership is None:
        return
    if membership.org_id != case.org_id or not membership.is_active:
        raise ValidationError({"target_membership": _("Choose an active member of your own organisation.")})
    if not membership.role_enum.works_with_survivors:
        raise ValidationError({"target_membership": _("This role does not work on survivors' cases.")})
    if site is not None and membership.site_id not in {None, site.pk}:
        raise ValidationError({"target_site": _("This colleague does not work at that site.")})
    sender = membership_of(acting_user)
    if sender is not None and sender.pk == membership.pk:
        raise ValidationError({"target_membership": _("You cannot refer a case to yourself.")})
    if CaseAssignment.objects.filter(case=case, membership=membership, ended_at__isnull=True).exists():
        raise ValidationError({"target_membership": _("This colleague already works on the case.")})


def _transition_row(
    referral: Referral, from_status: str, *, acting_user: User | None, at: datetime, comment: str = ""
) -> None:
    membership = membership_of(acting_user)
    ReferralTransition.objects.create(
        org_id=referral.org_id,
        referral=referral,
        from_status=from_status,
        to_status=referral.status,
        at=at,
        actor=acting_user,
        actor_org_id=membership.org_id if membership else referral.org_id,
        comment=comment,
    )


def build_referral(
    *,
    case: Case,
    kind: str,
    service: str,
    needs: str,
    acting_user: User | None,
    at: datetime,
    urgency: str = Referral.Urgency.ROUTINE,
    provider: Provider | None = None,
    release: Release | None = None,
    contact_back: str = "",
    target_membership: Membership | None = None,
    target_site: Site | None = None,
) -> Referral:
    """The referral as it would be sent, not saved yet; refused with a reason if it cannot be sent."""
    refuse_closed(case)
    if service not in ServiceKind.values:
        raise ValidationError({"service": _("Choose a service from the catalogue.")})
    if urgency not in Referral.Urgency.values:
        raise ValidationError({"urgency": _("Choose one of the urgencies offered.")})
    if not needs.strip():
        raise ValidationError({"needs": _("Say what she needs from them.")})
    referral = Referral(
        org_id=case.org_id,
        case=case,
        kind=kind,
        service=service,
        urgency=urgency,
        needs=needs.strip(),
        sent_at=at,
        sent_by=acting_user,
        status=Status.SENT,
    )
    if kind == Referral.Kind.EXTERNAL:
        if provider is None:
            raise ValidationError({"provider": _("Choose the provider to refer her to.")})
        _check_external(case, service, provider, release, timezone.localdate(at))
        if not contact_back.strip():
            raise ValidationError({"contact_back": _("Say how the provider can reach you.")})
        if release is None:
            _check_no_identity({"needs": needs, "contact_back": contact_back}, case.survivor)
        referral.provider, referral.release, referral.is_opaque = provider, release, release is None
        referral.receiving_org_id = provider.haven_org_id
        referral.contact_back = contact_back.strip()
    elif kind == Referral.Kind.INTERNAL:
        _check_internal(case, target_membership, target_site, acting_user)
        referral.target_membership, referral.target_site = target_membership, target_site
        referral.receiving_org_id = case.org_id
        referral.contact_back = contact_back.strip()
    else:
        raise ValidationError({"kind": _("Choose an internal or an external referral.")})
    return referral


def send_referral(**fields: Any) -> Referral:
    """Refer the case: internally to a colleague or site, or externally to a directory provider.

    External with a valid release: her data within the release's scope is frozen into the referral.
    External without one: an opaque referral (need, service, how to reach the sender; no identity).
    """
    referral = build_referral(**fields)
    case, release, acting_user, at = fields["case"], referral.release, fields["acting_user"], fields["at"]
    with transaction.atomic():
        locked = require_editable(case)
        if release is not None:
            # Again under the release's lock: a revocation that committed since `build_referral` checked
            # it wins, rather than her data being frozen into a referral that revocation never wiped.
            release = Release.objects.select_for_update().get(pk=release.pk)
            assert referral.provider is not None  # an external referral (checked by build_referral)
            _check_release_for(release, locked, referral.provider, timezone.localdate(at))
            referral.shared_categories, referral.snapshot = build_snapshot(locked, release)
        referral.save()
        _transition_row(referral, "", acting_user=acting_user, at=at)
        # The case's list of services shows the referral too: "referred", from today.
        record_service(
            case=locked,
            kind=referral.service,
            status=CaseService.Status.REFERRED,
            started_on=timezone.localdate(at),
            acting_user=acting_user,
            at=at,
        )
        audit.record(
            action=REFERRAL_SEND,
            actor=acting_user,
            org=case.org,
            obj=referral,
            at=at,
            fields=["service", "urgency", "needs", *referral.shared_categories],
            reason_code=referral.kind + (":opaque" if referral.is_opaque else ""),
        )
    return referral


# --- reading -------------------------------------------------------------------------------------------


def shows_identity(referral: Referral, today: date) -> bool:
    """The receiver sees the shared data only while the release is valid (not revoked, not expired)."""
    return bool(referral.snapshot) and referral.release is not None and referral.release.is_valid_on(today)


def record_referral_view(
    *,
    referral: Referral,
    org: Organisation,
    categories: Iterable[str],
    acting_user: User | None,
    at: datetime,
) -> None:
    """Reading a referral is a read of her data, recorded in the reader's organisation; `categories`
    names the released categories that were shown."""
    audit.record(
        action=REFERRAL_VIEW,
        actor=acting_user,
        org=org,
        obj=referral,
        at=at,
        fields=sorted(categories),
        reason_code="incoming"
        if org.pk != referral.org_id or referral.kind == Referral.Kind.INTERNAL
        else "",
    )


# --- status moves --------------------------------------------------------------------------------------


def _move(
    referral: Referral,
    *,
    allowed: Iterable[str],
    to: str,
    action: str,
    acting_user: User | None,
    at: datetime,
    comment: str = "",
    respond: bool = False,
    by_sender: bool = False,
) -> Referral:
    """Lock, check the current status, move, and record the transition and audit entry (in the sender's
    organisation, and in the actor's when she acts for the receiving one)."""
    with transaction.atomic():
        if by_sender:
            require_editable(referral.case)  # the sender's own record: a closed case is not edited
        locked: Referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status not in set(allowed):
            raise ValidationError(
                {
                    "status": _("This referral is “%(status)s”: it cannot be changed that way any more.")
                    % {"status": Status(locked.status).label}
                }
            )
        from_status = locked.status
        locked.status = to
        fields = ["status"]
        if respond:
            locked.response_comment, locked.responded_at, locked.responded_by = comment, at, acting_user
            fields += ["response_comment", "responded_at", "responded_by"]
        locked.save(update_fields=fields)
        _transition_row(locked, from_status, acting_user=acting_user, at=at, comment=comment)
        reason = f"{from_status}>{to}"
        audit.record(
            action=action,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=fields,
            reason_code=reason,
        )
        actor_membership = membership_of(acting_user)
        if actor_membership is not None and actor_membership.org_id != locked.org_id:
            audit.record(
                action=action,
                actor=acting_user,
                org=actor_membership.org,
                obj=locked,
                at=at,
                fields=fields,
                reason_code=reason,
            )
    referral.status = locked.status
    referral.response_comment, referral.responded_at = locked.response_comment, locked.responded_at
    referral.responded_by_id = locked.responded_by_id
    return referral


def _accepting_member(referral: Referral, acting_user: User | None) -> Membership:
    target = referral.target_membership or membership_of(acting_user)
    if target is None:
        raise ValidationError({"status": _("Only a member of staff can accept a referral.")})
    return target


def accept_referral(
    *, referral: Referral, comment: str = "", acting_user: User | None, at: datetime
) -> Referral:
    """The receiver takes her on. An internal referral puts its target (or the accepting manager, for one
    sent to a site) on the case as support, in the same transaction.

    The assignment runs as the system (`acting_user=None`): the team decision was taken by the lead or
    manager who sent the referral (checked at send time), and the accepting worker, who is not yet on
    the case, could not assign herself. The referral's own audit entry names who accepted."""
    with transaction.atomic():
        moved = _move(
            referral,
            allowed={Status.SENT},
            to=Status.ACCEPTED,
            action=REFERRAL_RESPOND,
            acting_user=acting_user,
            at=at,
            comment=comment.strip(),
            respond=True,
        )
        if referral.kind == Referral.Kind.INTERNAL:
            assign_worker(
                case=referral.case,
                membership=_accepting_member(referral, acting_user),
                role_in_case=CaseAssignment.RoleInCase.SUPPORT,
                acting_user=None,
                at=at,
            )
    return moved


def decline_referral(*, referral: Referral, comment: str, acting_user: User | None, at: datetime) -> Referral:
    """The receiver cannot take her on; the sender reads why on her case."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say why you decline, so the sender can find another way.")})
    return _move(
        referral,
        allowed={Status.SENT},
        to=Status.DECLINED,
        action=REFERRAL_RESPOND,
        acting_user=acting_user,
        at=at,
        comment=comment.strip(),
        respond=True,
    )


def withdraw_referral(
    *, referral: Referral, comment: str = "", acting_user: User | None, at: datetime
) -> Referral:
    """The sender takes the referral back (she changed her mind, or found help elsewhere)."""
    return _move(
        referral,
        allowed={Status.SENT, Status.ACCEPTED},
        to=Status.WITHDRAWN,
        action=REFERRAL_WITHDRAW,
        acting_user=acting_user,
        at=at,
        comment=comment.strip(),
        by_sender=True,
    )


def complete_referral(
    *, referral: Referral, comment: str = "", acting_user: User | None, at: datetime
) -> Referral:
    """She received the service. After an acceptance; for a provider not on Haven, whose answer the
    sender records herself, also straight from "sent"."""
    allowed = {Status.ACCEPTED} if referral.answered_on_haven else {Status.SENT, Status.ACCEPTED}
    return _move(
        referral,
        allowed=allowed,
        to=Status.COMPLETED,
        action=REFERRAL_COMPLETE,
        acting_user=acting_user,
        at=at,
        comment=comment.strip(),
        by_sender=True,
    )


def record_outcome(
    *, referral: Referral, outcome: str, comment: str = "", acting_user: User | None, at: datetime
) -> Referral:
    """The sender records the answer of a provider that is not on Haven (by phone, by letter)."""
    if referral.answered_on_haven:
        raise ValidationError(
            {"outcome": _("The receiver answers this referral in Haven: wait for their answer.")}
        )
    if outcome not in {Status.ACCEPTED, Status.DECLINED}:
        raise ValidationError({"outcome": _("Choose accepted or declined.")})
    return _move(
        referral,
        allowed={Status.SENT},
        to=outcome,
        action=REFERRAL_OUTCOME,
        acting_user=acting_user,
        at=at,
        comment=comment.strip(),
        respond=True,
        by_sender=True,
    )


# --- opening a referral ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralReading:
    """A referral as one reader sees it: from the sending side, the receiving side, or both (internal)."""

    referral: Referral
    as_sender: bool
    as_receiver: bool
    sections: list[SharedSection]

    @property
    def shows_case(self) -> bool:
        """Her case (and survivor code) are shown inside the sending organisation only."""
        return self.as_sender or self.referral.kind == Referral.Kind.INTERNAL


def open_referral(*, referral: Referral, acting_user: User, at: datetime) -> ReferralReading:
    """Read a referral the user may see (an audited read in her organisation). The receiving side of an
    external referral sees the released data while the release is valid, and only then."""
    membership = membership_of(acting_user)
    assert membership is not None  # callers fetched the referral through visible_to
    one = Referral.objects.filter(pk=referral.pk)
    as_sender = one.visible_to(acting_user, "change").exists()
    as_receiver = one.visible_to(acting_user, "respond").exists()
    sections: list[SharedSection] = []
    if as_receiver and referral.is_external and shows_identity(referral, timezone.localdate(at)):
        sections = shared_sections(referral.snapshot)
    record_referral_view(
        referral=referral,
        org=membership.org,
        categories=[section.category for section in sections],
        acting_user=acting_user,
        at=at,
    )
    return ReferralReading(referral, as_sender, as_receiver, sections)
