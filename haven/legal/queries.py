"""Reads of legal aid that need more than one line: the panel with its workload, a case's matters with their
next hearing, a lawyer's calendar and the iCalendar feed built from it.

The calendar and the feed carry no personal data: a matter is named by its reference, a hearing by its
court and purpose, a consultation by its matter's reference (or nothing). Never her name, the opposing
party, an address or her survivor code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import icalendar
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from haven.legal.models import Advocate, Consultation, Hearing, Matter, MatterQuerySet

HEARING_LENGTH = timedelta(hours=1)
FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=366)


def with_workload(advocates: QuerySet[Advocate]) -> QuerySet[Advocate]:
    """Each advocate's active (not closed) matters as `workload`, in the same query."""
    return advocates.annotate(
        workload=Count("matters", filter=~Q(matters__status=Matter.Status.CLOSED), distinct=True)
    )


def panel(user: Any) -> QuerySet[Advocate]:
    """The panel as the user may see it, with workload, the active first."""
    advocates = Advocate.objects.visible_to(user).select_related("membership__user")
    return with_workload(advocates).order_by("-is_active", "name")


def assignable(user: Any) -> list[Advocate]:
    """Active advocates of the user's organisation, with workload, for an assignment form."""
    return list(with_workload(Advocate.objects.visible_to(user).filter(is_active=True)).order_by("name"))


def with_next_hearing(matters: MatterQuerySet, now: datetime) -> MatterQuerySet:
    """Each matter's next hearing still to come, without a result, as `next_hearing_at`."""
    upcoming = Q(hearings__starts_at__gte=now, hearings__result="")
    annotated: MatterQuerySet = matters.annotate(next_hearing_at=Min("hearings__starts_at", filter=upcoming))
    return annotated


def matters_of_case(user: Any, case_id: Any, now: datetime) -> MatterQuerySet:
    matters = Matter.objects.visible_to(user).filter(case_id=case_id).select_related("advocate")
    return with_next_hearing(matters, now).order_by("-opened_on", "-created_at")


def my_matters(user: Any, membership: Any, now: datetime) -> MatterQuerySet:
    """The active matters whose lawyer is this member, for her list."""
    matters = (
        Matter.objects.visible_to(user)
        .filter(advocate__membership=membership)
        .active()
        .select_related("case__survivor", "advocate")
    )
    return with_next_hearing(matters, now).order_by("opened_on")


# --- the calendar --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    """One entry of a lawyer's calendar; `title` and `description` carry no personal data."""

    uid: str
    kind: str  # "hearing" or "consultation"
    starts_at: datetime
    ends_at: datetime
    title: str
    description: str
    location: str
    matter_id: Any
    reference: str


def _hearing_event(hearing: Hearing) -> CalendarEvent:
    matter = hearing.matter
    parts = [
        pgettext("calendar event title", "Hearing"),
        matter.reference,
        *([hearing.court] if hearing.court else []),
    ]
    return CalendarEvent(
        uid=f"hearing-{hearing.pk}@haven",
        kind="hearing",
        starts_at=hearing.starts_at,
        ends_at=hearing.starts_at + HEARING_LENGTH,
        title=" · ".join(parts),
        description=f"{hearing.get_purpose_display()} · {matter.get_kind_display()}",
        location=hearing.court,
        matter_id=matter.pk,
        reference=matter.reference,
    )


def _consultation_event(consultation: Consultation) -> CalendarEvent:
    matter = consultation.matter
    reference = matter.reference if matter is not None else ""
    minutes = consultation.duration_minutes or 60
    return CalendarEvent(
        uid=f"consultation-{consultation.pk}@haven",
        kind="consultation",
        starts_at=consultation.held_at,
        ends_at=consultation.held_at + timedelta(minutes=minutes),
        title=" · ".join([_("Legal consultation"), *([reference] if reference else [])]),
        description=str(consultation.get_modality_display()),
        location="",
        matter_id=matter.pk if matter is not None else None,
        reference=reference,
    )


def calendar_events(advocate: Advocate, start: datetime, end: datetime) -> list[CalendarEvent]:
    """Hearings of the advocate's matters (a closed matter's only when held) and her scheduled
    consultations between `start` and `end`, in time order. Two queries."""
    hearings = (
        Hearing.objects.filter(matter__advocate=advocate, starts_at__gte=start, starts_at__lt=end)
        .exclude(matter__status=Matter.Status.CLOSED, result="")
        .select_related("matter")
    )
    consultations = Consultation.objects.filter(
        advocate=advocate,
        status=Consultation.Status.SCHEDULED,
        held_at__gte=start,
        held_at__lt=end,
    ).select_related("matter")
    events = [_hearing_event(h) for h in hearings] + [_consultation_event(c) for c in consultations]
    return sorted(events, key=lambda event: (event.starts_at, event.uid))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def days_of(
    events: Iterable[CalendarEvent], first: date, days: int
) -> list[tuple[date, list[CalendarEvent]]]:
    """The events grouped by local day, every day of the period listed (an empty day shows as free)."""
    by_day: dict[date, list[CalendarEvent]] = {first + timedelta(days=n): [] for n in range(days)}
    for event in events:
        day = timezone.localdate(event.starts_at)
        if day in by_day:
            by_day[day].append(event)
    return list(by_day.items())


def ical_feed(advocate: Advocate, now: datetime, language: str) -> bytes:
    """The advocate's calendar as iCalendar: the last month and the year ahead, one VEVENT per event, with
    stable UIDs so a calendar application updates an event rather than adding it twice."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Haven//Legal aid calendar//EN")
    calendar.add("version", "2.0")
    with translation.override(language):
        calendar.add("x-wr-calname", _("Haven: hearings and consultations"))
        for event in calendar_events(advocate, now - FEED_PAST, now + FEED_AHEAD):
            calendar.add_component(_vevent(event, now))
    body: bytes = calendar.to_ical()
    return body


def _vevent(event: CalendarEvent, now: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now)
    vevent.add("dtstart", event.starts_at)
    vevent.add("dtend", event.ends_at)
    vevent.add("summary", event.title)
    vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    # Calendar applications on shared phones show these: keep them private where the app supports it.
    vevent.add("class", "PRIVATE")
    return vevent
