"""Verbs for risk: record an assessment (and what its escalation rules set in motion), re-score one under
another instrument version without touching it, load a scoring sheet, manage escalation rules, and the
seams other apps use (acknowledge an alert, take up a dispatch offer)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from haven import sql
from haven.cases.actions import require_editable, schedule_follow_up
from haven.cases.models import Case
from haven.orgs.models import Organisation
from haven.people.models import Person
from haven.privacy import audit
from haven.risk import scoring
from haven.risk.instrument import Instrument, InstrumentError, library
from haven.risk.models import Assessment, Escalation, EscalationRule, SafetyPlan, ScoringSheet

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.hotline.models import Contact

ASSESS = audit.register_action("risk.assess", "A risk screen was recorded")
ASSESSMENT_VIEW = audit.register_action("risk.view", "A risk screen's answers were read", read=True)
ESCALATE = audit.register_action("risk.escalate", "An escalation rule acted on a risk screen")
ESCALATION_ACK = audit.register_action("risk.escalation_ack", "A supervisor acknowledged an escalation")
DISPATCH_OFFER_TAKEN = audit.register_action("risk.dispatch_taken", "A dispatch offer was taken up")
SHEET_LOAD = audit.register_action("risk.sheet_load", "A certified scoring sheet was loaded")
RULE_CREATE = audit.register_action("risk.rule_create", "An escalation rule was created")

PROBLEM_TEXTS = {
    scoring.MISSING: "Answer this question (choose “Not known” or “Declined” if she cannot say).",
    scoring.INVALID: "This answer is not one of the choices.",
    scoring.UNKNOWN_ITEM: "This instrument has no such question.",
}


def instrument_or_error(instrument_id: str, version: str | None = None) -> Instrument:
    try:
        return library().get(instrument_id, version)
    except KeyError:
        raise ValidationError({"instrument": _("There is no such instrument or version.")}) from None


def _answer_errors(problems: Mapping[str, str]) -> ValidationError:
    return ValidationError({item: _(PROBLEM_TEXTS[problem]) for item, problem in problems.items()})


def sheet_in_force(org: Organisation, instrument: Instrument) -> ScoringSheet | None:
    if not instrument.needs_org_sheet:
        return None
    return ScoringSheet.objects.in_force(org, instrument)


def evaluate(
    org: Organisation, instrument: Instrument, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], scoring.Result, ScoringSheet | None]:
    """Clean and score answers for an organisation, or a ValidationError saying what to fix."""
    try:
        cleaned = scoring.clean_answers(instrument, answers)
    except scoring.AnswersError as exc:
        raise _answer_errors(exc.problems) from None
    sheet = sheet_in_force(org, instrument)
    try:
        result = scoring.score(
            instrument, cleaned, scoring.parse_sheet(instrument, sheet.sheet) if sheet else None
        )
    except scoring.ScoringUnavailable:
        raise ValidationError(
            _(
                "This instrument is scored with your organisation's certified scoring sheet, and none is "
                "loaded yet. Ask your organisation administrator to load it."
            )
        ) from None
    return cleaned, result, sheet


def _check_links(person: Person, case: Case | None, contact: Contact | None) -> None:
    if case is not None and case.survivor_id != person.pk:
        raise ValidationError({"case": _("This case is not hers.")})
    if contact is not None and contact.org_id != person.org_id:
        raise ValidationError({"contact": _("This contact belongs to another organisation.")})
    if contact is not None and contact.person_id != person.pk:
        # Another woman's contact (or nobody's yet): a dispatch sent from it would take up the dispatch
        # offer of this screen, though no team went to her.
        raise ValidationError(
            {
                "contact": _(
                    "Link this contact to her file before screening: the screen is recorded in her file."
                )
            }
        )


def record_assessment(
    *,
    person: Person,
    instrument_id: str,
    answers: Mapping[str, Any],
    case: Case | None = None,
    contact: Contact | None = None,
    acting_user: User | None,
    at: datetime,
) -> Assessment:
    """Score a screen with the newest version of the instrument, record it, and apply the escalation
    rules of her organisation that match its level (all in one transaction)."""
    instrument = instrument_or_error(instrument_id)
    _check_links(person, case, contact)
    cleaned, result, sheet = evaluate(person.org, instrument, answers)
    assessment = Assessment(
        org=person.org,
        person=person,
        case=case,
        contact=contact,
        instrument=instrument.id,
        instrument_version=instrument.version,
        answers=json.dumps(cleaned, sort_keys=True),
        score=result.score,
        level=result.level,
        rule=result.rule,
        sheet=sheet,
        asked_by=acting_user,
        asked_at=at,
    )
    with transaction.atomic():
        if case is not None:
            require_editable(case)
        sql.insert(assessment)  # every screen the hotline records: built once (`haven.sql`)
        audit.record(
            action=ASSESS,
            actor=acting_user,
            org=person.org,
            obj=assessment,
            at=at,
            fields=["instrument", "answers", "score", "level", "rule"],
        )
        escalate(assessment, acting_user=acting_user, at=at)
    return assessment


def matching_rules(assessment: Assessment) -> list[EscalationRule]:
    """Her organisation's active rules for the instrument that name the screen's level.

    Read by hand: every screen the hotline records asks this (`haven.sql`).
    """
    rules = EscalationRule.objects.raw(
        f"SELECT {sql.columns(EscalationRule)} FROM {sql.table(EscalationRule)} "  # noqa: S608 (names from the model)
        "WHERE org_id = %s AND instrument = %s AND is_active ORDER BY name",
        [sql.column_value(EscalationRule, "org", assessment.org_id), assessment.instrument],
    )
    return [rule for rule in rules if assessment.level in rule.levels]


def escalate(assessment: Assessment, *, acting_user: User | None, at: datetime) -> list[Escalation]:
    """Record what each matching rule sets in motion. A follow-up is scheduled (safety-critical) on the
    case when there is one; without a case the escalation says a case is needed to schedule it."""
    done = []
    for rule in matching_rules(assessment):
        hours = rule.follow_up_within_hours
        follow_up = None
        if hours is not None and assessment.case is not None:
            follow_up = schedule_follow_up(
                case=assessment.case,
                title=_("Safety follow-up after a high-risk screen"),
                due_on=timezone.localdate(at + timedelta(hours=hours)),
                is_safety_critical=True,
                acting_user=acting_user,
                at=at,
            )
        escalation = Escalation.objects.create(
            org_id=assessment.org_id,
            assessment=assessment,
            rule=rule,
            offer_dispatch=rule.offer_dispatch,
            notify_supervisor=rule.notify_supervisor,
            follow_up=follow_up,
            follow_up_needs_case=hours is not None and follow_up is None,
            created_at=at,
        )
        audit.record(
            action=ESCALATE, actor=acting_user, org=assessment.org, obj=escalation, at=at, fields=["rule"]
        )
        done.append(escalation)
    return done


def rescore(assessment: Assessment, version: str | None = None) -> tuple[Instrument, scoring.Result]:
    """The result of a recorded answer set under another version (default: the newest), computed and
    never stored: the historic row keeps what was asked and decided then. Answers the new version does
    not accept raise a ValidationError naming them."""
    instrument = instrument_or_error(assessment.instrument, version)
    _cleaned, result, _sheet = evaluate(assessment.org, instrument, assessment.answer_data)
    return instrument, result


def record_assessment_view(*, assessment: Assessment, acting_user: User | None, at: datetime) -> None:
    audit.record(action=ASSESSMENT_VIEW, actor=acting_user, org=assessment.org, obj=assessment, at=at)


SHEET_PROBLEMS: dict[str, tuple[str, str]] = {
    "the scoring sheet must be an object with 'weights' and 'cutoffs'": (
        "sheet",
        gettext_noop("The sheet must give weights and cut-offs."),
    ),
    "the sheet needs a weight for every scored item, and only those": (
        "weights",
        gettext_noop("The sheet needs a weight for every scored item, and only those."),
    ),
    "every weight must be a whole number, zero or more": (
        "weights",
        gettext_noop("Every weight must be a whole number, zero or more."),
    ),
    "the sheet needs at least one cut-off": (
        "cutoffs",
        gettext_noop("Give at least one cut-off: the lowest score of a level."),
    ),
    "cut-offs must rise: a higher score for each higher level": (
        "cutoffs",
        gettext_noop("Cut-offs must rise: each higher level needs a higher score than the level below."),
    ),
    "each cut-off needs a 'level' of the instrument": (
        "cutoffs",
        gettext_noop("Each cut-off must name a level of this instrument."),
    ),
    "each cut-off needs a whole number 'at_least'": (
        "cutoffs",
        gettext_noop("Each cut-off must be a whole number, zero or more."),
    ),
    f"every weight must be {scoring.MAX_SHEET_NUMBER} or less": (
        "weights",
        gettext_noop("Every weight must be %(most)s or less."),
    ),
    f"every cut-off must be {scoring.MAX_SHEET_NUMBER} or less": (
        "cutoffs",
        gettext_noop("Every cut-off must be %(most)s or less."),
    ),
}
"""The scoring engine's problems with a sheet (plain English, no Django there), as translated sentences
keyed by the part of the sheet they concern."""


def sheet_error(problem: InstrumentError) -> ValidationError:
    """One translated message, on the field it concerns; an unforeseen problem keeps its own words."""
    field, text = SHEET_PROBLEMS.get(str(problem), ("sheet", ""))
    if text:
        message = _(text)
        if "%(most)s" in text:
            message = message % {"most": scoring.MAX_SHEET_NUMBER}
        return ValidationError({field: message})
    return ValidationError({field: _("The sheet is not valid: %(problem)s.") % {"problem": problem}})


def load_scoring_sheet(
    *,
    org: Organisation,
    instrument_id: str,
    version: str,
    sheet: Mapping[str, Any],
    certified_by: str,
    acting_user: User | None,
    at: datetime,
) -> ScoringSheet:
    """Put the organisation's certified weights and cut-offs in force for one instrument version."""
    instrument = instrument_or_error(instrument_id, version)
    if not instrument.needs_org_sheet:
        raise ValidationError({"instrument": _("This instrument is scored without a sheet.")})
    try:
        parsed = scoring.parse_sheet(instrument, dict(sheet))
    except InstrumentError as exc:
        raise sheet_error(exc) from None
    if not certified_by.strip():
        raise ValidationError({"certified_by": _("Say who certified this sheet.")})
    data = {
        "weights": dict(parsed.weights),
        "cutoffs": [{"at_least": s, "level": lv} for s, lv in parsed.cutoffs],
    }
    with transaction.atomic():
        loaded = ScoringSheet.objects.create(
            org=org,
            instrument=instrument.id,
            instrument_version=instrument.version,
            sheet=data,
            certified_by=certified_by.strip(),
            loaded_by=acting_user,
            loaded_at=at,
        )
        audit.record(action=SHEET_LOAD, actor=acting_user, org=org, obj=loaded, at=at, fields=["sheet"])
    return loaded


