"""Reads for the committee pages and the API, each in a fixed number of queries.

Her identity on a committee's records: `identity_releases` finds the women whose valid release (signed,
not revoked, not expired, covering her identity) names the committee's directory entry. Everyone else
is her survivor code only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from haven.committees import actions
from haven.committees.models import (
    Action,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    TabledCase,
    works_with_survivors,
)
from haven.referrals.models import Release


def committee_rows(user: Any, today: date, now: datetime) -> QuerySet[Committee]:
    """The list: each committee with its current members, next planned meeting and open/overdue actions."""
    open_actions = Q(meetings__actions__status=Action.Status.OPEN)
    if not works_with_survivors(user):
        open_actions &= Q(meetings__actions__tabled_case__isnull=True)
    rows: QuerySet[Committee] = (
        Committee.objects.visible_to(user)
        .select_related("area")
        .annotate(
            member_count=Count(
                "members",
                filter=Q(members__left_on__isnull=True) | Q(members__left_on__gt=today),
                distinct=True,
            ),
            next_meeting=Min(
                "meetings__starts_at",
                filter=Q(meetings__status=Meeting.Status.PLANNED, meetings__starts_at__gte=now),
            ),
            open_count=Count("meetings__actions", filter=open_actions, distinct=True),
            overdue_count=Count(
                "meetings__actions",
                filter=open_actions & Q(meetings__actions__due_on__lt=today),
                distinct=True,
            ),
        )
        .order_by("-is_active", "name")
    )
    return rows


def _actions_of(user: Any) -> QuerySet[Action]:
    return Action.objects.visible_to(user).select_related("owner", "meeting", "tabled_case__case__survivor")


@dataclass
class CommitteePage:
    committee: Committee
    current: list[CommitteeMember]
    former: list[CommitteeMember]
    meetings: list[Meeting]
    open_actions: list[Action]
    overdue: list[Action]


def committee_page(committee: Committee, user: Any, today: date) -> CommitteePage:
    members = list(CommitteeMember.objects.filter(committee=committee).select_related("membership__user"))
    meetings = list(
        Meeting.objects.filter(committee=committee).annotate(
            tabled_count=Count("tabled_cases", distinct=True)
        )
    )
    open_actions = list(_actions_of(user).filter(meeting__committee=committee, status=Action.Status.OPEN))
    return CommitteePage(
        committee=committee,
        current=[m for m in members if m.sits_on(today) or m.joined_on > today],
        former=[m for m in members if not (m.sits_on(today) or m.joined_on > today)],
        meetings=meetings,
        open_actions=[a for a in open_actions if not a.is_overdue(today)],
        overdue=[a for a in open_actions if a.is_overdue(today)],
    )


def identity_releases(committee: Committee, person_ids: Iterable[Any], today: date) -> set[Any]:
    """The women among `person_ids` who consented, in a release valid today, to the committee knowing who
    she is. A committee without a directory entry has none."""
    if committee.provider_id is None:
        return set()
    releases = Release.objects.filter(
        org_id=committee.org_id,
        person_id__in=list(person_ids),
        recipient_id=committee.provider_id,
        revoked_at__isnull=True,
        signed_on__lte=today,
        expires_on__gte=today,
    ).only("person_id", "scope")
    # The scope is a JSON list; "contains" on JSON is not portable to SQLite, so it is read here.
    return {r.person_id for r in releases if Release.Scope.IDENTITY in r.scope}


@dataclass
class TabledRow:
    """A tabled case as the committee's records show it: her code, and her name only under a release."""

    tabled: TabledCase
    code: str
    name: str | None
    decisions: list[Decision] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


def tabled_rows(
    meeting: Meeting, user: Any, at: datetime, today: date, *, audit_identity: bool = True
) -> list[TabledRow]:
    """The cases tabled at `meeting` that the user may see; a name shown is an audited read."""
    tabled = list(
        TabledCase.objects.visible_to(user).filter(meeting=meeting).select_related("case__survivor")
    )
    released = identity_releases(meeting.committee, [t.case.survivor_id for t in tabled], today)
    rows = []
    for item in tabled:
        name = None
        if item.case.survivor_id in released:
            name = item.case.survivor.name
            if audit_identity:
                actions.record_identity_view(tabled=item, acting_user=user, at=at)
        rows.append(TabledRow(item, item.case.survivor.survivor_code, name))
    return rows


@dataclass
class MeetingPage:
    meeting: Meeting
    tabled: list[TabledRow]
    general_decisions: list[Decision]
    general_actions: list[Action]


def meeting_page(meeting: Meeting, user: Any, at: datetime, today: date) -> MeetingPage:
    rows = tabled_rows(meeting, user, at, today)
    by_case = {row.tabled.pk: row for row in rows}
    decisions = list(Decision.objects.visible_to(user).filter(meeting=meeting))
    meeting_actions = list(_actions_of(user).filter(meeting=meeting))
    general_decisions: list[Decision] = []
    general_actions: list[Action] = []
    for decision in decisions:
        row = by_case.get(decision.tabled_case_id) if decision.tabled_case_id else None
        (row.decisions if row else general_decisions).append(decision)
    for action in meeting_actions:
        row = by_case.get(action.tabled_case_id) if action.tabled_case_id else None
        (row.actions if row else general_actions).append(action)
    return MeetingPage(meeting, rows, general_decisions, general_actions)


def tablings_of_case(case: Any, user: Any) -> list[TabledCase]:
    """Where the case was tabled, with what the committees decided and asked, for the case page."""
    return list(
        TabledCase.objects.visible_to(user)
        .filter(case=case)
        .select_related("meeting__committee")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("recorded_at")),
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due_on")),
        )
        .order_by("-meeting__starts_at")
    )
