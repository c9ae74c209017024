"""Pages of legal aid: open a matter from a case, the matter's page (details, advocate, status, hearings,
consultations, outcome), the advocates panel, a lawyer's calendar and its iCalendar feed.

Thin: parse, call one verb or query, render or redirect. Opening a matter's page is an audited read
(`legal.view`). Lists and calendars show references and survivor codes, never names; the feed is read by
calendar applications at a secret address and carries no personal data at all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.cases.models import Case
from haven.legal import actions, queries
from haven.legal.forms import (
    AdvocateEditForm,
    AssignForm,
    ConcludeForm,
    ConsultationForm,
    HearingForm,
    HearingResultForm,
    MatterEditForm,
    MatterForm,
    NewAdvocateForm,
    OutcomeForm,
    TransitionForm,
)
from haven.legal.models import (
    OPENING_ROLES,
    PANEL_ROLES,
    Advocate,
    CalendarFeed,
    Consultation,
    Hearing,
    Matter,
    MatterKind,
)
from haven.orgs.access import StaffRequest, get_visible_or_404, public_view, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect
from haven.orgs.roles import Role
from haven.people.views import SURVIVOR_ROLES

FORM_METHODS = ("GET", "POST")
LAWYERS = frozenset({Role.LAWYER})
ASSIGN_ROLES = frozenset({Role.LAWYER, Role.CENTRE_MANAGER})
PANEL_VIEW_ROLES = SURVIVOR_ROLES | PANEL_ROLES
CALENDAR_ROLES = LAWYERS | PANEL_ROLES
CALENDAR_WEEKS = 4
MATTERS_PER_PAGE = 50


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _matter(request: StaffRequest, matter_id: Any, action: str = "view") -> Matter:
    queryset = Matter.objects.select_related(
        "case__survivor", "case__org", "org", "advocate__membership__user"
    )
    matter: Matter = get_visible_or_404(queryset, request.user, action, pk=matter_id)
    return matter


def _matter_url(matter: Matter) -> str:
    return reverse("legal:matter", args=[matter.pk])


def _may(request: StaffRequest, matter: Matter, action: str) -> bool:
    return Matter.objects.visible_to(request.user, action).filter(pk=matter.pk).exists()


# --- matters -------------------------------------------------------------------------------------------


@staff_view(SURVIVOR_ROLES)
def matter_list(request: StaffRequest) -> HttpResponse:
    """The matters the user may see: active ones by default (`?closed=1` for the closed), with survivor
    code, status, lawyer and next hearing. A fixed number of queries whatever the length."""
    closed = request.GET.get("closed") == "1"
    matters = Matter.objects.visible_to(request.user).select_related("case__survivor", "advocate")
    matters = matters.filter(status=Matter.Status.CLOSED) if closed else matters.active()
    ordered = queries.with_next_hearing(matters, timezone.now()).order_by("-opened_on", "-created_at")
    page = Paginator(ordered, MATTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "legal/matter_list.html", {"page": page, "closed": closed})


@staff_view(OPENING_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def matter_create(request: StaffRequest, case_id: str) -> HttpResponse:
    """Open a legal matter in her case (`?kind=PROTECTION_ORDER` preselects the kind)."""
    case: Case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    may_assign = request.membership.role_enum in ASSIGN_ROLES
    kind = request.GET.get("kind", "")
    initial = {"opened_on": timezone.localdate(), "kind": kind if kind in MatterKind.values else ""}
    form = MatterForm(
        posted_data(request),
        initial=initial,
        advocates=queries.assignable(request.user) if may_assign else None,
    )

    def fields(data: dict[str, Any]) -> dict[str, Any]:
        return {
            name: data[name] or ""
            for name in (
                "court",
                "court_number",
                "opposing_party_name",
                "opposing_party_relationship",
                "notes",
            )
        }

    def save(data: dict[str, Any]) -> Matter:
        return actions.open_matter(
            case=case,
            kind=data["kind"],
            opened_on=data["opened_on"],
            advocate=data.get("advocate"),
            **fields(data),
            **_now(request),
        )

    def check(data: dict[str, Any]) -> None:
        actions.build_matter(
            case=case, kind=data["kind"], opened_on=data["opened_on"], **fields(data), at=timezone.now()
        )
        if data.get("advocate") is not None:
            actions.check_available(data["advocate"], data["kind"], case.org_id)

    page = FormPage(
        "legal/form.html",
        _("Legal matter opened."),
        _matter_url,
        {"title": _("Open a legal matter"), "case": case, "submit": _("Open the matter")},
    )
    return handle_form(request, form, save, page, check=check)


@staff_view(SURVIVOR_ROLES, object_kwargs=("legal_matter_id",))
@require_GET
def matter_detail(request: StaffRequest, legal_matter_id: str) -> HttpResponse:
    """The legal file: details, opposing party, lawyer, status and its history, hearings, consultations and
    the outcome; each opening is a read entry in the audit log."""
    matter = _matter(request, legal_matter_id)
    actions.record_matter_view(matter=matter, **_now(request))
    may_change = _may(request, matter, "change")
    context = {
        "matter": matter,
        "hearings": list(matter.hearings.select_related("next_hearing").order_by("starts_at")),
        "consultations": list(
            Consultation.objects.visible_to(request.user).filter(matter=matter).select_related("advocate")
        ),
        "transitions": list(matter.transitions.select_related("actor").order_by("at")),
        "may_change": may_change and not matter.is_closed,
        "may_reopen": may_change and matter.is_closed,
        "may_assign": _may(request, matter, "assign") and not matter.is_closed,
        "verbs": _verbs_for(matter),
        "now": timezone.now(),
    }
    return render(request, "legal/matter_detail.html", context)


def _verbs_for(matter: Matter) -> list[tuple[str, str]]:
    labels = {"file": _("Mark filed"), "to_court": _("Mark before the court")}
    return [(verb, label) for verb, label in labels.items() if matter.status in actions._MOVES[verb][0]]


@staff_view(LAWYERS, object_kwargs=("legal_matter_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def matter_edit(request: StaffRequest, legal_matter_id: str) -> HttpResponse:
    matter = _matter(request, legal_matter_id, "change")
    initial = {name: getattr(matter, name) for name in actions.EDITABLE_FIELDS}
    form = MatterEditForm(posted_data(request), initial=initial)

    def save(data: dict[str, Any]) -> Matter:
        changes = {name: data[name] or "" for name in actions.EDITABLE_FIELDS}
        return actions.update_matter(matter=matter, changes=changes, **_now(request))

    page = FormPage(
        "legal/form.html",
        _("Saved."),
        _matter_url,
        {"title": _("Details of %(reference)s") % {"reference": matter.reference}, "matter": matter},
    )
    return handle_form(request, form, save, page)


@staff_view(LAWYERS, object_kwargs=("legal_matter_id",), methods=("POST",))
@require_POST
def matter_transition(request: StaffRequest, legal_matter_id: str) -> HttpResponse:
    matter = _matter(request, legal_matter_id, "change")
    form = TransitionForm(request.POST)
    url = _matter_url(matter)
    if not form.is_valid():
        return run_and_redirect(request, lambda: _refuse(_("Choose a step offered on the page.")), "", url)
    data = form.cleaned_data
    return run_and_redirect(
        request,
        lambda: actions.transition_matter(
            matter=matter, verb=data["verb"], comment=data["comment"], **_now(request)
        ),
        _("Status changed."),
        url,
    )


def _refuse(message: str) -> None:
    raise ValidationError(message)


@staff_view(ASSIGN_ROLES, object_kwargs=("legal_matter_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def matter_assign(request: StaffRequest, legal_matter_id: str) -> HttpResponse:
    """Choose the matter's lawyer from the panel, each with her workload; the verb refuses one who is not
    available or full, with the reason."""
    matter = _matter(request, legal_matter_id, "assign")
    form = AssignForm(posted_data(request), advocates=queries.assignable(request.user))
    page = FormPage(
        "legal/form.html",
        _("Lawyer assigned."),
        _matter_url,
        {
            "title": _("Assign a lawyer to %(reference)s") % {"reference": matter.reference},
            "matter": matter,
            "submit": _("Assign"),
        },
    )
    return handle_form(
        request,
        form,
        lambda data: actions.assign_advocate(matter=matter, advocate=data["advocate"], **_now(request)),
        page,
        check=lambda data: actions.check_available(data["advocate"], matter.kind, matter.org_id),
    )


@staff_view(LAWYERS, object_kwargs=("legal_matter_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def matter_outcome(request: StaffRequest, legal_matter_id: str) -> HttpResponse:
    """Record how the matter ended; this closes it."""
    matter = _matter(request, legal_matter_id, "change")
    form = OutcomeForm(posted_data(request), initial={"closed_on": timezone.localdate()})
    page = FormPage(
        "legal/form.html",
        _("Outcome recorded; the matter is closed."),
        _matter_url,
        {
            "title": _("Outcome of %(reference)s") % {"reference": matter.reference},
            "matter": matter,
            "submit": _("Record the outcome"),
        },
    )

    def save(data: dict[str, Any]) -> Matter:
        return actions.record_outcome(
            matter=matter,
            outcome=data["outcome"],
            closed_on=data["closed_on"],
            notes=data["notes"],
            **_now(request),
        )

    return handle_form(request, form, save, page)


# --- hearings ------------------------------------------------------------------------------------------


@staff_view(LAWYERS, object_kwargs=("legal_matter_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def hearing_create(request: StaffRequest, legal_matter_id: str) -> HttpResponse:
    matter = _matter(request, legal_matter_id, "change")
    form = HearingForm(posted_data(request), initial={"court": matter.court})

    def save(data: dict[str, Any]) -> Hearing:
        return actions.schedule_hearing(
            matter=matter,
            starts_at=data["starts_at"],
            purpose=data["purpose"],
            court=data["court"],
            **_now(request),
        )

    page = FormPage(
        "legal/form.html",
        _("Hearing scheduled."),
        lambda hearing: _matter_url(matter),
        {
            "title": _("Schedule a hearing in %(reference)s") % {"reference": matter.reference},
            "matter": matter,
            "submit": _("Schedule the hearing"),
        },
    )
    check = lambda data: actions.build_hearing(  # noqa: E731
        matter=matter,
        starts_at=data["starts_at"],
        purpose=data["purpose"],
        court=data["court"],
        at=timezone.now(),
    )
    return handle_form(request, form, save, page, check=check)


@staff_view(LAWYERS, object_kwargs=("legal_hearing_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def hearing_result(request: StaffRequest, legal_hearing_id: str) -> HttpResponse:
    """What happened at the hearing, and the next date when the court set one (it is scheduled)."""
    queryset = Hearing.objects.select_related("matter__org", "matter__case__survivor")
    hearing: Hearing = get_visible_or_404(queryset, request.user, "change", pk=legal_hearing_id)
    matter = hearing.matter
    form = HearingResultForm(posted_data(request))

    def save(data: dict[str, Any]) -> Hearing:
        return actions.record_hearing_result(
            hearing=hearing,
            result=data["result"],
            note=data["note"],
            next_starts_at=data["next_starts_at"],
            next_purpose=data["next_purpose"] or "",
            **_now(request),
        )

    page = FormPage(
        "legal/form.html",
        _("Result recorded."),
        lambda _hearing: _matter_url(matter),
        {
            "title": _("Result of the hearing in %(reference)s") % {"reference": matter.reference},
            "matter": matter,
            "hearing": hearing,
            "submit": _("Record the result"),
        },
    )
    return handle_form(request, form, save, page)


# --- consultations -------------------------------------------------------------------------------------


def _consultation_page(request: StaffRequest, case: Case, matter: Matter | None) -> HttpResponse:
    mine = Advocate.objects.filter(membership=request.membership, is_active=True).first()
    matters = Matter.objects.visible_to(request.user).filter(case=case).active()
    form = ConsultationForm(
        posted_data(request),
        advocates=queries.assignable(request.user),
        matters=matters,
        initial={
            "advocate": mine.pk if mine else None,
            "matter": matter.pk if matter else None,
            "held_at": timezone.localtime().replace(second=0, microsecond=0),
        },
    )

    def save(data: dict[str, Any]) -> Consultation:
        return actions.log_consultation(
            case=case,
            matter=data["matter"],
            advocate=data["advocate"],
            held_at=data["held_at"],
            modality=data["modality"],
            duration_minutes=data["duration_minutes"],
            notes=data["notes"],
            **_now(request),
        )

    back = _matter_url(matter) if matter else reverse("cases:detail", args=[case.pk])
    page = FormPage(
        "legal/form.html",
        _("Consultation logged."),
        lambda _c: back,
        {"title": _("Log a legal consultation"), "case": case, "matter": matter, "submit": _("Log it")},
    )
    return handle_form(request, form, save, page)


@staff_view(LAWYERS, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def consultation_create(request: StaffRequest, case_id: str) -> HttpResponse:
    case: Case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    return _consultation_page(request, case, None)


@staff_view(LAWYERS, object_kwargs=("legal_matter_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def matter_consultation_create(request: StaffRequest, legal_matter_id: str) -> HttpResponse:
    matter = _matter(request, legal_matter_id, "change")
    return _consultation_page(request, matter.case, matter)


@staff_view(LAWYERS, object_kwargs=("legal_consultation_id",), methods=("POST",))
@require_POST
def consultation_conclude(request: StaffRequest, legal_consultation_id: str) -> HttpResponse:
    queryset = Consultation.objects.select_related("case__org", "advocate")
    consultation: Consultation = get_visible_or_404(
        queryset, request.user, "change", pk=legal_consultation_id
    )
    form = ConcludeForm(request.POST)
    back = request.POST.get("back") == "calendar"
    url = (
        reverse("legal:my_calendar")
        if back
        else (
            reverse("legal:matter", args=[consultation.matter_id])
            if consultation.matter_id
            else reverse("cases:detail", args=[consultation.case_id])
        )
    )
    if not form.is_valid():
        return run_and_redirect(request, lambda: _refuse(_("Choose held, missed or cancelled.")), "", url)
    return run_and_redirect(
        request,
        lambda: actions.conclude_consultation(
            consultation=consultation, status=form.cleaned_data["status"], **_now(request)
        ),
        _("Saved."),
        url,
    )


# --- the advocates panel -------------------------------------------------------------------------------


@staff_view(PANEL_VIEW_ROLES)
@require_GET
def advocate_list(request: StaffRequest) -> HttpResponse:
    """The panel: in-house lawyers and external advocates with languages, areas, availability and their
    workload (active matters against their most). No client data."""
    context = {
        "advocates": list(queries.panel(request.user)),
        "may_manage": request.membership.role_enum in PANEL_ROLES,
        "kinds": dict(MatterKind.choices),
        "languages": dict(_language_names()),
    }
    return render(request, "legal/advocate_list.html", context)


def _language_names() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


@staff_view(PANEL_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def advocate_create(request: StaffRequest) -> HttpResponse:
    form = NewAdvocateForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Advocate:
        return actions.add_advocate(org=request.org, **data, **_now(request))

    page = FormPage(
        "legal/form.html",
        _("Added to the panel."),
        lambda _a: reverse("legal:advocates"),
        {"title": _("Add a lawyer to the panel"), "submit": _("Add to the panel")},
    )
    return handle_form(request, form, save, page)


@staff_view(PANEL_ROLES, object_kwargs=("legal_advocate_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def advocate_edit(request: StaffRequest, legal_advocate_id: str) -> HttpResponse:
    advocate: Advocate = get_visible_or_404(
        Advocate.objects.all(), request.user, "change", pk=legal_advocate_id
    )
    form = AdvocateEditForm(
        posted_data(request), initial={name: getattr(advocate, name) for name in actions.ADVOCATE_FIELDS}
    )
    if advocate.kind == Advocate.Kind.IN_HOUSE:
        del form.fields["name"]

    def save(data: dict[str, Any]) -> Advocate:
        return actions.update_advocate(advocate=advocate, changes=data, **_now(request))

    page = FormPage(
        "legal/form.html",
        _("Saved."),
        lambda _a: reverse("legal:advocates"),
        {"title": advocate.name, "submit": _("Save")},
    )
    return handle_form(request, form, save, page)


# --- calendars -----------------------------------------------------------------------------------------


@staff_view(LAWYERS)
@require_GET
def my_calendar(request: StaffRequest) -> HttpResponse:
    """The signed-in lawyer's calendar, or why she has none yet (she is not on the panel)."""
    advocate = Advocate.objects.filter(membership=request.membership).first()
    if advocate is None:
        return render(request, "legal/not_on_panel.html", {})
    return _calendar_page(request, advocate, token=None)


