"""Verbs for annual grants: the schedule (amount per grade and year), rounds, allocation, approval,
disbursement and the report back.

Allocation is one `INSERT … SELECT … ON CONFLICT DO NOTHING`: every registered, graded association whose
registration runs on the day of allocation, that has no overdue report and whose grade has an amount in
the schedule, gets a grant row; the uniqueness of (association, year) makes a rerun add nothing. The
SELECT is built by the ORM (so identifiers and parameters are adapted for SQLite and PostgreSQL alike)
and wrapped in the INSERT here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Exists, OuterRef, Sum, Value
from django.utils.translation import gettext as _

from haven.associations.actions import check_amount, check_not_future, check_text, local_date
from haven.associations.models import (
    REPORT_DUE_DAYS,
    Association,
    Grade,
    Grant,
    GrantReport,
    GrantRound,
    GrantRoundTransition,
    GrantSchedule,
)
from haven.orgs.models import Organisation
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

SCHEDULE_SET = audit.register_action("grant_schedule.set", "A grant amount per grade was set")
ROUND_OPEN = audit.register_action("grant_round.open", "A grant round was opened")
ROUND_ALLOCATE = audit.register_action("grant_round.allocate", "A grant round was allocated")
ROUND_APPROVE = audit.register_action("grant_round.approve", "A grant round was approved")
GRANT_DISBURSE = audit.register_action("grant.disburse", "A grant was disbursed")
GRANT_REPORT = audit.register_action("grant.report", "A grant's utilisation report was recorded")

ROUND = GrantRound.Status


def _check_year(year: Any) -> int:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year such as 2026.")})
    return year


def set_grant_amount(
    *, org: Organisation, year: int, grade: str, amount: Any, acting_user: User | None, at: datetime
) -> GrantSchedule:
    """Set (or change) what an association of `grade` receives in `year`. A year whose round is approved
    keeps its amounts: the grants were given at them. Before approval an allocation is still a draft, so
    its grants of the grade follow the new amount (a rerun of the allocation adds new grants only)."""
    year = _check_year(year)
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose grade A, B or C.")})
    value = check_amount(amount, "amount")
    with transaction.atomic():
        # Locked, so an allocation or approval of the year's round waits for the new amount.
        grant_round = GrantRound.objects.select_for_update().filter(org=org, year=year).first()
        if grant_round is not None and grant_round.status == ROUND.APPROVED:
            raise ValidationError({"year": _("This year's grants are approved: its amounts cannot change.")})
        row, _created = GrantSchedule.objects.update_or_create(
            org=org, year=year, grade=grade, defaults={"amount": value, "set_at": at}
        )
        audit.record(action=SCHEDULE_SET, actor=acting_user, org=org, obj=row, at=at, fields=["amount"])
        if grant_round is not None and grant_round.status == ROUND.ALLOCATED:
            _reprice(grant_round, grade, value, acting_user, at)
    return row


def _reprice(
    grant_round: GrantRound, grade: str, amount: Any, acting_user: User | None, at: datetime
) -> None:
    """The draft allocation's grants of the grade at the new amount, and the round's total again."""
    grant_round.grants.filter(grade=grade, status=Grant.Status.ALLOCATED).update(amount=amount)
    _count_grants(grant_round)
    grant_round.save(update_fields=["grant_count", "total_amount"])
    audit.record(
        action=ROUND_ALLOCATE,
        actor=acting_user,
        org=grant_round.org,
        obj=grant_round,
        at=at,
        fields=["total_amount"],
    )


def _count_grants(grant_round: GrantRound) -> None:
    totals = grant_round.grants.aggregate(count=Count("id"), total=Sum("amount"))
    grant_round.grant_count, grant_round.total_amount = totals["count"], totals["total"] or 0


def open_grant_round(
    *, org: Organisation, year: int, name: str, acting_user: User | None, at: datetime
) -> GrantRound:
    year = _check_year(year)
    name = check_text(name, "name", 200, required=True)
    if GrantRound.objects.filter(org=org, year=year).exists():
        raise ValidationError({"year": _("There is already a grant round for this year.")})
    grant_round = GrantRound(org=org, year=year, name=name, created_at=at)
    with refused_if_taken("year", _("There is already a grant round for this year.")):
        grant_round.save()
        audit.record(action=ROUND_OPEN, actor=acting_user, org=org, obj=grant_round, at=at)
    return grant_round


def overdue_reports(day: date) -> models.QuerySet[Grant]:
    """Grants disbursed whose utilisation report was due before `day` and has not come."""
    return Grant.objects.filter(status=Grant.Status.DISBURSED, report_due_on__lt=day)


def eligible_associations(grant_round: GrantRound, day: date) -> models.QuerySet[Association]:
    """Who gets a grant in this round: registered on `day`, graded, no overdue report, and a scheduled
    amount for their grade in the round's year."""
    schedule = GrantSchedule.objects.filter(
        org_id=grant_round.org_id, year=grant_round.year, grade=OuterRef("grade")
    )
    overdue = overdue_reports(day).filter(association_id=OuterRef("pk"))
    return Association.objects.filter(
        org_id=grant_round.org_id,
        status=Association.Status.REGISTERED,
        expires_on__gte=day,
        grade__in=Grade.values,
    ).filter(Exists(schedule), ~Exists(overdue))


