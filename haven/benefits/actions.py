"""Verbs of the benefits core: programmes and their rule-set versions, enrolment and exits, and reading
a beneficiary's file. Cycles (open, generate, approve) are in `cycles.py`.

Each verb checks its input before it writes, then saves, records the transition row of a status change
and its audit entry (field names only) in one transaction. A refusal is a `ValidationError` keyed by the
field at fault, with a sentence saying what to do instead; nothing is written when one is raised.

Exits: an enrolment that ends keeps what it was due up to and including the month it ended in; the
entitlements still DUE in later cycles that are not approved yet are cancelled (and the cycles' counts
lowered). Entitlements of later cycles already approved are left as they are — an approved cycle is a
commitment others act on (stock allocated, payment files sent) — and counted in the outcome, so the page
can say where they must be stopped (at the distribution point or in the payment batch).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from haven.benefits.cycles import add_months, month_start
from haven.benefits.models import (
    Beneficiary,
    Cycle,
    Enrolment,
    EnrolmentTransition,
    Entitlement,
    Programme,
    RuleSet,
)
from haven.orgs.models import Organisation
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

PROGRAMME_CREATE = audit.register_action("benefits.programme_create", "A benefit programme was set up")
PROGRAMME_CHANGE = audit.register_action("benefits.programme_change", "A benefit programme was changed")
RULE_SET_PUBLISH = audit.register_action(
    "benefits.rule_set_publish", "A new version of a programme's rules was published"
)
ENROL = audit.register_action("benefits.enrol", "A beneficiary was enrolled in a programme")
ENROLMENT_EXIT = audit.register_action("benefits.enrolment_exit", "A beneficiary's enrolment ended")
ENROLMENTS_COMPLETED = audit.register_action(
    "benefits.enrolments_completed", "Enrolments that reached the end of their months were closed"
)
BENEFICIARY_VIEW = audit.register_action(
    "benefits.beneficiary_view", "A beneficiary's file was read", read=True
)

PROGRAMME_FIELDS = (
    "code",
    "name",
    "benefit_kind",
    "target_level",
    "duration_months",
    "item",
    "quantity_per_cycle",
    "unit",
    "applications_open_day",
    "applications_close_day",
    "is_active",
)
MAX_DURATION_MONTHS = 120
EXIT_BATCH = 2_000


# --- programmes ------------------------------------------------------------------------------------------


def _text(value: Any, field: str, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )
    return text


def _check_days(programme: Programme) -> None:
    """Application days: both or neither, each a day of the month, the window in order."""
    opens, closes = programme.applications_open_day, programme.applications_close_day
    if (opens is None) != (closes is None):
        field = "applications_close_day" if closes is None else "applications_open_day"
        raise ValidationError({field: _("Give both the first and the last day of applications, or neither.")})
    for field, day in (("applications_open_day", opens), ("applications_close_day", closes)):
        if day is not None and not 1 <= day <= 31:
            raise ValidationError({field: _("A day of the month is a number from 1 to 31.")})
    if opens is not None and closes is not None and closes < opens:
        raise ValidationError(
            {"applications_close_day": _("Applications cannot close before the day they open.")}
        )


def _check_quantity(value: Any) -> Decimal:
    try:
        quantity = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"quantity_per_cycle": _("Enter a quantity, such as 30 or 800.")}) from None
    if not quantity.is_finite() or quantity <= 0 or quantity >= Decimal(10) ** 10:
        raise ValidationError({"quantity_per_cycle": _("The quantity each month must be more than zero.")})
    if quantity != quantity.quantize(Decimal("0.01")):
        raise ValidationError({"quantity_per_cycle": _("Give the quantity with at most two decimals.")})
    return quantity.quantize(Decimal("0.01"))


def _check_programme(programme: Programme) -> None:
    programme.code = slugify(str(programme.code or "").strip())
    if not programme.code or len(programme.code) > 30:
        raise ValidationError(
            {"code": _("Give a short name of letters, digits and dashes (at most 30), such as vwb.")}
        )
    programme.name = _text(programme.name, "name", 200)
    if programme.benefit_kind not in Programme.BenefitKind.values:
        raise ValidationError(
            {"benefit_kind": _("Say whether the benefit is in kind, cash, a loan or training.")}
        )
    if programme.target_level not in Programme.TargetLevel.values:
        raise ValidationError({"target_level": _("Say whether the benefit goes to a woman or a household.")})
    duration = programme.duration_months
    if not isinstance(duration, int) or not 1 <= duration <= MAX_DURATION_MONTHS:
        raise ValidationError(
            {
                "duration_months": _("The duration is a number of months from 1 to %(max)s.")
                % {"max": MAX_DURATION_MONTHS}
            }
        )
    programme.item = _text(programme.item, "item", 40)
    programme.unit = _text(programme.unit, "unit", 12)
    programme.quantity_per_cycle = _check_quantity(programme.quantity_per_cycle)
    _check_days(programme)
    clash = Programme.objects.filter(org_id=programme.org_id, code=programme.code).exclude(pk=programme.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another programme has this short name: choose another.")})


def create_programme(
    *, org: Organisation, acting_user: User | None, at: datetime, **fields: Any
) -> Programme:
    """Set up a programme: what it gives (kind, item, quantity and unit each month), to whom (a woman or
    a household), for how many months, and on which days of the month it takes applications."""
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    programme = Programme(org=org, created_at=at, **fields)
    _check_programme(programme)
    with refused_if_taken("code", _("Another programme has this short name: choose another.")):
        programme.save()
        audit.record(action=PROGRAMME_CREATE, actor=acting_user, org=org, obj=programme, at=at)
    return programme


def update_programme(
    *, programme: Programme, changes: Mapping[str, Any], acting_user: User | None, at: datetime
) -> Programme:
    """Change a programme. Entitlements already generated keep the item and quantity they were made with."""
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    before = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    for name, value in changes.items():
        setattr(programme, name, value)
    try:
        _check_programme(programme)
    except ValidationError:
        for name, value in before.items():
            setattr(programme, name, value)
        raise
    changed = audit.changed_fields(before, {name: getattr(programme, name) for name in PROGRAMME_FIELDS})
    if changed:
        with transaction.atomic():
            programme.save(update_fields=changed)
            audit.record(
                action=PROGRAMME_CHANGE,
                actor=acting_user,
                org=programme.org,
                obj=programme,
                at=at,
                fields=changed,
            )
    return programme


def _validate_rules(eligibility: Any, priority: Any, exclusions: Any) -> None:
    """The rules helper's validator when it is there; until then, the shape only (three lists)."""
    try:
        rules = importlib.import_module("haven.benefits.rules")
    except ImportError:
        rules = None
    validate_rule_set = getattr(rules, "validate_rule_set", None)
    if validate_rule_set is not None:
        validate_rule_set(eligibility, priority, exclusions)
        return
    for field, value in (("eligibility", eligibility), ("priority", priority), ("exclusions", exclusions)):
        if not isinstance(value, list) or not all(isinstance(rule, dict) for rule in value):
            raise ValidationError({field: _("Give a list of rules, each a JSON object.")})