@staff_view(CALENDAR_ROLES, object_kwargs=("legal_advocate_id",))
@require_GET
def advocate_calendar(request: StaffRequest, legal_advocate_id: str) -> HttpResponse:
    return _calendar_page(request, _calendar_advocate(request, legal_advocate_id), token=None)


def _calendar_advocate(request: StaffRequest, advocate_id: str) -> Advocate:
    advocate: Advocate = get_visible_or_404(Advocate.objects.all(), request.user, "calendar", pk=advocate_id)
    return advocate


def _calendar_page(request: StaffRequest, advocate: Advocate, token: str | None) -> HttpResponse:
    """Four weeks from the Monday of `?week=` (default: this week), hearings and scheduled consultations
    by day, each linked to its matter when the viewer may open it; and the feed address controls."""
    first = queries.week_start(_week(request))
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    days = CALENDAR_WEEKS * 7
    events = queries.calendar_events(advocate, start, start + timedelta(days=days))
    openable = set(
        Matter.objects.visible_to(request.user)
        .filter(pk__in={e.matter_id for e in events})
        .values_list("pk", flat=True)
    )
    feed = CalendarFeed.objects.filter(advocate=advocate, revoked_at__isnull=True).first()
    context = {
        "advocate": advocate,
        "days": queries.days_of(events, first, days),
        "openable": openable,
        "previous": first - timedelta(days=7),
        "next": first + timedelta(days=7),
        "feed": feed,
        "feed_url": request.build_absolute_uri(reverse("legal:feed", args=[token])) if token else None,
        "is_mine": advocate.membership_id == request.membership.pk,
        "today": timezone.localdate(),
    }
    return render(request, "legal/calendar.html", context)


