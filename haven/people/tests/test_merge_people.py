"""Merging a duplicate into the record kept, and undoing it: everything that pointed at her moves,
generically, and comes back exactly; refusals say why and change nothing; two merges of one person cannot
both win."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from haven.cases.actions import open_case, record_incident
from haven.cases.models import Case, Incident
from haven.conftest import World, make_member
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people import actions, merging
from haven.people.models import (
    DuplicateFlag,
    Household,
    HouseholdMember,
    Person,
    PersonMerge,
    PersonNameToken,
    SafeContact,
)
from haven.people.tests import factories
from haven.privacy.models import AuditEntry

Relationship = HouseholdMember.Relationship


def _snapshot() -> set[tuple[str, str, str, str]]:
    """Every row pointing at any person, by the generic walk the merge itself uses."""
    rows = set()
    for field in merging.person_pointers():
        for pk, target in field.model._base_manager.values_list("pk", field.attname):
            if target is not None:
                rows.add((field.model._meta.label_lower, str(pk), field.name, str(target)))
    return rows


def _pair_with_history(world: World) -> tuple[DuplicateFlag, dict[str, Any]]:
    """Nasrin (kept) and Nasreen (merged), each with a file: cases, an incident, households, contacts."""
    kept = factories.person(world, "Nasrin Akter", phone="01711-000111")
    merged = factories.person(world, "Nasreen Akter", phone="01711-000111")
    for person, channel in ((kept, "SMS"), (merged, "WHATSAPP")):
        actions.set_safe_contact(
            person=person,
            instructions={"safe_to_call": True, "safe_channel": channel},
            acting_user=None,
            at=world.at,
        )
    case = open_case(survivor=merged, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    incident = record_incident(
        case=case,
        acting_user=None,
        at=world.at,
        occurred_on=world.at.date(),
        reported_on=world.at.date(),
        place_type="HOME",
        physical_violence=True,
    )
    child = factories.person(world, "Rafi")
    her_household = actions.start_household(head=merged, acting_user=None, at=world.at)
    actions.add_household_member(
        household=her_household, person=child, relationship=Relationship.CHILD, acting_user=None, at=world.at
    )
    mother = factories.person(world, "Jahanara")
    shared = actions.start_household(head=mother, acting_user=None, at=world.at)
    for person in (kept, merged):  # both are recorded as the mother's daughter: a clash to keep once
        actions.add_household_member(
            household=shared, person=person, relationship=Relationship.CHILD, acting_user=None, at=world.at
        )
    flag = factories.flagged_pair(world, first=kept, second=merged)
    return flag, {
        "kept": kept,
        "merged": merged,
        "case": case,
        "incident": incident,
        "household": her_household,
    }


def _keep(flag: DuplicateFlag, kept: Person) -> str:
    return "A" if flag.person_a_id == kept.pk else "B"


def _merge(world: World, flag: DuplicateFlag, kept: Person, role: Role = Role.CENTRE_MANAGER) -> Any:
    client = world.client_for(world.members[role])
    return client.post(reverse("people:merge", args=[flag.pk]), {"keep": _keep(flag, kept)}, follow=True)


def test_merge_re_points_everything_and_keeps_her_own_rows_where_they_clash(world: World) -> None:
    flag, h = _pair_with_history(world)
    kept, merged = h["kept"], h["merged"]
    kept_contact = SafeContact.objects.get(person=kept)
    merged_tokens = set(PersonNameToken.objects.filter(person=merged).values_list("token", flat=True))
    response = _merge(world, flag, kept)
    assert response.status_code == 200
    assert "was merged into" in response.content.decode()
    assert Case.objects.get(pk=h["case"].pk).survivor_id == kept.pk
    assert Incident.objects.get(pk=h["incident"].pk).case.survivor_id == kept.pk
    assert Household.objects.get(pk=h["household"].pk).head_id == kept.pk
    # Her safe-contact instructions win; the merged record's stay with it, remembered in the merge.
    assert SafeContact.objects.get(person=kept) == kept_contact
    assert SafeContact.objects.filter(person=merged).exists()
    # Name tokens: the ones she lacked moved, the shared ones stayed.
    kept_tokens = set(PersonNameToken.objects.filter(person=kept).values_list("token", flat=True))
    assert merged_tokens <= kept_tokens
    merge = PersonMerge.objects.get()
    left = {(row["model"], row["field"]) for row in merge.left}
    assert ("people.safecontact", "person") in left
    assert ("people.householdmember", "person") in left  # both were the mother's daughter
    assert ("people.personnametoken", "person") in left
    moved = {(row["model"], row["field"]) for row in merge.moved}
    assert {("cases.case", "survivor"), ("people.household", "head")} <= moved
    merged.refresh_from_db()
    assert merged.merged_into_id == kept.pk
    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.MERGED


def test_the_merged_record_is_hidden_from_files_and_search(world: World) -> None:
    flag, h = _pair_with_history(world)
    _merge(world, flag, h["kept"])
    caseworker = world.members[Role.CASEWORKER]
    client = world.client_for(caseworker)
    assert client.get(reverse("people:detail", args=[h["merged"].pk])).status_code == 404
    found = client.post(reverse("people:search"), {"phone": "01711-000111"}).content.decode()
    assert h["kept"].survivor_code in found
    assert h["merged"].survivor_code not in found
    page = client.get(reverse("people:detail", args=[h["kept"].pk])).content.decode()
    assert reverse("cases:detail", args=[h["case"].pk]) in page


def test_merge_and_undo_are_audited_with_field_names_only(world: World) -> None:
    flag, h = _pair_with_history(world)
    _merge(world, flag, h["kept"])
    merge = PersonMerge.objects.get()
    world.client_for(world.members[Role.CENTRE_MANAGER]).post(reverse("people:undo_merge", args=[merge.pk]))
    for action in ("person.merge", "person.merge_undo"):
        entry = AuditEntry.objects.get(action=action)
        assert entry.object_id == str(h["merged"].pk)
        assert "cases.case.survivor" in entry.fields and "merged_into" in entry.fields
        assert "Nasr" not in json.dumps(entry.fields)


def test_undo_restores_every_row_exactly(world: World) -> None:
    flag, h = _pair_with_history(world)
    before = _snapshot()
    _merge(world, flag, h["kept"])
    assert _snapshot() != before
    merge = PersonMerge.objects.get()
    client = world.client_for(world.members[Role.DATA_OFFICER])
    response = client.post(reverse("people:undo_merge", args=[merge.pk]), follow=True)
    assert "The merge was undone" in response.content.decode()
    assert _snapshot() == before
    h["merged"].refresh_from_db()
    assert h["merged"].merged_into_id is None
    flag.refresh_from_db()
    assert flag.status == DuplicateFlag.Status.OPEN  # back in the queue for a new decision
    assert PersonMerge.objects.get().undone_at is not None


def test_a_later_app_pointing_at_person_is_covered_without_editing_the_merge() -> None:
    labels = {(field.model._meta.label_lower, field.name) for field in merging.person_pointers()}
    assert {
        ("cases.case", "survivor"),
        ("people.safecontact", "person"),
        ("people.household", "head"),
        ("people.householdmember", "person"),
        ("people.personnametoken", "person"),
        ("people.person", "merged_into"),
    } <= labels
    assert not {("people.duplicateflag", "person_a"), ("people.personmerge", "kept")} & labels


def test_refusals_say_why_and_change_nothing(world: World) -> None:
    flag, h = _pair_with_history(world)
    kept, merged = h["kept"], h["merged"]
    user = world.persona(Role.CENTRE_MANAGER)
    with pytest.raises(ValidationError, match="merged with itself"):
        actions.merge_people(kept=kept, merged=kept, acting_user=user, at=world.at)
    stranger = Person.objects.create(
        org=world.other_org, survivor_code="S-OTHR-0001", name="Elsewhere", created_at=world.at
    )
    with pytest.raises(ValidationError, match="same organisation"):
        actions.merge_people(kept=kept, merged=stranger, acting_user=user, at=world.at)
    before = _snapshot()
    third = factories.person(world, "Nasrin")
    actions.merge_people(kept=kept, merged=merged, flag=flag, acting_user=user, at=world.at)
    with pytest.raises(ValidationError, match="already merged"):
        actions.merge_people(kept=third, merged=merged, acting_user=user, at=world.at)
    with pytest.raises(ValidationError, match="already merged"):
        actions.merge_people(kept=merged, merged=third, acting_user=user, at=world.at)
    assert PersonMerge.objects.count() == 1
    assert before - _snapshot()  # the one merge happened; the refused ones added nothing
    assert not AuditEntry.objects.filter(action="person.merge").exclude(object_id=str(merged.pk)).exists()


def test_undo_is_refused_after_the_window_or_when_the_kept_record_was_merged_again(
    world: World, settings: Any
) -> None:
    flag, h = _pair_with_history(world)
    manager = world.persona(Role.CENTRE_MANAGER)
    merge = actions.merge_people(
        kept=h["kept"], merged=h["merged"], flag=flag, acting_user=manager, at=world.at
    )
    settings.HAVEN_MERGE_UNDO_DAYS = 7
    with pytest.raises(ValidationError, match="within 7 days"):
        actions.undo_merge(merge=merge, acting_user=manager, at=world.at + timedelta(days=8))
    newer = factories.person(world, "Nasrin A.")
    actions.merge_people(kept=newer, merged=h["kept"], acting_user=manager, at=world.at)
    client = world.client_for(world.members[Role.CENTRE_MANAGER])
    response = client.post(reverse("people:undo_merge", args=[merge.pk]), follow=True)
    assert "has since been merged into another" in response.content.decode()
    h["merged"].refresh_from_db()
    assert h["merged"].merged_into_id == newer.pk  # her pointer followed the kept record, like every row
    # Undo the later merge first, then the earlier one can be undone.
    later = PersonMerge.objects.get(kept=newer)
    actions.undo_merge(merge=later, acting_user=manager, at=world.at)
    actions.undo_merge(merge=merge, acting_user=manager, at=world.at)
    h["merged"].refresh_from_db()
    assert h["merged"].merged_into_id is None
    with pytest.raises(ValidationError, match="already been undone"):
        actions.undo_merge(merge=merge, acting_user=manager, at=world.at)


def test_an_empty_choice_is_refused_on_the_page(world: World) -> None:
    flag = factories.flagged_pair(world)
    response = world.client_for(world.members[Role.CENTRE_MANAGER]).post(
        reverse("people:merge", args=[flag.pk]), {}, follow=True
    )
    assert "Choose which of the two records to keep." in response.content.decode()
    assert not PersonMerge.objects.exists()


def test_another_organisation_can_neither_merge_nor_undo(world: World) -> None:
    flag = factories.flagged_pair(world)
    merge = factories.merge(world, factories.flagged_pair(world))
    outsider = make_member(world.other_org, Role.CENTRE_MANAGER, username="elsewhere.cm", at=world.at)
    client = world.client_for(outsider)
    assert client.post(reverse("people:merge", args=[flag.pk]), {"keep": "A"}).status_code == 404
    assert client.post(reverse("people:undo_merge", args=[merge.pk])).status_code == 404
    assert (
        _api(world, outsider, "POST", f"/duplicate-flags/{flag.pk}/merge", {"keep": "A"}).status_code == 404
    )
    assert _api(world, outsider, "POST", f"/person-merges/{merge.pk}/undo", {}).status_code == 404
    assert PersonMerge.objects.get().undone_at is None


def _api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def test_the_api_lists_compares_merges_and_undoes(world: World) -> None:
    flag, h = _pair_with_history(world)
    officer = world.members[Role.DATA_OFFICER]
    listed = _api(world, officer, "GET", "/duplicate-flags")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [str(flag.pk)]
    assert "Nasr" not in listed.content.decode()
    compared = _api(world, officer, "GET", f"/duplicate-flags/{flag.pk}").json()
    assert {compared["a"]["name"], compared["b"]["name"]} == {"Nasrin Akter", "Nasreen Akter"}
    merged = _api(
        world, officer, "POST", f"/duplicate-flags/{flag.pk}/merge", {"keep": _keep(flag, h["kept"])}
    )
    assert merged.status_code == 201
    body = merged.json()
    assert body["kept_id"] == str(h["kept"].pk) and body["moved"] > 0 and body["left"] > 0
    again = _api(world, officer, "POST", f"/duplicate-flags/{flag.pk}/merge", {"keep": "A"})
    assert again.status_code == 422
    assert "already" in again.json()["errors"][0]["message"]
    undone = _api(world, officer, "POST", f"/person-merges/{body['id']}/undo", {})
    assert undone.status_code == 200
    assert undone.json()["undone_at"] is not None
    distinct = _api(world, officer, "POST", f"/duplicate-flags/{flag.pk}/distinct", {})
    assert distinct.json()["status"] == "DISTINCT"
    bad = _api(world, officer, "POST", f"/duplicate-flags/{flag.pk}/merge", {"keep": "C"})
    assert bad.status_code == 422


@pytest.mark.django_db(transaction=True)
def test_two_merges_of_one_person_cannot_both_succeed(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    merged = factories.person(world, "Salma")
    keepers = [factories.person(world, "Salma K."), factories.person(world, "Salma B.")]
    manager = world.persona(Role.CENTRE_MANAGER)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(kept: Person) -> None:
        try:
            barrier.wait()
            actions.merge_people(kept=kept, merged=merged, acting_user=manager, at=world.at)
            outcomes.append("merged")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(kept,)) for kept in keepers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["merged", "refused"]
    assert PersonMerge.objects.filter(merged=merged).count() == 1


def test_her_incidents_count_under_the_kept_record_s_sex_until_the_merge_is_undone(world: World) -> None:
    """The GBVIMS statistics read the sex kept on each incident: a merge that brings her cases over, and
    its undoing, must carry it along as a correction of her record does."""
    flag, h = _pair_with_history(world)
    kept, merged, incident = h["kept"], h["merged"], h["incident"]
    actions.update_person(
        person=merged,
        changes={"sex": Person.Sex.UNKNOWN},
        acting_user=world.persona(Role.CASEWORKER),
        at=world.at,
    )
    actions.update_person(
        person=kept,
        changes={"sex": Person.Sex.FEMALE},
        acting_user=world.persona(Role.CASEWORKER),
        at=world.at,
    )
    assert Incident.objects.get(pk=incident.pk).survivor_sex == Person.Sex.UNKNOWN
    _merge(world, flag, kept)
    assert Incident.objects.get(pk=incident.pk).survivor_sex == Person.Sex.FEMALE
    assert "cases.incident.survivor_sex" in AuditEntry.objects.get(action="person.merge").fields
    merge = PersonMerge.objects.get()
    world.client_for(world.members[Role.CENTRE_MANAGER]).post(reverse("people:undo_merge", args=[merge.pk]))
    assert Incident.objects.get(pk=incident.pk).survivor_sex == Person.Sex.UNKNOWN
    assert "cases.incident.survivor_sex" in AuditEntry.objects.get(action="person.merge_undo").fields


def test_a_merge_of_two_records_of_one_sex_leaves_her_incidents_and_says_nothing_of_them(
    world: World,
) -> None:
    flag, h = _pair_with_history(world)
    _merge(world, flag, h["kept"])
    assert Incident.objects.get(pk=h["incident"].pk).survivor_sex == h["kept"].sex
    assert "cases.incident.survivor_sex" not in AuditEntry.objects.get(action="person.merge").fields
