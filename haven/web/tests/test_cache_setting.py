"""HAVEN_CACHE_URL: every web process shares one cache unless told otherwise, and a wrong value says what to
write instead. (The processes themselves sharing it: haven/faults/tests/test_web_processes_share_state.py.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from haven.web.tests.test_security_headers import _settings_with

DATABASE = "django.core.cache.backends.db.DatabaseCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture(autouse=True)
def _no_cache_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAVEN_CACHE_URL", raising=False)
    monkeypatch.delenv("HAVEN_REDIS_URL", raising=False)


@pytest.mark.parametrize(
    ("env", "backend", "location"),
    [
        ({}, DATABASE, "haven_cache"),
        ({"HAVEN_REDIS_URL": "redis://queue:6379/0"}, REDIS, "redis://queue:6379/0"),
        ({"HAVEN_REDIS_URL": "redis://q:6379/0", "HAVEN_CACHE_URL": "database"}, DATABASE, "haven_cache"),
        ({"HAVEN_CACHE_URL": "redis://cache:6379/2"}, REDIS, "redis://cache:6379/2"),
    ],
)
def test_the_cache_is_shared_by_default(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], backend: str, location: str
) -> None:
    cache = _settings_with(monkeypatch, **env).CACHES["default"]

    assert (cache["BACKEND"], cache["LOCATION"], cache["KEY_PREFIX"]) == (backend, location, "haven")


def test_memory_is_chosen_only_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = _settings_with(monkeypatch, HAVEN_CACHE_URL="memory").CACHES["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_an_unknown_cache_says_what_to_write_without_repeating_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        _settings_with(monkeypatch, HAVEN_CACHE_URL="memcached://user:s3cret@cache:11211")

    assert '"database", "memory" or a redis://' in str(refused.value)
    assert "s3cret" not in str(refused.value)