# The page reaches a week back (the "previous" link) and five weeks ahead of `?week=`: a date nearer the
# ends of the calendar than that has no such weeks, and would be a server error.
_WEEK_RANGE = (date.min + timedelta(days=14), date.max - timedelta(days=(CALENDAR_WEEKS + 2) * 7))


def _week(request: StaffRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return timezone.localdate()
    first, last = _WEEK_RANGE
    return day if first <= day <= last else timezone.localdate()


@staff_view(CALENDAR_ROLES, object_kwargs=("legal_advocate_id",), methods=("POST",))
@require_POST
def feed_create(request: StaffRequest, legal_advocate_id: str) -> HttpResponse:
    """A new secret calendar address, shown once on the page that answers (never stored in clear)."""
    advocate = _calendar_advocate(request, legal_advocate_id)
    _feed, token = actions.create_calendar_feed(advocate=advocate, **_now(request))
    return _calendar_page(request, advocate, token=token)


@staff_view(CALENDAR_ROLES, object_kwargs=("legal_advocate_id",), methods=("POST",))
@require_POST
def feed_revoke(request: StaffRequest, legal_advocate_id: str) -> HttpResponse:
    advocate = _calendar_advocate(request, legal_advocate_id)
    return run_and_redirect(
        request,
        lambda: actions.revoke_calendar_feeds(advocate=advocate, **_now(request)),
        _("The calendar address no longer works."),
        reverse("legal:advocate_calendar", args=[advocate.pk]),
    )


@public_view
@require_GET
def feed(request: Any, legal_feed_token: str) -> HttpResponse:
    """The iCalendar feed at its secret address: 404 for a wrong or revoked token, so nothing is confirmed."""
    found = actions.live_feed(legal_feed_token)
    if found is None:
        raise Http404
    now = timezone.now()
    CalendarFeed.objects.filter(pk=found.pk).update(last_read_at=now)
    advocate = Advocate.objects.select_related("org", "membership__user").get(pk=found.advocate_id)
    user = advocate.membership.user if advocate.membership else None
    language = (user.language if user else "") or advocate.org.default_language
    body = queries.ical_feed(advocate, now, language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="haven-legal.ics"'
    return response
