"""Reads for the care of a case that take more than a line: services by filter, and how the latest needs
assessment feeds the plan (the needs no active goal answers yet)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from haven.cases.catalogue import Sector, kinds_in
from haven.cases.models import (
    GOAL_FOR_NEED,
    NEED_DOMAINS,
    Case,
    CaseService,
    Goal,
    GoalDomain,
    NeedLevel,
    NeedsAssessment,
)


def services_of(case: Case, *, status: str = "", sector: str = "") -> QuerySet[CaseService]:
    services = CaseService.objects.filter(case=case).select_related("provided_by__user")
    if status:
        services = services.filter(status=status)
    if sector:
        services = services.filter(kind__in=[kind.value for kind in kinds_in(Sector(sector))])
    return services


@dataclass(frozen=True)
class UnmetNeed:
    domain: str
    label: str
    level: str
    goal_domain: GoalDomain

    @property
    def is_urgent(self) -> bool:
        return self.level == NeedLevel.URGENT


def latest_assessment(case: Case) -> NeedsAssessment | None:
    return NeedsAssessment.objects.filter(case=case).order_by("-assessed_on", "-recorded_at").first()


def unmet_needs(assessment: NeedsAssessment | None, goals: list[Goal]) -> list[UnmetNeed]:
    """The assessed needs whose plan domain has no goal still being worked on; urgent ones first."""
    if assessment is None:
        return []
    covered = {goal.domain for goal in goals if goal.is_active}
    unmet = [
        UnmetNeed(domain, str(NEED_DOMAINS[domain]), level, GOAL_FOR_NEED[domain])
        for domain, level in assessment.needs().items()
        if GOAL_FOR_NEED[domain] not in covered
    ]
    return sorted(unmet, key=lambda need: not need.is_urgent)


def goal_form_initial(case: Case) -> tuple[dict[str, Any], list[UnmetNeed]]:
    """The goal form pre-selects the domain of the most pressing need no active goal answers yet."""
    unmet = unmet_needs(latest_assessment(case), list(Goal.objects.filter(case=case)))
    return ({"domain": unmet[0].goal_domain} if unmet else {}), unmet
