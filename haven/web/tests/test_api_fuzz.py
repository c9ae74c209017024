"""Schemathesis over the whole authenticated OpenAPI, over real HTTP: no request, however odd, is a 500,
and every answer's status code is one the document lists for its operation.

Every operation of /api/v1/ is fuzzed with valid and with invalid data, as an organisation administrator,
as a caseworker, and as the administrator of another organisation. Path parameters name real objects of
the home organisation (made by the permission walk's OBJECTS factories, in the state their endpoints
expect), so the verbs behind the endpoints run rather than stopping at a 404; each write endpoint is also
sent the walk's valid body first. The run is bounded and deterministic (derandomised, no example
database), so it is the same on every machine; HAVEN_FUZZ_EXAMPLES=50 fuzzes longer by hand.
haven/web/tests/test_api_bad_input.py keeps one regression test per kind of server error it found.

Schemathesis' own pytest integration (`from_fixture(...).parametrize()`) is not used: it sets a private
attribute that pytest 9.2 no longer has; the public strategies and checks are enough.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Err, Ok

from haven.conftest import World
from haven.orgs.actions import create_site
from haven.orgs.models import Membership, Site
from haven.orgs.roles import Role
from haven.web.tests.test_view_permissions import OBJECTS, PAYLOADS

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Persona:
    """Who calls (a role of the home organisation; None: the other organisation's administrator), and how
    many generated requests per operation and mode, besides the walk's valid one. Invalid input is refused
    before the role check, so only the administrator needs it; the others are after the verbs and the
    scoping, which valid input reaches. The outsider only needs to be refused the home objects (404)."""

    role: Role | None
    modes: tuple[GenerationMode, ...]
    examples: int


PERSONAS = {
    "org-admin": Persona(Role.ORG_ADMIN, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE), 4),
    "caseworker": Persona(Role.CASEWORKER, (GenerationMode.POSITIVE,), 3),
    "outsider": Persona(None, (GenerationMode.POSITIVE,), 0),
}

# Only the token is sent as a header: schemathesis would otherwise also fuzz the Authorization header,
# and a request it cannot authenticate stops at the 401 before reaching anything worth fuzzing.
SCHEMATHESIS_CONFIG = {"generation": {"with-security-parameters": False}}

# Every answer, generated requests' included, must be as the document says: a status code it lists for the
# operation (the refusals too: see `haven.web.openapi.refusals`), its media type, and its body's schema.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

Operation = APIOperation[Any, Any, Any, Any]
AnyCase = Case[Any]
Send = Callable[[AnyCase], None]


@dataclass(frozen=True)
class Fixed:
    """What every generated request keeps: the caller's token, and the real objects its path names."""

    headers: dict[str, str]
    objects: dict[str, str]
    examples: int


@cache
def _openapi(base_url: str) -> dict[str, Any]:
    """The document the running server publishes (fetched once per server: it does not change)."""
    response = requests.get(f"{base_url}{API_PREFIX}/openapi.json", timeout=30)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


def _path_names(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def _site_of_its_own(world: World, _member: Membership) -> uuid.UUID:
    """The fuzzed PATCH renames and closes the site it is given; the walk's bodies find the home shelter by
    its name, so the fuzz gets a site no body needs."""
    return create_site(org=world.org, name="Fuzzed", kind=Site.Kind.OFFICE, acting_user=None, at=world.at).pk


FUZZED_OBJECTS = {**OBJECTS, "site_id": _site_of_its_own}


def _real_objects(document: dict[str, Any], world: World, owner: Membership) -> dict[str, str]:
    """One object of the home organisation per path parameter, made for `owner`."""
    names = {name for path in document["paths"] for name in _path_names(path)}
    missing = sorted(names - set(FUZZED_OBJECTS))
    assert not missing, f"add OBJECTS entries in test_view_permissions.py for {missing}"
    return {name: str(FUZZED_OBJECTS[name](world, owner)) for name in sorted(names)}


def _valid_case(operation: Operation, path: dict[str, str], headers: dict[str, str]) -> AnyCase:
    """The request the permission walk makes: the walk's valid body, if the operation takes one."""
    make = PAYLOADS.get((operation.method.upper(), operation.path.removeprefix(API_PREFIX)))
    if make is None or operation.method.upper() == "GET":
        return operation.Case(path_parameters=path, headers=headers)
    return operation.Case(path_parameters=path, headers=headers, body=make(), media_type="application/json")


def _phases(examples: int) -> list[hypothesis.Phase]:
    if examples == 0:
        return [hypothesis.Phase.explicit]
    return [hypothesis.Phase.explicit, hypothesis.Phase.generate, hypothesis.Phase.shrink]


def _fuzz(operation: Operation, mode: GenerationMode, fixed: Fixed, send: Send) -> str | None:
    """Fuzz one operation in one mode; the first server error or answer otherwise than documented (shrunk
    to its simplest form), if any."""
    path = {name: fixed.objects[name] for name in _path_names(operation.path)}
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path, headers=fixed.headers)
    valid = _valid_case(operation, path, fixed.headers)

    @hypothesis.settings(
        max_examples=max(fixed.examples, 1),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=_phases(fixed.examples),
    )
    @hypothesis.given(case=strategy)
    def run(case: AnyCase) -> None:
        send(case)

    if mode is GenerationMode.POSITIVE:
        run = hypothesis.example(case=valid)(run)
    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        return None  # nothing in the request can be made invalid: the path is fixed and there is no body
    except (Exception, FailureGroup) as exc:  # a failed check, or a dropped connection: the server's fault
        return f"{operation.label} ({mode.value}): {exc}"
    return None


@contextmanager
def _quiet_refusals() -> Iterator[None]:
    """Thousands of 4xx warnings would bury the tracebacks of the server errors this test is after."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _caller(world: World, persona: Persona) -> tuple[Membership, Membership]:
    """Who calls, and the home member the path's objects are made for (the outsider gets the admin's)."""
    if persona.role is None:
        return world.outsider, world.members[Role.ORG_ADMIN]
    return world.members[persona.role], world.members[persona.role]


@pytest.mark.parametrize("persona", PERSONAS.values(), ids=PERSONAS.keys())
def test_it_never_answers_with_a_server_error(live_server: Any, world: World, persona: Persona) -> None:
    member, owner = _caller(world, persona)
    document = _openapi(live_server.url)
    fixed = Fixed(
        headers={"Authorization": f"Bearer {world.token_for(member)}"},
        objects=_real_objects(document, world, owner),
        examples=int(os.environ.get("HAVEN_FUZZ_EXAMPLES", persona.examples)),
    )

    def send(case: AnyCase) -> None:
        case.call_and_validate(base_url=live_server.url, checks=CHECKS)

    config = SchemathesisConfig.from_dict(SCHEMATHESIS_CONFIG)
    schema = schemathesis.openapi.from_dict(document, config=config)
    results = list(schema.get_all_operations())
    assert not [result.err() for result in results if isinstance(result, Err)]
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) > 300  # the whole API, not a filtered corner of it
    with _quiet_refusals():
        failures = [
            failure
            for operation in operations
            for mode in persona.modes
            if (failure := _fuzz(operation, mode, fixed, send)) is not None
        ]
    assert not failures, "\n\n".join(failures)
