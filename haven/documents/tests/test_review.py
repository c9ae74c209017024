"""A draft's life: each save is a new version; it goes for review; a reviewer (another lawyer on the case,
or a centre manager; never someone who wrote it) approves it or returns it with a comment, and a returned
draft goes back to "Draft" when it is changed. Only the approved version prints without the draft mark."""

from __future__ import annotations

from django.urls import reverse

from haven.cases.actions import assign_worker
from haven.conftest import World, make_member
from haven.documents.models import Draft, DraftTransition
from haven.documents.tests.conftest import Setting, api, download, draft, errors, make_template
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.web.tests.pdf_support import text_of

MARK = "not approved, not for filing"


def post(world: World, who: Role | Membership, url: str, data: dict[str, str], status: int = 200) -> str:
    member = world.members[who] if isinstance(who, Role) else who
    response = world.client_for(member).post(url, data, follow=True)
    assert response.status_code == status, response.status_code
    return str(response.content.decode())


def test_it_goes_through_versions_and_review(setting: Setting) -> None:
    world = setting.world
    made = draft(setting, make_template(world, "Application of {{survivor.name}}."))
    page_url = reverse("documents:draft", args=[made.pk])
    review_url = reverse("documents:draft_transition", args=[made.pk])

    page = post(
        world,
        setting.lawyer,
        page_url,
        {"text": "Application of Synthetic Survivor, amended.", "based_on": "1"},
    )
    assert "New version saved." in page
    made.refresh_from_db()
    assert (made.current_number, made.current_version.text) == (
        2,
        "Application of Synthetic Survivor, amended.",
    )

    page = post(world, setting.lawyer, review_url, {"verb": "submit"})
    assert "Sent for review." in page
    page = post(world, setting.lawyer, review_url, {"verb": "approve"})
    assert "Someone else must review this document" in page
    page = post(world, Role.CENTRE_MANAGER, review_url, {"verb": "return", "comment": ""})
    assert "Say what has to change" in page
    page = post(world, Role.CENTRE_MANAGER, review_url, {"verb": "return", "comment": "Add the children."})
    made.refresh_from_db()
    assert made.status == Draft.Status.RETURNED

    page = world.client_for(setting.lawyer).get(page_url).content.decode()
    assert 'id="review-comment"' in page and "Add the children." in page
    post(world, setting.lawyer, page_url, {"text": "Application, with the children.", "based_on": "2"})
    made.refresh_from_db()
    assert (made.status, made.current_number) == (Draft.Status.DRAFT, 3)

    post(world, setting.lawyer, review_url, {"verb": "submit"})
    page = post(world, Role.CENTRE_MANAGER, review_url, {"verb": "approve"})
    assert "Approved" in page
    made.refresh_from_db()
    assert (made.status, made.approved_number) == (Draft.Status.APPROVED, 3)
    moves = list(
        DraftTransition.objects.filter(draft=made).values_list("from_status", "to_status", "version_number")
    )
    assert moves == [
        ("", "DRAFT", 1),
        ("DRAFT", "IN_REVIEW", 2),
        ("IN_REVIEW", "RETURNED", 2),
        ("RETURNED", "DRAFT", 3),
        ("DRAFT", "IN_REVIEW", 3),
        ("IN_REVIEW", "APPROVED", 3),
    ]

    client = world.client_for(setting.lawyer)
    approved = text_of(download(client, made))
    assert "Application, with the children." in approved and MARK not in approved
    earlier = text_of(download(client, made, version=1))
    assert "Application of Synthetic Survivor." in earlier and "Draft, version 1: " + MARK in earlier
    assert client.get(reverse("documents:draft_pdf", args=[made.pk]) + "?version=9").status_code == 404

    page = post(world, setting.lawyer, page_url, {"text": "Changed after approval.", "based_on": "3"}, 422)
    assert "so you cannot change its text" in page
    assert Draft.objects.get().current_number == 3


