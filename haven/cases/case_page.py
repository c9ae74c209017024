"""The case app's own contributions to the case page: status moves and incidents on the timeline, and the
follow-ups panel. Registered in `CasesConfig.ready()`; other apps add theirs the same way (sections.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases import gbvims
from haven.cases.actions import may_change_team
from haven.cases.forms import CaseSitesForm, FollowUpForm, TeamForm
from haven.cases.models import Case, CaseTransition, FollowUp, Incident
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.orgs.access import StaffRequest
from haven.people.models import HouseholdMember


def incident_explanation(incident: Incident) -> str:
    """gbvims' own sentence for the rule that classified the incident."""
    classification = gbvims.Classification(
        violence_type=gbvims.ViolenceType(incident.violence_type), rule=incident.classification_rule
    )
    try:
        return classification.explanation
    except KeyError:
        return ""


def context_labels(incident: Incident) -> tuple[str, ...]:
    return tuple(str(gbvims.CaseContext(value).label) for value in incident.contexts)


def reason_label(code: str) -> str:
    return str(Case.ClosureReason(code).label) if code in Case.ClosureReason.values else code


def _transition_summary(transition: CaseTransition) -> str:
    if not transition.from_status:
        return _("Case opened")
    return _("From “%(from)s” to “%(to)s”") % {
        "from": transition.get_from_status_display(),
        "to": transition.get_to_status_display(),
    }


def transition_items(case: Case) -> Iterator[TimelineItem]:
    for transition in CaseTransition.objects.filter(case=case).select_related("actor").order_by("at"):
        yield TimelineItem(
            kind="transition",
            at=transition.at,
            summary=_transition_summary(transition),
            template="cases/_timeline_transition.html",
            obj=transition,
            extra={"reason": reason_label(transition.reason_code)},
        )


def incident_items(case: Case) -> Iterator[TimelineItem]:
    incidents = Incident.objects.filter(case=case).prefetch_related("alleged_perpetrators")
    for incident in incidents.order_by("recorded_at"):
        yield TimelineItem(
            kind="incident",
            at=incident.recorded_at,
            summary=_("Incident: %(type)s") % {"type": incident.get_violence_type_display()},
            template="cases/_timeline_incident.html",
            obj=incident,
            extra={"explanation": incident_explanation(incident), "contexts": context_labels(incident)},
        )


def follow_ups_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    follow_ups = list(
        FollowUp.objects.filter(case=case).select_related("case", "assigned_to__user", "done_by")
    )
    return {
        "open_follow_ups": [f for f in follow_ups if f.done_at is None],
        "done_follow_ups": [f for f in follow_ups if f.done_at is not None],
        "follow_up_form": FollowUpForm(case=case),
        "today": timezone.localdate(),
    }


def team_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    assignments = list(case.assignments.select_related("membership__user").order_by("assigned_at"))
    return {
        "active": [a for a in assignments if a.ended_at is None],
        "past": [a for a in assignments if a.ended_at is not None],
        "may_change": may_change_team(case, request.user),
        "team_form": TeamForm(case=case),
        "sites": list(case.sites.all()),
        "sites_form": CaseSitesForm(initial={"sites": list(case.sites.all())}, case=case),
    }


def age_in_years(born_on: date | None, today: date) -> int | None:
    if born_on is None:
        return None
    return today.year - born_on.year - ((today.month, today.day) < (born_on.month, born_on.day))


def household_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    """Who lives with her now, with ages: children's ages decide where they may stay with her."""
    today = timezone.localdate()
    members = (
        HouseholdMember.objects.filter(household__head_id=case.survivor_id, left_on__isnull=True)
        .exclude(person_id=case.survivor_id)
        .select_related("person")
        .order_by("person__born_on")
    )
    return {"members": [(member, age_in_years(member.person.born_on, today)) for member in members]}


def register() -> None:
    register_timeline_source("cases.transitions", transition_items)
    register_timeline_source("cases.incidents", incident_items)
    register_panel(CasePanel("cases.team", 5, "cases/_panel_team.html", team_panel))
    register_panel(CasePanel("cases.household", 6, "cases/_panel_household.html", household_panel))
    register_panel(CasePanel("cases.follow_ups", 10, "cases/_panel_follow_ups.html", follow_ups_panel))
