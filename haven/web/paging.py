"""One way to cut long lists into pages, so that a list of 20,000 cases never renders at once."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def page_of(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> Page[Any]:
    """The page asked for in `?page=`; a missing, malformed or too-large number gives the nearest page
    rather than an error (a bookmarked page of a list that has shrunk still opens)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
