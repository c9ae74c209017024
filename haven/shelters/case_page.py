"""The shelters' part of the case page: her stays (with a link to each, an audited read), her place on a
waitlist, and the ways to a bed (find one in the network, admit her, put her on the waitlist); and one
timeline event per admission and per departure. Registered from `SheltersConfig.ready()`.

Summaries name the facility and what happened, never a bed or an address: the timeline is read by her
whole case team.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.orgs.access import StaffRequest
from haven.people.views import SURVIVOR_ROLES
from haven.shelters.models import Stay, WaitlistEntry


def stay_items(case: Case) -> Iterator[TimelineItem]:
    for stay in Stay.objects.filter(case=case).select_related("facility__site"):
        place = stay.facility.site.name
        yield TimelineItem(
            kind="stay",
            at=stay.arrived_at,
            summary=_("Admitted to %(place)s") % {"place": place},
            template="shelters/_timeline_stay.html",
            obj=stay,
        )
        if stay.ended_at is not None:
            yield TimelineItem(
                kind="stay_end",
                at=stay.ended_at,
                summary=_("Left %(place)s: %(destination)s")
                % {"place": place, "destination": stay.get_destination_display()},
                template="shelters/_timeline_stay.html",
                obj=stay,
            )


def stays_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    stays = Stay.objects.visible_to(request.user).filter(case=case).select_related("facility__site")
    waiting = (
        WaitlistEntry.objects.visible_to(request.user)
        .filter(case=case, status__in=WaitlistEntry.OPEN_STATUSES)
        .select_related("facility__site")
        .first()
    )
    return {
        "stays": stays,
        "waiting": waiting,
        "staying": any(stay.is_active for stay in stays),
        "may_place": request.membership.role_enum in SURVIVOR_ROLES and not case.is_closed,
    }


def register() -> None:
    register_timeline_source("shelters.stays", stay_items)
    register_panel(CasePanel("shelters.stays", 40, "shelters/_panel_stays.html", stays_panel))
