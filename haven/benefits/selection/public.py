"""Guards for the public pages (notices with objections, grievances): a honeypot field and a rate limit.

The rate limit counts posts per client address and page in the cache, under a salted hash of the address
(the address itself is never stored). It only slows a flood; a determined sender with many addresses is
for the web server's own limits.

Each post claims one of ``limit`` slots, each kept for an hour from its post. A slot is claimed with the
cache's ``add``, which only one process can win, on every cache Haven runs with (the database table's
unique key, Redis's ``SET NX``). A read-then-write counter (``incr`` on the database cache) would let
posts sent at the same moment count once between them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

POSTS_PER_HOUR = 10
HOUR = 3600


def _client_key(request: HttpRequest, scope: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]
    return f"haven:public-posts:{scope}:{digest}"


def too_many_posts(request: HttpRequest, scope: str, limit: int = POSTS_PER_HOUR) -> bool:
    """Count this post; True once the client has posted `limit` times within the last hour."""
    client = _client_key(request, scope)
    slots = [f"{client}:{n}" for n in range(limit)]
    taken = cache.get_many(slots)
    # Another post may win a free slot first: then this one tries the next.
    return not any(cache.add(slot, 1, timeout=HOUR) for slot in slots if slot not in taken)


def is_robot(posted: Mapping[str, Any]) -> bool:
    """The honeypot: a field hidden from people, filled in only by robots."""
    return bool(str(posted.get("website", "")).strip())
