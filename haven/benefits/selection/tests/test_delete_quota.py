"""Removing a quota: refused once a selection list is built on it, even when the list is built while the
removal is under way (it waits for the programme's lock, or meets the database's PROTECT on SQLite)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.benefits.models import Quota
from haven.benefits.selection import actions
from haven.benefits.selection.models import SelectionList
from haven.benefits.selection.tests.helpers import programme_with_rules, quota
from haven.benefits.tests import factories
from haven.conftest import World, another_submit_lands_after_the_check
from haven.privacy.models import AuditEntry

pytestmark = pytest.mark.usefixtures("fake_rules")
REFUSAL = "A selection list was built on this quota; it cannot be removed."


@pytest.fixture
def places(world: World) -> Quota:
    return quota(programme_with_rules(world.org), factories.union(world.org))


def test_a_quota_without_a_list_is_removed(places: Quota) -> None:
    actions.delete_quota(quota=places, acting_user=None, at=timezone.now())
    assert not Quota.objects.filter(pk=places.pk).exists()
    assert AuditEntry.objects.filter(action="benefits.quota_change", reason_code="deleted").count() == 1


def test_a_quota_with_a_list_is_refused(places: Quota) -> None:
    actions.build_draft(quota=places, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        actions.delete_quota(quota=places, acting_user=None, at=timezone.now())
    assert refused.value.message_dict == {"quota": [REFUSAL]}
    assert Quota.objects.filter(pk=places.pk).exists()


def test_a_list_built_while_the_quota_is_being_removed_is_refused_not_a_server_error(places: Quota) -> None:
    def build() -> None:
        actions.build_draft(quota=places, acting_user=None, at=timezone.now())

    with (
        another_submit_lands_after_the_check(SelectionList, build),
        pytest.raises(ValidationError) as refused,
    ):
        actions.delete_quota(quota=places, acting_user=None, at=timezone.now())
    assert refused.value.message_dict == {"quota": [REFUSAL]}
    # The other officer's list ran inside this test's one connection, so it went with the rollback;
    # what matters is the refusal in place of a server error, and the quota kept.
    assert Quota.objects.filter(pk=places.pk).exists()
    assert not AuditEntry.objects.filter(reason_code="deleted").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_it_locks_the_programme_as_building_a_list_does(places: Quota) -> None:
    with CaptureQueriesContext(connection) as queries:
        actions.delete_quota(quota=places, acting_user=None, at=timezone.now())
    sqls = [query["sql"] for query in queries.captured_queries]
    lock = next(i for i, sql in enumerate(sqls) if "benefits_programme" in sql and "FOR UPDATE" in sql)
    check = next(i for i, sql in enumerate(sqls) if SelectionList._meta.db_table in sql)
    assert lock < check