def test_a_reviewer_never_reviews_what_she_wrote(setting: Setting) -> None:
    world = setting.world
    second = make_member(world.org, Role.LAWYER, username="home.second-lawyer", at=world.at)
    assign_worker(case=setting.case, membership=second, role_in_case="SUPPORT", acting_user=None, at=world.at)
    made = draft(setting, make_template(world, "Text of {{survivor.name}}."))
    review_url = reverse("documents:draft_transition", args=[made.pk])
    post(
        world,
        second,
        reverse("documents:draft", args=[made.pk]),
        {"text": "Her text, edited.", "based_on": "1"},
    )
    post(world, setting.lawyer, review_url, {"verb": "submit"})
    page = world.client_for(second).get(reverse("documents:draft", args=[made.pk])).content.decode()
    assert 'id="approve"' not in page
    assert "Someone else must review" in post(world, second, review_url, {"verb": "approve"})
    caseworker = world.members[Role.CASEWORKER]
    assign_worker(
        case=setting.case, membership=caseworker, role_in_case="SUPPORT", acting_user=None, at=world.at
    )
    assert "Only a lawyer or a centre manager can review" in post(
        world, caseworker, review_url, {"verb": "approve"}
    )
    made.refresh_from_db()
    assert made.status == Draft.Status.IN_REVIEW

    third = make_member(world.org, Role.LAWYER, username="home.third-lawyer", at=world.at)
    assign_worker(case=setting.case, membership=third, role_in_case="SUPPORT", acting_user=None, at=world.at)
    assert (
        'id="approve"'
        in world.client_for(third).get(reverse("documents:draft", args=[made.pk])).content.decode()
    )
    post(world, third, review_url, {"verb": "approve"})
    made.refresh_from_db()
    assert made.status == Draft.Status.APPROVED


def test_a_stale_edit_is_refused_rather_than_overwrite(setting: Setting) -> None:
    world = setting.world
    made = draft(setting, make_template(world, "Text of {{survivor.name}}."))
    url = reverse("documents:draft", args=[made.pk])
    post(world, setting.lawyer, url, {"text": "First edit.", "based_on": "1"})
    response = world.client_for(setting.lawyer).post(url, {"text": "Edit from an old page.", "based_on": "1"})
    assert response.status_code == 422
    assert "Someone saved version 2 while you were editing" in response.content.decode()
    assert Draft.objects.get().current_version.text == "First edit."


def test_the_api_drafts_edits_and_reviews(setting: Setting) -> None:
    world = setting.world
    template = make_template(world, "{{survivor.name}} asks {{relief}}.")
    body = {"template_id": str(template.pk), "values": {"relief": "a protection order"}}
    created = api(world, setting.lawyer, "POST", f"/cases/{setting.case.pk}/document-drafts", body)
    assert created.status_code == 201, created.json()
    draft_id = created.json()["id"]
    assert created.json()["text"] == "Synthetic Survivor asks a protection order."

    empty = api(world, setting.lawyer, "POST", f"/document-drafts/{draft_id}/versions", {"text": "  "})
    assert empty.status_code == 422 and "empty" in errors(empty)["text"]
    saved = api(world, setting.lawyer, "POST", f"/document-drafts/{draft_id}/versions", {"text": "New text."})
    assert saved.status_code == 201 and saved.json()["version"] == 2

    bad = api(world, setting.lawyer, "POST", f"/document-drafts/{draft_id}/review", {"verb": "publish"})
    assert bad.status_code == 422 and "verb" in errors(bad)
    assert (
        api(world, setting.lawyer, "POST", f"/document-drafts/{draft_id}/review", {"verb": "submit"}).json()[
            "status"
        ]
        == "IN_REVIEW"
    )
    own = api(world, setting.lawyer, "POST", f"/document-drafts/{draft_id}/review", {"verb": "approve"})
    assert own.status_code == 422
    manager = world.members[Role.CENTRE_MANAGER]
    approved = api(world, manager, "POST", f"/document-drafts/{draft_id}/review", {"verb": "approve"})
    assert approved.json()["approved_version"] == 2
    listed = api(world, manager, "GET", f"/cases/{setting.case.pk}/document-drafts")
    assert [row["status"] for row in listed.json()] == ["APPROVED"]
    printed = api(world, manager, "GET", f"/document-drafts/{draft_id}/pdf")
    assert printed.status_code == 200 and "New text." in text_of(printed.content)
