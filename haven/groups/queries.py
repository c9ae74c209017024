"""Reads of the groups app: the activities list with its figures, a session's counts, the participation
figures of a period, and campaign totals.

Counts and totals are not personal: whoever may see the activity or campaign sees them. They are
computed with grouped SQL (one query per figure), never by loading rows one by one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from haven.groups.models import (
    Activity,
    ActivityKind,
    ActivitySession,
    AgeGroup,
    AnonymousCount,
    Attendance,
    Campaign,
    Distribution,
    Institution,
    Material,
    Sex,
)
from haven.orgs.models import Organisation

PRESENT = Attendance.Status.PRESENT


def _subtotal(queryset: QuerySet[Any], group: str, value: Any) -> Any:
    """A correlated sub-query's one number (0 when there are no rows), to annotate a list without
    multiplying rows the way two joined aggregates would."""
    summed = queryset.order_by().values(group).annotate(total=value).values("total")
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))


EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def _midnight(day: date, fallback: datetime) -> datetime:
    """00:00 of `day` in the current time zone, as UTC; `fallback` when that instant lies outside what a
    datetime can hold (before 1 January of year 1 or after 31 December 9999 in UTC)."""
    try:
        return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()).astimezone(UTC)
    except OverflowError:
        return fallback


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the current time zone. A period reaching the edges of
    the calendar (0001-01-01, 9999-12-31) is bounded by the first or last instant a datetime can hold."""
    after = LATEST if end >= date.max else _midnight(end + timedelta(days=1), LATEST)
    return _midnight(start, EARLIEST), after


# --- activities ------------------------------------------------------------------------------------------


def activity_list(
    user: Any, *, kind: str = "", start: date | None = None, end: date | None = None
) -> QuerySet[Activity]:
    """The user's visible activities of `kind` (any when empty) that run during [start, end], with how many
    sessions they had and how many took part (known persons present plus anonymous counts)."""
    activities = Activity.objects.visible_to(user).select_related("site")
    if kind:
        activities = activities.filter(kind=kind)
    if end is not None:
        activities = activities.filter(starts_on__lte=end)
    if start is not None:
        activities = activities.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    return _with_counts(activities)


def _with_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    by_activity = OuterRef("pk")
    return activities.annotate(
        session_count=_subtotal(
            ActivitySession.objects.filter(activity=by_activity), "activity", Count("pk")
        ),
        known_count=_subtotal(
            Attendance.objects.filter(session__activity=by_activity, status=PRESENT),
            "session__activity",
            Count("pk"),
        ),
        anonymous_count=_subtotal(
            AnonymousCount.objects.filter(session__activity=by_activity), "session__activity", Sum("count")
        ),
    )


def activity_list_for(activity: Activity) -> Activity:
    """One activity with the counts the list shows."""
    annotated: Activity = _with_counts(Activity.objects.filter(pk=activity.pk).select_related("site")).get()
    return annotated


def sessions_of(activity: Activity) -> QuerySet[ActivitySession]:
    """The activity's sessions with their counts, for the activity page and API."""
    by_session = OuterRef("pk")
    sessions: QuerySet[ActivitySession] = (
        ActivitySession.objects.filter(activity=activity)
        .select_related("site", "facilitator__user")
        .annotate(
            known_count=_subtotal(
                Attendance.objects.filter(session=by_session, status=PRESENT), "session", Count("pk")
            ),
            anonymous_count=_subtotal(
                AnonymousCount.objects.filter(session=by_session), "session", Sum("count")
            ),
        )
    )
    return sessions


@dataclass
class SessionCounts:
    capacity: int | None
    present: int
    absent: int
    excused: int
    anonymous: int
    # (sex, age group, institution) → count
    cells: dict[tuple[str, str, str], int]

    @property
    def total(self) -> int:
        return self.present + self.anonymous

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.total, 0)


