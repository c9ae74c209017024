"""The people pages through a real client: find before registering, register, the file, safe contact."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.models import Person, SafeContact
from haven.privacy.models import AuditEntry


def _nasrin(world: World) -> Person:
    return actions.register_person(
        org=world.org, name="Nasrin Akter", phone="01711-000111", acting_user=None, at=world.at
    )


def test_it_finds_her_by_phone_and_shows_her_code_but_not_her_name(world: World) -> None:
    person = _nasrin(world)
    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    response = client.post(reverse("people:search"), {"phone": "+880 1711 000111"})
    assert response.status_code == 200
    html = response.content.decode()
    assert person.survivor_code in html
    assert reverse("people:detail", args=[person.pk]) in html
    assert "Nasrin" not in html


def test_it_finds_her_by_name_with_htmx_as_a_partial(world: World) -> None:
    person = _nasrin(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(reverse("people:search"), {"name": "Nasrin"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert person.survivor_code in html
    assert "<html" not in html
    assert "Nasrin Akter" not in html
    assert 'name="name" value="Nasrin"' in html  # the typed name goes on to the register form, by POST
    assert "?name=" not in html  # never in a URL


def test_it_shows_a_hint_and_no_results_for_an_empty_search(world: World) -> None:
    person = _nasrin(world)
    response = world.client_for(world.members[Role.CASEWORKER]).get(reverse("people:search"))
    html = response.content.decode()
    assert response.status_code == 200
    assert person.survivor_code not in html
    assert "Type a phone number" in html


def test_it_registers_a_person_and_opens_her_file(world: World) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(
        reverse("people:register"),
        {"name": "ফাতেমা বেগম", "phone": "01711-000222", "sex": "FEMALE", "languages": "bn, en"},
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.name == "ফাতেমা বেগম"
    assert person.languages == ["bn", "en"]


def test_it_prefills_the_name_typed_in_the_search(world: World) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(reverse("people:register"), {"prefill": "1", "name": "Leila"})
    assert response.status_code == 200 and 'value="Leila"' in response.content.decode()
    assert not Person.objects.exists()  # shown filled in, not yet registered


def test_it_refuses_a_bad_phone_with_422_and_saves_nothing(world: World) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(
        reverse("people:register"), {"name": "Leila", "phone": "not a phone", "sex": "FEMALE"}
    )
    assert response.status_code == 422
    assert "not a phone number Haven can read" in response.content.decode()
    assert not Person.objects.exists()


def test_it_shows_safe_contact_first_on_her_file(world: World) -> None:
    person = _nasrin(world)
    actions.set_safe_contact(
        person=person,
        instructions={"safe_to_call": True, "safe_channel": "SMS", "code_word": "mango-tree"},
        acting_user=None,
        at=world.at,
    )
    response = world.client_for(world.members[Role.HOTLINE_AGENT]).get(
        reverse("people:detail", args=[person.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "mango-tree" in html
    assert "Nasrin Akter" in html
    assert 'class="safe-contact"' in html
    assert html.index('id="safe-contact"') < html.index('id="identity"')
    assert html.index("mango-tree") < html.index("Nasrin Akter")


def test_it_warns_when_there_are_no_safe_contact_instructions(world: World) -> None:
    person = _nasrin(world)
    response = world.client_for(world.members[Role.HOTLINE_AGENT]).get(
        reverse("people:detail", args=[person.pk])
    )
    html = response.content.decode()
    assert "do not call or message her until they are recorded" in html
    assert html.index("do not call or message her") < html.index('id="identity"')


def test_it_records_every_read_of_her_file(world: World) -> None:
    person = _nasrin(world)
    agent = world.members[Role.HOTLINE_AGENT]
    world.client_for(agent).get(reverse("people:detail", args=[person.pk]))
    entry = AuditEntry.objects.get(action="person.view")
    assert entry.actor == agent.user
    assert entry.object_id == str(person.pk)


def test_it_saves_safe_contact_instructions(world: World) -> None:
    person = _nasrin(world)
    client = world.client_for(world.members[Role.COUNSELLOR])
    url = reverse("people:safe_contact", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "safe_to_call": "on",
            "safe_channel": "WHATSAPP",
            "safe_hours": "after 10:00",
            "code_word": "blue-door",
            "do_not_name_organisation": "on",
        },
    )
    assert response.status_code == 302
    contact = SafeContact.objects.get(person=person)
    assert (contact.safe_channel, contact.code_word, contact.safe_to_call) == ("WHATSAPP", "blue-door", True)


def test_it_reshows_a_contradictory_safe_contact_with_422(world: World) -> None:
    person = _nasrin(world)
    client = world.client_for(world.members[Role.COUNSELLOR])
    response = client.post(
        reverse("people:safe_contact", args=[person.pk]), {"safe_to_call": "on", "safe_channel": "IN_PERSON"}
    )
    assert response.status_code == 422
    assert not SafeContact.objects.exists()


def test_it_refuses_a_data_officer(world: World) -> None:
    person = _nasrin(world)
    client = world.client_for(world.members[Role.DATA_OFFICER])
    assert client.get(reverse("people:search")).status_code == 403
    assert client.get(reverse("people:register")).status_code == 403
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 403
    assert client.get(reverse("people:safe_contact", args=[person.pk])).status_code == 403


def test_it_hides_her_from_another_organisation(world: World) -> None:
    person = _nasrin(world)
    outsider = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.cw", at=world.at)
    client = world.client_for(outsider)
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("people:safe_contact", args=[person.pk])).status_code == 404
    response = client.post(reverse("people:search"), {"phone": "01711-000111"})
    assert person.survivor_code not in response.content.decode()
    assert world.client_for(world.outsider).get(reverse("people:detail", args=[person.pk])).status_code in {
        403,
        404,
    }


def test_it_shows_people_in_navigation_only_to_roles_working_with_survivors(world: World) -> None:
    url = f'href="{reverse("people:search")}"'
    home = reverse("web:home")
    assert url in world.client_for(world.members[Role.HOTLINE_AGENT]).get(home).content.decode()
    assert url not in world.client_for(world.members[Role.DATA_OFFICER]).get(home).content.decode()
