"""Running a screen from a hotline contact, through real HTTP: refused until the contact is linked to her
file, recorded on the contact (and her case when it is linked to one), with the dispatch offer shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.conftest import World, make_member
from haven.hotline.actions import link_contact, offer_contact, pick_up
from haven.hotline.models import Contact
from haven.hotline.tests.walk import acting
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.people.models import Person
from haven.privacy.models import AuditEntry
from haven.risk.actions import install_default_rules
from haven.risk.models import Assessment, Escalation
from haven.risk.tests.walk import lap_answers


def agent(world: World) -> User:
    return acting(world.members[Role.HOTLINE_AGENT])


@pytest.fixture
def contact(world: World) -> Contact:
    """A WhatsApp chat picked up by the hotline agent, not yet linked to anyone."""
    found = offer_contact(org=world.org, kind=Contact.Kind.WHATSAPP, acting_user=None, at=timezone.now())
    return pick_up(contact=found, acting_user=agent(world), at=timezone.now())


@pytest.fixture
def person(world: World) -> Person:
    return register_person(org=world.org, name="Synthetic Caller", acting_user=None, at=world.at)


def link(world: World, contact: Contact, person: Person, case: Case | None = None) -> Contact:
    return link_contact(
        contact=contact, person=person, case=case, acting_user=agent(world), at=timezone.now()
    )


def screen_url(contact: Contact, instrument: str = "lap") -> str:
    return reverse("risk:screen_contact", args=[contact.pk, instrument])


def screened_in() -> dict[str, Any]:
    return lap_answers(("q1",)) | {"judgement": ""}


def test_it_asks_to_link_her_file_first_and_records_nothing(world: World, contact: Contact) -> None:
    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    page = client.get(screen_url(contact))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="needs-person"' in html
    assert "Link this contact to her file before screening" in html
    assert reverse("hotline:contact", args=[contact.pk]) in html and "<fieldset" not in html

    posted = client.post(screen_url(contact), screened_in())
    assert posted.status_code == 422 and "Link this contact to her file" in posted.content.decode()
    assert not Assessment.objects.exists() and not AuditEntry.objects.filter(action="risk.assess").exists()


def test_it_records_the_screen_on_the_contact_and_offers_a_dispatch(
    world: World, contact: Contact, person: Person
) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    link(world, contact, person)
    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    form = client.get(screen_url(contact)).content.decode()
    assert form.count("<fieldset") == 12 and reverse("hotline:contact", args=[contact.pk]) in form

    response = client.post(screen_url(contact), screened_in())

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("risk:detail", args=[assessment.pk])
    assert (assessment.person, assessment.contact, assessment.case) == (person, contact, None)
    assert (assessment.level, assessment.rule) == ("SCREENED_IN", "any_of_q1_to_q3")
    assert assessment.asked_by == world.persona(Role.HOTLINE_AGENT)
    assert AuditEntry.objects.filter(action="risk.assess", object_id=str(assessment.pk)).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Screened in: high danger" in html
    assert "She answered yes to at least one of questions 1 to 3." in html
    dispatch_url = reverse("dispatch:create_from_contact", args=[contact.pk])
    assert f'id="dispatch-now" href="{dispatch_url}"' in html
    assert "Open a case to schedule the follow-up." in html


def test_it_puts_the_screen_on_her_case_and_the_asker_reads_it(
    world: World, contact: Contact, person: Person
) -> None:
    case = open_case(survivor=person, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    link(world, contact, person, case)
    agent = world.members[Role.HOTLINE_AGENT]

    response = world.client_for(agent).post(screen_url(contact), screened_in())

    assessment = Assessment.objects.get()
    assert (assessment.case, assessment.contact) == (case, contact)
    # The agent is not assigned to her case, but she took the screen: she reads the result. Another agent
    # who is not on the case does not.
    assert world.client_for(agent).get(response["Location"]).status_code == 200
    colleague = make_member(world.org, Role.HOTLINE_AGENT, username="home.agent-two", at=world.at)
    assert world.client_for(colleague).get(response["Location"]).status_code == 404
    case_page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("cases:detail", args=[case.pk]))
    assert reverse("risk:detail", args=[assessment.pk]) in case_page.content.decode()


def test_a_screen_without_an_offer_shows_no_dispatch_button(
    world: World, contact: Contact, person: Person
) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    link(world, contact, person)
    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    response = client.post(screen_url(contact), lap_answers() | {"judgement": ""})
    assert Assessment.objects.get().level == "NOT_SCREENED_IN"
    assert not Escalation.objects.exists()
    assert 'id="dispatch-now"' not in client.get(response["Location"]).content.decode()


def test_it_hides_the_contact_from_other_organisations_and_other_roles(
    world: World, contact: Contact, person: Person
) -> None:
    link(world, contact, person)
    stranger = make_member(world.other_org, Role.HOTLINE_AGENT, username="elsewhere.agent", at=world.at)
    client = world.client_for(stranger)
    assert client.get(screen_url(contact)).status_code == 404
    assert client.post(screen_url(contact), screened_in()).status_code == 404
    assert world.client_for(world.members[Role.DATA_OFFICER]).get(screen_url(contact)).status_code == 403
    unknown_instrument = screen_url(contact, "nope")
    assert world.client_for(world.members[Role.HOTLINE_AGENT]).get(unknown_instrument).status_code == 404
    assert not Assessment.objects.exists()


def test_the_api_refuses_a_screen_on_a_contact_that_is_not_hers(
    world: World, contact: Contact, person: Person
) -> None:
    """A screen recorded on another woman's contact would let a dispatch sent for that contact close
    this screen's dispatch offer, though no team went to her."""
    other = register_person(org=world.org, name="Synthetic Other", acting_user=None, at=world.at)
    link(world, contact, other)
    unlinked = offer_contact(org=world.org, kind=Contact.Kind.VOICE, acting_user=None, at=timezone.now())
    token = world.token_for(world.members[Role.HOTLINE_AGENT])

    for used in (contact, unlinked):
        response = world.client_for(None).post(
            f"/api/v1/people/{person.pk}/assessments",
            data={"instrument": "lap", "answers": screened_in(), "contact_id": str(used.pk)},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

        assert response.status_code == 422
        assert "Link this contact to her file" in response.json()["errors"][0]["message"]
    assert not Assessment.objects.exists() and not AuditEntry.objects.filter(action="risk.assess").exists()
