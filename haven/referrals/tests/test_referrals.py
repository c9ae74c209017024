"""Referrals through real HTTP: consent-gated sharing, opaque referrals, refusals, the loop-back between
two organisations, internal referrals, other-organisation 404s and audit entries."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.cases import actions as case_actions
from haven.cases.models import Case, CaseAssignment, CaseService
from haven.conftest import World, make_member
from haven.directory.actions import create_provider
from haven.directory.models import Provider
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry
from haven.referrals import actions
from haven.referrals.models import Referral, Release

NAME, PHONE = "Rokeya Begum", "+1 514 555 0177"


def _api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else None
    return Client().generic(
        method, "/api/v1" + path, data or "", content_type="application/json", headers=headers
    )


@pytest.fixture
def receiver(world: World) -> Membership:
    """The centre manager of the other organisation, which receives referrals through the directory."""
    return make_member(world.other_org, Role.CENTRE_MANAGER, username="elsewhere.manager", at=world.at)


@pytest.fixture
def legal_aid(world: World) -> Provider:
    """A legal-aid provider in the home directory that is the other organisation, on Haven."""
    return create_provider(
        org=world.org,
        name="Legal Aid Clinic",
        kind=Provider.Kind.LEGAL_AID,
        services=["LEGAL_INFORMATION", "PROTECTION_ORDER"],
        haven_org=world.other_org,
        acting_user=None,
        at=world.at,
    )


@pytest.fixture
def case(world: World) -> Case:
    survivor = register_person(org=world.org, name=NAME, phone=PHONE, acting_user=None, at=world.at)
    return case_actions.open_case(
        survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at
    )


def _release(world: World, case: Case, provider: Provider, **overrides: Any) -> Release:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "scope": ["IDENTITY", "CONTACT"],
        "purpose": "Protection-order application",
        "signed_on": today,
        "expires_on": today + timedelta(days=30),
        "consent_method": "SIGNED_FORM",
        **overrides,
    }
    return actions.record_release(
        person=case.survivor, recipient=provider, acting_user=None, at=timezone.now(), **fields
    )


def _body(provider: Provider, release: Release | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "EXTERNAL",
        "service": "PROTECTION_ORDER",
        "urgency": "URGENT",
        "needs": "Help with a protection order this week",
        "provider_id": str(provider.pk),
        "release_id": str(release.pk) if release else None,
        "contact_back": "Caseworker at the home office, 514 555 0100",
        **extra,
    }


def _send(world: World, case: Case, body: dict[str, Any]) -> Any:
    return _api(world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/referrals", body)


def _errors(response: Any) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])


# --- consent-gated sharing -----------------------------------------------------------------------------


def test_it_shares_identity_under_a_valid_release_and_audits_the_read(
    world: World, case: Case, legal_aid: Provider, receiver: Membership
) -> None:
    release = _release(world, case, legal_aid)
    sent = _send(world, case, _body(legal_aid, release))
    assert sent.status_code == 201, sent.content
    assert sent.json()["is_opaque"] is False
    assert sent.json()["shared_categories"] == ["IDENTITY", "CONTACT"]
    referral_id = sent.json()["id"]

    inbox = _api(world, receiver, "GET", "/referrals/incoming")
    assert [row["id"] for row in inbox.json()] == [referral_id]
    assert inbox.json()[0]["survivor_code"] is None and inbox.json()[0]["case_id"] is None
    detail = _api(world, receiver, "GET", f"/referrals/{referral_id}")
    assert detail.status_code == 200
    values = [f["value"] for s in detail.json()["shared"] for record in s["records"] for f in record]
    assert NAME in values and PHONE in values
    read = AuditEntry.objects.filter(action="referral.view", org=world.other_org).get()
    assert read.object_id == referral_id and read.fields == ["CONTACT", "IDENTITY"]
    assert NAME not in json.dumps(read.fields)

    page = world.client_for(receiver).get(reverse("referrals:detail", args=[referral_id]))
    assert page.status_code == 200 and NAME in page.content.decode()


def test_it_sends_an_opaque_referral_without_a_release(
    world: World, case: Case, legal_aid: Provider, receiver: Membership
) -> None:
    sent = _send(world, case, _body(legal_aid))
    assert sent.status_code == 201, sent.content
    assert sent.json()["is_opaque"] is True
    referral_id = sent.json()["id"]
    detail = _api(world, receiver, "GET", f"/referrals/{referral_id}")
    text = detail.content.decode()
    assert detail.json()["shared"] == []
    assert detail.json()["contact_back"].startswith("Caseworker at the home office")
    assert "Help with a protection order" in text
    for secret in (NAME, "Rokeya", PHONE, "555 0177", case.survivor.survivor_code):
        assert secret not in text
    page = world.client_for(receiver).get(reverse("referrals:detail", args=[referral_id])).content.decode()
    assert "Help with a protection order" in page
    for secret in (NAME, PHONE, case.survivor.survivor_code):
        assert secret not in page


def test_it_refuses_her_name_in_an_opaque_referral(world: World, case: Case, legal_aid: Provider) -> None:
    response = _send(world, case, _body(legal_aid, needs="Rokeya needs a lawyer"))
    assert response.status_code == 422
    assert "do not write her name or phone number" in _errors(response)
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("expired", "expired on"),
        ("revoked", "She revoked this release"),
        ("other_recipient", "names another recipient"),
        ("other_person", "given by someone else"),
    ],
)
def test_it_refuses_an_unusable_release(
    world: World, case: Case, legal_aid: Provider, problem: str, message: str
) -> None:
    if problem == "other_recipient":
        clinic = create_provider(
            org=world.org,
            name="Clinic",
            kind="HEALTH",
            services=["LEGAL_INFORMATION"],
            acting_user=None,
            at=world.at,
        )
        release = _release(world, case, clinic)
    elif problem == "other_person":
        other = register_person(org=world.org, name="Someone Else", acting_user=None, at=world.at)
        other_case = case_actions.open_case(
            survivor=other, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at
        )
        release = _release(world, other_case, legal_aid)
    else:
        release = _release(world, case, legal_aid)
    if problem == "revoked":
        actions.revoke_release(release=release, acting_user=None, at=timezone.now())
    if problem == "expired":
        Release.objects.filter(pk=release.pk).update(
            signed_on=date(2020, 1, 1), expires_on=timezone.localdate() - timedelta(days=1)
        )
    response = _send(world, case, _body(legal_aid, release))
    assert response.status_code == 422
    assert message in _errors(response)
    assert not Referral.objects.exists()
    assert not AuditEntry.objects.filter(action="referral.send").exists()


def test_revoking_the_release_hides_what_was_shared(
    world: World, case: Case, legal_aid: Provider, receiver: Membership
) -> None:
    release = _release(world, case, legal_aid)
    referral_id = _send(world, case, _body(legal_aid, release)).json()["id"]
    revoked = _api(world, world.members[Role.CASEWORKER], "POST", f"/releases/{release.pk}/revoke", {})
    assert revoked.status_code == 200 and revoked.json()["state"] == "REVOKED"
    assert AuditEntry.objects.filter(action="release.revoke", object_id=str(release.pk)).exists()
    detail = _api(world, receiver, "GET", f"/referrals/{referral_id}")
    assert detail.json()["shared"] == [] and NAME not in detail.content.decode()
    again = _api(world, world.members[Role.CASEWORKER], "POST", f"/releases/{release.pk}/revoke", {})
    assert again.status_code == 422 and "already revoked" in _errors(again)


# --- other refusals ------------------------------------------------------------------------------------


def test_it_refuses_a_provider_that_does_not_offer_the_service(
    world: World, case: Case, legal_aid: Provider
) -> None:
    response = _send(world, case, _body(legal_aid, service="INJURY_CARE"))
    assert response.status_code == 422
    assert "does not offer" in _errors(response)
    assert not Referral.objects.exists()


def test_it_refuses_to_refer_a_closed_case(world: World, case: Case, legal_aid: Provider) -> None:
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    response = _send(world, case, _body(legal_aid))
    assert response.status_code == 422
    assert "Closed" in _errors(response)
    assert not Referral.objects.exists()


def test_it_refuses_a_release_signed_in_the_future(world: World, case: Case, legal_aid: Provider) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    body = {
        "recipient_id": str(legal_aid.pk),
        "scope": ["IDENTITY"],
        "purpose": "Court",
        "signed_on": tomorrow.isoformat(),
        "expires_on": (tomorrow + timedelta(days=5)).isoformat(),
        "consent_method": "SIGNED_FORM",
    }
    member = world.members[Role.CASEWORKER]
    response = _api(world, member, "POST", f"/people/{case.survivor_id}/releases", body)
    assert response.status_code == 422 and "future" in _errors(response)
    assert not Release.objects.exists()


# --- loop-back -----------------------------------------------------------------------------------------


def test_the_sender_sees_the_acceptance_on_her_case(
    world: World, case: Case, legal_aid: Provider, receiver: Membership
) -> None:
    referral_id = _send(world, case, _body(legal_aid)).json()["id"]
    accepted = _api(world, receiver, "POST", f"/referrals/{referral_id}/accept", {"comment": "Tuesday 10:00"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "ACCEPTED"
    assert AuditEntry.objects.filter(action="referral.respond", org=world.other_org).exists()
    assert AuditEntry.objects.filter(action="referral.respond", org=world.org).exists()
    caseworker = world.members[Role.CASEWORKER]
    page = world.client_for(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Legal Aid Clinic accepted the referral" in page
    timeline = _api(world, caseworker, "GET", f"/cases/{case.pk}").json()["timeline"]
    assert any("accepted the referral" in item["summary"] for item in timeline)
    twice = _api(world, receiver, "POST", f"/referrals/{referral_id}/decline", {"comment": "No"})
    assert twice.status_code == 422 and "Accepted" in _errors(twice)


def test_the_sender_sees_a_decline_and_its_reason(
    world: World, case: Case, legal_aid: Provider, receiver: Membership
) -> None:
    referral_id = _send(world, case, _body(legal_aid)).json()["id"]
    client = world.client_for(receiver)
    silent = _api(world, receiver, "POST", f"/referrals/{referral_id}/decline", {"comment": " "})
    assert silent.status_code == 422 and "Say why you decline" in _errors(silent)
    response = client.post(
        reverse("referrals:respond", args=[referral_id]), {"decision": "decline", "comment": "No lawyer free"}
    )
    assert response.status_code == 302
    page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("cases:detail", args=[case.pk]))
    text = page.content.decode()
    assert "Legal Aid Clinic declined the referral" in text and "No lawyer free" in text


def test_the_sender_records_the_answer_of_a_provider_not_on_haven(world: World, case: Case) -> None:
    clinic = create_provider(
        org=world.org, name="Clinic", kind="HEALTH", services=["INJURY_CARE"], acting_user=None, at=world.at
    )
    body = _body(clinic, service="INJURY_CARE")
    referral_id = _send(world, case, body).json()["id"]
    member = world.members[Role.CASEWORKER]
    outcome = _api(world, member, "POST", f"/referrals/{referral_id}/outcome", {"outcome": "ACCEPTED"})
    assert outcome.status_code == 200 and outcome.json()["status"] == "ACCEPTED"
    done = _api(world, member, "POST", f"/referrals/{referral_id}/complete", {})
    assert done.json()["status"] == "COMPLETED"
    assert AuditEntry.objects.filter(action="referral.outcome").exists()


def test_a_haven_receiver_answers_for_itself(
    world: World, case: Case, legal_aid: Provider, receiver: Membership
) -> None:
    referral_id = _send(world, case, _body(legal_aid)).json()["id"]
    member = world.members[Role.CASEWORKER]
    outcome = _api(world, member, "POST", f"/referrals/{referral_id}/outcome", {"outcome": "ACCEPTED"})
    assert outcome.status_code == 422 and "wait for their answer" in _errors(outcome)
    # The sender cannot answer in the receiver's place, and the receiver cannot withdraw.
    assert _api(world, member, "POST", f"/referrals/{referral_id}/accept", {}).status_code == 404
    assert _api(world, receiver, "POST", f"/referrals/{referral_id}/withdraw", {}).status_code == 404
    withdrawn = _api(world, member, "POST", f"/referrals/{referral_id}/withdraw", {"comment": "She moved"})
    assert withdrawn.json()["status"] == "WITHDRAWN"


# --- internal ------------------------------------------------------------------------------------------


def test_an_accepted_internal_referral_puts_the_colleague_on_the_case(world: World, case: Case) -> None:
    counsellor = world.members[Role.COUNSELLOR]
    body = {
        "kind": "INTERNAL",
        "service": "CRISIS_COUNSELLING",
        "needs": "Weekly sessions",
        "target_membership_id": counsellor.pk,
    }
    referral_id = _send(world, case, body).json()["id"]
    assert _api(world, counsellor, "GET", f"/cases/{case.pk}").status_code == 404
    inbox = _api(world, counsellor, "GET", "/referrals/incoming").json()
    assert [row["id"] for row in inbox] == [referral_id]
    accepted = _api(world, counsellor, "POST", f"/referrals/{referral_id}/accept", {})
    assert accepted.status_code == 200
    assert CaseAssignment.objects.filter(case=case, membership=counsellor, ended_at__isnull=True).exists()
    assert _api(world, counsellor, "GET", f"/cases/{case.pk}").status_code == 200


def test_only_the_lead_refers_internally(world: World, case: Case) -> None:
    nurse = world.members[Role.NURSE]
    case_actions.assign_worker(
        case=case, membership=nurse, role_in_case="SUPPORT", acting_user=None, at=world.at
    )
    body = {
        "kind": "INTERNAL",
        "service": "CRISIS_COUNSELLING",
        "needs": "Sessions",
        "target_membership_id": world.members[Role.COUNSELLOR].pk,
    }
    response = _api(world, nurse, "POST", f"/cases/{case.pk}/referrals", body)
    assert response.status_code == 422 and "the supervisor or a manager can refer" in _errors(response)


# --- scope ---------------------------------------------------------------------------------------------


def test_other_organisations_get_404(world: World, case: Case, legal_aid: Provider) -> None:
    release = _release(world, case, legal_aid)
    referral_id = _send(world, case, _body(legal_aid, release)).json()["id"]
    stranger = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.caseworker", at=world.at)
    # A caseworker of the receiving organisation is not one of the roles that receive referrals.
    assert _api(world, stranger, "GET", f"/referrals/{referral_id}").status_code == 404
    assert _api(world, stranger, "GET", f"/releases/{release.pk}").status_code == 404
    assert _api(world, stranger, "GET", f"/people/{case.survivor_id}/releases").status_code == 404
    assert _api(world, stranger, "GET", f"/providers/{legal_aid.pk}").status_code == 404
    client = world.client_for(stranger)
    assert client.get(reverse("referrals:release_detail", args=[release.pk])).status_code == 404
    assert client.get(reverse("referrals:refer", args=[case.pk])).status_code == 404


def test_reading_a_release_is_audited(world: World, case: Case, legal_aid: Provider) -> None:
    release = _release(world, case, legal_aid)
    member = world.members[Role.CASEWORKER]
    response = _api(world, member, "GET", f"/releases/{release.pk}")
    assert response.json()["purpose"] == "Protection-order application"
    assert AuditEntry.objects.filter(action="release.view", object_id=str(release.pk)).exists()
    assert AuditEntry.objects.filter(action="release.record", object_id=str(release.pk)).exists()


def test_a_sent_referral_is_listed_among_her_services_as_referred(
    world: World, case: Case, legal_aid: Provider
) -> None:
    answer = _api(
        world,
        world.members[Role.CASEWORKER],
        "POST",
        f"/cases/{case.pk}/referrals",
        {
            "kind": "EXTERNAL",
            "service": "PROTECTION_ORDER",
            "needs": "Help with a protection-order application",
            "provider_id": str(legal_aid.pk),
            "contact_back": "Caseworker desk, +1 514 555 0100",
        },
    )
    assert answer.status_code == 201, answer.json()
    service = CaseService.objects.get(case=case)
    assert (service.kind, service.status, service.started_on) == (
        "PROTECTION_ORDER",
        CaseService.Status.REFERRED,
        timezone.localdate(),
    )