def publish_rule_set(
    *,
    programme: Programme,
    eligibility: Any,
    priority: Any,
    exclusions: Any,
    note: str = "",
    acting_user: User | None,
    at: datetime,
) -> RuleSet:
    """Publish the next version of the programme's rules. Versions are never changed: applications keep
    the version that judged them."""
    _validate_rules(eligibility, priority, exclusions)
    note = str(note or "").strip()
    if len(note) > 300:
        raise ValidationError(
            {"note": _("This text is too long (at most %(max)s characters).") % {"max": 300}}
        )
    with transaction.atomic():
        # The programme's row lock orders two publications, so each gets its own version number.
        Programme.objects.select_for_update().get(pk=programme.pk)
        last = RuleSet.objects.filter(programme=programme).aggregate(last=Max("version"))["last"] or 0
        rule_set = RuleSet.objects.create(
            org_id=programme.org_id,
            programme=programme,
            version=last + 1,
            eligibility=eligibility,
            priority=priority,
            exclusions=exclusions,
            note=note,
            created_at=at,
            created_by=acting_user,
        )
        audit.record(action=RULE_SET_PUBLISH, actor=acting_user, org=programme.org, obj=rule_set, at=at)
    return rule_set


# --- enrolment -------------------------------------------------------------------------------------------