def session_counts(session: ActivitySession) -> SessionCounts:
    statuses = dict(
        Attendance.objects.filter(session=session)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    cells = {
        (row.sex, row.age_group, row.institution): row.count
        for row in AnonymousCount.objects.filter(session=session)
    }
    return SessionCounts(
        capacity=session.capacity,
        present=statuses.get(Attendance.Status.PRESENT, 0),
        absent=statuses.get(Attendance.Status.ABSENT, 0),
        excused=statuses.get(Attendance.Status.EXCUSED, 0),
        anonymous=sum(cells.values()),
        cells=cells,
    )


# --- participation figures -------------------------------------------------------------------------------


@dataclass
class FigureRow:
    key: str
    label: str
    known: int = 0
    anonymous: int = 0
    sessions: int = 0

    @property
    def total(self) -> int:
        return self.known + self.anonymous


@dataclass
class Figures:
    """Participants of a period: every attendance of a known person present and every anonymous
    participant counted, at sessions that started in the period. A person at three sessions counts three
    times; `people` counts known persons once."""

    start: date
    end: date
    by_kind: list[FigureRow] = field(default_factory=list)
    by_sex: list[FigureRow] = field(default_factory=list)
    by_age_group: list[FigureRow] = field(default_factory=list)
    by_institution: list[FigureRow] = field(default_factory=list)
    people: int = 0
    sessions: int = 0

    @property
    def known(self) -> int:
        return sum(row.known for row in self.by_kind)

    @property
    def anonymous(self) -> int:
        return sum(row.anonymous for row in self.by_kind)

    @property
    def total(self) -> int:
        return self.known + self.anonymous


def _rows(
    choices: Any, known: dict[str, int], anonymous: dict[str, int], keep_empty: bool
) -> list[FigureRow]:
    rows = [
        FigureRow(str(value), str(label), known.get(value, 0), anonymous.get(value, 0))
        for value, label in choices
    ]
    return [row for row in rows if keep_empty or row.total]


def participation_figures(org: Organisation, start: date, end: date) -> Figures:
    """The organisation's participants in [start, end], by kind of activity, sex, age group and, for
    professionals, institution."""
    first, after = day_bounds(start, end)
    sessions = ActivitySession.objects.filter(org=org, starts_at__gte=first, starts_at__lt=after)
    present = Attendance.objects.filter(session__in=sessions, status=PRESENT)
    counted = AnonymousCount.objects.filter(session__in=sessions)
    known: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, sex, age, n in present.values_list("session__activity__kind", "sex", "age_group").annotate(
        n=Count("pk")
    ):
        for dimension, value in (("kind", kind), ("sex", sex), ("age", age)):
            known[dimension][value] += n
    anonymous: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = counted.values_list("session__activity__kind", "sex", "age_group", "institution").annotate(
        n=Sum("count")
    )
    for kind, sex, age, institution, n in rows:
        for dimension, value in (("kind", kind), ("sex", sex), ("age", age), ("institution", institution)):
            anonymous[dimension][value] += n
    session_kinds = dict(
        sessions.values_list("activity__kind").annotate(n=Count("pk")).values_list("activity__kind", "n")
    )
    by_kind = _rows(ActivityKind.choices, known["kind"], anonymous["kind"], keep_empty=False)
    for row in by_kind:
        row.sessions = session_kinds.get(row.key, 0)
    return Figures(
        start=start,
        end=end,
        by_kind=by_kind,
        by_sex=_rows(Sex.choices, known["sex"], anonymous["sex"], keep_empty=True),
        by_age_group=_rows(AgeGroup.choices, known["age"], anonymous["age"], keep_empty=True),
        by_institution=_rows(Institution.choices, {}, anonymous["institution"], keep_empty=False),
        people=present.values("person").distinct().count(),
        sessions=sum(session_kinds.values()),
    )


# --- campaigns -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    produced: int
    distributed: int

    @property
    def remaining(self) -> int:
        return self.produced - self.distributed


def materials_with_totals(campaign: Campaign) -> QuerySet[Material]:
    """The campaign's materials, each with `distributed` (copies handed out so far)."""
    materials: QuerySet[Material] = (
        Material.objects.filter(campaign=campaign)
        .annotate(distributed=Coalesce(Sum("distributions__quantity"), Value(0)))
        .annotate(remaining=F("quantity_produced") - F("distributed"))
    )
    return materials


def material_totals(material: Material) -> Totals:
    distributed = Distribution.objects.filter(material=material).aggregate(total=Sum("quantity"))["total"]
    return Totals(material.quantity_produced, int(distributed or 0))


def campaign_totals(campaign: Campaign) -> Totals:
    produced = Material.objects.filter(campaign=campaign).aggregate(total=Sum("quantity_produced"))["total"]
    distributed = Distribution.objects.filter(material__campaign=campaign).aggregate(total=Sum("quantity"))[
        "total"
    ]
    return Totals(int(produced or 0), int(distributed or 0))


def campaign_list(user: Any) -> QuerySet[Campaign]:
    """The user's visible campaigns with `produced` and `distributed` copies (sub-queries: one row each)."""
    by_campaign = OuterRef("pk")
    campaigns: QuerySet[Campaign] = (
        Campaign.objects.visible_to(user)
        .annotate(
            produced=_subtotal(
                Material.objects.filter(campaign=by_campaign), "campaign", Sum("quantity_produced")
            ),
            distributed=_subtotal(
                Distribution.objects.filter(material__campaign=by_campaign),
                "material__campaign",
                Sum("quantity"),
            ),
        )
        .annotate(remaining=F("produced") - F("distributed"))
    )
    return campaigns
