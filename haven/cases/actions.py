"""Verbs for cases: open, assign, move through their statuses, record incidents and perpetrators.

Every status change goes through `_transition`, which locks the case, checks the move is allowed from
its current status, and records a `CaseTransition` and an audit entry in the same transaction. A closed
case refuses edits until it is reopened. Callers fetch the case through `Case.objects.visible_to(user,
"change")` first; the verbs check only what that rule cannot (state, and who decides a closure).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from haven.cases import gbvims
from haven.cases.models import (
    AllegedPerpetrator,
    Case,
    CaseAssignment,
    CaseTransition,
    FollowUp,
    Incident,
    manages_cases,
)
from haven.orgs.models import Membership, Site, membership_of
from haven.orgs.validation import refused_if_taken
from haven.people.models import Person
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

CASE_OPEN = audit.register_action("case.open", "A case was opened")
CASE_TRANSITION = audit.register_action("case.transition", "A case's status changed")
CASE_ASSIGN = audit.register_action("case.assign", "A worker was assigned to a case or left it")
INCIDENT_RECORD = audit.register_action("incident.record", "An incident was recorded")
CASE_SITES = audit.register_action("case.sites", "The sites involved in a case changed")
CASE_VIEW = audit.register_action("case.view", "A case file was opened", read=True)
PERPETRATOR_RECORD = audit.register_action(
    "incident.perpetrator", "An alleged perpetrator of an incident was described"
)
FOLLOW_UP_SCHEDULE = audit.register_action("followup.schedule", "A follow-up was scheduled on a case")
FOLLOW_UP_COMPLETE = audit.register_action("followup.complete", "A follow-up was marked done")

Status = Case.Status

INCIDENT_FIELDS = (
    "occurred_on",
    "time_of_day",
    "place_type",
    "area",
    "narrative",
    "reported_on",
    "penetration",
    "sexual_contact_without_penetration",
    "physical_violence",
    "forced_marriage",
    "denial_of_resources",
    "psychological_abuse",
    "was_gbv",
    "perpetrator_is_intimate_partner",
    "transactional",
    "held_captive_or_owned",
    "harmful_traditional_practice",
    "survivor_age_at_incident",
    "consent_to_statistics",
    "reported_elsewhere",
)
DERIVED_FIELDS = ("violence_type", "classification_rule", "contexts", "delay_bucket", "survivor_sex")
PERPETRATOR_FIELDS = (
    "relationship",
    "sex",
    "age_group",
    "lives_with_survivor",
    "has_weapon_access",
    "prior_violence",
)

# What each verb is called in the refusal message: "This case is “Closed”, so you cannot <verb>."
_VERBS: dict[str, Promise] = {
    "activate": gettext_lazy("make it active"),
    "request_closure": gettext_lazy("ask to close it"),
    "approve_closure": gettext_lazy("approve its closure"),
    "reject_closure": gettext_lazy("refuse its closure"),
    "reopen": gettext_lazy("reopen it"),
    "edit": gettext_lazy("change it"),
}


class CaseStateError(ValidationError):
    """A verb was asked of a case whose status does not allow it."""


class CaseAuthorityError(ValidationError):
    """The acting user may not take this decision (e.g. approving a closure she asked for herself)."""


def _state_error(case: Case, verb: str) -> CaseStateError:
    return CaseStateError(
        _("This case is “%(status)s”, so you cannot %(verb)s."),
        code="case_state",
        params={"status": str(Status(case.status).label), "verb": str(_VERBS[verb])},
    )


def _transition(
    case: Case,
    *,
    verb: str,
    allowed: Iterable[str],
    to: str,
    acting_user: User | None,
    at: datetime,
    reason_code: str = "",
    comment: str = "",
    check: Callable[[Case], None] | None = None,
) -> Case:
    """Move the case to `to` if its current status is one of `allowed`; record the move twice over
    (transition row, audit entry) in the same transaction."""
    with transaction.atomic():
        locked: Case = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status not in set(allowed):
            raise _state_error(locked, verb)
        if check is not None:
            check(locked)
        from_status = locked.status
        locked.status = to
        locked.closed_at = at if to == Status.CLOSED else None
        if to == Status.CLOSURE_REQUESTED:
            locked.closure_requested_by = acting_user
        elif from_status == Status.CLOSURE_REQUESTED and to == Status.ACTIVE:
            locked.closure_requested_by = None
        locked.save(update_fields=["status", "closed_at", "closure_requested_by"])
        CaseTransition.objects.create(
            org_id=locked.org_id,
            case=locked,
            from_status=from_status,
            to_status=to,
            at=at,
            actor=acting_user,
            reason_code=reason_code,
            comment=comment,
        )
        audit.record(
            action=CASE_TRANSITION,
            actor=acting_user,
            org=case.org,
            obj=locked,
            at=at,
            fields=["status", "closed_at"],
            reason_code=f"{from_status}>{to}" + (f":{reason_code}" if reason_code else ""),
        )
    case.status, case.closed_at = locked.status, locked.closed_at
    case.closure_requested_by_id = locked.closure_requested_by_id
    return case


def require_on_case(case: Case, membership: Membership, field: str) -> None:
    """`membership` works on the case or manages cases: anyone else could not open the case, so would
    never see what is given to them on it (a follow-up, an appointment)."""
    _require_case_worker(membership, case.org_id, field)
    on_case = CaseAssignment.objects.filter(case=case, membership=membership, ended_at__isnull=True).exists()
    if not on_case and not manages_cases(membership.role_enum):
        raise ValidationError({field: _("Choose someone who works on this case.")})


def _require_case_worker(membership: Membership, org_id: Any, field: str) -> None:
    if membership.org_id != org_id or not membership.is_active:
        raise ValidationError({field: _("Choose an active member of your own organisation.")})
    if not membership.role_enum.works_with_survivors:
        raise ValidationError({field: _("This role does not work on survivors' cases.")})


def open_case(
    *,
    survivor: Person,
    lead: Membership,
    acting_user: User | None,
    at: datetime,
    sites: Iterable[Site] = (),
) -> Case:
    """Open a case for a registered survivor, with `lead` as its lead worker."""
    _require_case_worker(lead, survivor.org_id, "lead")
    sites = list(sites)
    if any(site.org_id != survivor.org_id for site in sites):
        raise ValidationError({"sites": _("Choose sites of your own organisation.")})
    with transaction.atomic():
        case = Case.objects.create(
            org_id=survivor.org_id, survivor=survivor, status=Status.OPEN, opened_at=at
        )
        case.sites.set(sites)
        CaseTransition.objects.create(
            org_id=case.org_id, case=case, from_status="", to_status=Status.OPEN, at=at, actor=acting_user
        )
        audit.record(
            action=CASE_OPEN,
            actor=acting_user,
            org=survivor.org,
            obj=case,
            at=at,
            fields=["survivor", "status", "opened_at", *(["sites"] if sites else [])],
        )
        _assign(case, lead, CaseAssignment.RoleInCase.LEAD, acting_user, at)
    return case


def record_case_view(*, case: Case, acting_user: User | None, at: datetime) -> None:
    """Opening a case file is an audited read."""
    audit.record(action=CASE_VIEW, actor=acting_user, org=case.org, obj=case, at=at)


def _assign(
    case: Case, membership: Membership, role_in_case: str, acting_user: User | None, at: datetime
) -> CaseAssignment:
    assignment = CaseAssignment(
        org_id=case.org_id, case=case, membership=membership, role_in_case=role_in_case, assigned_at=at
    )
    with refused_if_taken(
        "membership", _("This worker is already on the case, or the case already has a lead.")
    ):
        assignment.save()
    audit.record(action=CASE_ASSIGN, actor=acting_user, org=case.org, obj=case, at=at, fields=["assignments"])
    return assignment


def _holds(case: Case, membership: Membership, *roles_in_case: str) -> bool:
    return case.assignments.filter(
        membership=membership, ended_at__isnull=True, role_in_case__in=roles_in_case
    ).exists()


def may_change_team(case: Case, acting_user: User | None) -> bool:
    """Who works on a case is decided by its lead worker, its supervisor or a case manager (the system
    may always)."""
    if acting_user is None:
        return True
    membership = membership_of(acting_user)
    if membership is None or membership.org_id != case.org_id:
        return False
    if manages_cases(membership.role_enum):
        return True
    return _holds(case, membership, CaseAssignment.RoleInCase.LEAD, CaseAssignment.RoleInCase.SUPERVISOR)


def decides_for(case: Case, acting_user: User | None) -> bool:
    """Closure and case plans are decided by a case manager of the organisation or by the case's own
    supervisor."""
    membership = membership_of(acting_user)
    if membership is None or membership.org_id != case.org_id:
        return False
    return manages_cases(membership.role_enum) or _holds(
        case, membership, CaseAssignment.RoleInCase.SUPERVISOR
    )


def _require_team_authority(case: Case, acting_user: User | None) -> None:
    if not may_change_team(case, acting_user):
        raise CaseAuthorityError(
            _("Only the lead worker, the supervisor or a manager can change who works on this case.")
        )


def assign_worker(
    *, case: Case, membership: Membership, role_in_case: str, acting_user: User | None, at: datetime
) -> CaseAssignment:
    """Put a worker on the case (one active assignment per worker, one active lead per case)."""
    _require_case_worker(membership, case.org_id, "membership")
    if role_in_case not in CaseAssignment.RoleInCase.values:
        raise ValidationError({"role_in_case": _("Choose one of the roles offered.")})
    with transaction.atomic():
        require_editable(case)
        _require_team_authority(case, acting_user)
        return _assign(case, membership, role_in_case, acting_user, at)


def _end(assignment: CaseAssignment, acting_user: User | None, at: datetime) -> None:
    assignment.ended_at = at
    assignment.save(update_fields=["ended_at"])
    audit.record(
        action=CASE_ASSIGN,
        actor=acting_user,
        org=assignment.case.org,
        obj=assignment.case,
        at=at,
        fields=["assignments"],
    )


def end_assignment(*, assignment: CaseAssignment, acting_user: User | None, at: datetime) -> CaseAssignment:
    """Take a worker off the case; the row stays as history and she no longer sees the file.

    An open case always keeps a lead worker: follow-ups without an assignee fall to the lead, so taking
    the lead off would leave them to nobody. Hand the lead over first.
    """
    if assignment.ended_at is not None:
        raise ValidationError({"membership": _("This worker has already left the case.")})
    case = assignment.case
    is_lead = assignment.role_in_case == CaseAssignment.RoleInCase.LEAD
    if is_lead and not case.is_closed:
        raise ValidationError(
            {
                "membership": _(
                    "Hand the lead over to another worker before taking the lead worker off the case."
                )
            }
        )
    with transaction.atomic():
        _require_team_authority(case, acting_user)
        _end(assignment, acting_user, at)
    return assignment


def hand_over_lead(*, case: Case, to: Membership, acting_user: User | None, at: datetime) -> CaseAssignment:
    """Make `to` the lead worker; the previous lead stays on the case as support."""
    _require_case_worker(to, case.org_id, "membership")
    with transaction.atomic():
        locked = require_editable(case)
        _require_team_authority(locked, acting_user)
        active = {a.membership_id: a for a in locked.assignments.filter(ended_at__isnull=True)}
        current = next((a for a in active.values() if a.role_in_case == CaseAssignment.RoleInCase.LEAD), None)
        if current is not None and current.membership_id == to.pk:
            raise ValidationError({"membership": _("This worker is already the lead worker.")})
        if to.pk in active:
            _end(active[to.pk], acting_user, at)
        if current is not None:
            _end(current, acting_user, at)
        lead = _assign(locked, to, CaseAssignment.RoleInCase.LEAD, acting_user, at)
        if current is not None:
            _assign(locked, current.membership, CaseAssignment.RoleInCase.SUPPORT, acting_user, at)
    return lead


def set_case_sites(*, case: Case, sites: Iterable[Site], acting_user: User | None, at: datetime) -> Case:
    """Say which of the organisation's sites are involved in the case (the shelter, the centre…)."""
    sites = list(sites)
    if any(site.org_id != case.org_id for site in sites):
        raise ValidationError({"sites": _("Choose sites of your own organisation.")})
    with transaction.atomic():
        locked = require_editable(case)
        _require_team_authority(locked, acting_user)
        locked.sites.set(sites)
        audit.record(action=CASE_SITES, actor=acting_user, org=case.org, obj=case, at=at, fields=["sites"])
    return case


