"""Reads of the directory that take more than one line: the filtered list."""

from __future__ import annotations

from typing import Any

from haven.directory.models import Provider, ProviderQuerySet
from haven.orgs.models import Area


def find_providers(
    user: Any,
    *,
    service: str = "",
    language: str = "",
    area: Area | None = None,
    open_24_7: bool = False,
    include_inactive: bool = False,
) -> list[Provider]:
    """Providers of the user's directory matching every filter given.

    Service, area and the flags filter in SQL. The language filter runs over the result in Python:
    languages are a short JSON list, SQLite cannot search inside JSON, and a directory holds tens to
    hundreds of providers, not millions.
    """
    providers: ProviderQuerySet = Provider.objects.visible_to(user).prefetch_related("services", "areas")
    if service:
        providers = providers.offering(service)
    if area is not None:
        providers = providers.filter(areas=area)
    if open_24_7:
        providers = providers.filter(open_24_7=True)
    if not include_inactive:
        providers = providers.filter(is_active=True)
    code = language.strip().lower()
    return [p for p in providers.order_by("name") if not code or code in p.languages]
