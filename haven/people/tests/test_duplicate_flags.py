"""Possible duplicates are flagged at registration and by `haven flag_duplicates`, then reviewed by the
roles that may (case managers and record keepers), who see codes in the queue and names only on the
audited compare page."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.models import DuplicateFlag, Person, PersonNameToken, reviews_duplicates
from haven.people.tests import factories
from haven.privacy.models import AuditEntry

Reason = DuplicateFlag.Reason
_TOKENS = PersonNameToken._meta.db_table


def _register(world: World, role: Role, name: str, **details: object) -> Person:
    member = world.members[role]
    member.user.active_membership = member
    return actions.register_person(org=world.org, name=name, acting_user=member.user, at=world.at, **details)


def test_it_names_the_reviewers_by_their_traits() -> None:
    reviewers = {role for role in Role if reviews_duplicates(role)}
    assert {Role.CENTRE_MANAGER, Role.SHELTER_MANAGER, Role.DATA_OFFICER} <= reviewers
    assert not {Role.ORG_ADMIN, Role.CASEWORKER, Role.HOTLINE_AGENT} & reviewers


def test_registering_her_again_with_the_same_phone_flags_the_pair(world: World) -> None:
    first = _register(world, Role.CASEWORKER, "Nasrin Akter", phone="01711-000111")
    second = _register(world, Role.HOTLINE_AGENT, "Nasreen", phone="+880 1711 000111")
    flag = DuplicateFlag.objects.get()
    assert {flag.person_a_id, flag.person_b_id} == {first.pk, second.pk}
    assert flag.person_a_id < flag.person_b_id
    assert flag.reasons == [Reason.SAME_PHONE]
    assert flag.status == DuplicateFlag.Status.OPEN
    assert AuditEntry.objects.filter(action="person.duplicate_flag", object_id=str(flag.pk)).exists()


def test_a_similar_name_counts_only_with_a_near_date_of_birth(world: World) -> None:
    _register(world, Role.CASEWORKER, "Fatema Begum", born_on=date(1990, 3, 7))
    _register(world, Role.CASEWORKER, "ফাতেমা বেগম", born_on=date(1990, 7, 3))  # day and month swapped
    _register(world, Role.CASEWORKER, "Fatima Begom", born_on=date(1970, 1, 1))  # same name, not her
    _register(world, Role.CASEWORKER, "Fatema", born_on=date(1990, 3, 7))  # a first name is not enough
    flag = DuplicateFlag.objects.get()
    assert flag.reasons == [Reason.SIMILAR_NAME_AND_BIRTH]


def test_without_her_birth_date_registering_reads_no_name_tokens(world: World) -> None:
    """A name alike counts only with a near birth date, so without hers the name search is skipped."""
    _register(world, Role.CASEWORKER, "Fatema Begum", born_on=date(1990, 3, 7), phone="01711-000222")
    with CaptureQueriesContext(connection) as undated:
        _register(world, Role.CASEWORKER, "Fatema Begum", phone="+880 1711 000222")
    with CaptureQueriesContext(connection) as dated:
        _register(world, Role.CASEWORKER, "Fatema Begum", born_on=date(1990, 3, 8))
    assert not [q for q in undated.captured_queries if q["sql"].startswith("SELECT") and _TOKENS in q["sql"]]
    assert [q for q in dated.captured_queries if q["sql"].startswith("SELECT") and _TOKENS in q["sql"]]
    assert sorted(flag.reasons for flag in DuplicateFlag.objects.all()) == [
        [Reason.SAME_PHONE],
        [Reason.SIMILAR_NAME_AND_BIRTH],
    ]


def test_same_id_number_flags_the_pair(world: World) -> None:
    _register(world, Role.CASEWORKER, "Leila", id_kind="NATIONAL_ID", id_number="1990 123 456")
    _register(world, Role.CASEWORKER, "Laila Ahmadi", id_kind="NATIONAL_ID", id_number="1990123456")
    assert DuplicateFlag.objects.get().reasons == [Reason.SAME_ID_NUMBER]


def test_the_command_scans_an_organisation_once(world: World) -> None:
    # Registered without a user (an import): nothing is flagged at registration.
    a = factories.person(world, "Rokeya Sultana", phone="01711-000222", born_on=date(1985, 1, 1))
    b = factories.person(world, "Rokaiya Sultana", phone="01711-000222", born_on=date(1985, 1, 20))
    factories.person(world, "Shirin", phone="01711-000999")
    assert not DuplicateFlag.objects.exists()
    out = StringIO()
    call_command("flag_duplicates", org="home", stdout=out)
    flag = DuplicateFlag.objects.get()
    assert {flag.person_a_id, flag.person_b_id} == {a.pk, b.pk}
    assert flag.reasons == sorted([Reason.SAME_PHONE, Reason.SIMILAR_NAME_AND_BIRTH])
    assert "1 new pairs flagged" in out.getvalue()
    assert "checked" in out.getvalue()  # progress is shown
    out = StringIO()
    call_command("flag_duplicates", stdout=out)
    assert DuplicateFlag.objects.count() == 1
    assert "home: 0 new pairs flagged" in out.getvalue()


def test_the_command_refuses_an_unknown_organisation(world: World) -> None:
    with pytest.raises(CommandError, match="No organisation"):
        call_command("flag_duplicates", org="nowhere", stdout=StringIO())


def test_a_pair_marked_distinct_is_never_flagged_again(world: World) -> None:
    flag = factories.flagged_pair(world)
    client = world.client_for(world.members[Role.DATA_OFFICER])
    response = client.post(reverse("people:mark_distinct", args=[flag.pk]))
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.DISTINCT
    again = actions.flag_duplicate(
        first=flag.person_b, second=flag.person_a, reasons=[Reason.SAME_PHONE], acting_user=None, at=world.at
    )
    assert again is None
    assert DuplicateFlag.objects.count() == 1
    assert client.get(reverse("people:duplicates")).content.decode().count(flag.person_a.survivor_code) == 0
    refused = client.post(reverse("people:mark_distinct", args=[flag.pk]), follow=True)
    assert "already been decided" in refused.content.decode()


def test_the_queue_shows_codes_and_reasons_but_no_names(world: World) -> None:
    flag = factories.flagged_pair(world)
    response = world.client_for(world.members[Role.CENTRE_MANAGER]).get(reverse("people:duplicates"))
    html = response.content.decode()
    assert response.status_code == 200
    assert flag.person_a.survivor_code in html and flag.person_b.survivor_code in html
    assert "Same ID number" in html
    assert "Walk Twin" not in html
    assert reverse("people:compare", args=[flag.pk]) in html


def test_comparing_shows_both_identities_as_audited_reads(world: World) -> None:
    flag = factories.flagged_pair(world)
    response = world.client_for(world.members[Role.DATA_OFFICER]).get(
        reverse("people:compare", args=[flag.pk])
    )
    assert response.status_code == 200
    assert response.content.decode().count("Walk Twin") == 2
    reads = AuditEntry.objects.filter(action="person.view", reason_code="duplicate_review")
    assert {entry.object_id for entry in reads} == {str(flag.person_a_id), str(flag.person_b_id)}


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ORG_ADMIN, Role.HOTLINE_AGENT])
def test_other_roles_cannot_review(world: World, role: Role) -> None:
    flag = factories.flagged_pair(world)
    client = world.client_for(world.members[role])
    assert client.get(reverse("people:duplicates")).status_code == 403
    assert client.get(reverse("people:compare", args=[flag.pk])).status_code == 403


def test_another_organisation_sees_no_flag(world: World) -> None:
    flag = factories.flagged_pair(world)
    outsider = make_member(world.other_org, Role.DATA_OFFICER, username="elsewhere.do", at=world.at)
    client = world.client_for(outsider)
    assert client.get(reverse("people:compare", args=[flag.pk])).status_code == 404
    assert client.post(reverse("people:mark_distinct", args=[flag.pk])).status_code == 404
    assert flag.person_a.survivor_code not in client.get(reverse("people:duplicates")).content.decode()


def test_it_refuses_to_flag_a_person_with_herself(world: World) -> None:
    person = factories.person(world)
    with pytest.raises(ValidationError, match="two records"):
        actions.flag_duplicate(
            first=person, second=person, reasons=[Reason.SAME_PHONE], acting_user=None, at=world.at
        )
