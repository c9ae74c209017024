"""The public pages' rate limit counts posts sent at the same moment, each once, on the shared database cache.

The web processes of a deployment share the cache table (HAVEN_CACHE_URL=database, the default). Only
PostgreSQL runs the posts' transactions side by side.
"""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory, override_settings

from haven.benefits.selection import public
from haven.web.apps import DATABASE_CACHE

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")

SENDERS = 24


@pytest.mark.django_db(transaction=True)
@override_settings(CACHES={"default": {"BACKEND": DATABASE_CACHE, "LOCATION": "haven_cache"}})
def test_a_burst_of_posts_from_one_address_lets_through_exactly_the_limit() -> None:
    call_command("createcachetable", verbosity=0)
    cache.clear()
    start = threading.Barrier(SENDERS)
    refused: list[bool] = []

    def post() -> None:
        try:
            request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
            start.wait(timeout=10)
            refused.append(public.too_many_posts(request, "objection", limit=5))
        finally:
            connections.close_all()

    senders = [threading.Thread(target=post) for _sender in range(SENDERS)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=30)

    assert len(refused) == SENDERS
    assert refused.count(False) == 5
    other_address = RequestFactory().post("/", REMOTE_ADDR="198.51.100.8")
    assert not public.too_many_posts(other_address, "objection", limit=5)
