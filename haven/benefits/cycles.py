"""Monthly cycles: open one, generate its entitlements, approve it as a whole.

Generation is set-based: each batch is ONE `INSERT … SELECT … ON CONFLICT DO NOTHING` over a range of the
programme's active enrolments, in keyset order of their ids (never OFFSET over rows the job changes).
A batch commits its rows together with the cycle's cursor and counters, so:

- an interruption (a killed worker, a lost connection) leaves the committed batches, and the next run
  resumes after the last one;
- a run over a cycle that is already complete adds nothing: the unique constraint on (cycle, enrolment,
  item) makes every row a conflict, and `entitlement_count` grows by what was really inserted.

An enrolment is covered by a cycle when it is ACTIVE and its months (`starts_on` to `ends_on`) include the
cycle's month. An exited enrolment is never covered, whatever its months (see `actions.exit_enrolment`).

The batch's SELECT is built with the ORM and compiled, so the same code speaks PostgreSQL and SQLite
(both accept `INSERT … SELECT … WHERE … ON CONFLICT (…) DO NOTHING`).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Value
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from haven.benefits import hooks
from haven.benefits.models import Cycle, CycleTransition, Enrolment, Entitlement, Programme
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

CYCLE_OPEN = audit.register_action("benefits.cycle_open", "A programme cycle (month) was opened")
CYCLE_GENERATE = audit.register_action(
    "benefits.cycle_generate", "The entitlements of a programme cycle were generated"
)
CYCLE_APPROVE = audit.register_action("benefits.cycle_approve", "A programme cycle was approved as a whole")

BATCH_SIZE = 20_000
"""Enrolments per batch: large enough that the per-batch overhead is small against the insert, small
enough that a batch commits in well under a second and an interruption loses little."""

GENERATABLE = (Cycle.Status.OPEN, Cycle.Status.GENERATED)

Progress = Callable[[int, int], None]
"""Told (enrolments done, enrolments in all) after each committed batch."""


# --- months ----------------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month`'s (count may be negative)."""
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return date(year, index + 1, 1)


def month_end(month: date) -> date:
    """The last day of `month`'s month (no arithmetic past it: December 9999 has a last day too)."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_label(month: date) -> str:
    """ "January 2027" in the active language (cycles are Gregorian months, as programmes budget them)."""
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


# --- opening ---------------------------------------------------------------------------------------------


def open_cycle(*, programme: Programme, month: date, acting_user: User | None, at: datetime) -> Cycle:
    """Open the programme's cycle for `month` (any day of it). One cycle per programme and month."""
    first = month_start(month)
    if not programme.is_active:
        raise ValidationError({"month": _("This programme is closed: reopen it before opening a cycle.")})
    if Cycle.objects.filter(programme=programme, month=first).exists():
        raise _refuse_second_cycle(first)
    cycle = Cycle(org_id=programme.org_id, programme=programme, month=first, created_at=at)
    try:
        with transaction.atomic():
            cycle.save()
            _transition(cycle, "", Cycle.Status.OPEN, acting_user, at)
            audit.record(action=CYCLE_OPEN, actor=acting_user, org=programme.org, obj=cycle, at=at)
    except IntegrityError:  # opened by someone else between the check and the save
        raise _refuse_second_cycle(first) from None
    return cycle


def _refuse_second_cycle(month: date) -> ValidationError:
    return ValidationError(
        {
            "month": _("There is already a cycle for %(month)s: open it from the programme's page.")
            % {"month": month_label(month)}
        }
    )


def _transition(cycle: Cycle, from_status: str, to_status: str, actor: User | None, at: datetime) -> None:
    CycleTransition.objects.create(
        org_id=cycle.org_id, cycle=cycle, from_status=from_status, to_status=to_status, at=at, actor=actor
    )


# --- generation ------------------------------------------------------------------------------------------


def covered_enrolments(cycle: Cycle) -> models.QuerySet[Enrolment]:
    """The enrolments that are due something in this cycle: active, and the month among theirs."""
    return Enrolment.objects.filter(
        programme_id=cycle.programme_id,
        status=Enrolment.Status.ACTIVE,
        starts_on__lte=month_end(cycle.month),
        ends_on__gte=cycle.month,
    )


