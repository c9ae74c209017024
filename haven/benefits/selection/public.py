"""Guards for the public pages (notices with objections, grievances): a honeypot field and a rate limit.

The rate limit counts posts per client address and page in the cache, under a salted hash of the address
(the address itself is never stored). It only slows a flood; a determined sender with many addresses is
for the web server's own limits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

POSTS_PER_HOUR = 10


def _client_key(request: HttpRequest, scope: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]
    return f"haven:public-posts:{scope}:{digest}"


def too_many_posts(request: HttpRequest, scope: str, limit: int = POSTS_PER_HOUR) -> bool:
    """Count this post; True once the client has posted more than `limit` times within the hour."""
    key = _client_key(request, scope)
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return False
    return count > limit


def is_robot(posted: Mapping[str, Any]) -> bool:
    """The honeypot: a field hidden from people, filled in only by robots."""
    return bool(str(posted.get("website", "")).strip())
