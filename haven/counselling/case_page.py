"""Counselling's part of the case page: a panel of the case's sessions (with the way to record one) and a
timeline event per session. Registered from `CounsellingConfig.ready()`.

Both say that a session took place (when, kind, how, how long, with whom) and never carry its notes: the
timeline is read by the whole case team and through the API, whatever the organisation grants.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.counselling.actions import RECORDERS
from haven.counselling.models import CounsellingSession
from haven.counselling.queries import sessions_of_case
from haven.orgs.access import StaffRequest


def summary(session: CounsellingSession) -> str:
    return _("Counselling session: %(kind)s, %(modality)s, %(minutes)s min") % {
        "kind": session.get_kind_display(),
        "modality": session.get_modality_display(),
        "minutes": session.duration_minutes,
    }


def session_items(case: Case) -> Iterator[TimelineItem]:
    sessions = CounsellingSession.objects.filter(case=case).select_related("counsellor__user")
    for session in sessions.defer("notes"):
        yield TimelineItem(
            kind="counselling",
            at=session.starts_at,
            summary=summary(session),
            template="counselling/_timeline_session.html",
            obj=session,
            extra={"by": session.counsellor.user.username},
        )


def sessions_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    return {
        "sessions": list(sessions_of_case(case, request.user).defer("notes")),
        "may_record": request.membership.role_enum in RECORDERS and not case.is_closed,
    }


def register() -> None:
    register_timeline_source("counselling.sessions", session_items)
    register_panel(CasePanel("counselling.sessions", 35, "counselling/_panel_sessions.html", sessions_panel))
