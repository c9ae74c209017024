"""A tabled case shows as her survivor code only, unless she signed a valid release naming the
committee's directory entry: then her name shows, each showing audited; a revoked or expired release, or
one naming someone else, shows the code again."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.committees import actions
from haven.committees.tests.conftest import SURVIVOR_NAME, Setting, acting, api, release_for
from haven.conftest import World
from haven.directory.actions import create_provider
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.referrals.actions import revoke_release
from haven.referrals.models import Release


def _table(world: World, setting: Setting) -> None:
    actions.table_case(
        meeting=setting.meeting,
        case=setting.case,
        reason="Her husband threatens her again",
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )


def _meeting_page(world: World, setting: Setting, role: Role = Role.COUNSELLOR) -> str:
    client = world.client_for(world.members[role])
    response = client.get(reverse("committees:meeting", args=[setting.meeting.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def _tabled_api(world: World, setting: Setting) -> dict[str, object]:
    path = f"/committee-meetings/{setting.meeting.pk}/tabled-cases"
    rows = api(world, world.members[Role.COUNSELLOR], "GET", path).json()
    assert len(rows) == 1
    return rows[0]  # type: ignore[no-any-return]


def test_it_shows_only_her_code_without_a_release(world: World, setting: Setting) -> None:
    _table(world, setting)
    html = _meeting_page(world, setting)  # a counsellor who is not on her case team
    assert setting.case.survivor.survivor_code in html and SURVIVOR_NAME not in html
    row = _tabled_api(world, setting)
    assert row["survivor_code"] == setting.case.survivor.survivor_code and row["name"] is None


def test_it_shows_her_name_under_a_release_naming_the_committee(world: World, setting: Setting) -> None:
    _table(world, setting)
    release_for(setting, world)
    assert SURVIVOR_NAME in _meeting_page(world, setting)
    assert _tabled_api(world, setting)["name"] == SURVIVOR_NAME
    assert AuditEntry.objects.filter(action="committee.identity_view").count() == 2


def test_it_hides_her_name_again_once_revoked_or_expired(world: World, setting: Setting) -> None:
    _table(world, setting)
    release = release_for(setting, world)
    revoke_release(release=release, acting_user=acting(world, Role.CASEWORKER), at=timezone.now())
    assert SURVIVOR_NAME not in _meeting_page(world, setting)
    expired = release_for(setting, world)
    yesterday = timezone.localdate() - timedelta(days=1)
    Release.objects.filter(pk=expired.pk).update(
        signed_on=yesterday - timedelta(days=30), expires_on=yesterday
    )
    assert SURVIVOR_NAME not in _meeting_page(world, setting)
    assert _tabled_api(world, setting)["name"] is None
    assert not AuditEntry.objects.filter(action="committee.identity_view").exists()


def test_a_release_to_someone_else_does_not_name_her_to_the_committee(world: World, setting: Setting) -> None:
    _table(world, setting)
    clinic = create_provider(
        org=world.org,
        name="Legal aid clinic",
        kind="LEGAL_AID",
        services=["LEGAL_INFORMATION"],
        acting_user=None,
        at=world.at,
    )
    release_for(setting, world, recipient=clinic)
    assert SURVIVOR_NAME not in _meeting_page(world, setting)
