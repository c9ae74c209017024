"""Pages for risk screening: run a screen from the case page, read a screen's result (with the rule that
produced the level, and what the newest instrument version would say), and the supervisors' alerts.

Thin: parse, call a verb, render.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases.models import Case, manages_cases
from haven.hotline.models import Contact
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, run_and_redirect
from haven.orgs.roles import Role
from haven.people.models import Person
from haven.people.views import SURVIVOR_ROLES
from haven.risk import actions
from haven.risk.forms import ANSWER_LABELS, SafetyPlanForm, ScreenForm
from haven.risk.instrument import CALENDAR, CHOICES, JUDGEMENT, Instrument, Item, library
from haven.risk.models import Assessment, Escalation, SafetyPlan

FORM_METHODS = ("GET", "POST")
SUPERVISOR_ROLES = frozenset(role for role in Role if manages_cases(role))
"""Who receives the "alert a supervisor" of an escalation rule: the case managers."""


def _instrument_or_404(instrument_id: str) -> Instrument:
    try:
        return library().get(instrument_id)
    except KeyError:
        raise Http404 from None


def _screen_page(
    request: StaffRequest, chosen: Instrument, *, person: Person, case: Case | None, contact: Contact | None
) -> HttpResponse:
    """The screen generated from the instrument file; recording it applies the escalation rules."""
    form = ScreenForm(request.POST or None, instrument=chosen)

    def save(_data: dict[str, Any]) -> Assessment:
        return actions.record_assessment(
            person=person,
            case=case,
            contact=contact,
            instrument_id=chosen.id,
            answers=form.answers(),
            acting_user=request.user,
            at=timezone.now(),
        )

    page = FormPage(
        "risk/screen.html",
        _("Screen recorded."),
        lambda assessment: reverse("risk:detail", args=[assessment.pk]),
        {"case": case, "contact": contact, "instrument": chosen, "title": _(chosen.title)},
    )
    return handle_form(request, form, save, page)


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def screen(request: StaffRequest, case_id: str, instrument: str) -> HttpResponse:
    case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    chosen = _instrument_or_404(instrument)
    return _screen_page(request, chosen, person=case.survivor, case=case, contact=None)


@staff_view(SURVIVOR_ROLES, object_kwargs=("contact_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def screen_contact(request: StaffRequest, contact_id: str, instrument: str) -> HttpResponse:
    """A screen during a call or chat. It is hers, so the contact must be linked to her file first; it
    goes on her case too when the contact is linked to one."""
    contact = get_visible_or_404(
        Contact.objects.select_related("person__org", "case__survivor"), request.user, "change", pk=contact_id
    )
    chosen = _instrument_or_404(instrument)
    if contact.person is None:
        context = {"contact": contact, "instrument": chosen, "title": _(chosen.title), "needs_person": True}
        return render(request, "risk/screen.html", context, status=422 if request.method == "POST" else 200)
    return _screen_page(request, chosen, person=contact.person, case=contact.case, contact=contact)


def shown_answer(instrument: Instrument, item: Item, value: Any) -> str:
    """An answer as a person reads it, in her language."""
    if value in ("", None):
        return "—"
    if item.answer in CHOICES:
        return str(ANSWER_LABELS[value])
    if item.answer == JUDGEMENT:
        return _(instrument.level_label(value))
    if item.answer == CALENDAR:
        return ", ".join(f"{entry['on']} ({entry['severity']})" for entry in value)
    return str(value)


def answer_rows(assessment: Assessment, instrument: Instrument) -> list[tuple[str, str]]:
    """Each question (translated) with the answer given, in the instrument's order."""
    answers = assessment.answer_data
    return [(_(item.text), shown_answer(instrument, item, answers.get(item.id))) for item in instrument.items]


def rescored(assessment: Assessment) -> dict[str, str] | None:
    """What the newest version says of these answers, when it is newer than the one asked and can score
    them; the recorded result is never changed."""
    newest = library().get(assessment.instrument)
    if newest.version == assessment.instrument_version:
        return None
    try:
        instrument, result = actions.rescore(assessment)
    except ValidationError:
        return None
    return {"version": instrument.version, "level": _(instrument.level_label(result.level))}


