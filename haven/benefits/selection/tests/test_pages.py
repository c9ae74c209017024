"""The selection pages as programme staff use them, the public notice with its objection form, and the
API's refusals (422 with the reason, 404 for another organisation's objects)."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from haven.benefits.models import Application, Beneficiary, Quota
from haven.benefits.selection import actions
from haven.benefits.selection.models import ApplicationDocument, Objection, SelectionEntry
from haven.benefits.selection.tests.helpers import applicant, apply, programme_with_rules, published, quota
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role

pytestmark = pytest.mark.usefixtures("fake_rules")


def test_an_officer_registers_a_woman_applies_and_attaches_her_nid(world: World) -> None:
    programme = programme_with_rules(world.org)
    union = factories.union(world.org)
    client = world.client_for(world.members[Role.COMPUTER_OPERATOR])
    response = client.post(
        reverse("selection:apply_new"),
        {
            "programme": programme.pk,
            "name": "Shirin Akter",
            "area": union.pk,
            "born_on": "1991-02-03",
            "land_decimals": "4",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.channel == "OFFICER" and application.status == "ELIGIBLE"
    page = client.get(reverse("selection:application", args=[application.pk]))
    assert "Shirin Akter" in page.content.decode()
    upload = client.post(
        reverse("selection:document_upload", args=[application.pk]),
        {"kind": "NID_COPY", "file": _upload(b"%PDF-1.4 nid")},
    )
    assert upload.status_code == 302
    document = ApplicationDocument.objects.get()
    download = client.get(reverse("selection:document_download", args=[document.pk]))
    assert download.content == b"%PDF-1.4 nid" and download["Cache-Control"] == "no-store"


def test_a_refused_new_applicant_leaves_no_registration(world: World) -> None:
    programme = programme_with_rules(world.org)
    client = world.client_for(world.members[Role.COMPUTER_OPERATOR])
    response = client.post(
        reverse("selection:apply_new"),
        {
            "programme": programme.pk,
            "name": "Old Woman",
            "area": factories.union(world.org).pk,
            "born_on": "1950-01-01",
        },
    )
    assert response.status_code == 422
    assert "not eligible" in response.content.decode()
    assert not Beneficiary.objects.exists()


def test_applying_by_registry_number_and_an_unknown_number(world: World) -> None:
    programme = programme_with_rules(world.org)
    her = applicant(world.org)
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    bad = client.post(reverse("selection:apply"), {"programme": programme.pk, "registry_number": "R-NOPE"})
    assert bad.status_code == 422 and "No woman" in bad.content.decode()
    good = client.post(
        reverse("selection:apply"), {"programme": programme.pk, "registry_number": her.registry_number}
    )
    assert good.status_code == 302


def test_list_pages_stay_within_their_queries(world: World, django_assert_max_num_queries: object) -> None:
    programme = programme_with_rules(world.org)
    union = factories.union(world.org)
    for number in range(6):
        apply(programme, applicant(world.org, union, land=str(number)))
    selection_list = actions.build_draft(
        quota=quota(programme, union, places=5), acting_user=None, at=timezone.now()
    )
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    for url in (
        reverse("selection:applications"),
        reverse("selection:quotas"),
        reverse("selection:lists"),
        reverse("selection:list", args=[selection_list.pk]),
    ):
        with django_assert_max_num_queries(14):  # type: ignore[operator]
            assert client.get(url).status_code == 200


def test_the_public_notice_hides_names_and_takes_an_anonymous_objection(world: World) -> None:
    cache.clear()
    programme = programme_with_rules(world.org)
    union = factories.union(world.org)
    widow = apply(programme, applicant(world.org, union, widowed=True, name="Amena Begum"))
    selection_list = published(
        actions.build_draft(quota=quota(programme, union), acting_user=None, at=timezone.now())
    )
    client = world.client_for(None)
    url = reverse("selection:public_notice", args=[world.org.slug, selection_list.pk])
    page = client.get(url).content.decode()
    assert widow.beneficiary.registry_number in page and "A. B." in page and "Amena" not in page
    sent = client.post(
        url,
        {
            "about": "ENTRY",
            "registry_number": widow.beneficiary.registry_number,
            "text": "She owns two acres.",
        },
    )
    assert sent.status_code == 302
    objection = Objection.objects.get()
    assert objection.channel == "PUBLIC" and objection.objector_name == ""
    unknown = client.post(url, {"about": "ENTRY", "registry_number": "X", "text": "?"})
    assert unknown.status_code == 422


def test_the_api_refuses_with_reasons_and_hides_other_organisations(world: World) -> None:
    programme = programme_with_rules(world.org)
    member = world.members[Role.PROGRAMME_OFFICER]
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    client = world.client_for(None)
    older = applicant(world.org, born_on=date(1960, 1, 1))
    body = {"programme_id": str(programme.pk), "beneficiary_id": str(older.pk)}
    refused = client.post(
        "/api/v1/benefit-applications", body, content_type="application/json", headers=headers
    )
    assert refused.status_code == 422
    assert "not eligible" in refused.json()["errors"][0]["message"]
    application = apply(programme, applicant(world.org))
    bad_file = {"kind": "NID_COPY", "file_name": "x.exe", "content_base64": base64.b64encode(b"MZ").decode()}
    path = f"/api/v1/benefit-applications/{application.pk}/documents"
    assert client.post(path, bad_file, content_type="application/json", headers=headers).status_code == 422
    outsider = {"Authorization": f"Bearer {world.token_for(world.outsider)}"}
    assert client.get(f"/api/v1/benefit-applications/{application.pk}", headers=outsider).status_code in {
        403,
        404,
    }


def _upload(content: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("nid.pdf", content, content_type="application/pdf")


def test_a_quota_of_more_places_than_the_database_holds_is_refused_on_its_field(world: World) -> None:
    programme = programme_with_rules(world.org)
    union = factories.union(world.org)
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    response = client.post(
        reverse("selection:quota_create"),
        {
            "programme": programme.pk,
            "area": union.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-03-01",
            "places": str(10**20),
        },
    )
    assert response.status_code == 422
    assert "at most" in response.content.decode()
    assert not Quota.objects.exists()


def test_a_quota_ending_on_the_last_day_of_the_calendar_builds_its_draft(world: World) -> None:
    programme = programme_with_rules(world.org)
    union = factories.union(world.org)
    her = apply(programme, applicant(world.org, union))
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    created = client.post(
        reverse("selection:quota_create"),
        {
            "programme": programme.pk,
            "area": union.pk,
            "period_start": "2026-01-01",
            "period_end": "9999-12-31",
            "places": "3",
        },
    )
    assert created.status_code == 302
    built = client.post(reverse("selection:draft_build", args=[Quota.objects.get().pk]))
    assert built.status_code == 302
    assert list(SelectionEntry.objects.values_list("application_id", flat=True)) == [her.pk]


@pytest.mark.parametrize(
    ("field", "value"), [("land_decimals", "123456789012"), ("monthly_income", str(10**20))]
)
def test_a_new_applicant_with_numbers_too_large_to_keep_is_refused(
    world: World, field: str, value: str
) -> None:
    programme = programme_with_rules(world.org)
    client = world.client_for(world.members[Role.COMPUTER_OPERATOR])
    response = client.post(
        reverse("selection:apply_new"),
        {
            "programme": programme.pk,
            "name": "Shirin Akter",
            "area": factories.union(world.org).pk,
            "born_on": "1991-02-03",
            field: value,
        },
    )
    assert response.status_code == 422
    assert not Beneficiary.objects.exists() and not Application.objects.exists()
