"""The organisation's risk set-up pages: escalation rules (create, change, switch off and on) and the
certified scoring sheets (typed in, refused whole with a reason per problem), by role, through real HTTP."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.conftest import World
from haven.orgs.models import Organisation
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry
from haven.risk.actions import create_escalation_rule, record_assessment
from haven.risk.instrument import library
from haven.risk.models import Assessment, Escalation, EscalationRule, ScoringSheet
from haven.risk.tests.walk import lap_screen


def _case(world: World) -> Case:
    survivor = register_person(org=world.org, name="Synthetic Survivor", acting_user=None, at=world.at)
    return open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)


def _rule(
    world: World,
    name: str = "LAP screen-in",
    *,
    org: Organisation | None = None,
    instrument_id: str = "lap",
    levels: tuple[str, ...] = ("SCREENED_IN",),
) -> EscalationRule:
    return create_escalation_rule(
        org=org or world.org,
        name=name,
        instrument_id=instrument_id,
        levels=list(levels),
        notify_supervisor=True,
        acting_user=None,
        at=world.at,
    )


def _sheet_post(**changes: str) -> dict[str, str]:
    da = library().get("da")
    data = {"certified_by": "Synthetic trainer, certificate 2026-01"}
    data |= {f"weight_{item}": "1" for item in da.score_items}
    data |= {"cutoff_INCREASED": "8", "cutoff_SEVERE": "12", "cutoff_EXTREME": "18"}
    return data | changes


# --- escalation rules ---------------------------------------------------------------------------------


def test_an_administrator_creates_a_rule_and_a_screen_escalates_by_it(world: World) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    page = admin.get(reverse("risk:rules")).content.decode()
    assert 'id="no-rules"' in page and reverse("risk:rule_create", args=["lap"]) in page

    created = admin.post(
        reverse("risk:rule_create", args=["lap"]),
        {
            "name": "Screened in",
            "levels": ["SCREENED_IN"],
            "offer_dispatch": "on",
            "follow_up_within_hours": "24",
        },
    )

    assert created.status_code == 302 and created["Location"] == reverse("risk:rules")
    rule = EscalationRule.objects.get()
    assert (rule.instrument, rule.levels, rule.offer_dispatch, rule.notify_supervisor) == (
        "lap",
        ["SCREENED_IN"],
        True,
        False,
    )
    assert rule.follow_up_within_hours == 24
    case = _case(world)
    lap_screen(case, at=world.at)
    assert Escalation.objects.get().rule == rule
    listed = admin.get(reverse("risk:rules")).content.decode()
    row = listed[listed.index(f'id="rule-{rule.pk}"') :].split("</tr>")[0]
    assert "Screened in: high danger" in row and "<td>24</td>" in row and "SCREENED_IN" not in row


def test_a_screen_follows_only_its_organisations_rules_for_its_instrument_and_level(world: World) -> None:
    mine = _rule(world, "B: LAP screen-in")
    also_mine = _rule(world, "A: LAP screen-in, too")
    _rule(world, "Elsewhere: LAP screen-in", org=world.other_org)
    _rule(world, "DASH high", instrument_id="dash", levels=("HIGH",))
    _rule(world, "LAP not screened in", levels=("NOT_SCREENED_IN",))
    case = _case(world)

    lap_screen(case, at=world.at)

    assert [escalation.rule for escalation in Escalation.objects.order_by("rule__name")] == [also_mine, mine]


def test_a_supervisor_reads_the_rules_without_changing_them(world: World) -> None:
    rule = _rule(world)
    manager = world.client_for(world.members[Role.CENTRE_MANAGER])
    page = manager.get(reverse("risk:rules")).content.decode()
    assert f'id="rule-{rule.pk}"' in page and "LAP screen-in" in page
    assert reverse("risk:rule_change", args=[rule.pk]) not in page and 'id="new-rule"' not in page
    assert manager.get(reverse("risk:rule_change", args=[rule.pk])).status_code == 403
    assert manager.post(reverse("risk:rule_active", args=[rule.pk])).status_code == 403
    caseworker = world.client_for(world.members[Role.CASEWORKER])
    assert caseworker.get(reverse("risk:rules")).status_code == 403
    assert EscalationRule.objects.get().is_active


def test_an_administrator_changes_a_rule_and_switches_it_off_and_on(world: World) -> None:
    rule = _rule(world)
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    url = reverse("risk:rule_change", args=[rule.pk])
    assert 'value="LAP screen-in"' in admin.get(url).content.decode()

    changed = admin.post(url, {"name": "LAP: dispatch", "levels": ["SCREENED_IN"], "offer_dispatch": "on"})

    assert changed.status_code == 302
    rule.refresh_from_db()
    assert (rule.name, rule.offer_dispatch, rule.notify_supervisor) == ("LAP: dispatch", True, False)
    entry = AuditEntry.objects.get(action="risk.rule_change", object_id=str(rule.pk))
    assert set(entry.fields) == {"name", "offer_dispatch", "notify_supervisor"}

    switch = reverse("risk:rule_active", args=[rule.pk])
    assert admin.post(switch).status_code == 302
    rule.refresh_from_db()
    assert not rule.is_active
    again = admin.post(switch, follow=True).content.decode()
    assert "already off" in again
    case = _case(world)
    lap_screen(case, at=world.at)
    assert not Escalation.objects.exists()  # a rule switched off sets nothing in motion
    admin.post(switch, {"is_active": "1"})
    rule.refresh_from_db()
    assert rule.is_active


def test_it_refuses_a_bad_rule_with_field_errors_and_writes_nothing(world: World) -> None:
    rule = _rule(world)
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    cases: list[tuple[str, dict[str, Any], str | None, str]] = [
        ("create", {"name": "No level", "notify_supervisor": "on"}, "levels", "Choose one or more levels"),
        ("create", {"name": "Idle", "levels": ["SCREENED_IN"]}, None, "at least one thing the rule does"),
        (
            "create",
            {"name": "Wrong", "levels": ["HIGH"], "notify_supervisor": "on"},
            "levels",
            "valid choice",
        ),
        ("create", {"levels": ["SCREENED_IN"], "notify_supervisor": "on"}, "name", "required"),
        ("change", {"name": "Idle now", "levels": ["SCREENED_IN"]}, None, "at least one thing the rule does"),
        (
            "change",
            {"name": "Too late", "levels": ["SCREENED_IN"], "follow_up_within_hours": "9999"},
            "follow_up_within_hours",
            "less than or equal to 720",
        ),
    ]
    for page, body, field, message in cases:
        url = (
            reverse("risk:rule_create", args=["lap"])
            if page == "create"
            else reverse("risk:rule_change", args=[rule.pk])
        )
        response = admin.post(url, body)
        assert response.status_code == 422, body
        errors = response.context["form"].errors
        assert message in str(errors[field] if field else errors["__all__"]), body
    assert EscalationRule.objects.count() == 1
    rule.refresh_from_db()
    assert rule.name == "LAP screen-in"
    assert not AuditEntry.objects.filter(action="risk.rule_change").exists()


def test_the_rules_page_costs_the_same_queries_for_few_or_many_rules(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    _rule(world, "Rule 1")
    client.get(reverse("risk:rules"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("risk:rules"))
    for n in range(2, 8):
        _rule(world, f"Rule {n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("risk:rules")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries) and "Rule 7" in html


# --- scoring sheets -----------------------------------------------------------------------------------


def test_an_administrator_types_in_the_sheet_and_the_danger_assessment_scores(world: World) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    page = admin.get(reverse("risk:sheets")).content.decode()
    assert 'id="no-sheet-da"' in page and reverse("risk:sheet_load", args=["da"]) in page
    form = admin.get(reverse("risk:sheet_load", args=["da"])).content.decode()
    assert form.count('name="weight_') == 20 and 'name="cutoff_EXTREME"' in form

    loaded = admin.post(reverse("risk:sheet_load", args=["da"]), _sheet_post())

    assert loaded.status_code == 302 and loaded["Location"] == reverse("risk:sheets")
    sheet = ScoringSheet.objects.get()
    assert sheet.sheet["cutoffs"] == [
        {"at_least": 8, "level": "INCREASED"},
        {"at_least": 12, "level": "SEVERE"},
        {"at_least": 18, "level": "EXTREME"},
    ]
    listed = admin.get(reverse("risk:sheets")).content.decode()
    assert 'id="in-force-da"' in listed and "Synthetic trainer" in listed
    case = _case(world)
    answers = {f"d{n}": ("yes" if n <= 12 else "no") for n in range(1, 21)}
    scored = record_assessment(
        person=case.survivor, case=case, instrument_id="da", answers=answers, acting_user=None, at=world.at
    )
    assert (scored.score, scored.level, scored.sheet) == (12, "SEVERE", sheet)


def test_a_newer_sheet_replaces_the_one_in_force(world: World) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    admin.post(reverse("risk:sheet_load", args=["da"]), _sheet_post())
    admin.post(reverse("risk:sheet_load", args=["da"]), _sheet_post(certified_by="Second trainer"))
    listed = admin.get(reverse("risk:sheets")).content.decode()
    in_force = listed[listed.index('id="in-force-da"') :].split("</p>")[0]
    assert "Second trainer" in in_force and listed.count("Replaced") == 1


def test_it_refuses_a_bad_sheet_with_a_reason_per_problem_and_writes_nothing(world: World) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    url = reverse("risk:sheet_load", args=["da"])
    cases: list[tuple[dict[str, str], str | None, str]] = [
        (_sheet_post(weight_d3=""), "weight_d3", "required"),
        (_sheet_post(weight_d4="-2"), "weight_d4", "greater than or equal to 0"),
        (_sheet_post(weight_d5="heavy"), "weight_d5", "whole number"),
        (_sheet_post(cutoff_SEVERE="5"), None, "Cut-offs must rise"),
        (_sheet_post(cutoff_INCREASED="", cutoff_SEVERE="", cutoff_EXTREME=""), None, "at least one cut-off"),
        (_sheet_post(certified_by=""), "certified_by", "required"),
    ]
    for body, field, message in cases:
        response = admin.post(url, body)
        assert response.status_code == 422, body
        errors = response.context["form"].errors
        assert message in str(errors[field] if field else errors["__all__"]), body
    assert not ScoringSheet.objects.exists()
    assert not AuditEntry.objects.filter(action="risk.sheet_load").exists()


def test_sheets_are_read_by_supervisors_and_loaded_by_administrators_only(world: World) -> None:
    manager = world.client_for(world.members[Role.CENTRE_MANAGER])
    page = manager.get(reverse("risk:sheets"))
    assert page.status_code == 200 and reverse("risk:sheet_load", args=["da"]) not in page.content.decode()
    assert manager.post(reverse("risk:sheet_load", args=["da"]), _sheet_post()).status_code == 403
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    assert admin.get(reverse("risk:sheet_load", args=["lap"])).status_code == 404  # LAP needs no sheet
    assert not ScoringSheet.objects.exists() and not Assessment.objects.exists()


def test_the_home_page_leads_to_the_set_up_pages(world: World) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN]).get(reverse("web:home")).content.decode()
    assert reverse("risk:rules") in admin and reverse("risk:sheets") in admin
    assert reverse("dispatch:targets") in admin
    agent = world.client_for(world.members[Role.HOTLINE_AGENT]).get(reverse("web:home")).content.decode()
    assert reverse("risk:rules") not in agent and reverse("dispatch:targets") not in agent
