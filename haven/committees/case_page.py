"""The committees' part of the case page: where her case was tabled, with what each committee decided and
asked of whom, and a way to table it; and timeline events for each tabling and each decision about it.
Registered from `CommitteesConfig.ready()`.

Summaries name the committee, never what was said: decisions and minutes can name people, and the
timeline's summaries travel through the API.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.committees.access import TABLERS
from haven.committees.models import Decision, TabledCase
from haven.committees.queries import tablings_of_case
from haven.orgs.access import StaffRequest


def tabling_items(case: Case) -> Iterator[TimelineItem]:
    for tabled in TabledCase.objects.filter(case=case).select_related("meeting__committee"):
        yield TimelineItem(
            kind="committee_tabled",
            at=tabled.tabled_at,
            summary=_("Tabled at a meeting of %(committee)s") % {"committee": tabled.meeting.committee.name},
            template="committees/_timeline_item.html",
            obj=tabled.meeting,
        )


def decision_items(case: Case) -> Iterator[TimelineItem]:
    decisions = Decision.objects.filter(tabled_case__case=case).select_related("meeting__committee")
    for decision in decisions:
        yield TimelineItem(
            kind="committee_decision",
            at=decision.recorded_at,
            summary=_("Decision of %(committee)s about her case")
            % {"committee": decision.meeting.committee.name},
            template="committees/_timeline_item.html",
            obj=decision.meeting,
        )


def committees_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    return {
        "tablings": tablings_of_case(case, request.user),
        "may_table": request.membership.role_enum in TABLERS and not case.is_closed,
        "today": timezone.localdate(),
    }


def register() -> None:
    register_timeline_source("committees.tablings", tabling_items)
    register_timeline_source("committees.decisions", decision_items)
    register_panel(
        CasePanel("committees.tablings", 60, "committees/_panel_committees.html", committees_panel)
    )
