"""Reads of selection: applications, quota usage, the public notice of a list, and the statistics the
reports use (applications by status and area, selection against quota). Counts are done in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from haven.benefits.models import Application, Quota
from haven.benefits.selection.models import Objection, SelectionEntry, SelectionList
from haven.orgs.models import Organisation

INCLUDED = Q(selection_list__entries__decision=SelectionEntry.Decision.INCLUDE)


def applications(user: Any, *, programme: Any = None, area: Any = None, status: str = "") -> Any:
    found = Application.objects.visible_to(user).select_related("programme", "area", "beneficiary")
    if programme is not None:
        found = found.filter(programme=programme)
    if area is not None:
        found = found.filter(area=area)
    if status:
        found = found.filter(status=status)
    return found


def quota_usage(user: Any, *, programme: Any = None) -> Any:
    """Quotas with `included` (women included on its list so far) and `selected` (enrolled: final list)."""
    quotas = Quota.objects.visible_to(user).select_related("programme", "area", "selection_list")
    if programme is not None:
        quotas = quotas.filter(programme=programme)
    final = Q(selection_list__status=SelectionList.Status.FINAL)
    return quotas.annotate(
        included=Count("selection_list__entries", filter=INCLUDED),
        selected=Count("selection_list__entries", filter=INCLUDED & final),
    ).order_by("-period_start", "area__name")


def applications_by_status_area(user: Any, *, programme: Any = None) -> list[dict[str, Any]]:
    """[{"area": "Kaliganj union", "status": "ELIGIBLE", "count": 12}, …] for the reports."""
    rows = applications(user, programme=programme).order_by()
    grouped = rows.values("area__name", "status").annotate(count=Count("id")).order_by("area__name", "status")
    return [{"area": r["area__name"], "status": r["status"], "count": r["count"]} for r in grouped]


def selection_vs_quota(user: Any, *, programme: Any = None) -> list[dict[str, Any]]:
    """Per quota: its places, how many are included on its list and how many were finally selected."""
    return [
        {
            "programme": quota.programme.code,
            "area": quota.area.name,
            "period_start": quota.period_start,
            "period_end": quota.period_end,
            "places": quota.places,
            "included": quota.included,
            "selected": quota.selected,
        }
        for quota in quota_usage(user, programme=programme)
    ]


def entries(selection_list: SelectionList) -> Any:
    return (
        SelectionEntry.objects.filter(selection_list=selection_list)
        .select_related("application__beneficiary__person")
        .annotate(objection_count=Count("objections"))
        .order_by("rank")
    )


def initials(name: str) -> str:
    """ "Rokeya Khatun" → "R. K.": enough for neighbours who know her, nothing for a stranger to search."""
    return " ".join(f"{word[0]}." for word in name.split() if word)


@dataclass(frozen=True)
class PublicEntry:
    rank: int
    registry_number: str
    initials: str


def public_entries(selection_list: SelectionList) -> list[PublicEntry]:
    """The included women as the notice shows them: rank, registry number, initials. Bounded by places."""
    included = entries(selection_list).filter(decision=SelectionEntry.Decision.INCLUDE)
    return [
        PublicEntry(
            rank=entry.rank,
            registry_number=entry.application.beneficiary.registry_number,
            initials=initials(entry.application.beneficiary.person.name),
        )
        for entry in included
    ]


def public_lists(org: Organisation) -> Any:
    public = (SelectionList.Status.PUBLISHED, SelectionList.Status.FINAL)
    return (
        SelectionList.objects.filter(org=org, status__in=public)
        .select_related("programme", "area", "quota")
        .order_by("-published_at")
    )


def objections(selection_list: SelectionList) -> Any:
    return Objection.objects.filter(selection_list=selection_list).select_related(
        "entry__application__beneficiary"
    )