@dataclass(frozen=True)
class GenerationOutcome:
    inserted: int  # entitlements this run added (0 on a complete cycle)
    done: int  # enrolments covered so far (this run and any interrupted one it resumed)
    total: int
    finished: bool


def start_generation(*, cycle: Cycle, acting_user: User | None, at: datetime) -> Cycle:
    """Mark a generation run as started (or leave an interrupted one to be resumed) and audit it.

    The UI calls this before it queues the work, so the page shows progress from the first poll; a
    cycle already approved is refused here, with its reason, rather than in the background.
    """
    with transaction.atomic():
        locked = _locked(cycle)
        _check_generatable(locked)
        if not locked.is_generating:
            locked.generation_started_at = at
            locked.generation_finished_at = None
            locked.generation_cursor = None
            locked.generation_done = 0
            locked.generation_total = covered_enrolments(locked).count()
            locked.save(update_fields=_PROGRESS_FIELDS)
        audit.record(action=CYCLE_GENERATE, actor=acting_user, org=locked.programme.org, obj=locked, at=at)
    _refresh(cycle, locked)
    return cycle


_PROGRESS_FIELDS = [
    "generation_started_at",
    "generation_finished_at",
    "generation_cursor",
    "generation_done",
    "generation_total",
]


def generate_entitlements(
    *,
    cycle: Cycle,
    acting_user: User | None,
    at: datetime,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    progress: Progress | None = None,
) -> GenerationOutcome:
    """Generate the cycle's entitlements in committed batches; resume an interrupted run.

    `max_batches` stops early (as an interruption would): the next call goes on from there.
    """
    if batch_size < 1:
        raise ValidationError({"batch_size": _("A batch holds at least one enrolment.")})
    if not cycle.is_generating:
        start_generation(cycle=cycle, acting_user=acting_user, at=at)
    inserted, batches = 0, 0
    while max_batches is None or batches < max_batches:
        added, finished = _run_batch(cycle, batch_size, acting_user, at)
        inserted, batches = inserted + added, batches + 1
        if progress is not None:
            progress(cycle.generation_done, cycle.generation_total)
        if finished:
            return GenerationOutcome(inserted, cycle.generation_done, cycle.generation_total, True)
    return GenerationOutcome(inserted, cycle.generation_done, cycle.generation_total, False)


def _run_batch(cycle: Cycle, batch_size: int, acting_user: User | None, at: datetime) -> tuple[int, bool]:
    """One batch in its own transaction, under the cycle's row lock (two runs at once take turns, each
    batch starting where the other's left off). Returns (rows inserted, whether the run is over)."""
    with transaction.atomic():
        locked = _locked(cycle)
        _check_generatable(locked)
        if not locked.is_generating:  # another run finished it meanwhile
            _refresh(cycle, locked)
            return 0, True
        remaining = covered_enrolments(locked).order_by("id")
        if locked.generation_cursor is not None:
            remaining = remaining.filter(id__gt=locked.generation_cursor)
        last = remaining.values_list("id", flat=True)[batch_size - 1 : batch_size].first()
        batch = remaining if last is None else remaining.filter(id__lte=last)
        scanned = batch_size if last is not None else batch.count()
        added = _insert_entitlements(locked, batch)
        locked.entitlement_count = F("entitlement_count") + added
        locked.generation_done = min(locked.generation_done + scanned, max(locked.generation_total, 0))
        locked.generation_cursor = last
        fields = ["entitlement_count", "generation_done", "generation_cursor"]
        if last is None:
            _finish(locked, acting_user, at)
            fields += ["generation_finished_at", "generation_done", "status"]
        locked.save(update_fields=sorted(set(fields)))
        locked.refresh_from_db(fields=["entitlement_count"])
    _refresh(cycle, locked)
    return added, last is None


def _finish(locked: Cycle, acting_user: User | None, at: datetime) -> None:
    locked.generation_finished_at = at
    locked.generation_done = locked.generation_total
    if locked.status == Cycle.Status.OPEN:
        locked.status = Cycle.Status.GENERATED
        _transition(locked, Cycle.Status.OPEN, Cycle.Status.GENERATED, acting_user, at)


