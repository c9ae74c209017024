"""Pages of group work: activities and their sessions, who came, courses (enrolment, exam, certificate),
campaigns with their materials and distributions, and the participation figures of a period.

Thin: parse, call one verb or query, render or redirect. Activities, sessions, counts and campaigns are
open to every member of the organisation. Who came by name is shown on the session page only, to roles
that work with survivors, and that showing is audited; the activity page lists enrolled participants by
survivor code. A session's place is a site's name or a short description, never an address.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.groups import actions, queries
from haven.groups.finding import age_of, find_people
from haven.groups.forms import (
    ActivityForm,
    AttendanceForm,
    CampaignForm,
    CertificateForm,
    CountsForm,
    DistributionForm,
    EnrolForm,
    ExamForm,
    FiguresForm,
    FindPersonForm,
    MaterialForm,
    PeriodForm,
    SessionForm,
    count_field_name,
)
from haven.groups.models import (
    ORGANISER_ROLES,
    Activity,
    ActivitySession,
    AgeGroup,
    Attendance,
    Campaign,
    Certificate,
    Distribution,
    Enrolment,
    Institution,
    Material,
    Sex,
)
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_posted_form
from haven.orgs.roles import ROLES_NOT_KEPT_APART
from haven.people.models import Person, SafeContact
from haven.people.views import SURVIVOR_ROLES
from haven.web.paging import page_of
from haven.web.pdf import PdfUnavailable, render_pdf

FORM_METHODS = ("GET", "POST")
FIGURES_DAYS = 365


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _works_with_survivors(request: StaffRequest) -> bool:
    return request.membership.role_enum in SURVIVOR_ROLES


def _organises(request: StaffRequest) -> bool:
    return request.membership.role_enum in ORGANISER_ROLES


def _activity(request: StaffRequest, activity_id: Any, action: str = "view") -> Activity:
    queryset = Activity.objects.select_related("site", "org")
    activity: Activity = get_visible_or_404(queryset, request.user, action, pk=activity_id)
    return activity


def _session(request: StaffRequest, session_id: Any, action: str = "view") -> ActivitySession:
    queryset = ActivitySession.objects.select_related("activity__org", "site", "facilitator__user")
    session: ActivitySession = get_visible_or_404(queryset, request.user, action, pk=session_id)
    return session


def _visible_person(request: StaffRequest, person_id: Any) -> Person | None:
    return Person.objects.visible_to(request.user).filter(pk=person_id).first()


# --- activities ------------------------------------------------------------------------------------------


@staff_view(ROLES_NOT_KEPT_APART)
def activity_list(request: StaffRequest) -> HttpResponse:
    """Activities by kind and period, each with its sessions and participants (counts, never names)."""
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    activities = queries.activity_list(
        request.user, kind=data.get("kind") or "", start=data.get("start"), end=data.get("end")
    )
    context = {"form": form, "page": page_of(request, activities), "may_create": _organises(request)}
    return render(request, "groups/activity_list.html", context)


@staff_view(ORGANISER_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def activity_create(request: StaffRequest) -> HttpResponse:
    form = ActivityForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Activity:
        return actions.create_activity(
            org=request.org, **{**data, "facilitators": list(data["facilitators"])}, **_now(request)
        )

    page = FormPage(
        "groups/form.html",
        _("Activity created: now plan its sessions."),
        lambda activity: reverse("groups:activity", args=[activity.pk]),
        {"title": _("New activity"), "back": reverse("groups:activities")},
    )
    return handle_form(request, form, save, page)


def _activity_context(request: StaffRequest, activity: Activity) -> dict[str, Any]:
    context: dict[str, Any] = {
        "activity": activity,
        "sessions": queries.sessions_of(activity),
        "facilitators": activity.facilitators.select_related("user"),
        "may_change": _organises(request),
        "works_with_survivors": _works_with_survivors(request),
    }
    if activity.is_training and context["works_with_survivors"]:
        context["enrolments"] = (
            Enrolment.objects.visible_to(request.user)
            .filter(activity=activity)
            .select_related("person", "certificate")
        )
        context["find_form"] = FindPersonForm()
        context["certificate_form"] = CertificateForm()
    return context


@staff_view(ROLES_NOT_KEPT_APART, object_kwargs=("group_activity_id",))
def activity_detail(request: StaffRequest, group_activity_id: str) -> HttpResponse:
    activity = _activity(request, group_activity_id)
    return render(request, "groups/activity_detail.html", _activity_context(request, activity))


@staff_view(SURVIVOR_ROLES, object_kwargs=("group_activity_id",), methods=("POST",))
@require_POST
def activity_find(request: StaffRequest, group_activity_id: str) -> HttpResponse:
    """Find a person to enrol in a training; the activity page shows the matches by survivor code."""
    activity = _activity(request, group_activity_id)
    form = FindPersonForm(request.POST)
    if not activity.is_training or not form.is_valid():
        messages.error(request, _("Type a survivor code or a name to search."))
        return redirect("groups:activity", group_activity_id=activity.pk)
    context = _activity_context(request, activity)
    context.update(find_form=form, matches=_matches(request, form), searched=True)
    return render(request, "groups/activity_detail.html", context)


def _matches(request: StaffRequest, form: FindPersonForm) -> list[tuple[Person, int | None]]:
    today = timezone.localdate()
    return [
        (person, age_of(person, today)) for person in find_people(request.user, form.cleaned_data["query"])
    ]


@staff_view(SURVIVOR_ROLES, object_kwargs=("group_activity_id",), methods=("POST",))
@require_POST
def enrol(request: StaffRequest, group_activity_id: str) -> HttpResponse:
    activity = _activity(request, group_activity_id)
    url = reverse("groups:activity", args=[activity.pk])

    def run(data: dict[str, Any]) -> Enrolment:
        person = _visible_person(request, data["person"])
        if person is None:
            raise ValidationError(_("Choose a person registered in your organisation."))
        return actions.enrol(activity=activity, person=person, **_now(request))

    return run_posted_form(request, EnrolForm(request.POST), run, _("Enrolled."), url)


def _enrolment(request: StaffRequest, enrolment_id: Any) -> Enrolment:
    queryset = Enrolment.objects.select_related("activity", "person")
    enrolment: Enrolment = get_visible_or_404(queryset, request.user, "change", pk=enrolment_id)
    return enrolment


@staff_view(SURVIVOR_ROLES, object_kwargs=("group_enrolment_id",), methods=("POST",))
@require_POST
def exam_record(request: StaffRequest, group_enrolment_id: str) -> HttpResponse:
    enrolment = _enrolment(request, group_enrolment_id)
    return run_posted_form(
        request,
        ExamForm(request.POST),
        lambda data: actions.record_exam_result(enrolment=enrolment, score=data["score"], **_now(request)),
        _("Exam result recorded."),
        reverse("groups:activity", args=[enrolment.activity_id]) + "#participants",
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("group_enrolment_id",), methods=("POST",))
@require_POST
def certificate_issue(request: StaffRequest, group_enrolment_id: str) -> HttpResponse:
    enrolment = _enrolment(request, group_enrolment_id)
    return run_posted_form(
        request,
        CertificateForm(request.POST),
        lambda data: actions.issue_certificate(
            activity=enrolment.activity, person=enrolment.person, language=data["language"], **_now(request)
        ),
        _("Certificate issued."),
        reverse("groups:activity", args=[enrolment.activity_id]) + "#participants",
    )


def may_name_organisation(person: Person) -> bool:
    """As on her safety plan: a paper naming a shelter or a women's service can tell the abuser she
    asked for help, so the organisation is named only when her safe-contact instructions allow it."""
    contact = SafeContact.objects.filter(person=person).first()
    return contact is not None and not contact.do_not_name_organisation


@staff_view(SURVIVOR_ROLES, object_kwargs=("group_certificate_id",))
def certificate_pdf(request: StaffRequest, group_certificate_id: str) -> HttpResponse:
    """The certificate as a PDF in its language, with her name; each printing is audited."""
    queryset = Certificate.objects.select_related("enrolment__activity", "enrolment__person", "org")
    certificate: Certificate = get_visible_or_404(queryset, request.user, pk=group_certificate_id)
    activity = certificate.enrolment.activity
    person = certificate.enrolment.person
    context = {
        "certificate": certificate,
        "activity": activity,
        "person": person,
        "organisation": certificate.org.name if may_name_organisation(person) else "",
        "request": request,
    }
    try:
        document = render_pdf("groups/certificate_pdf.html", context, language=certificate.language)
    except PdfUnavailable as unavailable:
        messages.error(request, str(unavailable))
        return redirect("groups:activity", group_activity_id=activity.pk)
    actions.record_certificate_print(certificate=certificate, acting_user=request.user, at=timezone.now())
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- sessions --------------------------------------------------------------------------------------------


@staff_view(ORGANISER_ROLES, object_kwargs=("group_activity_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def session_create(request: StaffRequest, group_activity_id: str) -> HttpResponse:
    activity = _activity(request, group_activity_id, "change")
    form = SessionForm(posted_data(request), activity=activity)
    page = FormPage(
        "groups/form.html",
        _("Session planned."),
        lambda session: reverse("groups:session", args=[session.pk]),
        {
            "title": _("New session of %(title)s") % {"title": activity.title},
            "back": reverse("groups:activity", args=[activity.pk]),
        },
    )
    return handle_form(
        request, form, lambda data: actions.add_session(activity=activity, **data, **_now(request)), page
    )


def _grid(counts: queries.SessionCounts, professional: bool) -> dict[str, Any]:
    """Rows of the counts table: (label, [count per sex]) by age group, and by institution for
    professionals."""

    def row(age: str, institution: str) -> list[int]:
        return [counts.cells.get((sex, age, institution), 0) for sex in Sex.values]

    return {
        "sexes": Sex.choices,
        "by_age": [(label, row(age, "")) for age, label in AgeGroup.choices],
        "by_institution": [(label, row(AgeGroup.UNKNOWN, key)) for key, label in Institution.choices]
        if professional
        else [],
    }


def _has_started(session: ActivitySession) -> bool:
    """Who came can be recorded once the session has started (the verbs refuse it before): the page
    offers no control that would only be refused."""
    return session.starts_at <= timezone.now()


def _session_context(request: StaffRequest, session: ActivitySession) -> dict[str, Any]:
    counts = queries.session_counts(session)
    context: dict[str, Any] = {
        "session": session,
        "activity": session.activity,
        "counts": counts,
        "grid": _grid(counts, session.activity.is_for_professionals),
        "may_count": _organises(request),
        "works_with_survivors": _works_with_survivors(request),
        "has_started": _has_started(session),
    }
    if context["works_with_survivors"]:
        attendance = (
            Attendance.objects.visible_to(request.user).filter(session=session).select_related("person")
        )
        context["attendance"] = attendance
        context["find_form"] = FindPersonForm()
        context["statuses"] = Attendance.Status.choices
        context["notes"] = session.notes
        if attendance:
            actions.record_session_names_view(session=session, acting_user=request.user, at=timezone.now())
    return context


@staff_view(ROLES_NOT_KEPT_APART, object_kwargs=("group_session_id",))
def session_detail(request: StaffRequest, group_session_id: str) -> HttpResponse:
    """The session: when, where, who led it, and who came. Names (and the notes, which may name
    someone) only for roles that work with survivors; everyone sees the counts."""
    session = _session(request, group_session_id)
    return render(request, "groups/session_detail.html", _session_context(request, session))


@staff_view(SURVIVOR_ROLES, object_kwargs=("group_session_id",), methods=("POST",))
@require_POST
def session_find(request: StaffRequest, group_session_id: str) -> HttpResponse:
    """Find a known person (a woman or a child of the organisation) to mark at the session."""
    session = _session(request, group_session_id)
    if not _has_started(session):  # nobody can be marked yet: the page says so, without a search
        return redirect("groups:session", group_session_id=session.pk)
    form = FindPersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type a survivor code or a name to search."))
        return redirect("groups:session", group_session_id=session.pk)
    context = _session_context(request, session)
    context.update(find_form=form, matches=_matches(request, form), searched=True)
    return render(request, "groups/session_detail.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("group_session_id",), methods=("POST",))
@require_POST
def attendance_record(request: StaffRequest, group_session_id: str) -> HttpResponse:
    session = _session(request, group_session_id)

    def run(data: dict[str, Any]) -> Attendance:
        person = _visible_person(request, data["person"])
        if person is None:
            raise ValidationError(_("Choose a person registered in your organisation."))
        return actions.record_attendance(
            session=session, person=person, status=data["status"], **_now(request)
        )

    url = reverse("groups:session", args=[session.pk]) + "#attendance"
    return run_posted_form(request, AttendanceForm(request.POST), run, _("Attendance recorded."), url)


@staff_view(ORGANISER_ROLES, object_kwargs=("group_session_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def counts_edit(request: StaffRequest, group_session_id: str) -> HttpResponse:
    """The anonymous-participants grid: sex by age group, and institution by sex for professionals."""
    session = _session(request, group_session_id, "change")
    if request.method == "GET" and not _has_started(session):  # the session page says why not yet
        return redirect("groups:session", group_session_id=session.pk)
    professional = session.activity.is_for_professionals
    counts = queries.session_counts(session)
    form = CountsForm(posted_data(request), professional=professional, initial_cells=counts.cells)
    field_rows = [
        (label, [form[count_field_name(sex, age)] for sex in Sex.values]) for age, label in AgeGroup.choices
    ]
    institution_rows = (
        [
            (label, [form[count_field_name(sex, AgeGroup.UNKNOWN, key)] for sex in Sex.values])
            for key, label in Institution.choices
        ]
        if professional
        else []
    )
    page = FormPage(
        "groups/counts_form.html",
        _("Counts saved."),
        lambda _rows: reverse("groups:session", args=[session.pk]),
        {
            "session": session,
            "activity": session.activity,
            "counts": counts,
            "sexes": Sex.choices,
            "field_rows": field_rows,
            "institution_rows": institution_rows,
        },
    )
    return handle_form(
        request,
        form,
        lambda _data: actions.record_anonymous_counts(
            session=session, cells=form.head_counts(), **_now(request)
        ),
        page,
    )


# --- figures ---------------------------------------------------------------------------------------------


def _default_period() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=FIGURES_DAYS - 1), today


@staff_view(ROLES_NOT_KEPT_APART)
def figures(request: StaffRequest) -> HttpResponse:
    """Participants of a period by kind of activity, sex, age group and institution: counts only."""
    start, end = _default_period()
    form = FiguresForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    figures = queries.participation_figures(request.org, start, end)
    return render(request, "groups/figures.html", {"form": form, "figures": figures})


# --- campaigns -------------------------------------------------------------------------------------------


@staff_view(ROLES_NOT_KEPT_APART)
def campaign_list(request: StaffRequest) -> HttpResponse:
    context = {
        "page": page_of(request, queries.campaign_list(request.user)),
        "may_create": _organises(request),
    }
    return render(request, "groups/campaign_list.html", context)


@staff_view(ORGANISER_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def campaign_create(request: StaffRequest) -> HttpResponse:
    form = CampaignForm(posted_data(request))
    page = FormPage(
        "groups/form.html",
        _("Campaign created: now add its materials."),
        lambda campaign: reverse("groups:campaign", args=[campaign.pk]),
        {"title": _("New campaign"), "back": reverse("groups:campaigns")},
    )
    return handle_form(
        request, form, lambda data: actions.create_campaign(org=request.org, **data, **_now(request)), page
    )


def _campaign(request: StaffRequest, campaign_id: Any, action: str = "view") -> Campaign:
    campaign: Campaign = get_visible_or_404(Campaign.objects.all(), request.user, action, pk=campaign_id)
    return campaign


@staff_view(ROLES_NOT_KEPT_APART, object_kwargs=("group_campaign_id",))
def campaign_detail(request: StaffRequest, group_campaign_id: str) -> HttpResponse:
    """Materials with copies produced, handed out and remaining; the campaign's totals; distributions."""
    campaign = _campaign(request, group_campaign_id)
    context = {
        "campaign": campaign,
        "materials": queries.materials_with_totals(campaign),
        "totals": queries.campaign_totals(campaign),
        "distributions": campaign_distributions(campaign),
        "may_change": _organises(request),
    }
    return render(request, "groups/campaign_detail.html", context)


