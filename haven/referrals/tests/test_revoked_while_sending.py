"""She revokes her release while a worker is sending a referral under it (the send form was checked, the
revocation commits first): the send must be refused, and none of her data frozen into a referral that the
revocation no longer wipes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases import actions as case_actions
from haven.conftest import World
from haven.directory.actions import create_provider
from haven.directory.models import Provider
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.referrals import actions
from haven.referrals.models import Referral, Release


def test_a_release_revoked_meanwhile_refuses_the_send(world: World) -> None:
    provider = create_provider(
        org=world.org,
        name="Legal Aid Clinic",
        kind=Provider.Kind.LEGAL_AID,
        services=["LEGAL_INFORMATION"],
        haven_org=world.other_org,
        acting_user=None,
        at=world.at,
    )
    survivor = register_person(org=world.org, name="Rokeya Begum", acting_user=None, at=world.at)
    worker = world.members[Role.CASEWORKER]
    case = case_actions.open_case(survivor=survivor, lead=worker, acting_user=None, at=world.at)
    today = timezone.localdate()
    release = actions.record_release(
        person=survivor,
        recipient=provider,
        scope=["IDENTITY"],
        purpose="Legal advice",
        signed_on=today,
        expires_on=today + timedelta(days=30),
        consent_method="SIGNED_FORM",
        acting_user=None,
        at=timezone.now(),
    )
    # The worker's request holds the release as it was when her form was checked...
    as_sent = Release.objects.get(pk=release.pk)
    # ...and the revocation, from another request, commits first.
    actions.revoke_release(release=release, acting_user=None, at=timezone.now())

    with pytest.raises(ValidationError) as refused:
        actions.send_referral(
            case=case,
            kind=Referral.Kind.EXTERNAL,
            service="LEGAL_INFORMATION",
            needs="Advice on a protection order",
            provider=provider,
            release=as_sent,
            contact_back="Caseworker, +1 514 555 0100",
            acting_user=worker.user,
            at=timezone.now(),
        )
    assert "release" in refused.value.message_dict
    assert not Referral.objects.exists()