def _insert_entitlements(cycle: Cycle, enrolments: models.QuerySet[Enrolment]) -> int:
    """INSERT … SELECT … ON CONFLICT DO NOTHING for the given enrolments; the number of rows added."""
    programme = cycle.programme
    rows = enrolments.order_by().values_list(
        "org_id",
        Value(cycle.pk, output_field=models.UUIDField()),
        "id",
        Value(programme.item, output_field=models.CharField()),
        Value(
            programme.quantity_per_cycle, output_field=models.DecimalField(max_digits=12, decimal_places=2)
        ),
        Value(Entitlement.Status.DUE.value, output_field=models.CharField()),
    )
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Entitlement._meta.db_table)
    statement = (
        f"INSERT INTO {table} (org_id, cycle_id, enrolment_id, item, quantity, status) {select} "
        "ON CONFLICT (cycle_id, enrolment_id, item) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        inserted: int = cursor.rowcount
    return max(inserted, 0)


def _locked(cycle: Cycle) -> Cycle:
    locked: Cycle = Cycle.objects.select_for_update().select_related("programme__org").get(pk=cycle.pk)
    return locked


def _refresh(cycle: Cycle, locked: Cycle) -> None:
    """Copy what the locked copy holds back onto the caller's object."""
    for name in ("status", "entitlement_count", *_PROGRESS_FIELDS):
        setattr(cycle, name, getattr(locked, name))


def _check_generatable(cycle: Cycle) -> None:
    if cycle.status not in GENERATABLE:
        raise ValidationError({"cycle": _("This cycle is approved: its entitlements can no longer change.")})


# --- approval --------------------------------------------------------------------------------------------


def approve_cycle(*, cycle: Cycle, acting_user: User | None, at: datetime) -> Cycle:
    """Approve the cycle as a whole, once. Refused while its entitlements are not (all) generated, and
    while any check another app registered (stock, payments…) names a problem — each one is listed."""
    with transaction.atomic():
        locked = _locked(cycle)
        if locked.status in (Cycle.Status.APPROVED, Cycle.Status.CLOSED):
            raise ValidationError({"cycle": _already_approved(locked)})
        if locked.status == Cycle.Status.OPEN or locked.is_generating:
            raise ValidationError(
                {"cycle": _("Generate the entitlements to the end before approving this cycle.")}
            )
        problems = hooks.cycle_approval_problems(locked)
        if problems:
            raise ValidationError({"cycle": problems})
        locked.status = Cycle.Status.APPROVED
        locked.approved_at, locked.approved_by = at, acting_user
        locked.save(update_fields=["status", "approved_at", "approved_by"])
        _transition(locked, Cycle.Status.GENERATED, Cycle.Status.APPROVED, acting_user, at)
        audit.record(
            action=CYCLE_APPROVE,
            actor=acting_user,
            org=locked.programme.org,
            obj=locked,
            at=at,
            fields=["status", "approved_at", "approved_by"],
        )
    cycle.status, cycle.approved_at, cycle.approved_by = locked.status, at, acting_user
    return cycle


def _already_approved(cycle: Cycle) -> str:
    when = timezone.localtime(cycle.approved_at) if cycle.approved_at else None
    if when is None:
        return _("This cycle is already approved: a cycle is approved once.")
    return _("This cycle was already approved on %(date)s: a cycle is approved once.") % {
        "date": formats.date_format(when.date(), "DATE_FORMAT")
    }


def progress_of(cycle: Cycle) -> dict[str, Any]:
    """What the progress bar polls: a small JSON-ready dict, no personal data."""
    total, done = cycle.generation_total, cycle.generation_done
    percent = 100 if cycle.status != Cycle.Status.OPEN and not cycle.is_generating else 0
    if cycle.is_generating:
        percent = int(done * 100 / total) if total else 0
    return {
        "status": cycle.status,
        "running": cycle.is_generating,
        "done": done,
        "total": total,
        "percent": percent,
        "entitlements": cycle.entitlement_count,
    }
