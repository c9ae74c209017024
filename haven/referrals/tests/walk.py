"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes a fresh object of the home organisation that `member` may act on, so that every role
the view or endpoint allows gets a 200/201 and an outsider a 404.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.conftest import World
from haven.directory.actions import create_provider
from haven.directory.models import Provider
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.referrals.actions import record_release, send_referral
from haven.referrals.models import Referral, Release


def provider(org: Organisation) -> Provider:
    return create_provider(
        org=org,
        name=f"Walk legal aid {uuid.uuid4().hex[:8]}",
        kind=Provider.Kind.LEGAL_AID,
        services=["LEGAL_INFORMATION", "PROTECTION_ORDER"],
        acting_user=None,
        at=timezone.now(),
    )


def home_provider_id() -> str:
    return str(provider(Organisation.objects.get(slug="home")).pk)


def release(world: World, member: Membership) -> Any:
    person = register_person(org=world.org, name="Walk Person", acting_user=None, at=world.at)
    today = timezone.localdate()
    return record_release(
        person=person,
        recipient=provider(world.org),
        scope=[Release.Scope.IDENTITY],
        purpose="Prepare the protection-order application",
        signed_on=today,
        expires_on=today + timedelta(days=30),
        consent_method=Release.ConsentMethod.SIGNED_FORM,
        acting_user=None,
        at=timezone.now(),
    ).pk


def sent_referral(case: Case) -> Referral:
    return send_referral(
        case=case,
        kind=Referral.Kind.EXTERNAL,
        service="LEGAL_INFORMATION",
        needs="Advice about custody of her children",
        provider=provider(case.org),
        contact_back="Caseworker, office line",
        acting_user=None,
        at=timezone.now(),
    )


def incoming(world: World, member: Membership) -> Any:
    """An internal referral addressed to `member` (or to the counsellor, for roles that cannot receive
    one), on a case she is not on yet."""
    target = member if member.org_id == world.org.pk and member.role_enum.works_with_survivors else None
    target = target or world.members[Role.COUNSELLOR]
    lead = world.members[Role.CASEWORKER if target.role_enum != Role.CASEWORKER else Role.COUNSELLOR]
    survivor = register_person(org=world.org, name="Walk Person", acting_user=None, at=world.at)
    case = open_case(survivor=survivor, lead=lead, acting_user=None, at=world.at)
    return send_referral(
        case=case,
        kind=Referral.Kind.INTERNAL,
        service="CRISIS_COUNSELLING",
        needs="Weekly counselling sessions",
        target_membership=target,
        acting_user=None,
        at=timezone.now(),
    ).pk


def referral_body() -> dict[str, Any]:
    return {
        "kind": "EXTERNAL",
        "service": "LEGAL_INFORMATION",
        "needs": "Advice about custody of her children",
        "provider_id": home_provider_id(),
        "contact_back": "Caseworker, office line",
    }


def release_body() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "recipient_id": home_provider_id(),
        "scope": ["IDENTITY", "CONTACT"],
        "purpose": "Prepare the protection-order application",
        "signed_on": today.isoformat(),
        "expires_on": (today + timedelta(days=30)).isoformat(),
        "consent_method": "SIGNED_FORM",
    }


def provider_body() -> dict[str, Any]:
    return {
        "name": f"Walk clinic {uuid.uuid4().hex[:8]}",
        "kind": "HEALTH",
        "services": ["INJURY_CARE"],
        "languages": ["en", "fr"],
    }
