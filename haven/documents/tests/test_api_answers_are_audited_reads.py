"""Every API answer that carries a draft's text (it names her and tells what happened) is an audited read
of the draft, whether it answers a read, the drafting or a new version: the same entry
(`documents.draft_view`) `GET /document-drafts/{id}` writes."""

from __future__ import annotations

from haven.documents.actions import DRAFT_VIEW
from haven.documents.tests.conftest import Setting, api, draft, make_template
from haven.orgs.models import Membership
from haven.privacy.models import AuditEntry


def _reads(member: Membership, draft_id: str) -> int:
    return AuditEntry.objects.filter(
        action=DRAFT_VIEW, object_type="documents.draft", object_id=draft_id, actor=member.user
    ).count()


def test_drafting_through_the_api_answers_with_an_audited_read(setting: Setting) -> None:
    world = setting.world
    template = make_template(world, "{{survivor.name}} asks {{relief}}.")
    body = {"template_id": str(template.pk), "values": {"relief": "a protection order"}}
    created = api(world, setting.lawyer, "POST", f"/cases/{setting.case.pk}/document-drafts", body)
    assert created.status_code == 201, created.content
    assert created.json()["text"] == "Synthetic Survivor asks a protection order."
    assert _reads(setting.lawyer, created.json()["id"]) == 1


def test_saving_a_version_through_the_api_answers_with_an_audited_read(setting: Setting) -> None:
    world = setting.world
    made = draft(setting, make_template(world, "{{survivor.name}} asks for protection."))
    other = draft(setting, make_template(world, "{{survivor.name}} asks for custody."))
    saved = api(world, setting.lawyer, "POST", f"/document-drafts/{made.pk}/versions", {"text": "New text."})
    assert saved.status_code == 201 and saved.json()["text"] == "New text.", saved.content
    assert _reads(setting.lawyer, str(made.pk)) == 1
    assert _reads(setting.lawyer, str(other.pk)) == 0
