"""The pages a worker goes through: case → Refer → record a release → back to Refer with it chosen → send."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases import actions as case_actions
from haven.conftest import World
from haven.directory.actions import create_provider
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.referrals.models import Referral, Release


def test_it_records_a_release_and_sends_the_referral_through_the_pages(world: World) -> None:
    provider = create_provider(
        org=world.org,
        name="Legal Aid Clinic",
        kind="LEGAL_AID",
        services=["LEGAL_INFORMATION"],
        acting_user=None,
        at=world.at,
    )
    survivor = register_person(org=world.org, name="Nasrin Akter", acting_user=None, at=world.at)
    case = case_actions.open_case(
        survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at
    )
    client = world.client_for(world.members[Role.CASEWORKER])
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="refer-link"' in case_page

    refer_url = reverse("referrals:refer", args=[case.pk])
    assert 'id="record-release"' in client.get(refer_url).content.decode()
    today = timezone.localdate()
    release_url = reverse("referrals:release_create", args=[survivor.pk]) + f"?case={case.pk}"
    missing = client.post(release_url, {"recipient": provider.pk, "scope": ["IDENTITY"]})
    assert missing.status_code == 422 and not Release.objects.exists()
    saved = client.post(
        release_url,
        {
            "recipient": provider.pk,
            "scope": ["IDENTITY", "CONTACT"],
            "purpose": "Legal advice on custody",
            "signed_on": today.isoformat(),
            "expires_on": (today + timedelta(days=60)).isoformat(),
            "consent_method": "SIGNED_FORM",
        },
    )
    release = Release.objects.get()
    assert saved.status_code == 302 and f"release={release.pk}" in saved["Location"]
    form_page = client.get(saved["Location"]).content.decode()
    assert f'value="{release.pk}" selected' in form_page

    refused = client.post(
        refer_url,
        {
            "kind": "EXTERNAL",
            "service": "INJURY_CARE",
            "urgency": "ROUTINE",
            "needs": "Custody advice",
            "provider": provider.pk,
            "release": release.pk,
            "contact_back": "Office line",
        },
    )
    assert refused.status_code == 422 and "does not offer" in refused.content.decode()
    sent = client.post(
        refer_url,
        {
            "kind": "EXTERNAL",
            "service": "LEGAL_INFORMATION",
            "urgency": "ROUTINE",
            "needs": "Custody advice",
            "provider": provider.pk,
            "release": release.pk,
            "contact_back": "Office line",
        },
    )
    assert sent.status_code == 302
    referral = Referral.objects.get()
    assert referral.release == release and not referral.is_opaque
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Referral for “Legal information and advice” sent to Legal Aid Clinic" in case_page