def activate_case(*, case: Case, acting_user: User | None, at: datetime) -> Case:
    return _transition(
        case,
        verb="activate",
        allowed={Status.OPEN, Status.REOPENED},
        to=Status.ACTIVE,
        acting_user=acting_user,
        at=at,
    )


def _no_open_safety_critical_follow_ups(case: Case) -> None:
    """A case is not put forward for closure while something her safety depends on is still to do."""
    count = FollowUp.objects.filter(case=case, is_safety_critical=True, done_at__isnull=True).count()
    if count:
        raise CaseStateError(
            ngettext(
                "This case still has %(count)d open safety-critical follow-up: "
                "complete it before asking to close the case.",
                "This case still has %(count)d open safety-critical follow-ups: "
                "complete them before asking to close the case.",
                count,
            ),
            code="open_safety_follow_ups",
            params={"count": count},
        )


def request_closure(*, case: Case, reason: str, acting_user: User | None, at: datetime) -> Case:
    """Ask a manager to close the case; only an active case with no open safety-critical follow-up can
    be put forward for closure."""
    if reason not in Case.ClosureReason.values:
        raise ValidationError({"reason": _("Choose one of the reasons offered.")})
    return _transition(
        case,
        verb="request_closure",
        allowed={Status.ACTIVE},
        to=Status.CLOSURE_REQUESTED,
        acting_user=acting_user,
        at=at,
        reason_code=reason,
        check=_no_open_safety_critical_follow_ups,
    )


