"""The organisation's risk set-up pages: escalation rules (what a screen's level sets in motion) and the
certified scoring sheets of instruments that ship without weights (the Danger Assessment).

Case managers read both, since they receive the alerts; those who manage the organisation change them,
as in the API (`/risk/escalation-rules`, `/risk/scoring-sheets`). Thin: parse, call one verb, render.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, run_and_redirect
from haven.orgs.roles import Role
from haven.risk import actions
from haven.risk.forms import EscalationRuleForm, ScoringSheetForm, cutoff_field, weight_field
from haven.risk.instrument import Instrument, library
from haven.risk.models import EscalationRule, ScoringSheet
from haven.risk.views import SUPERVISOR_ROLES

FORM_METHODS = ("GET", "POST")
ORG_MANAGERS = Role.managing_org()
CONFIG_READERS = ORG_MANAGERS | SUPERVISOR_ROLES


def _may_change(request: StaffRequest) -> bool:
    return request.membership.role_enum in ORG_MANAGERS


def _current_instrument(instrument_id: str) -> Instrument:
    try:
        return library().get(instrument_id)
    except KeyError:
        raise Http404 from None


def _rule_form_data(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "levels": data["levels"],
        "offer_dispatch": data["offer_dispatch"],
        "notify_supervisor": data["notify_supervisor"],
        "follow_up_within_hours": data["follow_up_within_hours"],
    }


# --- escalation rules ----------------------------------------------------------------------------------


@staff_view(CONFIG_READERS)
def rules(request: StaffRequest) -> HttpResponse:
    """Every rule of the organisation, on or off, with the levels named as the instrument names them."""
    instruments = {instrument.id: instrument for instrument in library().current()}
    rows = [
        (rule, instruments.get(rule.instrument)) for rule in EscalationRule.objects.visible_to(request.user)
    ]
    context = {
        "rows": [(rule, instrument, _level_labels(instrument, rule.levels)) for rule, instrument in rows],
        "instruments": list(instruments.values()),
        "may_change": _may_change(request),
    }
    return render(request, "risk/rules.html", context)


def _level_labels(instrument: Instrument | None, codes: list[str]) -> list[str]:
    if instrument is None:
        return list(codes)
    return [_(instrument.level_label(code)) for code in codes]


@staff_view(ORG_MANAGERS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def rule_create(request: StaffRequest, instrument: str) -> HttpResponse:
    chosen = _current_instrument(instrument)
    form = EscalationRuleForm(request.POST or None, instrument=chosen)

    def save(data: dict[str, Any]) -> EscalationRule:
        return actions.create_escalation_rule(
            org=request.org,
            instrument_id=chosen.id,
            acting_user=request.user,
            at=timezone.now(),
            **_rule_form_data(data),
        )

    page = FormPage(
        "risk/rule_form.html",
        _("Escalation rule created."),
        lambda rule: reverse("risk:rules"),
        {"instrument": chosen, "title": _("New escalation rule")},
    )
    return handle_form(request, form, save, page)


@staff_view(ORG_MANAGERS, object_kwargs=("rule_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def rule_change(request: StaffRequest, rule_id: str) -> HttpResponse:
    rule = get_visible_or_404(
        EscalationRule.objects.select_related("org"), request.user, "change", pk=rule_id
    )
    chosen = _current_instrument(rule.instrument)
    initial = {field: getattr(rule, field) for field in actions.RULE_FIELDS}
    form = EscalationRuleForm(request.POST or None, instrument=chosen, initial=initial)

    def save(data: dict[str, Any]) -> EscalationRule:
        return actions.change_escalation_rule(
            rule=rule, acting_user=request.user, at=timezone.now(), **_rule_form_data(data)
        )

    page = FormPage(
        "risk/rule_form.html",
        _("Escalation rule saved."),
        lambda saved: reverse("risk:rules"),
        {"instrument": chosen, "rule": rule, "title": _("Change an escalation rule")},
    )
    return handle_form(request, form, save, page)


@staff_view(ORG_MANAGERS, object_kwargs=("rule_id",), methods=("POST",))
@require_POST
def rule_active(request: StaffRequest, rule_id: str) -> HttpResponse:
    """Switch a rule off or on (`is_active` = "1" switches it on; anything else, or nothing, off)."""
    rule = get_visible_or_404(
        EscalationRule.objects.select_related("org"), request.user, "change", pk=rule_id
    )
    switch_on = request.POST.get("is_active") == "1"
    return run_and_redirect(
        request,
        lambda: actions.set_escalation_rule_active(
            rule=rule, is_active=switch_on, acting_user=request.user, at=timezone.now()
        ),
        _("The rule is on.") if switch_on else _("The rule is off."),
        reverse("risk:rules"),
    )


# --- scoring sheets ------------------------------------------------------------------------------------


def _sheet_instruments() -> list[Instrument]:
    return [instrument for instrument in library().current() if instrument.needs_org_sheet]


@staff_view(CONFIG_READERS)
def sheets(request: StaffRequest) -> HttpResponse:
    """Per instrument scored from a sheet: the sheet in force for its current version (the newest loaded),
    and the ones it replaced."""
    loaded = list(ScoringSheet.objects.visible_to(request.user).select_related("loaded_by"))
    groups = []
    for instrument in _sheet_instruments():
        own = [
            s for s in loaded if (s.instrument, s.instrument_version) == (instrument.id, instrument.version)
        ]
        groups.append({"instrument": instrument, "in_force": own[0] if own else None, "sheets": own})
    return render(request, "risk/sheets.html", {"groups": groups, "may_change": _may_change(request)})


@staff_view(ORG_MANAGERS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def sheet_load(request: StaffRequest, sheet_instrument: str) -> HttpResponse:
    """Type the certified sheet in; nothing is saved unless the whole sheet is right."""
    chosen = _current_instrument(sheet_instrument)
    if not chosen.needs_org_sheet:
        raise Http404
    form = ScoringSheetForm(request.POST or None, instrument=chosen)

    def save(data: dict[str, Any]) -> ScoringSheet:
        return actions.load_scoring_sheet(
            org=request.org,
            instrument_id=chosen.id,
            version=chosen.version,
            sheet=form.sheet(),
            certified_by=data["certified_by"],
            acting_user=request.user,
            at=timezone.now(),
        )

    context = {
        "instrument": chosen,
        "weight_fields": [weight_field(item_id) for item_id in chosen.score_items],
        "cutoff_fields": [cutoff_field(level.code) for level in chosen.levels],
    }
    page = FormPage(
        "risk/sheet_form.html", _("The scoring sheet is in force."), lambda s: reverse("risk:sheets"), context
    )
    return handle_form(request, form, save, page)
