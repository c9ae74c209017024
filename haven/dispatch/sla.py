"""Clocks of a dispatch: the intervals between its steps, and the organisation's targets for them.

Everything here is derived from the `DispatchEvent` rows and `received_at`; nothing is stored. A target
("answer to dispatch within 60 s, 90 % of the time") is judged twice: per dispatch (this one took longer,
or an open one has been waiting longer: a breach) and over a period (the share of dispatches that met it
fell below the target share: the organisation is in breach).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.dispatch.models import Dispatch, Target
from haven.orgs.models import Organisation

RECEIVED = "RECEIVED"
"""The pseudo-step where every clock can start: when the call was answered (`Dispatch.received_at`)."""

S = Dispatch.Status


class Interval(models.TextChoices):
    ANSWER_TO_DISPATCH = "ANSWER_TO_DISPATCH", _("Answer to dispatch (team activated)")
    DISPATCH_TO_ACKNOWLEDGE = "DISPATCH_TO_ACKNOWLEDGE", _("Dispatch to acknowledgement")
    ACKNOWLEDGE_TO_EN_ROUTE = "ACKNOWLEDGE_TO_EN_ROUTE", _("Acknowledgement to leaving")
    TRAVEL = "TRAVEL", _("Travel to the scene")
    RESPONSE = "RESPONSE", _("Answer to arrival on scene")
    SCENE_TO_SAFETY = "SCENE_TO_SAFETY", _("On scene to arrival at destination")


BOUNDS: dict[str, tuple[str, str]] = {
    Interval.ANSWER_TO_DISPATCH: (RECEIVED, S.ACTIVATED),
    Interval.DISPATCH_TO_ACKNOWLEDGE: (S.ACTIVATED, S.ACKNOWLEDGED),
    Interval.ACKNOWLEDGE_TO_EN_ROUTE: (S.ACKNOWLEDGED, S.EN_ROUTE),
    Interval.TRAVEL: (S.EN_ROUTE, S.ON_SCENE),
    Interval.RESPONSE: (RECEIVED, S.ON_SCENE),
    Interval.SCENE_TO_SAFETY: (S.ON_SCENE, S.ARRIVED),
}

DEFAULT_TARGETS: dict[str, tuple[int, int]] = {Interval.ANSWER_TO_DISPATCH: (60, 90)}
"""Used until an organisation sets its own: answer → dispatch within 60 s, 90 % of the time."""


@dataclass(frozen=True)
class TargetRule:
    interval: str
    seconds: int
    share: int

    @property
    def label(self) -> str:
        return str(Interval(self.interval).label)


@dataclass(frozen=True)
class Clock:
    """One target applied to one dispatch. `elapsed` is None until the interval has started."""

    rule: TargetRule
    elapsed: float | None
    running: bool
    breached: bool


def targets_for(org: Organisation | uuid.UUID) -> list[TargetRule]:
    """The organisation's targets, or the defaults when it has set none."""
    org_id = org.pk if isinstance(org, Organisation) else org
    rows = Target.objects.filter(org_id=org_id)
    if rows:
        return [TargetRule(row.interval, row.seconds, row.share) for row in rows]
    return [TargetRule(interval, *limits) for interval, limits in DEFAULT_TARGETS.items()]


def step_times(dispatch: Dispatch, events: Iterable[tuple[str, datetime]]) -> dict[str, datetime]:
    times = {RECEIVED: dispatch.received_at}
    times.update({step: at for step, at in events})
    return times


def clock(rule: TargetRule, times: Mapping[str, datetime], *, closed: bool, now: datetime) -> Clock:
    """A finished interval breaches when it took longer than the target; an open one as soon as it has
    been running longer. An interval the dispatch will never finish (closed first) does not count."""
    start, end = (times.get(step) for step in BOUNDS[rule.interval])
    if start is None:
        return Clock(rule, None, running=False, breached=False)
    if end is None:
        if closed:
            return Clock(rule, None, running=False, breached=False)
        elapsed = (now - start).total_seconds()
        return Clock(rule, elapsed, running=True, breached=elapsed > rule.seconds)
    elapsed = (end - start).total_seconds()
    return Clock(rule, elapsed, running=False, breached=elapsed > rule.seconds)


def clocks(dispatch: Dispatch, rules: list[TargetRule], *, now: datetime) -> list[Clock]:
    """Every target's clock for one dispatch (events read from `dispatch.events`, prefetched or not)."""
    times = step_times(dispatch, ((event.step, event.at) for event in dispatch.events.all()))
    return [clock(rule, times, closed=dispatch.is_closed, now=now) for rule in rules]


@dataclass(frozen=True)
class StepInterval:
    """The time from one recorded step to the next, as shown on the dispatch page."""

    from_step: str
    to_step: str
    seconds: float


def step_intervals(dispatch: Dispatch) -> list[StepInterval]:
    """created → activated, activated → acknowledged, …: consecutive steps as recorded."""
    events = list(dispatch.events.all())
    return [
        StepInterval(before.step, after.step, (after.at - before.at).total_seconds())
        for before, after in itertools.pairwise(events)
    ]


@dataclass(frozen=True)
class Compliance:
    rule: TargetRule
    measured: int
    met: int

    @property
    def share_met(self) -> float | None:
        return 100 * self.met / self.measured if self.measured else None

    @property
    def breached(self) -> bool:
        """Below the target share; a period with nothing measured is not a breach."""
        return self.measured > 0 and 100 * self.met < self.rule.share * self.measured


def compliance(org: Organisation, since: datetime, until: datetime) -> list[Compliance]:
    """For each target, how many dispatches received in [since, until) finished the interval, and how
    many of those within the target."""
    rules = targets_for(org)
    dispatches = Dispatch.objects.filter(org=org, received_at__gte=since, received_at__lt=until)
    finished = [
        step_times(dispatch, ((event.step, event.at) for event in dispatch.events.all()))
        for dispatch in dispatches.prefetch_related("events")
    ]
    report = []
    for rule in rules:
        start, end = BOUNDS[rule.interval]
        spans = [(t[end] - t[start]).total_seconds() for t in finished if start in t and end in t]
        report.append(Compliance(rule, len(spans), sum(1 for span in spans if span <= rule.seconds)))
    return report