def _decider_check(acting_user: User | None) -> Callable[[Case], None]:
    """A closure request is decided by the case's supervisor or a case manager who did not make it."""

    def check(case: Case) -> None:
        require_decider(
            acting_user,
            case,
            case.closure_requested_by_id,
            not_manager=_(
                "Only the case's supervisor or a centre or shelter manager can decide on closing it."
            ),
            own_request=_("Another manager must decide: you asked for this closure yourself."),
        )

    return check


def require_decider(
    acting_user: User | None, case: Case, requested_by_id: Any, *, not_manager: str, own_request: str
) -> None:
    """A request (a closure, a case plan) is decided by someone who `decides_for` the case and did not
    make it; `not_manager` and `own_request` say why someone else is refused."""
    if not decides_for(case, acting_user):
        raise CaseAuthorityError(not_manager)
    if acting_user is not None and requested_by_id == acting_user.pk:
        raise CaseAuthorityError(own_request)


def approve_closure(*, case: Case, acting_user: User | None, at: datetime) -> Case:
    """Close the case; the safety rule is checked again, since follow-ups can be added while the request
    waits for a decision."""
    decider_check = _decider_check(acting_user)

    def check(locked: Case) -> None:
        decider_check(locked)
        _no_open_safety_critical_follow_ups(locked)

    return _transition(
        case,
        verb="approve_closure",
        allowed={Status.CLOSURE_REQUESTED},
        to=Status.CLOSED,
        acting_user=acting_user,
        at=at,
        check=check,
    )


