"""Input the API fuzzing (test_api_fuzz.py) found answered with a 500: one test per kind, each a 4xx now.

Text PostgreSQL cannot store (NUL, half a surrogate pair), null sent for a field that cannot be empty,
integers past what a column or a date can hold, and a provider's file with bare carriage returns.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import DataError
from django.test import Client

from haven.benefits.payments.models import PaymentBatch
from haven.benefits.payments.tests import factories as payment_factories
from haven.benefits.payments.tests import walk as payments_walk
from haven.conftest import World
from haven.directory.models import Provider
from haven.orgs.models import Area, Site
from haven.orgs.roles import Role
from haven.referrals.tests import walk as referral_walk
from haven.shelters.models import Facility
from haven.shelters.tests import walk as shelters_walk


def _send(world: World, role: Role, method: str, path: str, body: Any = None, *, raw: str = "") -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(world.members[role])}"}
    data = raw or (json.dumps(body) if body is not None else "")
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def _errors(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_it_refuses_a_nul_character_anywhere_in_the_body(world: World) -> None:
    before = Area.objects.count()
    named = _send(world, Role.ORG_ADMIN, "POST", "/areas", {"name": "North\u0000", "level": 1})
    assert _errors(named) == {"name": "This text contains a NUL character or a broken Unicode sequence."}
    # A key of a JSON object counts too: PostgreSQL's jsonb refuses it as well.
    keyed = _send(world, Role.ORG_ADMIN, "POST", "/areas", {"name": "North", "level": 1, "x": {"a\u0000": 1}})
    assert list(_errors(keyed)) == ["x.a\u0000"]
    assert Area.objects.count() == before


def test_it_refuses_half_a_surrogate_pair_and_a_nul_in_the_query(world: World) -> None:
    lone = _send(world, Role.ORG_ADMIN, "POST", "/areas", raw='{"name": "North \\ud800", "level": 1}')
    assert list(_errors(lone)) == ["name"]
    queried = _send(world, Role.PROGRAMME_OFFICER, "GET", "/groups/activities?kind=%00")
    assert list(_errors(queried)) == ["kind"]


def test_it_reads_null_as_unchanged_where_a_field_cannot_be_empty(world: World) -> None:
    site = _send(world, Role.ORG_ADMIN, "PATCH", f"/sites/{world.office.pk}", {"name": None})
    assert site.status_code == 200 and Site.objects.get(pk=world.office.pk).name == "Office"

    facility = shelters_walk.home_facility()
    sent = {"hold_minutes": None, "accepts_women": None, "max_stay_days": None}
    assert _send(world, Role.ORG_ADMIN, "PATCH", f"/facilities/{facility.pk}", sent).status_code == 200
    facility = Facility.objects.get(pk=facility.pk)
    # Null still clears a limit that may be empty ("no longest stay").
    assert (facility.hold_minutes, facility.accepts_women, facility.max_stay_days) == (90, True, None)

    provider = referral_walk.provider(world.org)
    changed = _send(world, Role.ORG_ADMIN, "PATCH", f"/providers/{provider.pk}", {"languages": None})
    assert changed.status_code == 200
    assert Provider.objects.get(pk=provider.pk).languages == provider.languages


def test_it_refuses_integers_past_what_a_column_or_a_date_holds(world: World) -> None:
    huge = 10**19
    days = _send(world, Role.ORG_ADMIN, "GET", f"/dispatch-targets?days={huge}")
    assert list(_errors(days)) == ["days"]
    offset = _send(world, Role.PROGRAMME_OFFICER, "GET", f"/groups/activities?offset={huge}")
    assert list(_errors(offset)) == ["offset"]
    batch = payments_walk.draft_batch()
    page = _send(world, Role.PROGRAMME_OFFICER, "GET", f"/payment-batches/{batch.pk}/payments?page={huge}")
    assert list(_errors(page)) == ["page"]


@pytest.mark.parametrize(
    "error", [DataError("integer out of range"), OverflowError("date value out of range")]
)
def test_it_answers_a_value_the_database_refuses_with_a_422(
    world: World, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    # The safety net for the columns no schema bounds yet: whatever a verb could not store is the
    # request's fault, said in the caller's language, not a 500.
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise error

    monkeypatch.setattr("haven.dispatch.api.sla.compliance", refuse)
    response = _send(world, Role.ORG_ADMIN, "GET", "/dispatch-targets")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request has errors.",
        "errors": [{"field": "", "message": "A value in the request is too large or out of range."}],
    }


def test_it_reads_a_result_file_whose_lines_end_in_bare_carriage_returns(world: World) -> None:
    batch = payments_walk.sent_batch()
    content = payment_factories.all_paid(batch).decode().replace("\r\n", "\r")
    body = {"file_name": "results.csv", "content": content}
    response = _send(world, Role.PROGRAMME_OFFICER, "POST", f"/payment-batches/{batch.pk}/results", body)
    assert response.status_code == 201, response.content
    assert PaymentBatch.objects.get(pk=batch.pk).status == PaymentBatch.Status.RECONCILED
