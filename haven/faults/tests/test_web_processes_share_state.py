"""Scale-out: two gunicorn servers, each with two worker processes, behind one PostgreSQL, share what a person
expects to follow her from one process to the next: her session (signed in on one, signed in on all; signed
out on one, signed out on all) and the cache (the public pages' limit of posts per hour counts every
process's posts, not each one's alone).

Runs once with the default shared cache (a table in the database) and once with Redis.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, OpenerDirector, Request, build_opener

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.urls import reverse
from django.utils import timezone

from haven.conftest import PASSWORD, make_member, make_org
from haven.faults.tests import support
from haven.orgs.roles import Role

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

REDIS_CACHE = "redis://127.0.0.1:6379/14"
TRACK_LIMIT = 30  # haven/benefits/grievances/views.py: public_track


class NoRedirects(HTTPRedirectHandler):
    """A redirect is an answer to look at (signed in, or sent to the login page), not to follow."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One person's cookies, sent to whichever server she reaches (cookies do not depend on the port)."""

    def __init__(self) -> None:
        self.cookies = CookieJar()
        self.opener: OpenerDirector = build_opener(HTTPCookieProcessor(self.cookies), NoRedirects())

    def get(self, url: str) -> tuple[int, str]:
        return self._send(Request(url))

    def post(self, url: str, fields: dict[str, str]) -> tuple[int, str]:
        """Post as a form does, with the CSRF token of her cookie (fetched from the page if she has none)."""
        if not self._csrf_token():
            self.get(url)
        body = urlencode({**fields, "csrfmiddlewaretoken": self._csrf_token()}).encode()
        return self._send(Request(url, data=body))

    def _csrf_token(self) -> str:
        return next((cookie.value or "" for cookie in self.cookies if cookie.name == "csrftoken"), "")

    def _send(self, request: Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return int(response.status), response.read().decode()
        except HTTPError as answer:  # 3xx (not followed), 4xx: answers like any other here
            return answer.code, answer.read().decode()


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        return False
    return True


def _gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "haven.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"]
    return subprocess.Popen(command, env=env, cwd=support.ROOT)


def _answering(url: str) -> bool:
    try:
        return Browser().get(url)[0] == 200
    except OSError:
        return False


@pytest.fixture(params=["database", REDIS_CACHE])
def servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[str]]:
    cache_url = str(request.param)
    if cache_url.startswith("redis") and not _redis_reachable():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis is not reachable at 127.0.0.1:6379, and CI=true requires it")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    # Plain HTTP on loopback: the cookies may not be marked Secure, or no client would send them back.
    env = support.haven_env(
        support.database_url(), tmp_path, HAVEN_CACHE_URL=cache_url, HAVEN_SECURE_COOKIES="0"
    )
    # As an operator would: `migrate` makes the database cache's table (a no-op for Redis).
    subprocess.run(support.haven_command("migrate", "--no-input", "-v0"), env=env, check=True)
    if cache_url.startswith("redis"):
        subprocess.run(
            support.haven_command("shell", "-c", "from django.core.cache import cache; cache.clear()"),
            env=env,
            check=True,
        )
    ports = [support.free_port(), support.free_port()]
    processes = [_gunicorn(env, port) for port in ports]
    addresses = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for address in addresses:
            login_page = address + reverse("accounts:login")
            answered = partial(_answering, login_page)
            assert support.wait_until(answered, timeout=60), f"{address} never answered"
        yield addresses
    finally:
        support.stop_all(processes)


def test_a_session_started_on_one_server_is_the_same_on_the_other(servers: list[str]) -> None:
    first, second = servers
    org = make_org("scale", at=timezone.now())
    user = make_member(org, Role.CASEWORKER, username="scale.worker", at=timezone.now()).user
    # The servers run the production hashers; the test settings' fast one is not among them.
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    person = Browser()
    home = reverse("web:home")
    assert person.get(second + home)[0] == 302, "not signed in yet: sent to the login page"

    status, _page = person.post(
        first + reverse("accounts:login"), {"username": "scale.worker", "password": PASSWORD}
    )
    assert status == 302, "signed in on the first server"
    assert person.get(second + home)[0] == 200, "the second server knows her session"

    assert person.post(second + reverse("accounts:logout"), {})[0] == 302
    assert person.get(first + home)[0] == 302, "signed out on the second server: signed out on the first"


def test_the_public_post_limit_counts_every_process(servers: list[str]) -> None:
    org = make_org("scale-public", at=timezone.now())
    track = reverse("grievances:public_track", args=[org.slug])
    client = Browser()
    statuses = [
        client.post(servers[attempt % 2] + track, {"code": f"NOPE{attempt:04d}"})[0]
        for attempt in range(TRACK_LIMIT + 1)
    ]
    assert 429 not in statuses[:TRACK_LIMIT], statuses
    assert statuses[TRACK_LIMIT] == 429, f"the {TRACK_LIMIT + 1}st try, over four processes, was refused"
