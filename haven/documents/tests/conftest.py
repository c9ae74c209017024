"""Fixtures of the document tests: a survivor's case led by the lawyer (with her date of birth and one
incident), the organisation's example templates, and helpers to act, call the API and read PDFs back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.actions import open_case, record_incident
from haven.cases.models import Case
from haven.conftest import World
from haven.documents import actions
from haven.documents.models import DocumentTemplate, Draft
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person


def acting(membership: Membership) -> User:
    """The member's user acting under that membership, as the middleware sets it for a request."""
    user: User = membership.user
    user.active_membership = membership
    return user


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def errors(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


@dataclass
class Setting:
    world: World
    case: Case
    lawyer: Membership


@pytest.fixture
def setting(world: World) -> Setting:
    lawyer = world.members[Role.LAWYER]
    survivor = register_person(
        org=world.org, name="Synthetic Survivor", born_on=date(1990, 3, 12), acting_user=None, at=world.at
    )
    case = open_case(survivor=survivor, lead=lawyer, acting_user=None, at=world.at)
    record_incident(
        case=case,
        acting_user=None,
        at=world.at,
        occurred_on=timezone.localdate() - timedelta(days=3),
        place_type="HOME",
        physical_violence=True,
    )
    return Setting(world, case, lawyer)


def make_template(
    world: World, body: str, language: str = "en", title: str = "Test application"
) -> DocumentTemplate:
    return actions.create_template(
        org=world.org,
        kind="PROTECTION_ORDER",
        language=language,
        title=title,
        body=body,
        acting_user=None,
        at=world.at,
    )


def draft(setting: Setting, template: DocumentTemplate, values: dict[str, str] | None = None) -> Draft:
    return actions.draft_document(
        case=setting.case,
        template=template,
        values=values or {},
        acting_user=acting(setting.lawyer),
        at=timezone.now(),
    )


def download(client: Client, draft: Draft, version: int | None = None) -> bytes:
    url = reverse("documents:draft_pdf", args=[draft.pk]) + (f"?version={version}" if version else "")
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return bytes(response.content)
