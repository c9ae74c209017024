"""The test's live server answers a browser's requests that arrive together (real HTTP, real threads)."""

from __future__ import annotations

import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from haven.conftest import World
from haven.orgs.roles import Role


@pytest.mark.django_db(transaction=True)
def test_requests_arriving_together_are_all_answered(live_server: Any, world: World) -> None:
    # On SQLite in memory, the server's threads meet in one shared-cache database that locks whole tables
    # (`browser_support._LiveServer`); signed-in pages read and save the session, as a page and its fetches
    # do at once.
    client = Client()
    client.force_login(world.persona(Role.CASEWORKER))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def status(_: int) -> int:
        request = urllib.request.Request(live_server.url + reverse("web:home"), headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(status, range(48)))

    assert statuses == [200] * 48