def create_escalation_rule(
    *,
    org: Organisation,
    name: str,
    instrument_id: str,
    levels: Iterable[str],
    offer_dispatch: bool = False,
    notify_supervisor: bool = False,
    follow_up_within_hours: int | None = None,
    acting_user: User | None,
    at: datetime,
) -> EscalationRule:
    """A rule for the levels of one instrument; it must do something."""
    instrument = instrument_or_error(instrument_id)
    levels = _rule_levels(instrument, levels)
    _require_rule_acts(offer_dispatch, notify_supervisor, follow_up_within_hours)
    rule = EscalationRule(
        org=org,
        name=name.strip(),
        instrument=instrument.id,
        levels=levels,
        offer_dispatch=offer_dispatch,
        notify_supervisor=notify_supervisor,
        follow_up_within_hours=follow_up_within_hours,
        created_at=at,
    )
    rule.full_clean()
    with transaction.atomic():
        rule.save()
        audit.record(action=RULE_CREATE, actor=acting_user, org=org, obj=rule, at=at, fields=["levels"])
    return rule


def _rule_levels(instrument: Instrument, levels: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(levels))
    known = {level.code for level in instrument.levels}
    if not chosen or not set(chosen) <= known:
        raise ValidationError({"levels": _("Choose one or more levels of this instrument.")})
    return chosen


