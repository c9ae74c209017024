"""Reads of grievances: the working list, the overdue list, and the statistics for the reports
(grievances by category, decided on time). Counted in SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F, Q

from haven.benefits.grievances.models import Grievance

WAITING_FIRST_DECISION = Q(status__in=[Grievance.Status.RECEIVED, Grievance.Status.IN_REVIEW])


def grievances(user: Any, *, status: str = "", category: str = "") -> Any:
    found = Grievance.objects.visible_to(user).select_related("programme", "area", "assigned_to__user")
    if status:
        found = found.filter(status=status)
    if category:
        found = found.filter(category=category)
    return found


def overdue(user: Any, today: date) -> Any:
    """Past their deadline without a decision: the first decision, or the appeal's."""
    late_decision = WAITING_FIRST_DECISION & Q(due_on__lt=today)
    late_appeal = Q(status=Grievance.Status.APPEALED, appeal_due_on__lt=today)
    return grievances(user).filter(late_decision | late_appeal).order_by("due_on")


def by_category(user: Any) -> list[dict[str, Any]]:
    """Per category: how many, how many still open, how many decided, and the share decided on time."""
    on_time = Q(decided_at__isnull=False, decided_at__date__lte=F("due_on"))
    rows = (
        Grievance.objects.visible_to(user)
        .order_by()
        .values("category")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=Grievance.OPEN_STATUSES)),
            decided=Count("id", filter=Q(decided_at__isnull=False)),
            on_time=Count("id", filter=on_time),
        )
        .order_by("category")
    )
    return [
        {**row, "on_time_rate": round(row["on_time"] / row["decided"], 3) if row["decided"] else None}
        for row in rows
    ]
