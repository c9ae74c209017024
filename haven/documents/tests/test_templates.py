"""Templates: placeholders outside the catalogue are refused (and listed), editing makes a new version
while drafts keep theirs, the examples are added once, and the list page costs the same whatever its
length."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.conftest import World
from haven.documents.models import DocumentTemplate, TemplateVersion
from haven.documents.tests.conftest import Setting, api, draft, errors, make_template
from haven.orgs.roles import Role

BAD_BODY = "Applicant: {{survivor.name}}\nHer shelter: {{shelter.address}}\nRelief: {{ relief please }}"


def test_it_refuses_placeholders_it_does_not_know_and_lists_them(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])
    form = {"kind": "POLICE_COMPLAINT", "language": "en", "title": "Complaint", "body": BAD_BODY}
    response = client.post(reverse("documents:template_create"), form)
    assert response.status_code == 422
    page = response.content.decode()
    assert "{{shelter.address}}" in page and "{{ relief please }}" in page
    assert "not fields Haven knows" in page

    response = api(world, world.members[Role.CENTRE_MANAGER], "POST", "/document-templates", form)
    assert response.status_code == 422
    assert "{{shelter.address}}, {{ relief please }}" in errors(response)["body"]
    unclosed = api(
        world, world.members[Role.LAWYER], "POST", "/document-templates", {**form, "body": "{{today"}
    )
    assert unclosed.status_code == 422 and "{{" in errors(unclosed)["body"]
    assert not DocumentTemplate.objects.exists()


def test_editing_makes_a_new_version_and_drafts_keep_theirs(setting: Setting) -> None:
    world = setting.world
    template = make_template(world, "Applicant: {{survivor.name}}. First wording.")
    first = draft(setting, template)
    client = world.client_for(world.members[Role.ORG_ADMIN])
    url = reverse("documents:template", args=[template.pk])
    assert "First wording." in client.get(url).content.decode()

    response = client.post(
        url, {"title": "Better title", "body": "Applicant: {{survivor.name}}. Second wording."}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.current_number, template.title) == (2, "Better title")
    assert list(TemplateVersion.objects.filter(template=template).values_list("number", flat=True)) == [2, 1]
    first.refresh_from_db()
    assert first.template_version.number == 1
    assert first.current_version.text == "Applicant: Synthetic Survivor. First wording."
    assert draft(setting, template).current_version.text == "Applicant: Synthetic Survivor. Second wording."

    unchanged = client.post(
        url, {"title": "Better title", "body": "Applicant: {{survivor.name}}. Second wording."}
    )
    assert unchanged.status_code == 422 and "Nothing has changed" in unchanged.content.decode()

    via_api = api(
        world,
        world.members[Role.LAWYER],
        "POST",
        f"/document-templates/{template.pk}/versions",
        {"title": "Third", "body": "{{survivor.name}} {{survivor.phone?}}"},
    )
    assert via_api.status_code == 201
    assert via_api.json()["version"] == 3
    assert via_api.json()["fields"] == [
        {"key": "survivor.name", "label": "Her name", "required": True, "asked": False},
        {
            "key": "survivor.phone",
            "label": "A phone number where she can safely be reached",
            "required": False,
            "asked": True,
        },
    ]


def test_the_examples_are_added_once(world: World) -> None:
    client = world.client_for(world.members[Role.CENTRE_MANAGER])
    page = client.get(reverse("documents:templates")).content.decode()
    assert 'id="add-examples"' in page and "Add the example templates" in page
    response = client.post(reverse("documents:install_examples"), follow=True)
    added = DocumentTemplate.objects.filter(org=world.org).count()
    assert added >= 6  # two examples, three languages at least
    assert {"bn", "fr", "fa"} <= set(DocumentTemplate.objects.values_list("language", flat=True))
    assert "example templates added" in response.content.decode()
    assert 'id="add-examples"' not in response.content.decode()

    client.post(reverse("documents:install_examples"))
    call_command("install_document_examples", "home")
    assert DocumentTemplate.objects.filter(org=world.org).count() == added
    call_command("install_document_examples", "elsewhere")
    assert DocumentTemplate.objects.filter(org=world.other_org).count() == added


def test_the_templates_page_costs_the_same_for_many_templates(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])
    url = reverse("documents:templates")
    make_template(world, "{{survivor.name}}", title="One")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(6):
        make_template(world, "{{survivor.name}}", title=f"More {number}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert "More 5" in page.content.decode()
    assert len(many) == len(few)
