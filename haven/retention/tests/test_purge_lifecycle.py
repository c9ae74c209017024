"""Retention across a record's whole life: a case reopened after its erasure, other apps' records about a
case, what is still going on, a conversation's first messages and call-backs, and the survivor's own
person record."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from haven.cases.models import Case, CaseNote
from haven.conftest import World
from haven.hotline.models import Callback, Contact
from haven.people.actions import register_person
from haven.people.models import Person, PersonNameToken
from haven.retention.actions import purge_all, set_retention_policy
from haven.retention.models import RetentionPolicy
from haven.retention.record_types import CLOSED_CASE, ENDED_CONTACT, PERSON
from haven.retention.tests.factories import closed_case, database_text, ended_webchat, webchat_line
from haven.risk.actions import save_safety_plan
from haven.risk.models import SafetyPlan

pytestmark = pytest.mark.django_db

KEEP_DAYS = 365


def _policy(world: World, record_type: str, mode: str) -> None:
    set_retention_policy(
        org=world.org,
        record_type=record_type,
        keep_days=KEEP_DAYS,
        mode=mode,
        active=True,
        acting_user=None,
        at=world.at,
    )


def _long_ago(world: World) -> datetime:
    return world.at - timedelta(days=KEEP_DAYS + 35)


# --- Cases ----------------------------------------------------------------------------------------------


def test_a_case_reopened_and_closed_again_is_erased_again(world: World) -> None:
    _policy(world, CLOSED_CASE, RetentionPolicy.Mode.PARTIAL)
    case, _traces = closed_case(world, closed_at=_long_ago(world), marker="FIRST")
    purge_all(at=world.at)
    closed_again = world.at + timedelta(days=20)
    Case.objects.filter(pk=case.pk).update(closed_at=closed_again)  # reopened, worked on, closed again
    later = CaseNote.objects.create(org=world.org, case=case, written_at=closed_again, text="Synthetic later")

    purge_all(at=closed_again + timedelta(days=KEEP_DAYS - 1))
    assert CaseNote.objects.get(pk=later.pk).text == "Synthetic later", "not due yet"
    purge_all(at=closed_again + timedelta(days=KEEP_DAYS + 1))

    assert CaseNote.objects.get(pk=later.pk).text == ""


def test_erasing_a_case_erases_what_other_apps_wrote_about_it(world: World) -> None:
    _policy(world, CLOSED_CASE, RetentionPolicy.Mode.PARTIAL)
    case, _traces = closed_case(world, closed_at=None, marker="PLAN")
    plan = save_safety_plan(
        case=case,
        language="en",
        review_on=world.at.date() + timedelta(days=30),
        sections={"safe_places": "Synthetic aunt's flat", "code_word": "Synthetic sunflower"},
        acting_user=None,
        at=world.at,
    )
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=_long_ago(world))

    purge_all(at=world.at)

    erased = SafetyPlan.objects.get(pk=plan.pk)
    assert (erased.safe_places, erased.code_word) == ("", "")


def test_a_closed_case_with_a_conversation_still_going_on_is_left_alone(world: World) -> None:
    _policy(world, CLOSED_CASE, RetentionPolicy.Mode.PARTIAL)
    case, _traces = closed_case(world, closed_at=_long_ago(world), marker="BUSY")
    ongoing = Contact.objects.create(org=world.org, offered_at=world.at, case=case)

    purge_all(at=world.at)
    assert CaseNote.objects.get(case=case).text == "Synthetic note BUSY"

    Contact.objects.filter(pk=ongoing.pk).update(ended_at=world.at + timedelta(minutes=5))
    purge_all(at=world.at + timedelta(days=1))
    assert CaseNote.objects.get(case=case).text == ""


# --- Conversations --------------------------------------------------------------------------------------


def test_the_transcript_includes_what_she_wrote_before_an_agent_took_the_chat(world: World) -> None:
    _policy(world, ENDED_CONTACT, RetentionPolicy.Mode.WHOLE)
    line = webchat_line(world)
    contact, traces = ended_webchat(world, line, ended_at=_long_ago(world), marker="QUEUED")
    # Her first message waited in the queue a while before the contact was offered to an agent.
    offered = contact.offered_at + timedelta(minutes=5)
    Contact.objects.filter(pk=contact.pk).update(offered_at=offered, answered_at=offered)

    purge_all(at=world.at)

    text = database_text()
    assert not [value for value in traces.values if value in text]


def test_a_contact_waits_for_its_call_back_and_then_takes_its_purpose_along(world: World) -> None:
    _policy(world, ENDED_CONTACT, RetentionPolicy.Mode.PARTIAL)
    contact, _traces = ended_webchat(world, webchat_line(world), ended_at=_long_ago(world), marker="CB")
    person = register_person(org=world.org, name="Synthetic Caller", acting_user=None, at=world.at)
    callback = Callback.objects.create(
        org=world.org,
        person=person,
        contact=contact,
        channel=Callback.Channel.PHONE,
        due_at=world.at,
        purpose="Synthetic purpose: ask about the court date",
        created_at=_long_ago(world),
    )

    purge_all(at=world.at)
    assert Contact.objects.get(pk=contact.pk).summary == "Synthetic summary CB", "a call is still due"

    Callback.objects.filter(pk=callback.pk).update(done_at=world.at)
    purge_all(at=world.at + timedelta(days=1))
    assert Contact.objects.get(pk=contact.pk).summary == ""
    assert Callback.objects.get(pk=callback.pk).purpose == ""


# --- Her person record ----------------------------------------------------------------------------------


def _survivor(world: World, name: str) -> Person:
    return register_person(
        org=world.org,
        name=name,
        phone="+15555550123",
        born_on=date(1990, 6, 15),
        sex=Person.Sex.FEMALE,
        acting_user=None,
        at=_long_ago(world),
    )


def _case_closed_long_ago(world: World, survivor: Person) -> Case:
    return Case.objects.create(
        org=world.org,
        survivor=survivor,
        status=Case.Status.CLOSED,
        opened_at=_long_ago(world),
        closed_at=_long_ago(world),
    )


def test_her_person_record_is_erased_once_nothing_of_hers_goes_on(world: World) -> None:
    _policy(world, PERSON, RetentionPolicy.Mode.PARTIAL)
    finished = _survivor(world, "Synthetic Finished Woman")
    _case_closed_long_ago(world, finished)
    helped_now = _survivor(world, "Synthetic Current Woman")
    Case.objects.create(org=world.org, survivor=helped_now, status=Case.Status.ACTIVE, opened_at=world.at)

    purge_all(at=world.at)

    erased = Person.objects.get(pk=finished.pk)
    assert (erased.name, erased.phone, erased.phone_index) == ("", "", "")
    assert (erased.sex, erased.born_on, erased.born_on_is_estimate) == ("FEMALE", date(1990, 1, 1), True)
    assert not PersonNameToken.objects.filter(person=finished).exists()
    assert Person.objects.get(pk=helped_now.pk).name == "Synthetic Current Woman"
    assert PersonNameToken.objects.filter(person=helped_now).exists()


def test_her_person_record_is_deleted_only_when_no_record_needs_it(world: World) -> None:
    _policy(world, PERSON, RetentionPolicy.Mode.WHOLE)
    alone = _survivor(world, "Synthetic Alone")
    with_a_case = _survivor(world, "Synthetic With Case")
    _case_closed_long_ago(world, with_a_case)

    purge_all(at=world.at)

    assert set(Person.objects.values_list("pk", flat=True)) == {with_a_case.pk}
    assert not PersonNameToken.objects.filter(person_id=alone.pk).exists()


def test_her_person_record_is_erased_again_after_a_case_reopened_and_closed_again(world: World) -> None:
    # Her case reopened after her record was erased: her details were typed in again, and stayed for good.
    _policy(world, PERSON, RetentionPolicy.Mode.PARTIAL)
    returned = _survivor(world, "Synthetic Returning Woman")
    case = _case_closed_long_ago(world, returned)
    purge_all(at=world.at)
    assert Person.objects.get(pk=returned.pk).name == ""

    closed_again = world.at + timedelta(days=20)
    person = Person.objects.get(pk=returned.pk)
    person.name, person.address = "Synthetic Returning Woman", "Synthetic 12 Road"
    person.save(update_fields=["name", "address"])
    Case.objects.filter(pk=case.pk).update(closed_at=closed_again)  # reopened, worked on, closed again

    purge_all(at=closed_again + timedelta(days=KEEP_DAYS - 1))
    assert Person.objects.get(pk=returned.pk).name == "Synthetic Returning Woman", "not due yet"
    purge_all(at=closed_again + timedelta(days=KEEP_DAYS + 1))

    erased = Person.objects.get(pk=returned.pk)
    assert (erased.name, erased.address) == ("", "")
