"""An org admin rotates the organisation's key from the settings page; the work runs as a background task."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from haven.conftest import World
from haven.orgs.models import Site
from haven.orgs.roles import Role
from haven.privacy.keyring import keyring
from haven.privacy.models import DataKey


def test_it_rotates_through_the_task_queue(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    assert "key version 1" in client.get(reverse("orgs:settings")).content.decode()
    response = client.post(reverse("orgs:rotate_keys"))
    assert response.status_code == 302
    # The test settings run tasks at once; production queues them for `haven db_worker`.
    active = DataKey.objects.filter(org=world.org, purpose=DataKey.Purpose.ENCRYPTION, is_active=True)
    assert list(active.values_list("version", flat=True)) == [2]
    keyring.clear()
    assert Site.objects.get(pk=world.shelter.pk).address == "12 Hidden Lane"
    assert "key version 2" in client.get(reverse("orgs:settings")).content.decode()


def test_it_queues_in_the_database_by_default() -> None:
    from haven import settings as production

    assert production.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