def _refuse_second_enrolment(active: Enrolment | None) -> ValidationError:
    if active is None:
        return ValidationError(
            {"beneficiary": _("She already has an active enrolment in this programme: end it first.")}
        )
    return ValidationError(
        {
            "beneficiary": _(
                "She already has an active enrolment in this programme (card %(card)s): end it before "
                "enrolling her again."
            )
            % {"card": active.card_number}
        }
    )


def _active_enrolment(programme: Programme, beneficiary: Beneficiary) -> Enrolment | None:
    found: Enrolment | None = Enrolment.objects.filter(
        programme=programme, beneficiary=beneficiary, status=Enrolment.Status.ACTIVE
    ).first()
    return found


def _check_enrolment(enrolment: Enrolment, programme: Programme, beneficiary: Beneficiary) -> None:
    if beneficiary.org_id != programme.org_id:
        raise ValidationError({"beneficiary": _("This beneficiary is not in the programme's register.")})
    if not programme.is_active:
        raise ValidationError({"programme": _("This programme is closed: it enrols no one.")})
    enrolment.card_number = _text(enrolment.card_number, "card_number", 30)
    if Enrolment.objects.filter(programme=programme, card_number=enrolment.card_number).exists():
        raise ValidationError({"card_number": _("This card number is already given in this programme.")})
    active = _active_enrolment(programme, beneficiary)
    if active is not None:
        raise _refuse_second_enrolment(active)


def enrol(
    *,
    programme: Programme,
    beneficiary: Beneficiary,
    card_number: str,
    starts_on: date,
    application: Any = None,
    acting_user: User | None,
    at: datetime,
) -> Enrolment:
    """Enrol a beneficiary from `starts_on`'s month for the programme's duration, with her card number.
    One active enrolment per woman and programme (a database constraint as well as this check)."""
    first = month_start(starts_on)
    try:
        last = add_months(first, programme.duration_months - 1)
    except ValueError:  # past December 9999
        raise ValidationError(
            {
                "starts_on": _(
                    "Her months in the programme would run past the year 9999: check the first month."
                )
            }
        ) from None
    enrolment = Enrolment(
        org_id=programme.org_id,
        programme=programme,
        beneficiary=beneficiary,
        application=application,
        area_id=beneficiary.area_id,
        card_number=card_number,
        starts_on=first,
        ends_on=last,
        enrolled_at=at,
    )
    _check_enrolment(enrolment, programme, beneficiary)
    try:
        with transaction.atomic():
            enrolment.save()
            EnrolmentTransition.objects.create(
                org_id=programme.org_id,
                enrolment=enrolment,
                from_status="",
                to_status=Enrolment.Status.ACTIVE,
                at=at,
                actor=acting_user,
            )
            audit.record(action=ENROL, actor=acting_user, org=programme.org, obj=enrolment, at=at)
    except IntegrityError:  # a concurrent enrolment of the same woman or card won the race
        raise _refuse_second_enrolment(_active_enrolment(programme, beneficiary)) from None
    return enrolment


# --- exits -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExitOutcome:
    enrolment: Enrolment
    cancelled: int  # DUE entitlements of later, unapproved cycles now CANCELLED
    left_in_approved: int  # DUE entitlements of later cycles already approved: stop them where issued


