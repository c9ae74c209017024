"""Reads of the programme that need more than one line."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from haven.orgs.models import Membership, Organisation
from haven.perpetrators.models import TEAM_ROLES, Participant, ProgrammeTeamMember


def participants(user: Any, status: str = "") -> QuerySet[Participant]:
    """The participants the user may see, with how many sessions each attended and his last one.
    Lists show codes and status only: names stay on the file page."""
    rows: QuerySet[Participant] = Participant.objects.visible_to(user).annotate(
        attended=Count("sessions", filter=Q(sessions__attended=True)),
        last_session_at=Max("sessions__starts_at"),
    )
    if status in Participant.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at")


def team(org: Organisation) -> QuerySet[Membership]:
    """Everyone on the programme's team of the organisation: by role, or added, and active."""
    added = ProgrammeTeamMember.objects.active().filter(org=org).values("membership_id")
    return (
        Membership.objects.filter(org=org, is_active=True)
        .filter(Q(role__in=[role.value for role in TEAM_ROLES]) | Q(pk__in=added))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def addable(org: Organisation) -> QuerySet[Membership]:
    """Active members of other roles who are not on the team yet."""
    added = ProgrammeTeamMember.objects.active().filter(org=org).values("membership_id")
    return (
        Membership.objects.filter(org=org, is_active=True)
        .exclude(role__in=[role.value for role in TEAM_ROLES])
        .exclude(pk__in=added)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def added_members(org: Organisation) -> QuerySet[ProgrammeTeamMember]:
    return ProgrammeTeamMember.objects.active().filter(org=org).select_related("membership__user")
