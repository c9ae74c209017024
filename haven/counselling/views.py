"""Counselling pages: record a session on a case, a session's page (notes only for those who may read
them), the notes form, a counsellor's own sessions, and the organisation's notes-access setting.

Thin: parse, call one verb or query, render. Opening a session is audited, as a notes read when the
page shows the notes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haven.cases.models import Case
from haven.counselling import actions, queries
from haven.counselling.forms import NotesAccessForm, NotesForm, SessionForm
from haven.counselling.models import CounsellingSession, NotesAccess, granted_roles, may_read_notes
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form
from haven.orgs.roles import Role
from haven.people.views import SURVIVOR_ROLES
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")
SESSION = ("counselling_session_id",)


def _session(request: StaffRequest, session_id: str) -> CounsellingSession:
    session: CounsellingSession = get_visible_or_404(queries.with_case(), request.user, pk=session_id)
    return session


def session_url(session: CounsellingSession) -> str:
    return reverse("counselling:session", args=[session.pk])


@staff_view(actions.RECORDERS, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def record_session(request: StaffRequest, case_id: str) -> HttpResponse:
    """Record a session that was held: a counsellor her own, with its notes; a centre manager for a
    counsellor of the team, without notes."""
    case: Case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    writes_notes = request.membership.role_enum == Role.COUNSELLOR
    form = SessionForm(
        request.POST or None,
        case=case,
        writes_notes=writes_notes,
        initial=SessionForm.initial_for(case, request.membership, timezone.now()),
    )

    def verb_args(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "case": case, "acting_user": request.user, "at": timezone.now()}

    page = FormPage(
        "counselling/session_form.html",
        _("Counselling session recorded."),
        session_url,
        {
            "case": case,
            "title": _("Counselling session with %(code)s") % {"code": case.survivor.survivor_code},
        },
    )
    return handle_form(
        request,
        form,
        lambda data: actions.record_session(**verb_args(data)),
        page,
        check=lambda data: actions.build_session(**verb_args(data)),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=SESSION)
def session_detail(request: StaffRequest, counselling_session_id: str) -> HttpResponse:
    """When, what kind, how, with whom and how long; the notes and their earlier versions only for the
    counsellor and the roles the organisation allows."""
    session = _session(request, counselling_session_id)
    shows_notes = may_read_notes(session, request.user)
    actions.record_session_view(
        session=session, notes_shown=shows_notes, acting_user=request.user, at=timezone.now()
    )
    context = {
        "session": session,
        "case": session.case,
        "shows_notes": shows_notes,
        "revisions": queries.revisions_of(session) if shows_notes else [],
        "is_counsellor": request.membership.pk == session.counsellor_id,
    }
    return render(request, "counselling/session.html", context)


@staff_view({Role.COUNSELLOR}, object_kwargs=SESSION, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def notes_edit(request: StaffRequest, counselling_session_id: str) -> HttpResponse:
    """Write or amend the notes of a session she held; the text replaced is kept."""
    session = _session(request, counselling_session_id)
    is_counsellor = request.membership.pk == session.counsellor_id
    initial: dict[str, str] = {}
    if is_counsellor and session.has_notes and request.method == "GET":
        # The form shows the notes as they stand: that is a reading too.
        actions.record_session_view(
            session=session, notes_shown=True, acting_user=request.user, at=timezone.now()
        )
        initial = {"notes": session.notes}
    form = NotesForm(request.POST or None, initial=initial)
    page = FormPage(
        "counselling/notes_form.html",
        _("Notes saved."),
        session_url,
        {"session": session, "case": session.case, "is_counsellor": is_counsellor},
    )
    return handle_form(
        request,
        form,
        lambda data: actions.amend_notes(
            session=session, notes=data["notes"], acting_user=request.user, at=timezone.now()
        ),
        page,
    )


@staff_view({Role.COUNSELLOR})
def my_sessions(request: StaffRequest) -> HttpResponse:
    """The sessions I held, newest first, on the cases I still work on."""
    sessions = queries.sessions_held_by(request.membership, request.user)
    return render(request, "counselling/my_sessions.html", {"page": page_of(request, sessions)})


@staff_view(Role.managing_org(), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def notes_access(request: StaffRequest) -> HttpResponse:
    """Which roles, besides each session's counsellor, read counselling notes (nobody by default)."""
    current = sorted(granted_roles(request.org.pk))
    form = NotesAccessForm(request.POST or None, initial={"roles": [role.value for role in current]})
    access = NotesAccess.objects.visible_to(request.user).select_related("changed_by").first()
    page = FormPage(
        "counselling/notes_access.html",
        _("Who reads counselling notes is saved."),
        lambda _saved: reverse("counselling:notes_access"),
        {"access": access},
    )
    return handle_form(
        request,
        form,
        lambda data: actions.set_notes_access(
            org=request.org, roles=data["roles"], acting_user=request.user, at=timezone.now()
        ),
        page,
    )
