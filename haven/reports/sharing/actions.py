"""Verbs of de-identified consolidation: networks, invitations, monthly submissions, consolidation.

Each verb validates, then writes in one transaction with its audit entry (field names only) and, for a
submission's state, a transition row (draft → approved → consolidated). A refusal is a translated
`ValidationError`; nothing is written when one is raised.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.orgs.models import Area, Organisation
from haven.orgs.validation import required_text
from haven.privacy import audit
from haven.reports.indicators import IndicatorError, Report, Scope, report
from haven.reports.periods import MONTH, Period, PeriodError, parse_period
from haven.reports.sharing import cells as shared_cells
from haven.reports.sharing.models import (
    ConsolidatedReport,
    Network,
    NetworkMember,
    Submission,
    SubmissionTransition,
)
from haven.reports.suppression import configured_threshold
from haven.web import calendars

if TYPE_CHECKING:
    from haven.accounts.models import User

NETWORK_CREATE = audit.register_action("sharing_network.create", "A statistics-sharing network was set up")
MEMBER_INVITE = audit.register_action("sharing_member.invite", "An organisation was invited to a network")
MEMBER_ACCEPT = audit.register_action("sharing_member.accept", "An organisation joined a network")
SUBMISSION_PREPARE = audit.register_action(
    "sharing_submission.prepare", "A monthly aggregate submission was prepared"
)
SUBMISSION_APPROVE = audit.register_action(
    "sharing_submission.approve", "A monthly aggregate submission was approved for sharing"
)
CONSOLIDATE = audit.register_action(
    "sharing_consolidated.create", "Approved submissions were combined into a consolidated report"
)
CONSOLIDATED_RECEIVE = audit.register_action(
    "sharing_submission.consolidated", "A submission was included in a consolidated report"
)

DEFAULT_REPORT = "gbvims"


def _audit(action: str, obj: Any, org_id: Any, actor: User | None, at: datetime, fields: list[str]) -> None:
    audit.record(action=action, actor=actor, org=Organisation(pk=org_id), obj=obj, at=at, fields=fields)


def create_network(
    *,
    org: Organisation,
    name: str,
    area_level: int = Area.Level.DISTRICT,
    deadline_day: int = 15,
    threshold: int = 5,
    acting_user: User | None,
    at: datetime,
) -> Network:
    """A network consolidated by ``org``, which is its first member (its administrator set it up)."""
    name = required_text("name", name, 200)
    if area_level not in Area.Level.values:
        raise ValidationError({"area_level": _("Choose a level of the geography.")})
    if not 1 <= deadline_day <= 31:
        raise ValidationError({"deadline_day": _("Give a day of the month from 1 to 31.")})
    lowest = configured_threshold()  # a network may hide more than the installation, never less
    if not lowest <= threshold <= 100:
        raise ValidationError(
            {"threshold": _("Give a whole number from %(lowest)s to 100.") % {"lowest": lowest}}
        )
    if Network.objects.filter(org=org, name=name).exists():
        raise ValidationError({"name": _("Your organisation already runs a network with this name.")})
    with transaction.atomic():
        network = Network.objects.create(
            org=org,
            name=name,
            area_level=area_level,
            deadline_day=deadline_day,
            threshold=threshold,
            created_at=at,
        )
        NetworkMember.objects.create(
            org=org,
            network=network,
            status=NetworkMember.Status.ACCEPTED,
            invited_at=at,
            accepted_at=at,
            accepted_by=acting_user,
        )
        _audit(NETWORK_CREATE, network, org.pk, acting_user, at, ["name", "deadline_day", "threshold"])
    return network


def invite_member(*, network: Network, slug: str, acting_user: User | None, at: datetime) -> NetworkMember:
    """Invite the organisation whose short name is ``slug``; it joins only when its administrator accepts."""
    org = Organisation.objects.filter(slug=slug.strip()).first()
    if org is None:
        raise ValidationError(
            {"org": _("No organisation has the short name “%(slug)s”.") % {"slug": slug[:60]}}
        )
    if NetworkMember.objects.filter(network=network, org=org).exists():
        raise ValidationError({"org": _("This organisation is already invited to the network.")})
    with transaction.atomic():
        member = NetworkMember.objects.create(org=org, network=network, invited_at=at)
        _audit(MEMBER_INVITE, member, network.org_id, acting_user, at, ["org"])
    return member


def accept_invitation(*, invitation: NetworkMember, acting_user: User | None, at: datetime) -> NetworkMember:
    with transaction.atomic():
        member = NetworkMember.objects.select_for_update().get(pk=invitation.pk)
        if member.status != NetworkMember.Status.INVITED:
            raise ValidationError(_("Your organisation is already a member of this network."))
        member.status = NetworkMember.Status.ACCEPTED
        member.accepted_at = at
        member.accepted_by = acting_user
        member.save(update_fields=["status", "accepted_at", "accepted_by"])
        _audit(MEMBER_ACCEPT, member, member.org_id, acting_user, at, ["status", "accepted_at"])
    return member


def sharing_month(code: str) -> Period:
    """A Gregorian month written YYYY-MM: the unit every member of a network reports in."""
    try:
        period = parse_period(code)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if period.kind != MONTH or period.calendar != calendars.GREGORIAN:
        raise ValidationError({"period": _("Submissions are monthly: write the month as YYYY-MM (2025-03).")})
    return period


def deadline(network: Network, period: Period) -> date:
    """The network's deadline day in the month after ``period`` (the month's last day if it is shorter)."""
    year, month = period.end.year, period.end.month
    return date(year, month, min(network.deadline_day, calendar.monthrange(year, month)[1]))


def _report(code: str) -> Report:
    """A report whose figures may leave the organisation (``Report.shareable``)."""
    try:
        chosen = report(code.strip())
    except IndicatorError as exc:
        raise ValidationError({"report": str(exc)}) from exc
    if not chosen.shareable:
        raise ValidationError(
            {
                "report": _(
                    "This report counts women who did not agree to be counted outside: it is not shared."
                )
            }
        )
    return chosen


def prepare_submission(
    *,
    network: Network,
    org: Organisation,
    report_code: str = DEFAULT_REPORT,
    period_code: str,
    acting_user: User | None,
    at: datetime,
) -> Submission:
    """Compute the organisation's aggregate cells for a finished month (a draft to review), or recompute a
    draft that is not approved yet."""
    chosen = _report(report_code)
    period = sharing_month(period_code)
    if period.end > timezone.localdate(at):
        raise ValidationError({"period": _("This month is not over yet; prepare it once it has ended.")})
    if not NetworkMember.objects.filter(
        network=network, org=org, status=NetworkMember.Status.ACCEPTED
    ).exists():
        raise ValidationError(_("Your organisation is not a member of this network."))
    cells = shared_cells.submission_cells(chosen, Scope(org=org, period=period), network.area_level)
    with transaction.atomic():
        existing = (
            Submission.objects.select_for_update()
            .filter(network=network, org=org, report_code=chosen.code, period=period.code)
            .first()
        )
        if existing is not None and existing.status != Submission.Status.DRAFT:
            raise ValidationError(_("This month's submission is already approved; it cannot change."))
        submission = existing or Submission(
            network=network, org=org, report_code=chosen.code, period=period.code
        )
        submission.cells, submission.prepared_at, submission.prepared_by = cells, at, acting_user
        submission.save()
        if existing is None:
            _transition(submission, "", Submission.Status.DRAFT, acting_user, at)
        _audit(SUBMISSION_PREPARE, submission, org.pk, acting_user, at, ["cells"])
    return submission


def _transition(submission: Submission, before: str, after: str, actor: User | None, at: datetime) -> None:
    SubmissionTransition.objects.create(
        org_id=submission.org_id,
        submission=submission,
        from_status=before,
        to_status=after,
        at=at,
        actor=actor,
    )


def approve_submission(*, submission: Submission, acting_user: User | None, at: datetime) -> Submission:
    """The data officer has reviewed the cells; refused after the network's deadline."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("network").get(pk=submission.pk)
        if locked.status != Submission.Status.DRAFT:
            raise ValidationError(_("Only a draft submission can be approved."))
        last_day = deadline(locked.network, sharing_month(locked.period))
        if timezone.localdate(at) > last_day:
            raise ValidationError(
                _("The deadline for %(month)s was %(deadline)s; this submission can no longer be approved.")
                % {"month": locked.period, "deadline": last_day.isoformat()}
            )
        locked.status, locked.approved_at, locked.approved_by = Submission.Status.APPROVED, at, acting_user
        locked.save(update_fields=["status", "approved_at", "approved_by"])
        _transition(locked, Submission.Status.DRAFT, Submission.Status.APPROVED, acting_user, at)
        _audit(SUBMISSION_APPROVE, locked, locked.org_id, acting_user, at, ["status", "approved_at"])
    return locked


