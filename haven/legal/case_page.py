"""Legal aid's part of the case page: her legal matters (status, lawyer, next hearing, a link to each, an
audited read) with the ways to open one or log a consultation; and timeline events for a matter opened,
a hearing held (with its result) and a matter closed (with its outcome). Registered from
`LegalConfig.ready()`.

Summaries name the kind of matter, its reference and results, never a person: the timeline is read by her
whole case team.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.legal import queries
from haven.legal.models import OPENING_ROLES, Hearing, Matter, MatterTransition
from haven.orgs.access import StaffRequest
from haven.orgs.roles import Role

TEMPLATE = "legal/_timeline_matter.html"


def matter_items(case: Case) -> Iterator[TimelineItem]:
    closings = Prefetch(
        "transitions",
        queryset=MatterTransition.objects.filter(to_status=Matter.Status.CLOSED).order_by("-at"),
        to_attr="closings",
    )
    for matter in Matter.objects.filter(case=case).prefetch_related(closings):
        label = {"kind": matter.get_kind_display(), "reference": matter.reference}
        yield TimelineItem(
            kind="legal_matter",
            at=matter.created_at,
            summary=_("Legal matter opened: %(kind)s (%(reference)s)") % label,
            template=TEMPLATE,
            obj=matter,
        )
        if matter.is_closed and matter.closings:
            yield TimelineItem(
                kind="legal_outcome",
                at=matter.closings[0].at,
                summary=_("Legal matter %(reference)s closed: %(outcome)s")
                % {"reference": matter.reference, "outcome": matter.get_outcome_display()},
                template=TEMPLATE,
                obj=matter,
            )


def hearing_items(case: Case) -> Iterator[TimelineItem]:
    hearings = Hearing.objects.filter(matter__case=case).exclude(result="").select_related("matter")
    for hearing in hearings:
        yield TimelineItem(
            kind="legal_hearing",
            at=hearing.starts_at,
            summary=_("Hearing in %(reference)s: %(result)s")
            % {"reference": hearing.matter.reference, "result": hearing.get_result_display()},
            template=TEMPLATE,
            obj=hearing.matter,
        )


def matters_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    role = request.membership.role_enum
    return {
        "matters": list(queries.matters_of_case(request.user, case.pk, timezone.now())),
        "may_open": role in OPENING_ROLES,
        "may_consult": role is Role.LAWYER,
    }


def register() -> None:
    register_timeline_source("legal.matters", matter_items)
    register_timeline_source("legal.hearings", hearing_items)
    register_panel(CasePanel("legal.matters", 45, "legal/_panel_matters.html", matters_panel))