@staff_view(SURVIVOR_ROLES, object_kwargs=("assessment_id",))
def detail(request: StaffRequest, assessment_id: str) -> HttpResponse:
    assessment = get_visible_or_404(
        Assessment.objects.select_related("case", "person", "asked_by"), request.user, pk=assessment_id
    )
    actions.record_assessment_view(assessment=assessment, acting_user=request.user, at=timezone.now())
    instrument = assessment.instrument_used
    escalations = list(assessment.escalations.select_related("rule", "follow_up"))
    context = {
        "assessment": assessment,
        "instrument": instrument,
        "level": _(instrument.level_label(assessment.level)),
        "explain": _(next((r.explain for r in instrument.rules if r.id == assessment.rule), "")) or "",
        "answers": answer_rows(assessment, instrument),
        "rescored": rescored(assessment),
        "escalations": escalations,
        "dispatch_url": dispatch_url(assessment, escalations),
    }
    return render(request, "risk/detail.html", context)


def dispatch_url(assessment: Assessment, escalations: list[Escalation]) -> str | None:
    """Where to send a mobile team when a rule offered it and no dispatch has taken the offer up yet:
    from the contact the screen was taken on, else from her case."""
    if not any(e.offer_dispatch and e.dispatch_taken_at is None for e in escalations):
        return None
    if assessment.contact_id is not None:
        return reverse("dispatch:create_from_contact", args=[assessment.contact_id])
    if assessment.case_id is not None:
        return reverse("dispatch:create", args=[assessment.case_id])
    return None


@staff_view(SUPERVISOR_ROLES)
def alerts(request: StaffRequest) -> HttpResponse:
    """Escalations that asked for a supervisor and are not acknowledged yet, among the screens she sees."""
    open_alerts = Escalation.objects.visible_to(request.user).awaiting_supervisor()
    rows = open_alerts.select_related("assessment", "rule")
    return render(request, "risk/alerts.html", {"alerts": rows})


@staff_view(SUPERVISOR_ROLES, object_kwargs=("escalation_id",), methods=("POST",))
@require_POST
def acknowledge(request: StaffRequest, escalation_id: str) -> HttpResponse:
    escalation = get_visible_or_404(Escalation.objects.all(), request.user, "change", pk=escalation_id)
    return run_and_redirect(
        request,
        lambda: actions.acknowledge_escalation(
            escalation=escalation, acting_user=request.user, at=timezone.now()
        ),
        _("Alert acknowledged."),
        reverse("risk:alerts"),
    )


def plan_initial(case: Case) -> dict[str, Any]:
    """The plan as it stands, or a first one in her language, to review in three months."""
    plan = SafetyPlan.objects.filter(case=case).first()
    if plan is None:
        spoken = [code for code in case.survivor.languages if code in dict(settings.LANGUAGES)]
        language = spoken[0] if spoken else case.org.default_language
        return {"language": language, "review_on": timezone.localdate() + timedelta(days=90)}
    return {name: getattr(plan, name) for name in (*SafetyPlan.SECTIONS, "language", "review_on")}


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def safety_plan(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    form = SafetyPlanForm(request.POST or None, initial=plan_initial(case))
    shown = SafetyPlan.objects.filter(case=case).first() if not form.is_bound else None
    if shown is not None:
        # The form shows her plan as it stands: that is a reading too, as on paper or through the API.
        actions.record_safety_plan_view(plan=shown, acting_user=request.user, at=timezone.now())

    def save(data: dict[str, Any]) -> SafetyPlan:
        return actions.save_safety_plan(
            case=case,
            language=data["language"],
            review_on=data["review_on"],
            sections=data,
            acting_user=request.user,
            at=timezone.now(),
        )

    page = FormPage(
        "risk/safety_plan_form.html",
        _("Safety plan saved."),
        lambda _plan: reverse("cases:detail", args=[case.pk]) + "#risk",
        {"case": case, "title": _("Safety plan")},
    )
    return handle_form(request, form, save, page)


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",))
def safety_plan_print(request: StaffRequest, case_id: str) -> HttpResponse:
    """Her plan on paper, headed in her language, for her to take or not (or as a PDF file from
    `pdf_views.safety_plan_pdf`). Without a plan yet, the page says so."""
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    plan = SafetyPlan.objects.filter(case=case).first()
    if plan is None:
        return render(request, "risk/safety_plan_print.html", {"case": case, "plan": None})
    actions.record_safety_plan_view(plan=plan, acting_user=request.user, at=timezone.now())
    context = {"case": case, "plan": plan, "sections": plan_sections(plan)}
    with translation.override(plan.language):
        return render(request, "risk/safety_plan_print.html", context)


def plan_sections(plan: SafetyPlan) -> list[tuple[str, str]]:
    """The filled sections of the plan, each headed in the plan's language (page and PDF alike)."""
    with translation.override(plan.language):
        labels = SafetyPlanForm.base_fields
        sections = [(str(labels[name].label), getattr(plan, name)) for name in SafetyPlan.SECTIONS]
    return [(title, text) for title, text in sections if text]