MIN_CONTRIBUTORS = 3
"""With two contributors, each subtracts its own figures from the consolidated ones and reads the other's;
with one, the "consolidated" report is that organisation's own figures sent to every member."""


def consolidate(
    *,
    network: Network,
    report_code: str = DEFAULT_REPORT,
    period_code: str,
    acting_user: User | None,
    at: datetime,
) -> ConsolidatedReport:
    """Combine the month's approved submissions of accepted members, identities removed, small cells
    suppressed; the submissions become consolidated and every member can read the result."""
    chosen = _report(report_code)
    period = sharing_month(period_code)
    with transaction.atomic():
        if ConsolidatedReport.objects.filter(
            network=network, report_code=chosen.code, period=period.code
        ).exists():
            raise ValidationError(_("This month is already consolidated."))
        members = NetworkMember.objects.filter(network=network, status=NetworkMember.Status.ACCEPTED)
        approved = list(
            Submission.objects.select_for_update()
            .filter(
                network=network,
                report_code=chosen.code,
                period=period.code,
                status=Submission.Status.APPROVED,
                org_id__in=members.values("org_id"),
            )
            .order_by("?")  # no order that could hint at who contributed what
        )
        if not approved:
            raise ValidationError(_("No member has approved a submission for this month yet."))
        if len(approved) < MIN_CONTRIBUTORS:
            raise ValidationError(
                _(
                    "%(count)s members have approved their submissions; at least %(needed)s must, or each "
                    "could work out the others' figures from the total."
                )
                % {"count": len(approved), "needed": MIN_CONTRIBUTORS}
            )
        combined, contributors = shared_cells.consolidate_cells(
            chosen.code, period.code, [item.cells for item in approved], network.threshold
        )
        result = ConsolidatedReport.objects.create(
            org_id=network.org_id,
            network=network,
            report_code=chosen.code,
            period=period.code,
            cells=combined,
            contributors=contributors,
            threshold=network.threshold,
            created_at=at,
            created_by=acting_user,
        )
        _mark_consolidated(approved, acting_user, at)
        _audit(CONSOLIDATE, result, network.org_id, acting_user, at, ["cells", "contributors"])
    return result


def _mark_consolidated(approved: list[Submission], actor: User | None, at: datetime) -> None:
    Submission.objects.filter(pk__in=[item.pk for item in approved]).update(
        status=Submission.Status.CONSOLIDATED
    )
    SubmissionTransition.objects.bulk_create(
        SubmissionTransition(
            org_id=item.org_id,
            submission=item,
            from_status=Submission.Status.APPROVED,
            to_status=Submission.Status.CONSOLIDATED,
            at=at,
            actor=actor,
        )
        for item in approved
    )
    for item in approved:  # one entry in each member's own audit chain
        _audit(CONSOLIDATED_RECEIVE, item, item.org_id, actor, at, ["status"])
