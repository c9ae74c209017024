"""Pages of the perpetrator programme: the participants, a participant's file (details, sessions, ODARA,
completion), the forms that record them, and the team page for organisation administrators.

Thin: parse, call one verb or query, render or redirect. Every programme page is for the team only
(`access.programme_view`); a participant outside the user's scope is a 404. Lists show codes, never
names. Reading a file is audited. Nothing here links to, or reads, a survivor's file.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect
from haven.orgs.roles import Role
from haven.perpetrators import actions, odara, queries
from haven.perpetrators.access import programme_view
from haven.perpetrators.forms import (
    CompletionForm,
    OdaraForm,
    ParticipantForm,
    SessionForm,
    StatusForm,
    TeamMemberForm,
)
from haven.perpetrators.models import Completion, OdaraAssessment, Participant
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")
ORG_ADMINS = Role.managing_org()
PARTICIPANT = ("participant_id",)


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _participant(request: StaffRequest, participant_id: Any, action: str = "view") -> Participant:
    queryset = Participant.objects.select_related("org")
    participant: Participant = get_visible_or_404(queryset, request.user, action, pk=participant_id)
    return participant


def _file_url(participant: Participant) -> str:
    return reverse("perpetrators:detail", args=[participant.pk])


# --- participants --------------------------------------------------------------------------------------


@programme_view()
def participant_list(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    context = {
        "page": page_of(request, queries.participants(request.user, status)),
        "status": status,
        "statuses": Participant.Status.choices,
    }
    return render(request, "perpetrators/list.html", context)


@programme_view(methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def participant_create(request: StaffRequest) -> HttpResponse:
    form = ParticipantForm(posted_data(request), initial={"language": request.org.default_language})

    def save(data: dict[str, Any]) -> Participant:
        return actions.register_participant(org=request.org, **data, **_now(request))

    page = FormPage(
        "perpetrators/form.html",
        _("Participant registered."),
        _file_url,
        {"title": _("A new participant")},
    )
    return handle_form(request, form, save, page)


@programme_view(object_kwargs=PARTICIPANT, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def participant_edit(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = _participant(request, participant_id, "change")
    if request.method == "GET":
        # The form shows his name and phone as stored, as his file does: an audited read.
        actions.record_participant_view(participant=participant, **_now(request))
    initial = {f: getattr(participant, f) for f in ("name", "phone", "language", "referral_source")}
    form = ParticipantForm(posted_data(request), initial=initial)

    def save(data: dict[str, Any]) -> Participant:
        return actions.update_participant(participant=participant, **data, **_now(request))

    page = FormPage(
        "perpetrators/form.html",
        _("Details saved."),
        _file_url,
        {"title": _("His details"), "participant": participant},
    )
    return handle_form(request, form, save, page)


def _assessment_rows(assessments: list[OdaraAssessment]) -> list[dict[str, Any]]:
    rows = []
    for assessment in assessments:
        chosen = odara.instrument(assessment.instrument_version)
        rows.append(
            {
                "assessment": assessment,
                "instrument": chosen,
                **odara.meaning(chosen, assessment.level, assessment.rule),
                "answers": odara.answer_rows(chosen, assessment.answer_data),
            }
        )
    return rows


@programme_view(object_kwargs=PARTICIPANT)
def participant_detail(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = _participant(request, participant_id)
    actions.record_participant_view(participant=participant, **_now(request))
    sessions = list(participant.sessions.select_related("facilitator__user"))
    completion = Completion.objects.filter(participant=participant).first()
    context = {
        "participant": participant,
        "sessions": sessions,
        "attended": sum(1 for session in sessions if session.attended),
        "assessments": _assessment_rows(list(participant.assessments.select_related("asked_by"))),
        "completion": completion,
        "transitions": list(participant.transitions.select_related("actor")),
        "status_form": StatusForm(),
    }
    return render(request, "perpetrators/detail.html", context)


@programme_view(object_kwargs=PARTICIPANT, methods=("POST",))
@require_POST
def participant_status(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = _participant(request, participant_id, "change")
    form = StatusForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return run_and_redirect(request, lambda: _refuse(errors), "", _file_url(participant))
    return run_and_redirect(
        request,
        lambda: actions.change_status(participant=participant, **form.cleaned_data, **_now(request)),
        _("Status changed."),
        _file_url(participant),
    )


def _refuse(message: str) -> None:
    raise ValidationError(message)


# --- sessions, ODARA, completion -----------------------------------------------------------------------


@programme_view(object_kwargs=PARTICIPANT, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def session_create(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = _participant(request, participant_id, "change")
    team = queries.team(participant.org)
    initial = {"facilitator": request.membership if team.filter(pk=request.membership.pk).exists() else None}
    form = SessionForm(posted_data(request), team=team, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return actions.record_session(participant=participant, **data, **_now(request))

    page = FormPage(
        "perpetrators/form.html",
        _("Session recorded."),
        lambda _session: _file_url(participant),
        {"title": _("Record a session"), "participant": participant},
    )
    return handle_form(request, form, save, page)


@programme_view(object_kwargs=PARTICIPANT, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def odara_create(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = _participant(request, participant_id, "change")
    chosen = odara.instrument()
    form = OdaraForm(posted_data(request), instrument=chosen)

    def save(_data: dict[str, Any]) -> OdaraAssessment:
        return actions.record_odara(participant=participant, answers=form.answers(), **_now(request))

    page = FormPage(
        "perpetrators/odara.html",
        _("ODARA recorded."),
        lambda _assessment: _file_url(participant) + "#odara",
        {"participant": participant, "instrument": chosen, "title": _(chosen.title)},
    )
    return handle_form(request, form, save, page)


@programme_view(object_kwargs=PARTICIPANT, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def completion_create(request: StaffRequest, participant_id: str) -> HttpResponse:
    participant = _participant(request, participant_id, "change")
    form = CompletionForm(posted_data(request), initial={"completed_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Completion:
        return actions.record_completion(participant=participant, **data, **_now(request))

    page = FormPage(
        "perpetrators/form.html",
        _("Completion recorded: his file is closed."),
        lambda _completion: _file_url(participant),
        {"title": _("He completed the programme"), "participant": participant},
    )
    return handle_form(request, form, save, page)


# --- the team ------------------------------------------------------------------------------------------


@staff_view(ORG_ADMINS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def team(request: StaffRequest) -> HttpResponse:
    """Who works in the programme; the administrator adds members of other roles. She reads no file
    here, and none unless she adds herself."""
    form = TeamMemberForm(posted_data(request), members=queries.addable(request.org))

    def save(data: dict[str, Any]) -> Any:
        return actions.add_to_team(membership=data["membership"], org=request.org, **_now(request))

    page = FormPage(
        "perpetrators/team.html",
        _("Added to the programme's team."),
        lambda _row: reverse("perpetrators:team"),
        {
            "team": list(queries.team(request.org)),
            "added": {row.membership_id: row for row in queries.added_members(request.org)},
        },
    )
    return handle_form(request, form, save, page)


@staff_view(ORG_ADMINS, methods=("POST",))
@require_POST
def team_remove(request: StaffRequest) -> HttpResponse:
    form = TeamMemberForm(request.POST, members=queries.team(request.org))
    url = reverse("perpetrators:team")
    if not form.is_valid():
        return run_and_redirect(request, lambda: _refuse(_("Choose a member of the team.")), "", url)
    return run_and_redirect(
        request,
        lambda: actions.remove_from_team(
            membership=form.cleaned_data["membership"], org=request.org, **_now(request)
        ),
        _("Taken off the programme's team."),
        url,
    )
