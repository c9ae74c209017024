"""Contacts linked to a case show on the case page (a panel and timeline events) and in the case API,
with channel, times, caller and outcome, never the contact's summary."""

from __future__ import annotations

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.hotline import actions
from haven.hotline.models import Contact
from haven.hotline.tests.walk import acting
from haven.orgs.roles import Role
from haven.people.actions import register_person

SECRET = "Synthetic summary that must stay on the contact page"


def _counselled_contact(world: World) -> tuple[Contact, Case]:
    worker = acting(world.members[Role.CASEWORKER])
    start = timezone.now() - timedelta(minutes=10)
    contact = actions.offer_contact(org=world.org, kind=Contact.Kind.WHATSAPP, acting_user=None, at=start)
    actions.pick_up(contact=contact, acting_user=worker, at=start + timedelta(seconds=12))
    person = register_person(org=world.org, name="Synthetic Survivor", acting_user=worker, at=start)
    case = actions.open_case_from_contact(contact=contact, person=person, acting_user=worker, at=start)
    actions.wrap_up(
        contact=contact,
        caller_type=Contact.CallerType.SURVIVOR,
        outcome=Contact.Outcome.COUNSELLING,
        summary=SECRET,
        acting_user=worker,
        at=start + timedelta(minutes=5),
    )
    return contact, case


def test_the_case_page_shows_her_contacts_without_their_summary(world: World) -> None:
    contact, case = _counselled_contact(world)
    caseworker = world.client_for(world.members[Role.CASEWORKER])

    page = caseworker.get(reverse("cases:detail", args=[case.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="hotline-contacts"' in html and reverse("hotline:contact", args=[contact.pk]) in html
    assert "Hotline contact · WhatsApp · Survivor · Counselling" in html
    assert "0:12" in html and "4:48" in html  # time to answer, handle time
    assert SECRET not in html


def test_the_case_api_timeline_names_the_contact_not_its_summary(world: World) -> None:
    _contact, case = _counselled_contact(world)
    token = world.token_for(world.members[Role.CASEWORKER])

    response = world.client_for(None).get(
        f"/api/v1/cases/{case.pk}", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200
    [entry] = [item for item in response.json()["timeline"] if item["kind"] == "contact"]
    assert entry["summary"] == "Hotline contact · WhatsApp · Survivor · Counselling"
    assert SECRET not in json.dumps(response.json())