def reject_closure(*, case: Case, comment: str, acting_user: User | None, at: datetime) -> Case:
    """Send the case back to active work; the comment tells the worker why (stored encrypted)."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the case stays open.")})
    return _transition(
        case,
        verb="reject_closure",
        allowed={Status.CLOSURE_REQUESTED},
        to=Status.ACTIVE,
        acting_user=acting_user,
        at=at,
        comment=comment.strip(),
        check=_decider_check(acting_user),
    )


def reopen_case(*, case: Case, acting_user: User | None, at: datetime, comment: str = "") -> Case:
    """A closed case comes back as REOPENED; `activate_case` puts it back to work."""
    return _transition(
        case,
        verb="reopen",
        allowed={Status.CLOSED},
        to=Status.REOPENED,
        acting_user=acting_user,
        at=at,
        comment=comment.strip(),
    )


def require_editable(case: Case) -> Case:
    """Lock the case and refuse if it is closed (must run inside a transaction)."""
    locked: Case = Case.objects.select_for_update().get(pk=case.pk)
    if locked.is_closed:
        raise _state_error(locked, "edit")
    return locked


def _check_dates(incident: Incident, today: date) -> None:
    if incident.occurred_on is None or incident.reported_on is None:
        return  # full_clean names the missing field
    if incident.occurred_on > today:
        raise ValidationError({"occurred_on": _("The incident date cannot be in the future.")})
    if incident.reported_on > today:
        raise ValidationError({"reported_on": _("The report date cannot be in the future.")})
    if incident.occurred_on > incident.reported_on:
        raise ValidationError({"occurred_on": _("The incident cannot have happened after it was reported.")})


def _derive(incident: Incident) -> None:
    """Fill the GBVIMS columns from the answers; gbvims.py is the only place that decides them."""
    facts = gbvims.IncidentFacts(
        penetration=incident.penetration,
        sexual_contact_without_penetration=incident.sexual_contact_without_penetration,
        physical_violence=incident.physical_violence,
        forced_marriage=incident.forced_marriage,
        denial_of_resources=incident.denial_of_resources,
        psychological_abuse=incident.psychological_abuse,
        was_gbv=incident.was_gbv,
        perpetrator_is_intimate_partner=incident.perpetrator_is_intimate_partner,
        survivor_age=incident.survivor_age_at_incident,
        transactional=incident.transactional,
        held_captive_or_owned=incident.held_captive_or_owned,
        harmful_traditional_practice=incident.harmful_traditional_practice,
        incident_on=incident.occurred_on,
        reported_on=incident.reported_on,
    )
    classification = gbvims.classify(facts)
    incident.violence_type = classification.violence_type
    incident.classification_rule = classification.rule
    incident.contexts = sorted(context.value for context in gbvims.case_contexts(facts))
    incident.delay_bucket = gbvims.reporting_delay(incident.occurred_on, incident.reported_on)


def record_incident(*, case: Case, acting_user: User | None, at: datetime, **fields: Any) -> Incident:
    """Record one incident of the case, classified by GBVIMS; refused on a closed case."""
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    fields.setdefault("reported_on", timezone.localdate(at))
    incident = Incident(org_id=case.org_id, case=case, recorded_at=at, **fields)
    area = fields.get("area")
    if area is not None and area.org_id != case.org_id:
        raise ValidationError({"area": _("Choose an area of your own organisation.")})
    _check_dates(incident, timezone.localdate(at))
    incident.full_clean(exclude=list(DERIVED_FIELDS))
    _derive(incident)
    with transaction.atomic():
        # Her row before the case, the order merges lock them in: a correction of her sex that is being
        # saved now waits for this incident or this incident for it, so the correction cannot miss it.
        incident.survivor_sex = Person.objects.select_for_update(no_key=True).get(pk=case.survivor_id).sex
        require_editable(case)
        incident.save()
        audit.record(
            action=INCIDENT_RECORD,
            actor=acting_user,
            org=case.org,
            obj=incident,
            at=at,
            fields=[*fields, *DERIVED_FIELDS],
        )
    return incident


def add_alleged_perpetrator(
    *, incident: Incident, acting_user: User | None, at: datetime, **fields: Any
) -> AllegedPerpetrator:
    """Describe an alleged perpetrator of the incident; never by name."""
    unknown = set(fields) - set(PERPETRATOR_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    perpetrator = AllegedPerpetrator(org_id=incident.org_id, incident=incident, **fields)
    perpetrator.full_clean()
    with transaction.atomic():
        require_editable(incident.case)  # the case's lock also orders concurrent additions to the incident
        perpetrator.save()
        _refresh_perpetrator_relationships(incident)
        audit.record(
            action=PERPETRATOR_RECORD,
            actor=acting_user,
            org=incident.case.org,
            obj=incident,
            at=at,
            fields=sorted(fields),
        )
    return perpetrator


def _refresh_perpetrator_relationships(incident: Incident) -> None:
    """Keep the incident's list of its perpetrators' relationships (each once) for the GBVIMS statistics."""
    perpetrators = AllegedPerpetrator.objects.filter(incident=incident)
    incident.perpetrator_relationships = sorted(set(perpetrators.values_list("relationship", flat=True)))
    Incident.objects.filter(pk=incident.pk).update(
        perpetrator_relationships=incident.perpetrator_relationships
    )


def schedule_follow_up(
    *,
    case: Case,
    title: str,
    due_on: date,
    is_safety_critical: bool = False,
    assigned_to: Membership | None = None,
    acting_user: User | None,
    at: datetime,
) -> FollowUp:
    """Plan something to do for the case by `due_on`; nobody assigned means the case's lead worker.

    Refused on a closed case, for a day already past, or for someone outside the case's organisation.
    """
    if assigned_to is not None:
        require_on_case(case, assigned_to, "assigned_to")
    if due_on is not None and due_on < timezone.localdate(at):
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    follow_up = FollowUp(
        org_id=case.org_id,
        case=case,
        title=(title or "").strip(),
        due_on=due_on,
        is_safety_critical=is_safety_critical,
        assigned_to=assigned_to,
        created_at=at,
    )
    follow_up.full_clean(exclude=["done_at", "done_by"])
    with transaction.atomic():
        require_editable(case)
        follow_up.save()
        audit.record(
            action=FOLLOW_UP_SCHEDULE,
            actor=acting_user,
            org=case.org,
            obj=follow_up,
            at=at,
            fields=["title", "due_on", "is_safety_critical", *(["assigned_to"] if assigned_to else [])],
        )
    return follow_up


def complete_follow_up(*, follow_up: FollowUp, acting_user: User | None, at: datetime) -> FollowUp:
    """Mark the follow-up done, once; like every edit, refused on a closed case."""
    with transaction.atomic():
        require_editable(follow_up.case)
        locked: FollowUp = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.done_at is not None:
            raise ValidationError({"follow_up": _("This follow-up is already done.")})
        locked.done_at = at
        locked.done_by = acting_user
        locked.save(update_fields=["done_at", "done_by"])
        audit.record(
            action=FOLLOW_UP_COMPLETE,
            actor=acting_user,
            org=locked.case.org,
            obj=locked,
            at=at,
            fields=["done_at", "done_by"],
        )
    follow_up.done_at, follow_up.done_by = locked.done_at, locked.done_by
    return follow_up
