"""Through the API and the pages: an application refused with field errors and nothing written;
documents uploaded, type- and size-checked and downloaded (audited); decisions only by approvers;
another organisation's association is not found; the list pages in a fixed number of queries."""

from __future__ import annotations

import base64
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from haven.associations import actions
from haven.associations.models import Association
from haven.associations.tests import walk
from haven.associations.tests.helpers import api, written
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_a_bad_application_is_refused_field_by_field_and_nothing_is_written(world: World) -> None:
    member = world.members[Role.COMPUTER_OPERATOR]
    body = walk._application_body()
    world.token_for(member)
    before = written()
    late = api(world, member, "POST", "/associations", {**body, "fee_paid_on": "2999-01-01"})
    assert late.status_code == 422
    assert late.json()["errors"] == [
        {"field": "fee_paid_on", "message": "This date is in the future: enter the day it happened."}
    ]
    cents = api(world, member, "POST", "/associations", {**body, "fee_amount": "10.005"})
    assert cents.status_code == 422 and cents.json()["errors"][0]["field"] == "fee_amount"
    assert written() == before
    created = api(world, member, "POST", "/associations", body)
    assert created.status_code == 201 and created.json()["decision_due_on"]
    twice = api(world, member, "POST", "/associations", {**body, "fee_receipt_number": "OTHER-1"})
    assert twice.status_code == 422 and "already on the register" in twice.json()["errors"][0]["message"]


def test_documents_are_checked_encrypted_and_their_downloads_audited(world: World) -> None:
    association = walk.application(world.org, documents=False)
    member = world.members[Role.PROGRAMME_OFFICER]
    client = world.client_for(member)
    upload = reverse("associations:document_upload", args=[association.pk])
    exe = SimpleUploadedFile("constitution.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(upload, {"kind": "CONSTITUTION", "file": exe}, follow=True)
    assert "Upload a PDF, PNG or JPEG file." in refused.content.decode()
    assert not association.documents.exists()
    big = SimpleUploadedFile(
        "m.pdf", b"%PDF-" + b"0" * actions.MAX_DOCUMENT_BYTES, content_type="application/pdf"
    )
    too_big = client.post(upload, {"kind": "MINUTES", "file": big}, follow=True)
    assert "larger than 5 MB" in too_big.content.decode()
    not_base64 = {"kind": "MINUTES", "file_name": "m.pdf", "content_base64": "%%%"}
    refused_api = api(world, member, "POST", f"/associations/{association.pk}/documents", not_base64)
    assert refused_api.status_code == 422 and refused_api.json()["errors"][0]["field"] == "content_base64"
    good = SimpleUploadedFile("constitution.pdf", walk.PDF, content_type="application/pdf")
    assert client.post(upload, {"kind": "CONSTITUTION", "file": good}).status_code == 302
    document = association.documents.get()
    stored = Association.objects.filter(pk=association.pk).values_list("documents__content", flat=True).get()
    plain = base64.b64encode(walk.PDF).decode()
    assert plain[:16] not in stored.token and document.size == len(walk.PDF)
    download = client.get(reverse("associations:document_download", args=[document.pk]))
    assert download.content == walk.PDF and download["Content-Type"] == "application/pdf"
    assert (
        AuditEntry.objects.filter(action="association_document.download", object_id=str(document.pk)).count()
        == 1
    )


def test_only_approvers_decide_and_outsiders_find_nothing(world: World) -> None:
    association = walk.application(world.org)
    approve = reverse("associations:approve", args=[association.pk])
    assert world.client_for(world.members[Role.COMPUTER_OPERATOR]).post(approve).status_code == 403
    assert (
        world.client_for(world.members[Role.CASEWORKER]).get(reverse("associations:list")).status_code == 403
    )
    assert api(world, world.outsider, "GET", f"/associations/{association.pk}").status_code == 404
    assert api(world, world.outsider, "GET", "/associations").json() == []
    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    page = officer.post(approve, follow=True)
    assert "The association is registered." in page.content.decode()
    association.refresh_from_db()
    assert association.registration_number in page.content.decode()


def test_the_grading_page_records_the_committees_scores_and_the_grade(world: World) -> None:
    association = walk.registered(world.org, grade=False)
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    url = reverse("associations:grading_create", args=[association.pk])
    scores = {f"score_{code}": value for code, value in walk.SCORES.items()}
    form: dict[str, Any] = {"graded_on": timezone.localdate().isoformat(), **scores}
    too_few = client.post(url, {**form, "members": "Amina Begum; DWA; Chair"})
    assert too_few.status_code == 422 and "at least 3" in too_few.content.decode()
    members = "Amina Begum; DWA; Chair\nFarida Akter; Upazila office; Member\nNasrin Sultana; NGO; Member"
    assert client.post(url, {**form, "members": members}).status_code == 302
    association.refresh_from_db()
    grading = association.gradings.get()
    assert (association.grade, grading.total, grading.members.count()) == ("A", 83, 3)


def test_the_list_pages_take_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        walk.registered(world.org)
        walk.entrepreneur()
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    pages = [
        reverse(f"associations:{name}")
        for name in ("list", "entrepreneurs", "grants", "centres", "statistics")
    ]
    for url in pages:
        client.get(url)  # warms the session and the key ring
    for url in pages:
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    for _ in range(5):
        walk.registered(world.org)
        walk.entrepreneur()
    for url in pages:
        with django_assert_max_num_queries(10):
            client.get(url)
