"""Admission, the stay page (an audited read), extensions, discharge with its follow-up plan, transfer,
and the panel on the case page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Appointment, FollowUp
from haven.conftest import World
from haven.orgs.actions import create_site
from haven.orgs.roles import Role
from haven.people.actions import add_to_her_household, set_safe_contact
from haven.privacy.models import AuditEntry
from haven.shelters import actions
from haven.shelters.models import BedHold, Facility, Stay, StayExtension, StayResident
from haven.shelters.tests.conftest import (
    Household,
    admit,
    bed,
    counts,
    make_facility,
    make_facility_on,
    make_household,
)


def _admit_url(household: Household, facility: Facility, **extra: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"facility": str(facility.pk), **extra}.items())
    return reverse("shelters:admit", args=[household.case.pk]) + "?" + query


def _body(household: Household, facility: Facility, **beds: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "facility": str(facility.pk),
        "woman_bed": str(bed(facility, beds.pop("woman", "1")).pk),
        "arrival_kind": "HOTLINE",
        "services_started": ["CRISIS_COUNSELLING"],
    }
    people = {"daughter": household.daughter, "son": household.son}
    for who, label in beds.items():
        body[f"child_{people[who].pk}"] = str(bed(facility, label).pk)
    return body


def test_the_admit_form_offers_free_beds_and_her_children(
    world: World, facility: Facility, household: Household
) -> None:
    other = admit_someone_else(world, facility)
    client = world.client_for(world.members[Role.CASEWORKER])
    html = client.get(_admit_url(household, facility)).content.decode()
    assert household.daughter.survivor_code in html and household.son.survivor_code in html
    assert str(bed(facility, "2").pk) in html and str(other.pk) not in html  # her bed is taken
    assert "Daughter" not in html  # codes, not names


def admit_someone_else(world: World, facility: Facility) -> Any:
    someone = make_household(world, "Someone")
    admit(someone, facility, timezone.now(), (someone.woman, "3"))
    return bed(facility, "3")


def test_a_caseworker_admits_the_mother_and_two_children(
    world: World, facility: Facility, household: Household
) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(
        _admit_url(household, facility), _body(household, facility, daughter="2", son="Wide")
    )
    stay = Stay.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("shelters:stay", args=[stay.pk])
    assert StayResident.objects.filter(stay=stay).count() == 3
    assert stay.arrival_kind == "HOTLINE" and stay.services_started == ["CRISIS_COUNSELLING"]


def test_a_boy_over_the_age_limit_is_refused_and_nothing_is_written(
    world: World, household: Household
) -> None:
    facility = make_facility(world, boys_max_age=8)
    before = counts()
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(_admit_url(household, facility), _body(household, facility, son="2"))
    assert response.status_code == 422
    assert "Boys older than 8 cannot stay at this facility; her son is 10." in response.content.decode()
    assert counts() == before


def test_the_inline_check_says_why_before_she_is_admitted_and_writes_nothing(
    world: World, household: Household
) -> None:
    facility = make_facility(world, boys_max_age=8)
    before = counts()
    client = world.client_for(world.members[Role.CASEWORKER])
    body = {**_body(household, facility, son="2"), "_validate": "1"}
    answer = client.post(_admit_url(household, facility), body, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "Boys older than 8 cannot stay at this facility; her son is 10." in answer.content.decode()
    assert counts() == before and not AuditEntry.objects.filter(action="stay.admit").exists()
    fine = {**_body(household, facility, daughter="2"), "_validate": "1"}
    answer = client.post(_admit_url(household, facility), fine, headers={"HX-Request": "true"})
    assert "cannot stay" not in answer.content.decode() and counts() == before


def test_a_bed_that_is_not_free_is_not_a_valid_choice(
    world: World, facility: Facility, household: Household
) -> None:
    taken = admit_someone_else(world, facility)
    before = counts()
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(
        _admit_url(household, facility), {**_body(household, facility), "woman_bed": str(taken.pk)}
    )
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert counts() == before


def test_admitting_from_a_hold_offers_the_held_beds_and_uses_the_hold(
    world: World, facility: Facility, household: Household
) -> None:
    holds = actions.place_hold(
        facility=facility,
        beds=[bed(facility, "1"), bed(facility, "2")],
        held_by=world.org,
        reference=str(household.case.pk),
        acting_user=None,
        at=timezone.now(),
    )
    client = world.client_for(world.members[Role.CASEWORKER])
    hold_page = client.get(reverse("shelters:hold", args=[holds[0].pk])).content.decode()
    assert _admit_url(household, facility, hold=str(holds[0].pk)).replace("&", "&amp;") in hold_page
    form = client.get(_admit_url(household, facility)).content.decode()
    assert str(bed(facility, "1").pk) not in form  # held for her: only offered with the hold
    url = _admit_url(household, facility, hold=str(holds[0].pk))
    response = client.post(url, {**_body(household, facility, daughter="2"), "hold": str(holds[0].pk)})
    assert response.status_code == 302
    assert set(BedHold.objects.values_list("status", flat=True)) == {"USED"}


def test_the_stay_page_is_an_audited_read(world: World, facility: Facility, household: Household) -> None:
    stay = admit(household, facility, timezone.now())
    client = world.client_for(world.members[Role.CASEWORKER])
    html = client.get(reverse("shelters:stay", args=[stay.pk])).content.decode()
    assert household.woman.survivor_code in html and "Amina" not in html
    assert AuditEntry.objects.filter(action="stay.view", object_id=str(stay.pk)).count() == 1
    outsider = world.client_for(world.outsider)
    assert outsider.get(reverse("shelters:stay", args=[stay.pk])).status_code in {403, 404}
    assert AuditEntry.objects.filter(action="stay.view", object_id=str(stay.pk)).count() == 1


def test_an_extension_is_requested_and_a_manager_decides(world: World, household: Household) -> None:
    facility = make_facility(world, max_stay_days=5)
    stay = admit(household, facility, timezone.now())
    worker = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("shelters:extension_request", args=[stay.pk])
    refused = worker.post(url, {"new_planned_end": timezone.localdate().isoformat(), "reason": "Housing"})
    assert refused.status_code == 422 and "after the current planned end" in refused.content.decode()
    assert not StayExtension.objects.exists()
    later = timezone.localdate() + timedelta(days=20)
    assert (
        worker.post(url, {"new_planned_end": later.isoformat(), "reason": "Waiting for housing"}).status_code
        == 302
    )
    extension = StayExtension.objects.get()
    decide = reverse("shelters:extension_decide", args=[extension.pk])
    assert worker.post(decide, {"approve": "1"}).status_code == 403
    manager = world.client_for(world.members[Role.SHELTER_MANAGER])
    manager.post(decide, {"approve": "1"})
    stay.refresh_from_db()
    assert stay.planned_end == later


def test_discharge_previews_and_creates_the_follow_up_plan(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, timezone.now() - timedelta(days=5))
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("shelters:discharge", args=[stay.pk])
    page = client.get(url).content.decode()
    today = timezone.localdate()
    preview = [today + timedelta(days=d) for d in (7, 30, 90)]
    assert "safe way" in page
    refused = client.post(url, {"destination": "FAMILY", "left_at": "2001-01-01T10:00"})
    assert refused.status_code == 422 and "before she arrived" in refused.content.decode()
    assert Stay.objects.get().is_active and not FollowUp.objects.exists()

    assert client.post(url, {"destination": "FAMILY"}).status_code == 302
    stay.refresh_from_db()
    assert stay.status == "ENDED" and stay.destination == "FAMILY"
    assert sorted(FollowUp.objects.filter(case=household.case).values_list("due_on", flat=True)) == preview


def test_the_preview_says_phone_meetings_when_it_is_safe_to_call(
    world: World, facility: Facility, household: Household
) -> None:
    set_safe_contact(
        person=household.woman,
        instructions={"safe_to_call": True, "safe_channel": "PHONE"},
        acting_user=None,
        at=timezone.now(),
    )
    stay = admit(household, facility, timezone.now())
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("shelters:discharge", args=[stay.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.count("phone meeting") == 3
    client.post(url, {"destination": "NEW_HOUSING"})
    assert Appointment.objects.filter(case=household.case, mode="PHONE").count() == 3


def test_a_transfer_moves_the_household_to_free_beds_of_another_facility(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, timezone.now(), (household.woman, "1"), (household.daughter, "2"))
    site = create_site(org=world.org, name="Long stay", kind="SHELTER", acting_user=None, at=world.at)
    target = make_facility_on(site, beds=2)
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("shelters:transfer", args=[stay.pk])
    page = client.get(url + f"?to={target.pk}").content.decode()
    assert household.daughter.survivor_code in page
    body = {
        "to_facility": str(target.pk),
        f"person_{household.woman.pk}": str(bed(target, "1").pk),
        f"person_{household.daughter.pk}": str(bed(target, "1").pk),
    }
    refused = client.post(url, body)
    assert refused.status_code == 422 and "same bed is chosen twice" in refused.content.decode()
    assert Stay.objects.count() == 1
    body[f"person_{household.daughter.pk}"] = str(bed(target, "2").pk)
    response = client.post(url, body)
    new = Stay.objects.get(facility=target)
    assert response["Location"] == reverse("shelters:stay", args=[new.pk])
    assert new.transferred_from_id == stay.pk and StayResident.objects.filter(stay=new).count() == 2


def test_the_case_page_shows_the_stay_and_the_way_to_a_bed(
    world: World, facility: Facility, household: Household
) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    case_url = reverse("cases:detail", args=[household.case.pk])
    before = client.get(case_url).content.decode()
    assert "shelter-stays" in before and f"/shelters/availability/?case={household.case.pk}" in before
    stay = admit(household, facility, timezone.now())
    after = client.get(case_url).content.decode()
    assert reverse("shelters:stay", args=[stay.pk]) in after and "find-bed" not in after


def test_an_infant_is_offered_the_cots_and_older_children_beds_only(
    world: World, facility: Facility, household: Household
) -> None:
    baby = add_to_her_household(
        head=household.woman,
        relationship="CHILD",
        name="Baby",
        sex="FEMALE",
        born_on=timezone.localdate() - timedelta(days=200),
        acting_user=None,
        at=world.at,
    ).person
    assert baby.born_on is not None and baby.born_on > date(2020, 1, 1)
    client = world.client_for(world.members[Role.CASEWORKER])
    html = client.get(_admit_url(household, facility)).content.decode()
    cot = str(bed(facility, "Cot").pk)

    def options(person_id: object) -> str:
        start = html.index(f'name="child_{person_id}"')
        return html[start : html.index("</select>", start)]

    assert cot in options(baby.pk) and cot not in options(household.daughter.pk)
    assert options(baby.pk).index(cot) < options(baby.pk).index(str(bed(facility, "1").pk))
