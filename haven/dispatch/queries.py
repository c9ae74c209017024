"""Reads for the dispatch pages and API: the board's rows with their clocks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from haven.dispatch import sla
from haven.dispatch.models import Dispatch, DispatchQuerySet


def duration(seconds: float | None) -> str:
    """ "4 min 05 s": short enough for a board, unambiguous in every language."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(int(max(seconds, 0)), 60)
    return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": rest}


@dataclass(frozen=True)
class BoardRow:
    dispatch: Dispatch
    waiting: float
    in_step: float
    clocks: list[sla.Clock]

    @property
    def breached(self) -> list[sla.Clock]:
        return [clock for clock in self.clocks if clock.breached]

    @property
    def waiting_text(self) -> str:
        return duration(self.waiting)

    @property
    def in_step_text(self) -> str:
        return duration(self.in_step)


def with_events(dispatches: DispatchQuerySet) -> Any:
    return dispatches.select_related("unit").prefetch_related("events")


def board_rows(dispatches: DispatchQuerySet, org_id: uuid.UUID, now: datetime) -> list[BoardRow]:
    """Each open dispatch with how long since the call, how long in its current step, and its clocks."""
    rules = sla.targets_for(org_id)
    rows = []
    for dispatch in with_events(dispatches.open()):
        events = list(dispatch.events.all())
        since = events[-1].at if events else dispatch.created_at
        rows.append(
            BoardRow(
                dispatch,
                waiting=(now - dispatch.received_at).total_seconds(),
                in_step=(now - since).total_seconds(),
                clocks=sla.clocks(dispatch, rules, now=now),
            )
        )
    return rows
