"""Fixtures of the committee tests: an upazila prevention committee with its directory entry and two
members (the police officer-in-charge and a doctor), a meeting that began an hour ago, and a woman's case
led by the caseworker. All names are invented."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.committees import actions
from haven.committees.models import Committee, CommitteeMember, Meeting
from haven.conftest import World
from haven.directory.actions import create_provider
from haven.directory.models import Provider
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.referrals.actions import record_release
from haven.referrals.models import Release

SURVIVOR_NAME = "Shahana Parvin"


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def acting(world: World, role: Role) -> Any:
    member = world.members[role]
    member.user.active_membership = member
    return member.user


@dataclass
class Setting:
    committee: Committee
    police: CommitteeMember
    doctor: CommitteeMember
    meeting: Meeting
    case: Case
    provider: Provider


def make_case(world: World, name: str = SURVIVOR_NAME) -> Case:
    survivor = register_person(org=world.org, name=name, acting_user=None, at=world.at)
    return open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)


def seat(committee: Committee, institution: str, kind: str, title: str, name: str) -> CommitteeMember:
    now = timezone.now()
    return actions.add_member(
        committee=committee,
        institution=institution,
        institution_type=kind,
        role_title=title,
        name=name,
        joined_on=timezone.localdate(now) - timedelta(days=30),
        acting_user=None,
        at=now,
    )


@pytest.fixture
def setting(world: World) -> Setting:
    now = timezone.now()
    provider = create_provider(
        org=world.org,
        name="Upazila committee on violence against women",
        kind="GOVERNMENT",
        services=["LEGAL_INFORMATION"],
        acting_user=None,
        at=now,
    )
    committee = actions.create_committee(
        org=world.org,
        name="Savar upazila prevention committee",
        kind="UPAZILA_PREVENTION",
        area=world.district,
        provider=provider,
        acting_user=None,
        at=now,
    )
    police = seat(committee, "Savar police station", "POLICE", "Member", "Inspector Karim Uddin")
    doctor = seat(committee, "Upazila health complex", "HEALTH", "Member-secretary", "Dr Salma Haque")
    meeting = actions.schedule_meeting(
        committee=committee,
        starts_at=now - timedelta(hours=1),
        place="Upazila Parishad hall",
        agenda=["Cases at high risk", "Dowry complaints this month"],
        acting_user=None,
        at=now,
    )
    return Setting(committee, police, doctor, meeting, make_case(world), provider)


def release_for(setting: Setting, world: World, *, recipient: Provider | None = None) -> Release:
    today = timezone.localdate()
    return record_release(
        person=setting.case.survivor,
        recipient=recipient or setting.provider,
        scope=[Release.Scope.IDENTITY],
        purpose="So the committee can coordinate her protection",
        signed_on=today,
        expires_on=today + timedelta(days=90),
        consent_method=Release.ConsentMethod.SIGNED_FORM,
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )
