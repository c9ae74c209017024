"""The dispatch app's part of the case page: each step of her dispatches, and the handover at a shelter
or centre, on the case timeline. Summaries name the step and the team, never where she was: the case
timeline is read by her whole case team, the location only by the dispatch desk and the team that went.
Registered from `DispatchConfig.ready()`."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.cases.sections import TimelineItem, register_timeline_source
from haven.dispatch.models import Dispatch, DispatchEvent, Handover


def _event_summary(event: DispatchEvent) -> str:
    names = {"step": Dispatch.Status(event.step).label, "team": event.unit.name if event.unit else "—"}
    return _("Dispatch: %(step)s (team: %(team)s)") % names


def dispatch_items(case: Case) -> Iterator[TimelineItem]:
    events = DispatchEvent.objects.filter(dispatch__case=case).select_related("unit", "actor")
    for event in events:
        yield TimelineItem(
            kind="dispatch",
            at=event.at,
            summary=_event_summary(event),
            template="dispatch/_timeline_event.html",
            obj=event,
        )


def handover_items(case: Case) -> Iterator[TimelineItem]:
    for row in Handover.objects.filter(case=case).select_related("site", "actor"):
        place = row.site.name if row.site else Dispatch.Destination(row.destination_kind).label
        yield TimelineItem(
            kind="handover",
            at=row.at,
            summary=_("Handed over by the mobile team at %(place)s") % {"place": place},
            template="dispatch/_timeline_handover.html",
            obj=row,
        )


def register() -> None:
    register_timeline_source("dispatch.events", dispatch_items)
    register_timeline_source("dispatch.handovers", handover_items)
