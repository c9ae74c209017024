"""Pages of the coordination committees: the list, a committee (members, meetings, open and overdue
actions), a meeting (agenda, minutes, cases tabled, decisions, actions), and the forms that run them.

Thin: parse, call one verb or query, render or redirect. Who sees and does what: `access.py`. Reading
minutes and seeing a woman's name under a release are audited reads; tabled cases are otherwise shown by
survivor code only.
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

from haven.cases.models import Case
from haven.committees import actions, queries
from haven.committees.access import MINUTE_TAKERS, RUNNERS, SURVIVOR_WORK, TABLERS, VIEWERS
from haven.committees.forms import (
    ActionForm,
    CommitteeEditForm,
    CommitteeForm,
    DecisionForm,
    DoneForm,
    LeaveForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    TableAtMeetingForm,
    TableByCodeForm,
)
from haven.committees.models import Action, Committee, CommitteeMember, Meeting, TabledCase
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect

FORM_METHODS = ("GET", "POST")


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _committee(request: StaffRequest, committee_id: Any, action: str = "view") -> Committee:
    queryset = Committee.objects.select_related("org", "area", "provider", "chair")
    committee: Committee = get_visible_or_404(queryset, request.user, action, pk=committee_id)
    return committee


def _meeting(request: StaffRequest, meeting_id: Any, action: str = "view") -> Meeting:
    queryset = Meeting.objects.select_related("committee__org", "committee__provider")
    meeting: Meeting = get_visible_or_404(queryset, request.user, action, pk=meeting_id)
    return meeting


def _committee_url(committee: Any) -> str:
    return reverse("committees:detail", args=[committee.pk])


def _meeting_url(meeting: Any) -> str:
    return reverse("committees:meeting", args=[meeting.pk])


def _role_in(request: StaffRequest, roles: frozenset[Any]) -> bool:
    return request.membership.role_enum in roles


# --- committees ----------------------------------------------------------------------------------------


@staff_view(VIEWERS)
def committee_list(request: StaffRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "rows": queries.committee_rows(request.user, timezone.localdate(now), now),
        "may_run": _role_in(request, RUNNERS),
    }
    return render(request, "committees/list.html", context)


@staff_view(RUNNERS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def committee_create(request: StaffRequest) -> HttpResponse:
    form = CommitteeForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Committee:
        return actions.create_committee(org=request.org, **data, **_now(request))

    page = FormPage(
        "committees/form.html",
        _("Committee set up: now add its members."),
        _committee_url,
        {"title": _("Set up a committee")},
    )
    return handle_form(request, form, save, page)


@staff_view(VIEWERS, object_kwargs=("committee_id",))
def committee_detail(request: StaffRequest, committee_id: str) -> HttpResponse:
    committee = _committee(request, committee_id)
    # Its members' names and what it asked of them: a read of the committee, as through the API.
    actions.record_committee_view(record=committee, **_now(request))
    context = {
        "page": queries.committee_page(committee, request.user, timezone.localdate()),
        "committee": committee,
        "may_run": _role_in(request, RUNNERS),
        "sees_cases": _role_in(request, SURVIVOR_WORK),
    }
    return render(request, "committees/detail.html", context)


@staff_view(RUNNERS, object_kwargs=("committee_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def committee_edit(request: StaffRequest, committee_id: str) -> HttpResponse:
    committee = _committee(request, committee_id, "change")
    form = CommitteeEditForm(posted_data(request), committee=committee)

    def save(data: dict[str, Any]) -> Committee:
        return actions.update_committee(committee=committee, changes=data, **_now(request))

    page = FormPage(
        "committees/form.html", _("Saved."), _committee_url, {"title": committee.name, "committee": committee}
    )
    return handle_form(request, form, save, page)


# --- members -------------------------------------------------------------------------------------------


@staff_view(RUNNERS, object_kwargs=("committee_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def member_add(request: StaffRequest, committee_id: str) -> HttpResponse:
    committee = _committee(request, committee_id, "change")
    form = MemberForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> CommitteeMember:
        return actions.add_member(committee=committee, **data, **_now(request))

    page = FormPage(
        "committees/form.html",
        _("Member added."),
        lambda member: _committee_url(committee),
        {"title": _("Add a member to %(name)s") % {"name": committee.name}, "committee": committee},
    )
    return handle_form(request, form, save, page)


@staff_view(RUNNERS, object_kwargs=("committee_member_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def member_leave(request: StaffRequest, committee_member_id: str) -> HttpResponse:
    queryset = CommitteeMember.objects.select_related("committee__org")
    member: CommitteeMember = get_visible_or_404(queryset, request.user, "change", pk=committee_member_id)
    form = LeaveForm(posted_data(request))

    def save(data: dict[str, Any]) -> CommitteeMember:
        return actions.member_leaves(member=member, left_on=data["left_on"], **_now(request))

    page = FormPage(
        "committees/form.html",
        _("The member has left the committee."),
        lambda _member: _committee_url(member.committee),
        {
            "title": _("%(role)s, %(institution)s leaves the committee")
            % {"role": member.role_title, "institution": member.institution},
            "committee": member.committee,
        },
    )
    return handle_form(request, form, save, page)


# --- meetings ------------------------------------------------------------------------------------------


@staff_view(RUNNERS, object_kwargs=("committee_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def meeting_create(request: StaffRequest, committee_id: str) -> HttpResponse:
    committee = _committee(request, committee_id, "change")
    form = MeetingForm(posted_data(request))

    def save(data: dict[str, Any]) -> Meeting:
        return actions.schedule_meeting(
            committee=committee,
            starts_at=data["starts_at"],
            place=data["place"],
            agenda=form.agenda_items(),
            **_now(request),
        )

    page = FormPage(
        "committees/form.html",
        _("Meeting planned."),
        _meeting_url,
        {"title": _("Plan a meeting of %(name)s") % {"name": committee.name}, "committee": committee},
    )
    return handle_form(request, form, save, page)


@staff_view(VIEWERS, object_kwargs=("committee_meeting_id",))
def meeting_detail(request: StaffRequest, committee_meeting_id: str) -> HttpResponse:
    """The meeting's record. Minutes and tabled cases only for roles that work with survivors; the
    page is an audited read of the meeting (as through the API), the minutes shown one of the minutes."""
    meeting = _meeting(request, committee_meeting_id)
    now = timezone.now()
    actions.record_committee_view(record=meeting, acting_user=request.user, at=now)
    sees_cases = _role_in(request, SURVIVOR_WORK)
    if sees_cases and meeting.minutes_recorded_at is not None:
        actions.record_minutes_view(meeting=meeting, acting_user=request.user, at=now)
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "page": queries.meeting_page(meeting, request.user, now, timezone.localdate(now)),
        "sees_cases": sees_cases,
        "may_run": _role_in(request, RUNNERS) and not meeting.is_cancelled,
        "may_minute": _role_in(request, MINUTE_TAKERS) and not meeting.is_cancelled,
        "may_table": _role_in(request, TABLERS) and not meeting.is_cancelled,
        "may_cancel": _role_in(request, RUNNERS) and meeting.status == Meeting.Status.PLANNED,
        "today": timezone.localdate(now),
    }
    return render(request, "committees/meeting.html", context)


@staff_view(MINUTE_TAKERS, object_kwargs=("committee_meeting_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def minutes(request: StaffRequest, committee_meeting_id: str) -> HttpResponse:
    """Write or correct the minutes; showing the written minutes in the form is an audited read."""
    meeting = _meeting(request, committee_meeting_id, "change")
    initial = {}
    if request.method == "GET" and meeting.minutes_recorded_at is not None:
        actions.record_minutes_view(meeting=meeting, **_now(request))
        initial["minutes"] = meeting.minutes
    form = MinutesForm(posted_data(request), initial=initial)

    def save(data: dict[str, Any]) -> Meeting:
        return actions.record_minutes(meeting=meeting, minutes=data["minutes"], **_now(request))

    page = FormPage(
        "committees/form.html",
        _("Minutes saved."),
        _meeting_url,
        {"title": _("Minutes"), "meeting": meeting, "committee": meeting.committee},
    )
    return handle_form(request, form, save, page)


@staff_view(RUNNERS, object_kwargs=("committee_meeting_id",), methods=("POST",))
@require_POST
def meeting_cancel(request: StaffRequest, committee_meeting_id: str) -> HttpResponse:
    meeting = _meeting(request, committee_meeting_id, "change")
    return run_and_redirect(
        request,
        lambda: actions.cancel_meeting(meeting=meeting, **_now(request)),
        _("Meeting cancelled."),
        _meeting_url(meeting),
    )


# --- tabling cases -------------------------------------------------------------------------------------


def _case_by_code(request: StaffRequest, code: str) -> Case:
    """Her case among those the user may see; the same answer whether the code is unknown or not hers to
    see, so the form confirms nothing."""
    cases = Case.objects.visible_to(request.user).filter(survivor__survivor_code=code.strip())
    case: Case | None = cases.exclude(status=Case.Status.CLOSED).first() or cases.first()
    if case is None:
        raise ValidationError({"survivor_code": _("No case you may see has this survivor code.")})
    return case


@staff_view(TABLERS, object_kwargs=("committee_meeting_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def table_case(request: StaffRequest, committee_meeting_id: str) -> HttpResponse:
    meeting = _meeting(request, committee_meeting_id, "change")
    form = TableByCodeForm(posted_data(request))

    def save(data: dict[str, Any]) -> TabledCase:
        case = _case_by_code(request, data["survivor_code"])
        return actions.table_case(meeting=meeting, case=case, reason=data["reason"], **_now(request))

    page = FormPage(
        "committees/form.html",
        _("Case tabled."),
        lambda tabled: _meeting_url(meeting),
        {"title": _("Table a case"), "meeting": meeting, "committee": meeting.committee},
    )
    return handle_form(request, form, save, page)


@staff_view(TABLERS, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def table_from_case(request: StaffRequest, case_id: str) -> HttpResponse:
    """From the case page: choose a planned meeting to table her case at."""
    case: Case = get_visible_or_404(Case.objects.select_related("survivor"), request.user, pk=case_id)
    form = TableAtMeetingForm(posted_data(request), user=request.user)

    def save(data: dict[str, Any]) -> TabledCase:
        meeting = get_visible_or_404(Meeting.objects.all(), request.user, "change", pk=data["meeting"].pk)
        return actions.table_case(meeting=meeting, case=case, reason=data["reason"], **_now(request))

    page = FormPage(
        "committees/form.html",
        _("Case tabled."),
        lambda tabled: reverse("cases:detail", args=[case.pk]),
        {"title": _("Table the case at a committee meeting"), "case": case},
    )
    return handle_form(request, form, save, page)


# --- decisions and actions -----------------------------------------------------------------------------


@staff_view(RUNNERS, object_kwargs=("committee_meeting_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def decision_add(request: StaffRequest, committee_meeting_id: str) -> HttpResponse:
    meeting = _meeting(request, committee_meeting_id, "change")
    form = DecisionForm(posted_data(request), meeting=meeting, user=request.user)

    def save(data: dict[str, Any]) -> Any:
        return actions.record_decision(
            meeting=meeting, text=data["text"], tabled_case=data.get("tabled_case"), **_now(request)
        )

    page = FormPage(
        "committees/form.html",
        _("Decision recorded."),
        lambda _decision: _meeting_url(meeting),
        {"title": _("Record a decision"), "meeting": meeting, "committee": meeting.committee},
    )
    return handle_form(request, form, save, page)


@staff_view(RUNNERS, object_kwargs=("committee_meeting_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def action_add(request: StaffRequest, committee_meeting_id: str) -> HttpResponse:
    meeting = _meeting(request, committee_meeting_id, "change")
    form = ActionForm(posted_data(request), meeting=meeting, user=request.user)

    def save(data: dict[str, Any]) -> Action:
        return actions.assign_action(
            meeting=meeting,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            tabled_case=data.get("tabled_case"),
            **_now(request),
        )

    page = FormPage(
        "committees/form.html",
        _("Action recorded."),
        lambda _action: _meeting_url(meeting),
        {"title": _("Give a member an action"), "meeting": meeting, "committee": meeting.committee},
    )
    return handle_form(request, form, save, page)


def _action(request: StaffRequest, action_id: str) -> Action:
    queryset = Action.objects.select_related("meeting__committee__org")
    action: Action = get_visible_or_404(queryset, request.user, "change", pk=action_id)
    return action


def _back(request: StaffRequest, action: Action) -> str:
    """Back to where the button was: the committee page or the meeting page."""
    if request.POST.get("back") == "committee":
        return _committee_url(action.meeting.committee)
    return _meeting_url(action.meeting)


@staff_view(RUNNERS, object_kwargs=("committee_action_id",), methods=("POST",))
@require_POST
def action_done(request: StaffRequest, committee_action_id: str) -> HttpResponse:
    action = _action(request, committee_action_id)
    form = DoneForm(request.POST)

    def run() -> Action:
        if not form.is_valid():
            raise ValidationError(list(form.errors["done_on"]))
        return actions.complete_action(action=action, done_on=form.cleaned_data["done_on"], **_now(request))

    return run_and_redirect(request, run, _("Action marked done."), _back(request, action))


@staff_view(RUNNERS, object_kwargs=("committee_action_id",), methods=("POST",))
@require_POST
def action_drop(request: StaffRequest, committee_action_id: str) -> HttpResponse:
    action = _action(request, committee_action_id)
    return run_and_redirect(
        request,
        lambda: actions.drop_action(action=action, **_now(request)),
        _("Action dropped."),
        _back(request, action),
    )
