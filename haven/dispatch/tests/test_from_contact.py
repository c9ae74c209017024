"""A dispatch raised from a hotline contact through real HTTP: the screen's "Dispatch a mobile team" button,
the create form, the offer taken up, a team assigned, and the team's phone page through every step to
arrival at a one-stop centre and completion."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.cases.actions import open_case
from haven.conftest import World, make_member
from haven.dispatch.models import Dispatch, DispatchEvent, Handover, Unit
from haven.dispatch.tests.conftest import ADDRESS, Crew
from haven.hotline.actions import link_contact, offer_contact, pick_up
from haven.hotline.models import Contact
from haven.hotline.tests.walk import acting
from haven.orgs.actions import create_site
from haven.orgs.models import Site
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry
from haven.risk.actions import install_default_rules
from haven.risk.models import Assessment, Escalation
from haven.risk.tests.walk import lap_answers

FIELDS = {"priority": 1, "weapons": "YES", "children_present": "UNKNOWN", "location_address": ADDRESS}


@pytest.fixture
def contact(world: World) -> Contact:
    """A WhatsApp chat the hotline agent picked up and linked to the caller's file."""
    agent = acting(world.members[Role.HOTLINE_AGENT])
    found = offer_contact(org=world.org, kind=Contact.Kind.WHATSAPP, acting_user=None, at=timezone.now())
    found = pick_up(contact=found, acting_user=agent, at=timezone.now())
    person = register_person(org=world.org, name="Synthetic Caller", acting_user=None, at=world.at)
    return link_contact(contact=found, person=person, acting_user=agent, at=timezone.now())


def create_url(contact: Contact) -> str:
    return reverse("dispatch:create_from_contact", args=[contact.pk])


def screen_in(client: Client, contact: Contact) -> str:
    """Run the LAP screen from the contact (screened in); the result page's URL."""
    url = reverse("risk:screen_contact", args=[contact.pk, "lap"])
    response = client.post(url, lap_answers(("q2",)) | {"judgement": ""})
    assert response.status_code == 302
    location: str = response["Location"]
    return location


def test_the_screen_s_button_creates_the_dispatch_and_takes_up_the_offer(
    world: World, contact: Contact, crew: Crew
) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    result = screen_in(client, contact)
    assert f'id="dispatch-now" href="{create_url(contact)}"' in client.get(result).content.decode()

    form = client.get(create_url(contact))
    assert form.status_code == 200 and reverse("hotline:contact", args=[contact.pk]) in form.content.decode()
    created = client.post(create_url(contact), FIELDS)

    dispatch = Dispatch.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse(
        "dispatch:detail", args=[dispatch.pk]
    )
    assert (dispatch.contact, dispatch.case, dispatch.location_address) == (contact, None, ADDRESS)
    assert dispatch.received_at == contact.answered_at
    assert AuditEntry.objects.filter(action="dispatch.create", object_id=str(dispatch.pk)).exists()
    offer = Escalation.objects.get(assessment=Assessment.objects.get(), offer_dispatch=True)
    assert offer.dispatch_taken_at is not None
    assert AuditEntry.objects.filter(action="risk.dispatch_taken", object_id=str(offer.pk)).exists()
    assert 'id="dispatch-now"' not in client.get(result).content.decode()

    detail = client.get(created["Location"]).content.decode()
    assert 'id="assign"' in detail and reverse("hotline:contact", args=[contact.pk]) in detail
    assigned = client.post(reverse("dispatch:assign", args=[dispatch.pk]), {"unit": crew.unit.pk})
    assert assigned.status_code == 302
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.unit) == (Dispatch.Status.ACTIVATED, crew.unit)


def test_it_goes_on_her_case_and_takes_the_offer_of_a_screen_taken_before_the_case(
    world: World, contact: Contact
) -> None:
    """The screen was taken while the contact had no case; the contact was linked to her case after."""
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    agent = world.members[Role.HOTLINE_AGENT]
    screen_in(world.client_for(agent), contact)
    assert contact.person is not None
    case = open_case(survivor=contact.person, lead=agent, acting_user=None, at=world.at)
    link_contact(contact=contact, person=contact.person, case=case, acting_user=acting(agent), at=world.at)

    world.client_for(agent).post(create_url(contact), FIELDS)

    dispatch = Dispatch.objects.get()
    assert (dispatch.contact, dispatch.case) == (contact, case)
    assert not Escalation.objects.open_dispatch_offers().exists()


def test_it_refuses_a_dispatch_without_a_location_and_writes_nothing(world: World, contact: Contact) -> None:
    fields: dict[str, Any] = {**FIELDS, "location_address": ""}
    response = world.client_for(world.members[Role.HOTLINE_AGENT]).post(create_url(contact), fields)
    assert response.status_code == 422
    assert "Say where the team must go" in response.content.decode()
    assert not Dispatch.objects.exists() and not DispatchEvent.objects.exists()


def test_it_hides_the_contact_from_other_organisations(world: World, contact: Contact) -> None:
    stranger = make_member(world.other_org, Role.HOTLINE_AGENT, username="elsewhere.agent", at=world.at)
    client = world.client_for(stranger)
    assert client.get(create_url(contact)).status_code == 404
    assert client.post(create_url(contact), FIELDS).status_code == 404
    assert world.client_for(world.members[Role.DATA_OFFICER]).get(create_url(contact)).status_code == 403
    assert not Dispatch.objects.exists()


def test_the_team_goes_through_every_step_to_a_one_stop_centre(
    world: World, contact: Contact, crew: Crew
) -> None:
    centre = create_site(
        org=world.org, name="One-stop centre", kind=Site.Kind.ONE_STOP_CENTRE, acting_user=None, at=world.at
    )
    desk = world.client_for(world.members[Role.HOTLINE_AGENT])
    desk.post(create_url(contact), FIELDS)
    dispatch = Dispatch.objects.get()
    desk.post(reverse("dispatch:assign", args=[dispatch.pk]), {"unit": crew.unit.pk})

    team = world.client_for(crew.responder)
    page_url, step_url = (
        reverse("dispatch:team", args=[dispatch.pk]),
        reverse("dispatch:step", args=[dispatch.pk]),
    )
    chain: list[tuple[str, dict[str, Any]]] = [
        ("ACKNOWLEDGED", {}),
        ("EN_ROUTE", {}),
        ("ON_SCENE", {}),
        ("TRANSPORTING", {}),
        # The team picks the site only: the kind of destination follows from it.
        ("ARRIVED", {"destination_site": centre.pk}),
        ("COMPLETED", {"disposition": "TAKEN_TO_SAFETY"}),
    ]
    for step, details in chain:
        page = team.get(page_url).content.decode()
        assert f'id="step-{step.lower()}"' in page, step
        moved = team.post(step_url, {"step": step, "from": "team", **details})
        assert moved.status_code == 302 and moved["Location"] == page_url

    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.COMPLETED
    assert (dispatch.destination_kind, dispatch.destination_site) == ("ONE_STOP_CENTRE", centre)
    steps = list(DispatchEvent.objects.filter(dispatch=dispatch).values_list("step", flat=True))
    assert steps == ["CREATED", "ACTIVATED", *(step for step, _details in chain)]
    assert Handover.objects.get(dispatch=dispatch).site == centre
    crew.unit.refresh_from_db()
    assert crew.unit.status == Unit.Status.AVAILABLE
    assert 'class="big-step' not in team.get(page_url).content.decode()