def _insert_grants(grant_round: GrantRound, day: date, at: datetime) -> int:
    """One INSERT … SELECT: a grant for each eligible association; existing ones are left as they are."""
    amount = GrantSchedule.objects.filter(
        org_id=grant_round.org_id, year=grant_round.year, grade=OuterRef("grade")
    ).values("amount")[:1]
    rows = eligible_associations(grant_round, day).values_list(
        Value(grant_round.org_id, output_field=models.UUIDField()),
        Value(grant_round.pk, output_field=models.UUIDField()),
        "pk",
        Value(grant_round.year, output_field=models.IntegerField()),
        "grade",
        models.Subquery(amount, output_field=models.DecimalField()),
        Value(Grant.Status.ALLOCATED.value, output_field=models.CharField()),
        Value(at, output_field=models.DateTimeField()),
        Value("", output_field=models.CharField()),
        Value("", output_field=models.CharField()),
    )
    select_sql, params = rows.query.sql_with_params()
    columns = ("org_id", "round_id", "association_id", "year", "grade", "amount", "status", "allocated_at")
    quoted = ", ".join(connection.ops.quote_name(c) for c in (*columns, "method", "reference"))
    table = connection.ops.quote_name(Grant._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({quoted}) {select_sql} ON CONFLICT DO NOTHING", params)
        added: int = max(cursor.rowcount, 0)
        return added


def _move(grant_round: GrantRound, to: str, acting_user: User | None, at: datetime) -> None:
    GrantRoundTransition.objects.create(
        org_id=grant_round.org_id,
        round=grant_round,
        from_status=grant_round.status,
        to_status=to,
        at=at,
        actor=acting_user,
    )
    grant_round.status = to


def allocate_grant_round(*, grant_round: GrantRound, acting_user: User | None, at: datetime) -> int:
    """Allocate the round's grants (set-based; a rerun before approval adds only newly eligible
    associations). Returns how many grants were added."""
    day = local_date(at)
    with transaction.atomic():
        locked: GrantRound = (
            GrantRound.objects.select_for_update().select_related("org").get(pk=grant_round.pk)
        )
        if locked.status == ROUND.APPROVED:
            raise ValidationError({"status": _("This round is approved: its grants cannot change.")})
        if not GrantSchedule.objects.filter(org_id=locked.org_id, year=locked.year).exists():
            raise ValidationError(
                {"year": _("Set the grant amounts per grade for %(year)s first.") % {"year": locked.year}}
            )
        added = _insert_grants(locked, day, at)
        _count_grants(locked)
        if locked.status == ROUND.OPEN:
            _move(locked, ROUND.ALLOCATED, acting_user, at)
        locked.allocated_at = at
        locked.save()
        audit.record(
            action=ROUND_ALLOCATE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["status", "grant_count", "total_amount"],
        )
    grant_round.refresh_from_db()
    return added


def approve_grant_round(*, grant_round: GrantRound, acting_user: User | None, at: datetime) -> GrantRound:
    """Approve the allocation as a whole; its grants may then be disbursed. Approved once only."""
    with transaction.atomic():
        locked: GrantRound = (
            GrantRound.objects.select_for_update().select_related("org").get(pk=grant_round.pk)
        )
        if locked.status == ROUND.APPROVED:
            raise ValidationError({"status": _("This round is already approved.")})
        if locked.status != ROUND.ALLOCATED or locked.grant_count == 0:
            raise ValidationError({"status": _("Allocate the round's grants before approving it.")})
        _move(locked, ROUND.APPROVED, acting_user, at)
        locked.approved_at, locked.approved_by = at, acting_user
        locked.save()
        audit.record(
            action=ROUND_APPROVE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["status"]
        )
    return locked


def _locked_grant(grant: Grant) -> Grant:
    locked: Grant = (
        Grant.objects.select_for_update().select_related("round", "association__org").get(pk=grant.pk)
    )
    return locked


def disburse_grant(
    *,
    grant: Grant,
    disbursed_on: date,
    method: str,
    reference: str,
    acting_user: User | None,
    at: datetime,
) -> Grant:
    """Record that the grant was paid: when, how, and the transfer or cheque reference. Refused while
    the association has a report overdue on an earlier grant. The report back is then due in
    `REPORT_DUE_DAYS`."""
    if method not in Grant.Method.values:
        raise ValidationError({"method": _("Say how the grant was paid.")})
    reference = check_text(reference, "reference", 80, required=True)
    with transaction.atomic():
        locked = _locked_grant(grant)
        if locked.round.status != ROUND.APPROVED:
            raise ValidationError({"status": _("The round is not approved yet: no grant can be paid.")})
        if locked.status != Grant.Status.ALLOCATED:
            raise ValidationError({"status": _("This grant was already disbursed.")})
        disbursed_on = check_not_future(disbursed_on, "disbursed_on", at)
        if locked.round.approved_at is not None and disbursed_on < local_date(locked.round.approved_at):
            raise ValidationError(
                {"disbursed_on": _("A grant cannot be paid before its round was approved.")}
            )
        if overdue_reports(local_date(at)).filter(association_id=locked.association_id).exists():
            raise ValidationError(
                {"status": _("The association's report on an earlier grant is overdue: record it first.")}
            )
        locked.status = Grant.Status.DISBURSED
        locked.disbursed_on, locked.method, locked.reference = disbursed_on, method, reference
        locked.report_due_on = disbursed_on + timedelta(days=REPORT_DUE_DAYS)
        locked.save()
        audit.record(
            action=GRANT_DISBURSE,
            actor=acting_user,
            org=locked.association.org,
            obj=locked,
            at=at,
            fields=["status", "disbursed_on", "method", "reference"],
        )
    return locked


def report_on_grant(
    *,
    grant: Grant,
    amount_spent: Any,
    narrative: str,
    reported_on: date,
    acting_user: User | None,
    at: datetime,
) -> GrantReport:
    """Record the association's utilisation report: what it spent (at most the grant) and what it did."""
    spent = check_amount(amount_spent, "amount_spent", allow_zero=True)
    narrative = check_text(narrative, "narrative", 8000, required=True)
    with transaction.atomic():
        locked = _locked_grant(grant)
        if locked.status != Grant.Status.DISBURSED or locked.disbursed_on is None:
            message = (
                _("This grant was already reported on.")
                if locked.status == Grant.Status.REPORTED
                else _("A grant is reported on after it is disbursed.")
            )
            raise ValidationError({"status": message})
        if spent > locked.amount:
            raise ValidationError({"amount_spent": _("More than the grant was spent: check the amount.")})
        reported_on = check_not_future(reported_on, "reported_on", at)
        if reported_on < locked.disbursed_on:
            raise ValidationError({"reported_on": _("A report comes after the grant was disbursed.")})
        report = GrantReport.objects.create(
            org_id=locked.org_id,
            grant=locked,
            amount_spent=spent,
            narrative=narrative,
            reported_on=reported_on,
            recorded_at=at,
            recorded_by=acting_user,
        )
        Grant.objects.filter(pk=locked.pk).update(status=Grant.Status.REPORTED)
        audit.record(action=GRANT_REPORT, actor=acting_user, org=locked.association.org, obj=report, at=at)
    grant.status = Grant.Status.REPORTED
    return report
