"""The groups' part of the case page: the activities she came to (sessions present, last one) and the
certificates she received. Registered from `GroupsConfig.ready()`. Only roles that work with survivors see
it: her attendance tells that she is in a programme."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Max

from haven.cases.models import Case
from haven.cases.sections import CasePanel, register_panel
from haven.groups.models import Attendance, Certificate
from haven.orgs.access import StaffRequest


def groups_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    attended = (
        Attendance.objects.visible_to(request.user)
        .filter(person_id=case.survivor_id, status=Attendance.Status.PRESENT)
        .values("session__activity_id", "session__activity__title", "session__activity__kind")
        .annotate(sessions=Count("pk"), last=Max("session__starts_at"))
        .order_by("-last")
    )
    certificates = (
        Certificate.objects.visible_to(request.user)
        .filter(enrolment__person_id=case.survivor_id)
        .select_related("enrolment__activity")
    )
    return {"attended": list(attended[:20]), "certificates": certificates}


def register() -> None:
    register_panel(CasePanel("groups.activities", 70, "groups/_panel_groups.html", groups_panel))
