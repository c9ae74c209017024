"""The test settings' tripwire fails an API answer that carries what was read of a file without an audited
read, and lets through the answers the rule allows (haven/privacy/tripwire.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory

from haven.conftest import World
from haven.people.actions import PERSON_VIEW, register_person
from haven.people.models import Person
from haven.privacy import audit
from haven.privacy.tripwire import AuditedAnswerTripwire, UnauditedAnswer

NAME = "Shirin Akter"


def _call(path: str, view: Callable[[HttpRequest], HttpResponse], method: str = "post") -> HttpResponse:
    request = getattr(RequestFactory(), method)(path)
    return AuditedAnswerTripwire(view)(request)


@pytest.fixture
def person_id(world: World) -> uuid.UUID:
    return register_person(org=world.org, name=NAME, acting_user=None, at=world.at).pk


def _answering_with_her_name(person_id: uuid.UUID, *, audited: bool) -> Callable[[HttpRequest], HttpResponse]:
    def view(_request: HttpRequest) -> HttpResponse:
        person = Person.objects.get(pk=person_id)  # read from the database: her name is decrypted
        if audited:
            audit.record(action=PERSON_VIEW, actor=None, org=person.org, at=person.created_at, obj=person)
        return JsonResponse({"id": str(person.pk), "name": person.name})

    return view


def test_it_fails_an_answer_carrying_a_decrypted_value_without_a_read_entry(person_id: uuid.UUID) -> None:
    with pytest.raises(UnauditedAnswer, match="POST /api/v1/people/x/step answered with 1 identifying"):
        _call("/api/v1/people/x/step", _answering_with_her_name(person_id, audited=False))


def test_it_checks_reads_too(person_id: uuid.UUID) -> None:
    with pytest.raises(UnauditedAnswer):
        _call("/api/v1/people/x", _answering_with_her_name(person_id, audited=False), method="get")


def test_an_audited_answer_passes(person_id: uuid.UUID) -> None:
    answer = _call("/api/v1/people/x/step", _answering_with_her_name(person_id, audited=True))
    assert answer.status_code == 200 and NAME in answer.content.decode()


def test_an_echo_of_what_the_request_sent_is_no_read(world: World) -> None:
    def view(_request: HttpRequest) -> HttpResponse:
        person = register_person(org=world.org, name=NAME, acting_user=None, at=world.at)
        return JsonResponse({"id": str(person.pk), "name": person.name})  # never decrypted: she was sent

    assert _call("/api/v1/people", view).status_code == 200


def test_pages_are_outside_it(person_id: uuid.UUID) -> None:
    assert _call("/people/x/", _answering_with_her_name(person_id, audited=False)).status_code == 200


def test_a_short_value_counts_only_as_a_whole_string(world: World) -> None:
    short = register_person(org=world.org, name="Ana", acting_user=None, at=world.at).pk

    def view(_request: HttpRequest) -> HttpResponse:
        name = Person.objects.get(pk=short).name
        return JsonResponse({"detail": f"Banana {len(name)}"})  # "Ana" inside another word: not her name

    assert _call("/api/v1/x", view).status_code == 200


def test_a_long_value_is_found_inside_a_longer_string(person_id: uuid.UUID) -> None:
    def view(_request: HttpRequest) -> HttpResponse:
        return JsonResponse({"title": f"Safety plan of {Person.objects.get(pk=person_id).name}"})

    with pytest.raises(UnauditedAnswer):
        _call("/api/v1/x", view)


def test_read_entries_are_registered_as_reads() -> None:
    """The tripwire knows a read by its registration; a read action registered without `read=True`
    would leave every endpoint that records it failing, and a change registered as one would hide a gap."""
    registered = audit.registered_actions()
    named_as_reads = {code for code in registered if code.endswith((".view", "_view", "_read"))}
    assert named_as_reads and all(audit.is_read(code) for code in named_as_reads)
    assert not audit.is_read("person.update")
