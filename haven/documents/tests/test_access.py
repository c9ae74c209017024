"""Who sees drafts: whoever may see the case; nobody outside the organisation (404), nor a lawyer who is
not on the case (404); roles that work with figures, not files, are refused. Reading a draft and printing it
are audited reads; the case page shows the drafts and the way to draft one."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import make_member
from haven.documents.actions import DRAFT_PRINT, DRAFT_VIEW
from haven.documents.tests.conftest import Setting, api, draft, make_template
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_only_those_who_may_see_the_case_see_its_drafts(setting: Setting) -> None:
    world = setting.world
    made = draft(setting, make_template(world, "Text of {{survivor.name}}."))
    urls = [reverse("documents:draft", args=[made.pk]), reverse("documents:draft_pdf", args=[made.pk])]
    elsewhere = make_member(world.other_org, Role.LAWYER, username="elsewhere.lawyer", at=world.at)
    not_on_case = make_member(world.org, Role.LAWYER, username="home.other-lawyer", at=world.at)
    for url in urls:
        assert world.client_for(elsewhere).get(url).status_code == 404
        assert world.client_for(not_on_case).get(url).status_code == 404
        assert world.client_for(world.members[Role.DATA_OFFICER]).get(url).status_code == 403
        assert world.client_for(world.members[Role.ORG_ADMIN]).get(url).status_code == 403
    assert api(world, elsewhere, "GET", f"/document-drafts/{made.pk}").status_code == 404
    assert (
        api(world, world.members[Role.DATA_OFFICER], "GET", f"/document-drafts/{made.pk}").status_code == 403
    )
    assert not AuditEntry.objects.filter(action__in=[DRAFT_VIEW, DRAFT_PRINT]).exists()
    assert world.client_for(world.members[Role.CENTRE_MANAGER]).get(urls[0]).status_code == 200


def test_reading_and_printing_a_draft_are_audited(setting: Setting) -> None:
    world = setting.world
    made = draft(setting, make_template(world, "Text of {{survivor.name}}."))
    client = world.client_for(setting.lawyer)
    client.get(reverse("documents:draft", args=[made.pk]))
    client.get(reverse("documents:draft_pdf", args=[made.pk]))
    api(world, world.members[Role.CENTRE_MANAGER], "GET", f"/document-drafts/{made.pk}")
    entries = AuditEntry.objects.filter(object_id=str(made.pk), action__in=[DRAFT_VIEW, DRAFT_PRINT])
    assert sorted(
        (entry.action, entry.actor.username if entry.actor else "", entry.reason_code) for entry in entries
    ) == [
        (DRAFT_PRINT, "home.lawyer", "v1"),
        (DRAFT_VIEW, "home.centre_manager", ""),
        (DRAFT_VIEW, "home.lawyer", ""),
    ]


def test_the_case_page_lists_the_drafts_and_offers_to_draft(setting: Setting) -> None:
    world = setting.world
    template = make_template(world, "Text of {{survivor.name}}.", title="Protection order application")
    case_url = reverse("cases:detail", args=[setting.case.pk])
    page = world.client_for(setting.lawyer).get(case_url).content.decode()
    assert 'id="draft-document"' in page and "No document drafted yet." in page
    choose = world.client_for(setting.lawyer).get(
        reverse("documents:choose_template", args=[setting.case.pk])
    )
    assert reverse("documents:draft_new", args=[setting.case.pk, template.pk]) in choose.content.decode()

    made = draft(setting, template)
    page = world.client_for(setting.lawyer).get(case_url).content.decode()
    assert reverse("documents:draft", args=[made.pk]) in page and "Protection order application" in page
    manager_page = world.client_for(world.members[Role.SHELTER_MANAGER]).get(case_url).content.decode()
    assert "Protection order application" in manager_page and 'id="draft-document"' not in manager_page