def _require_rule_acts(
    offer_dispatch: bool, notify_supervisor: bool, follow_up_within_hours: int | None
) -> None:
    if not (offer_dispatch or notify_supervisor or follow_up_within_hours is not None):
        raise ValidationError(_("Choose at least one thing the rule does."))


RULE_CHANGE = audit.register_action("risk.rule_change", "An escalation rule was changed")
RULE_ACTIVE = audit.register_action("risk.rule_active", "An escalation rule was switched on or off")
RULE_FIELDS = ("name", "levels", "offer_dispatch", "notify_supervisor", "follow_up_within_hours")


def change_escalation_rule(
    *,
    rule: EscalationRule,
    name: str,
    levels: Iterable[str],
    offer_dispatch: bool,
    notify_supervisor: bool,
    follow_up_within_hours: int | None,
    acting_user: User | None,
    at: datetime,
) -> EscalationRule:
    """Change what a rule does from now on; its instrument stays (a rule for another instrument is a new
    rule). Escalations already recorded keep what they set in motion."""
    instrument = instrument_or_error(rule.instrument)
    wanted = {
        "name": name.strip(),
        "levels": _rule_levels(instrument, levels),
        "offer_dispatch": offer_dispatch,
        "notify_supervisor": notify_supervisor,
        "follow_up_within_hours": follow_up_within_hours,
    }
    _require_rule_acts(offer_dispatch, notify_supervisor, follow_up_within_hours)
    with transaction.atomic():
        locked: EscalationRule = EscalationRule.objects.select_for_update().get(pk=rule.pk)
        changed = [field for field in RULE_FIELDS if getattr(locked, field) != wanted[field]]
        for field, value in wanted.items():
            setattr(locked, field, value)
        locked.full_clean()
        locked.save(update_fields=list(RULE_FIELDS))
        audit.record(action=RULE_CHANGE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=changed)
    return locked