def _local_date(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _later_due(enrolment_ids: Any, after_month: Any) -> Any:
    """DUE entitlements of these enrolments in cycles after `after_month` (a date or an expression)."""
    return Entitlement.objects.filter(
        enrolment_id__in=enrolment_ids, status=Entitlement.Status.DUE, cycle__month__gt=after_month
    )


def _cancel_later_entitlements(enrolment_ids: Any, after_month: Any) -> int:
    """Cancel the DUE entitlements of unapproved later cycles and lower those cycles' counts, set-based."""
    due = _later_due(enrolment_ids, after_month).filter(
        cycle__status__in=(Cycle.Status.OPEN, Cycle.Status.GENERATED)
    )
    per_cycle = list(due.order_by().values("cycle_id").annotate(n=Count("id")).values_list("cycle_id", "n"))
    cancelled = Entitlement.objects.filter(pk__in=due.values("pk")).update(
        status=Entitlement.Status.CANCELLED
    )
    for cycle_id, count in per_cycle:  # one row per cycle, a handful
        Cycle.objects.filter(pk=cycle_id).update(entitlement_count=F("entitlement_count") - count)
    return cancelled


def exit_enrolment(
    *, enrolment: Enrolment, reason: str, on: date, acting_user: User | None, at: datetime
) -> ExitOutcome:
    """End an active enrolment on `on` (not in the future) for `reason` (death, fraud, moved, withdrew,
    completed). From the next month on she is due nothing: see the module's note on exits."""
    if reason not in Enrolment.ExitReason.values:
        raise ValidationError({"reason": _("Say why the enrolment ends: choose one of the reasons offered.")})
    if on > _local_date(at):
        raise ValidationError({"on": _("An enrolment cannot end in the future: give the day it ended.")})
    with transaction.atomic():
        locked: Enrolment = (
            Enrolment.objects.select_for_update().select_related("programme__org").get(pk=enrolment.pk)
        )
        if locked.status != Enrolment.Status.ACTIVE:
            raise ValidationError({"reason": _("This enrolment has already ended.")})
        locked.status, locked.exited_on, locked.exit_reason = Enrolment.Status.EXITED, on, reason
        locked.save(update_fields=["status", "exited_on", "exit_reason"])
        EnrolmentTransition.objects.create(
            org_id=locked.org_id,
            enrolment=locked,
            from_status=Enrolment.Status.ACTIVE,
            to_status=Enrolment.Status.EXITED,
            reason_code=reason,
            at=at,
            actor=acting_user,
        )
        cancelled = _cancel_later_entitlements([locked.pk], month_start(on))
        left = _later_due([locked.pk], month_start(on)).count()
        audit.record(
            action=ENROLMENT_EXIT,
            actor=acting_user,
            org=locked.programme.org,
            obj=locked,
            at=at,
            fields=["status", "exited_on", "exit_reason"],
        )
    enrolment.status, enrolment.exited_on, enrolment.exit_reason = locked.status, on, reason
    return ExitOutcome(enrolment, cancelled, left)


def exit_completed_enrolments(
    *, programme: Programme, on: date, acting_user: User | None, at: datetime
) -> int:
    """Close, as COMPLETED, every active enrolment whose last month is before `on`'s month; the number
    closed. Keyset batches of ids, each one transaction: set-based updates and bulk-inserted transition
    rows, never a query per enrolment. Safe to rerun."""
    current = month_start(on)
    finished = Enrolment.objects.filter(
        programme=programme, status=Enrolment.Status.ACTIVE, ends_on__lt=current
    )
    closed, after = 0, None
    while True:
        batch = finished.order_by("id")
        if after is not None:
            batch = batch.filter(id__gt=after)
        ids = list(batch.values_list("id", flat=True)[:EXIT_BATCH])
        if not ids:
            return closed
        closed += _complete_batch(programme, ids, acting_user, at)
        after = ids[-1]


def _complete_batch(programme: Programme, ids: list[Any], acting_user: User | None, at: datetime) -> int:
    with transaction.atomic():
        still_active = Enrolment.objects.filter(pk__in=ids, status=Enrolment.Status.ACTIVE)
        ids = list(still_active.select_for_update().values_list("id", flat=True))
        Enrolment.objects.filter(pk__in=ids).update(
            status=Enrolment.Status.EXITED, exited_on=F("ends_on"), exit_reason=Enrolment.ExitReason.COMPLETED
        )
        EnrolmentTransition.objects.bulk_create(
            EnrolmentTransition(
                org_id=programme.org_id,
                enrolment_id=pk,
                from_status=Enrolment.Status.ACTIVE,
                to_status=Enrolment.Status.EXITED,
                reason_code=Enrolment.ExitReason.COMPLETED,
                at=at,
                actor=acting_user,
            )
            for pk in ids
        )
        _cancel_later_entitlements(ids, F("enrolment__ends_on"))
        if ids:
            audit.record(
                action=ENROLMENTS_COMPLETED,
                actor=acting_user,
                org=programme.org,
                obj=programme,
                at=at,
                fields=["status", "exited_on", "exit_reason"],
            )
    return len(ids)


def record_beneficiary_view(*, beneficiary: Beneficiary, acting_user: User | None, at: datetime) -> None:
    audit.record(action=BENEFICIARY_VIEW, actor=acting_user, org=beneficiary.org, obj=beneficiary, at=at)
