"""What the case file shows, contributed by the apps that know it.

The case page is a status block, then panels (follow-ups, plan, services, referrals…), then one timeline of
everything that happened. `haven/cases` cannot import the apps built on it (referrals, shelters, hotline…),
so each app registers its own panels and timeline sources here from its `AppConfig.ready()`, and the case
page and API collect them. A source or panel only reads; writes stay in the app's verbs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from haven.cases.models import Case
    from haven.orgs.access import StaffRequest


@dataclass(frozen=True)
class TimelineItem:
    """One event on the case timeline.

    `summary` is one translated line without names: the API shows it, and it must be safe to read on a
    shared screen. `template` renders the item as an `<li>` with `item` in its context.
    """

    kind: str
    at: datetime
    summary: str
    template: str
    obj: Any = None
    extra: Mapping[str, Any] = field(default_factory=dict)


TimelineSource = Callable[["Case"], Iterable[TimelineItem]]


@dataclass(frozen=True)
class CasePanel:
    """A panel of the case page: `context(case, request)` gives what `template` needs besides `case`."""

    key: str
    order: int
    template: str
    context: Callable[[Case, StaffRequest], Mapping[str, Any]]


_timeline_sources: dict[str, TimelineSource] = {}
_panels: dict[str, CasePanel] = {}


def register_timeline_source(key: str, source: TimelineSource) -> None:
    """Add (or replace, so a re-run `ready()` is harmless) the timeline events of one kind of record."""
    _timeline_sources[key] = source


def register_panel(panel: CasePanel) -> None:
    _panels[panel.key] = panel


def timeline(case: Case) -> list[TimelineItem]:
    """Every source's events, newest first; events of the same instant keep the order they were given."""
    items = [item for source in _timeline_sources.values() for item in source(case)]
    ordered = sorted(enumerate(items), key=lambda pair: (pair[1].at, pair[0]))
    return [item for _index, item in reversed(ordered)]


def rendered_panels(case: Case, request: StaffRequest) -> list[SafeString]:
    """The HTML of every registered panel, in their order, for the case page."""
    return [
        render_to_string(panel.template, {"case": case, **panel.context(case, request)}, request=request)
        for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))
    ]