def campaign_distributions(campaign: Campaign) -> Any:
    return Distribution.objects.filter(material__campaign=campaign).select_related("material", "area")


@staff_view(ORGANISER_ROLES, object_kwargs=("group_campaign_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def material_create(request: StaffRequest, group_campaign_id: str) -> HttpResponse:
    campaign = _campaign(request, group_campaign_id, "change")
    form = MaterialForm(posted_data(request), initial={"language": request.org.default_language})
    page = FormPage(
        "groups/form.html",
        _("Material added."),
        lambda _material: reverse("groups:campaign", args=[campaign.pk]),
        {
            "title": _("New material for %(title)s") % {"title": campaign.title},
            "back": reverse("groups:campaign", args=[campaign.pk]),
        },
    )
    return handle_form(
        request, form, lambda data: actions.add_material(campaign=campaign, **data, **_now(request)), page
    )


@staff_view(ORGANISER_ROLES, object_kwargs=("group_material_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def distribution_create(request: StaffRequest, group_material_id: str) -> HttpResponse:
    queryset = Material.objects.select_related("campaign")
    material: Material = get_visible_or_404(queryset, request.user, "change", pk=group_material_id)
    form = DistributionForm(
        posted_data(request), org_id=material.org_id, initial={"distributed_on": timezone.localdate()}
    )
    back = reverse("groups:campaign", args=[material.campaign_id])
    page = FormPage(
        "groups/form.html",
        _("Distribution recorded."),
        lambda _distribution: back,
        {
            "title": _("Hand out: %(title)s") % {"title": material.title},
            "back": back,
            "totals": queries.material_totals(material),
        },
    )
    return handle_form(
        request,
        form,
        lambda data: actions.record_distribution(material=material, **data, **_now(request)),
        page,
    )