def set_escalation_rule_active(
    *, rule: EscalationRule, is_active: bool, acting_user: User | None, at: datetime
) -> EscalationRule:
    """Switch a rule off (screens no longer escalate by it; it is kept, as escalations point at it) or
    on again. Refused when it is already so, so a double click says what happened."""
    with transaction.atomic():
        locked: EscalationRule = EscalationRule.objects.select_for_update().get(pk=rule.pk)
        if locked.is_active == is_active:
            already = _("This rule is already on.") if is_active else _("This rule is already off.")
            raise ValidationError(already)
        locked.is_active = is_active
        locked.save(update_fields=["is_active"])
        audit.record(
            action=RULE_ACTIVE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["is_active"]
        )
    return locked


DEFAULT_RULES = (
    ("lap", ["SCREENED_IN"]),
    ("dash", ["HIGH"]),
)


def install_default_rules(
    *, org: Organisation, acting_user: User | None, at: datetime
) -> list[EscalationRule]:
    """The example of the issue: a LAP screen-in or a high DASH offers an immediate dispatch, alerts a
    supervisor and schedules a follow-up within 24 hours."""
    return [
        create_escalation_rule(
            org=org,
            name=_("High danger: dispatch, supervisor, follow-up within 24 hours"),
            instrument_id=instrument_id,
            levels=levels,
            offer_dispatch=True,
            notify_supervisor=True,
            follow_up_within_hours=24,
            acting_user=acting_user,
            at=at,
        )
        for instrument_id, levels in DEFAULT_RULES
    ]


def acknowledge_escalation(*, escalation: Escalation, acting_user: User | None, at: datetime) -> Escalation:
    """A supervisor has seen the alert; refused twice."""
    with transaction.atomic():
        locked: Escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if locked.acknowledged_at is not None:
            raise ValidationError(_("This alert was already acknowledged."))
        locked.acknowledged_at, locked.acknowledged_by = at, acting_user
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(
            action=ESCALATION_ACK,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["acknowledged_at"],
        )
    return locked


def take_dispatch_offer(*, escalation: Escalation, acting_user: User | None, at: datetime) -> Escalation:
    """The seam for the dispatch app: call this when a dispatch is created from an offer."""
    with transaction.atomic():
        locked: Escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if not locked.offer_dispatch or locked.dispatch_taken_at is not None:
            raise ValidationError(_("There is no open dispatch offer on this escalation."))
        locked.dispatch_taken_at = at
        locked.save(update_fields=["dispatch_taken_at"])
        audit.record(
            action=DISPATCH_OFFER_TAKEN,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["dispatch_taken_at"],
        )
    return locked


SAFETY_PLAN_SAVE = audit.register_action("risk.safety_plan", "A safety plan was written or reviewed")


def save_safety_plan(
    *,
    case: Case,
    language: str,
    review_on: date,
    sections: Mapping[str, str],
    acting_user: User | None,
    at: datetime,
) -> SafetyPlan:
    """Write or review her safety plan: at least one section, and the next review on a day to come."""
    texts = {name: (sections.get(name) or "").strip() for name in SafetyPlan.SECTIONS}
    if not any(texts.values()):
        raise ValidationError(_("Fill in at least one section of the plan."))
    if review_on <= timezone.localdate(at):
        raise ValidationError({"review_on": _("Choose a review date after today.")})
    with transaction.atomic():
        require_editable(case)
        plan = SafetyPlan.objects.filter(case=case).first() or SafetyPlan(org_id=case.org_id, case=case)
        changed = [name for name, text in texts.items() if getattr(plan, name, "") != text]
        for name, text in texts.items():
            setattr(plan, name, text)
        plan.language, plan.review_on, plan.reviewed_at, plan.reviewed_by = (
            language,
            review_on,
            at,
            acting_user,
        )
        plan.full_clean(exclude=["case"])
        plan.save()
        audit.record(
            action=SAFETY_PLAN_SAVE,
            actor=acting_user,
            org=case.org,
            obj=plan,
            at=at,
            fields=[*changed, "language", "review_on"],
        )
    return plan


SAFETY_PLAN_VIEW = audit.register_action(
    "risk.safety_plan_view", "A safety plan was opened to print", read=True
)


def record_safety_plan_view(*, plan: SafetyPlan, acting_user: User | None, at: datetime) -> None:
    audit.record(action=SAFETY_PLAN_VIEW, actor=acting_user, org=plan.org, obj=plan, at=at)
