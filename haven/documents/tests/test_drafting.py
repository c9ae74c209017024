"""Drafting from a case: what the case holds is filled in, what it cannot hold is typed in, and a draft
missing a required field is refused with the list of what is missing and where to fix it. Her address is
never taken from her file; dates are written in the template's language and the organisation's calendar;
a linked legal matter fills in its court and the other party."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from haven.cases.actions import open_case
from haven.documents import actions
from haven.documents.forms import asked_field_name
from haven.documents.models import Draft
from haven.documents.tests.conftest import Setting, acting, api, draft, errors, make_template
from haven.legal.actions import open_matter
from haven.orgs.models import Calendar
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.web import calendars

BODY = (
    "Applicant: {{survivor.name}}, born {{survivor.date_of_birth}}\n"
    "Address for service: {{survivor.address}}\n"
    "Phone: {{survivor.phone?}}\n"
    "Last incident: {{incident.date}}\n"
    "Facts: {{facts}}"
)


def test_missing_required_fields_are_refused_with_the_list(setting: Setting) -> None:
    world = setting.world
    bare = register_person(org=world.org, name="No Birthday", acting_user=None, at=world.at)
    case = open_case(survivor=bare, lead=setting.lawyer, acting_user=None, at=world.at)
    template = make_template(world, BODY)
    client = world.client_for(setting.lawyer)
    url = reverse("documents:draft_new", args=[case.pk, template.pk])

    before = client.get(url).content.decode()
    assert "Her date of birth — add it on her file" in before  # said before anything is typed

    response = client.post(url, {asked_field_name("facts"): "He hit her."})
    assert response.status_code == 422
    page = response.content.decode()
    for missing in (
        "Her date of birth — add it on her file",
        "The date of the latest incident — record an incident on her case",
        "Her address for service — fill it in on the draft form",
    ):
        assert missing in page
    assert "A phone number" not in page.split("Missing:")[1].split("</")[0]  # optional: not missing
    assert not Draft.objects.exists()

    response = api(
        world, setting.lawyer, "POST", f"/cases/{case.pk}/document-drafts", {"template_id": str(template.pk)}
    )
    assert response.status_code == 422
    assert errors(response) == {
        "survivor.date_of_birth": "Her date of birth — add it on her file",
        "survivor.address": "Her address for service — fill it in on the draft form",
        "incident.date": "The date of the latest incident — record an incident on her case",
        "facts": "What happened, in order — fill it in on the draft form",
    }
    unknown = api(
        world,
        setting.lawyer,
        "POST",
        f"/cases/{case.pk}/document-drafts",
        {"template_id": str(template.pk), "values": {"survivor.name": "Someone else"}},
    )
    assert unknown.status_code == 422 and "survivor.name" in errors(unknown)["values"]
    assert not Draft.objects.exists()


def test_the_refusal_is_in_her_language(setting: Setting) -> None:
    world = setting.world
    bare = register_person(org=world.org, name="No Birthday", acting_user=None, at=world.at)
    case = open_case(survivor=bare, lead=setting.lawyer, acting_user=None, at=world.at)
    template = make_template(world, "{{survivor.date_of_birth}}")
    user = setting.lawyer.user
    user.language = "fr"
    user.save(update_fields=["language"])
    response = world.client_for(setting.lawyer).post(
        reverse("documents:draft_new", args=[case.pk, template.pk])
    )
    with translation.override("fr"):
        expected = translation.gettext("add it on her file")
    assert response.status_code == 422
    # Unescaped: a translation may hold an apostrophe, which the page writes as &#x27;.
    assert expected in unescape(response.content.decode())


def test_her_address_is_always_typed_never_taken_from_her_file(setting: Setting) -> None:
    world = setting.world
    survivor = setting.case.survivor
    survivor.address = "12 Hidden Lane"  # the shelter she stays in
    survivor.save(update_fields=["address"])
    template = make_template(world, "Serve papers at: {{survivor.address}}")
    client = world.client_for(setting.lawyer)
    url = reverse("documents:draft_new", args=[setting.case.pk, template.pk])
    assert "12 Hidden Lane" not in client.get(url).content.decode()
    assert client.post(url).status_code == 422
    client.post(url, {asked_field_name("survivor.address"): "c/o Legal Aid Office, 1 Public Street"})
    text = Draft.objects.get().current_version.text
    assert text == "Serve papers at: c/o Legal Aid Office, 1 Public Street"


def test_typed_values_are_printed_as_typed_never_filled_again(setting: Setting) -> None:
    template = make_template(setting.world, "Facts: {{facts}}\nPhone: {{survivor.phone?}}.")
    made = draft(setting, template, {"facts": "He wrote {{survivor.name}} and {% debug %} on the wall."})
    assert (
        made.current_version.text
        == "Facts: He wrote {{survivor.name}} and {% debug %} on the wall.\nPhone: ."
    )


def test_dates_are_in_the_templates_language_and_the_organisations_calendar(setting: Setting) -> None:
    world = setting.world
    world.org.default_calendar = Calendar.BENGALI
    world.org.save(update_fields=["default_calendar"])
    setting.case.org.default_calendar = Calendar.BENGALI
    template = make_template(world, "{{survivor.date_of_birth}} / {{today}}", language="bn")
    text = draft(setting, template).current_version.text
    with translation.override("bn"):
        born = calendars.format_date(date(1990, 3, 12), calendars.BENGALI, "bn")
        today = calendars.format_date(timezone.localdate(), calendars.BENGALI, "bn")
    assert text == f"{born} / {today}"
    assert "১৩৯৬" in born  # 12 March 1990 is in the Bengali year 1396, written in Bengali digits


def test_a_linked_matter_fills_in_its_court_and_the_other_party(setting: Setting) -> None:
    world = setting.world
    matter = open_matter(
        case=setting.case,
        kind="PROTECTION_ORDER",
        opened_on=timezone.localdate(),
        court="Family Court, Dhaka",
        opposing_party_name="Synthetic Husband",
        acting_user=None,
        at=world.at,
    )
    template = make_template(
        world, "To {{court.name}}\nAgainst {{respondent.name}}\nMatter {{matter.reference}}, {{matter.kind}}"
    )
    client = world.client_for(setting.lawyer)
    url = reverse("documents:draft_new", args=[setting.case.pk, template.pk])
    unlinked = client.get(url).content.decode()
    assert "Synthetic Husband" not in unlinked
    assert "The legal matter&#x27;s reference — link the draft to a legal matter that has it" in unlinked
    linked = client.get(url, {"matter": str(matter.pk)}).content.decode()
    assert 'value="Family Court, Dhaka"' in linked and 'value="Synthetic Husband"' in linked
    response = client.post(
        url,
        {
            "matter": str(matter.pk),
            asked_field_name("court.name"): "Family Court, Dhaka",
            asked_field_name("respondent.name"): "Synthetic Husband",
        },
    )
    assert response.status_code == 302
    made = Draft.objects.get()
    assert made.matter == matter
    assert made.current_version.text == (
        f"To Family Court, Dhaka\nAgainst Synthetic Husband\nMatter {matter.reference}, Protection order"
    )

    elsewhere = open_case(
        survivor=register_person(org=world.org, name="Other", acting_user=None, at=world.at),
        lead=setting.lawyer,
        acting_user=None,
        at=world.at,
    )
    with pytest.raises(ValidationError, match="legal matter of this case"):
        actions.draft_document(
            case=elsewhere,
            template=template,
            values={"court.name": "A court", "respondent.name": "Someone"},
            matter=matter,
            acting_user=acting(setting.lawyer),
            at=world.at,
        )


def test_the_matter_page_can_list_its_documents(setting: Setting) -> None:
    matter = open_matter(
        case=setting.case,
        kind="MAINTENANCE",
        opened_on=timezone.localdate(),
        acting_user=None,
        at=setting.world.at,
    )
    template = make_template(setting.world, "{{survivor.name}}", title="Maintenance claim")
    actions.draft_document(
        case=setting.case,
        template=template,
        values={},
        matter=matter,
        acting_user=acting(setting.lawyer),
        at=setting.world.at,
    )
    request = RequestFactory().get("/")
    request.user = acting(setting.lawyer)
    request.membership = setting.lawyer  # type: ignore[attr-defined]
    html = render_to_string("documents/_matter_documents.html", {"matter": matter}, request=request)
    assert "Maintenance claim" in html and 'id="draft-for-matter"' in html
    request.user = acting(setting.world.members[Role.NURSE])  # not on the case
    request.membership = setting.world.members[Role.NURSE]  # type: ignore[attr-defined]
    html = render_to_string("documents/_matter_documents.html", {"matter": matter}, request=request)
    assert "Maintenance claim" not in html and "draft-for-matter" not in html
