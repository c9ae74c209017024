from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def haven(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "current_org": getattr(request, "org", None),
        "quick_exit_url": settings.HAVEN_QUICK_EXIT_URL,
        "languages": settings.LANGUAGES,
    }
