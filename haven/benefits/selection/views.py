"""Pages of selection: applications (list, apply for a registered woman or register her, her application
with its verdicts and papers), quotas with their usage, selection lists through committee review,
publication, objections and the final list; and the public notice of a union's list, where anyone may
object.

Thin: parse, call one verb or query, render. Programme staff work here (`PROGRAMME_ROLES`); publishing and
finalising a list are approvals (`APPROVING_ROLES`). Opening an application is audited, as is every
download of a paper.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.benefits import eligibility
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Application, Beneficiary, Quota
from haven.benefits.selection import actions, public, queries
from haven.benefits.selection.forms import (
    ApplyForm,
    DecisionForm,
    DocumentForm,
    FilterForm,
    MemberForm,
    NewApplicantForm,
    ObjectionDecisionForm,
    ObjectionForm,
    PublicObjectionForm,
    PublishForm,
    QuotaForm,
    ReviewForm,
)
from haven.benefits.selection.models import ApplicationDocument, Objection, SelectionEntry, SelectionList
from haven.orgs.access import StaffRequest, get_visible_or_404, public_view, staff_view
from haven.orgs.forms import (
    FormPage,
    add_verb_errors,
    handle_form,
    posted_data,
    run_and_redirect,
    run_posted_form,
)
from haven.orgs.models import Organisation
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _application(request: StaffRequest, application_id: Any) -> Application:
    found: Application = get_visible_or_404(
        Application.objects.select_related("org", "programme", "area", "beneficiary__person", "rule_set"),
        request.user,
        pk=application_id,
    )
    return found


def _list(request: StaffRequest, selection_list_id: Any, action: str = "view") -> SelectionList:
    found: SelectionList = get_visible_or_404(
        SelectionList.objects.select_related("org", "programme", "area", "quota"),
        request.user,
        action,
        pk=selection_list_id,
    )
    return found


def _quota(request: StaffRequest, quota_id: Any, action: str = "change") -> Quota:
    found: Quota = get_visible_or_404(
        Quota.objects.select_related("org", "programme__org", "area"), request.user, action, pk=quota_id
    )
    return found


def _application_url(application_id: Any) -> str:
    return reverse("selection:application", args=[application_id])


def _list_url(selection_list_id: Any) -> str:
    return reverse("selection:list", args=[selection_list_id])


def _beneficiary_by_number(request: StaffRequest, number: str) -> Beneficiary:
    found: Beneficiary | None = (
        Beneficiary.objects.visible_to(request.user)
        .select_related("person", "area")
        .filter(registry_number__iexact=number.strip())
        .first()
    )
    if found is None:
        raise ValidationError({"registry_number": _("No woman in the registry has this number.")})
    return found


# --- applications --------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def application_list(request: StaffRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, org=request.org)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.applications(
        request.user,
        programme=filters.get("programme"),
        area=filters.get("area"),
        status=filters.get("status", ""),
    )
    return render(request, "selection/applications.html", {"form": form, "page": page_of(request, found)})


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def apply(request: StaffRequest) -> HttpResponse:
    """An officer applies on behalf of a woman already in the registry, found by her registry number."""
    form = ApplyForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Application:
        beneficiary = _beneficiary_by_number(request, data["registry_number"])
        return actions.submit_application(
            programme=data["programme"],
            beneficiary=beneficiary,
            channel=Application.Channel.OFFICER,
            **_now(request),
        )

    page = FormPage(
        "selection/form.html",
        _("Application recorded: she is eligible."),
        lambda application: _application_url(application.pk),
        {
            "title": _("Apply for a registered woman"),
            "other": ("selection:apply_new", _("She is not registered yet")),
        },
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def apply_new(request: StaffRequest) -> HttpResponse:
    """Register her and apply in one go; a refused application leaves no registration behind."""
    form = NewApplicantForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Application:
        fields = {k: v for k, v in data.items() if k != "programme" and v is not None}
        with transaction.atomic():
            beneficiary = actions.register_applicant(
                org=request.org, applicant=actions.Applicant(**fields), **_now(request)
            )
            return actions.submit_application(
                programme=data["programme"],
                beneficiary=beneficiary,
                channel=Application.Channel.OFFICER,
                **_now(request),
            )

    page = FormPage(
        "selection/form.html",
        _("She is registered and her application recorded."),
        lambda application: _application_url(application.pk),
        {
            "title": _("Register a woman and apply"),
            "other": ("selection:apply", _("She is already registered")),
        },
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_application_id",))
def application_detail(request: StaffRequest, benefit_application_id: str) -> HttpResponse:
    application = _application(request, benefit_application_id)
    context = {
        "application": application,
        "verdicts": [(v, eligibility.describe(v)) for v in application.explanation],
        "documents": application.documents.defer("content").order_by("uploaded_at"),
        "transitions": application.transitions.all(),
        "document_form": DocumentForm(),
    }
    actions.record_application_view(application=application, **_now(request))
    return render(request, "selection/application.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_application_id",), methods=("POST",))
@require_POST
def application_withdraw(request: StaffRequest, benefit_application_id: str) -> HttpResponse:
    application = _application(request, benefit_application_id)
    return run_and_redirect(
        request,
        lambda: actions.withdraw_application(application=application, **_now(request)),
        _("Application withdrawn."),
        _application_url(application.pk),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_application_id",), methods=("POST",))
@require_POST
def document_upload(request: StaffRequest, benefit_application_id: str) -> HttpResponse:
    application = _application(request, benefit_application_id)
    form = DocumentForm(request.POST, request.FILES)

    def attach(data: dict[str, Any]) -> ApplicationDocument:
        upload = data["file"]
        if upload.size > actions.MAX_DOCUMENT_BYTES:  # refuse before reading a huge file into memory
            raise ValidationError(
                {"file": _("The file is too large: at most 2 MB. Scan it at a lower resolution.")}
            )
        return actions.attach_document(
            application=application,
            kind=data["kind"],
            file_name=upload.name,
            content=upload.read(),
            **_now(request),
        )

    return run_posted_form(request, form, attach, _("Paper attached."), _application_url(application.pk))


@staff_view(PROGRAMME_ROLES, object_kwargs=("application_document_id",))
def document_download(request: StaffRequest, application_document_id: str) -> HttpResponse:
    document: ApplicationDocument = get_visible_or_404(
        ApplicationDocument.objects.select_related("application__org"),
        request.user,
        pk=application_document_id,
    )
    content = actions.read_document(document=document, **_now(request))
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="paper-{document.pk}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- quotas --------------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def quota_list(request: StaffRequest) -> HttpResponse:
    quotas = queries.quota_usage(request.user)
    return render(request, "selection/quotas.html", {"page": page_of(request, quotas)})


@staff_view(APPROVING_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def quota_create(request: StaffRequest) -> HttpResponse:
    form = QuotaForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Quota:
        return actions.create_quota(**data, **_now(request))

    page = FormPage(
        "selection/form.html",
        _("Quota set."),
        lambda _quota: reverse("selection:quotas"),
        {"title": _("New quota")},
    )
    return handle_form(request, form, save, page)


@staff_view(APPROVING_ROLES, object_kwargs=("selection_quota_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def quota_edit(request: StaffRequest, selection_quota_id: str) -> HttpResponse:
    quota = _quota(request, selection_quota_id, "approve")
    initial = {"period_start": quota.period_start, "period_end": quota.period_end, "places": quota.places}
    form = QuotaForm(posted_data(request), initial=initial, org=request.org, editing=True)

    def save(data: dict[str, Any]) -> Quota:
        return actions.update_quota(quota=quota, **data, **_now(request))

    page = FormPage(
        "selection/form.html",
        _("Saved."),
        lambda _quota: reverse("selection:quotas"),
        {"title": _("Change the quota of %(area)s") % {"area": quota.area.name}},
    )
    return handle_form(request, form, save, page)


@staff_view(APPROVING_ROLES, object_kwargs=("selection_quota_id",), methods=("POST",))
@require_POST
def quota_delete(request: StaffRequest, selection_quota_id: str) -> HttpResponse:
    quota = _quota(request, selection_quota_id, "approve")
    return run_and_redirect(
        request,
        lambda: actions.delete_quota(quota=quota, **_now(request)),
        _("Quota removed."),
        reverse("selection:quotas"),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("selection_quota_id",), methods=("POST",))
@require_POST
def draft_build(request: StaffRequest, selection_quota_id: str) -> HttpResponse:
    quota = _quota(request, selection_quota_id)
    built: list[SelectionList] = []

    def build() -> None:
        built.append(actions.build_draft(quota=quota, **_now(request)))

    response = run_and_redirect(request, build, _("Draft list built."), reverse("selection:quotas"))
    return HttpResponseRedirect(_list_url(built[0].pk)) if built else response


# --- selection lists -----------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def list_index(request: StaffRequest) -> HttpResponse:
    lists = (
        SelectionList.objects.visible_to(request.user)
        .select_related("programme", "area", "quota")
        .annotate(
            included=Count(
                "entries", filter=Q(entries__decision=SelectionEntry.Decision.INCLUDE), distinct=True
            ),
            open_objections=Count(
                "objections", filter=Q(objections__status=Objection.Status.OPEN), distinct=True
            ),
        )
        .order_by("-created_at")
    )
    return render(request, "selection/lists.html", {"page": page_of(request, lists)})


@staff_view(PROGRAMME_ROLES, object_kwargs=("selection_list_id",))
def list_detail(request: StaffRequest, selection_list_id: str) -> HttpResponse:
    selection_list = _list(request, selection_list_id)
    is_approver = request.membership.role_enum in APPROVING_ROLES
    context = {
        "selection_list": selection_list,
        "entries": queries.entries(selection_list),
        "members": selection_list.committee_members.all(),
        "objections": queries.objections(selection_list),
        "transitions": selection_list.transitions.all(),
        "review_form": ReviewForm(initial={"reviewed_on": timezone.localdate()}),
        "member_form": MemberForm(),
        "decision_form": DecisionForm(),
        "publish_form": PublishForm(),
        "objection_form": ObjectionForm(),
        "objection_decision_form": ObjectionDecisionForm(),
        "is_approver": is_approver,
        "today": timezone.localdate(),
    }
    return render(request, "selection/list.html", context)


def _list_step(
    request: StaffRequest, selection_list_id: str, form: Any, run: Any, done: str, action: str = "change"
) -> HttpResponse:
    selection_list = _list(request, selection_list_id, action)
    return run_posted_form(
        request, form, lambda data: run(selection_list, data), done, _list_url(selection_list.pk)
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("selection_list_id",), methods=("POST",))
@require_POST
def list_review(request: StaffRequest, selection_list_id: str) -> HttpResponse:
    def run(selection_list: SelectionList, data: dict[str, Any]) -> Any:
        return actions.start_review(selection_list=selection_list, **data, **_now(request))

    return _list_step(
        request, selection_list_id, ReviewForm(request.POST), run, _("Committee review started.")
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("selection_list_id",), methods=("POST",))
@require_POST
def list_member(request: StaffRequest, selection_list_id: str) -> HttpResponse:
    def run(selection_list: SelectionList, data: dict[str, Any]) -> Any:
        return actions.add_committee_member(selection_list=selection_list, **data, **_now(request))

    return _list_step(
        request, selection_list_id, MemberForm(request.POST), run, _("Committee member recorded.")
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("selection_list_id",), methods=("POST",))
@require_POST
def list_include_rest(request: StaffRequest, selection_list_id: str) -> HttpResponse:
    selection_list = _list(request, selection_list_id, "change")
    return run_and_redirect(
        request,
        lambda: actions.include_undecided(selection_list=selection_list, **_now(request)),
        _("Everyone not excluded is included."),
        _list_url(selection_list.pk),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("selection_entry_id",), methods=("POST",))
@require_POST
def entry_decide(request: StaffRequest, selection_entry_id: str) -> HttpResponse:
    entry: SelectionEntry = get_visible_or_404(
        SelectionEntry.objects.select_related("selection_list"), request.user, "change", pk=selection_entry_id
    )

    def run(data: dict[str, Any]) -> Any:
        return actions.decide_entry(entry=entry, **data, **_now(request))

    form = DecisionForm(request.POST)
    return run_posted_form(request, form, run, _("Decision recorded."), _list_url(entry.selection_list_id))


@staff_view(APPROVING_ROLES, object_kwargs=("selection_list_id",), methods=("POST",))
@require_POST
def list_publish(request: StaffRequest, selection_list_id: str) -> HttpResponse:
    def run(selection_list: SelectionList, data: dict[str, Any]) -> Any:
        return actions.publish_list(selection_list=selection_list, **data, **_now(request))

    done = _("The list is published; the public notice is online.")
    return _list_step(request, selection_list_id, PublishForm(request.POST), run, done, "approve")


@staff_view(PROGRAMME_ROLES, object_kwargs=("selection_list_id",), methods=("POST",))
@require_POST
def list_objection(request: StaffRequest, selection_list_id: str) -> HttpResponse:
    """An objection brought to the office or said on the phone, logged by an officer."""

    def run(selection_list: SelectionList, data: dict[str, Any]) -> Any:
        return actions.record_objection(
            selection_list=selection_list, channel=Objection.Channel.OFFICER, **data, **_now(request)
        )

    return _list_step(request, selection_list_id, ObjectionForm(request.POST), run, _("Objection logged."))


@staff_view(PROGRAMME_ROLES, object_kwargs=("list_objection_id",), methods=("POST",))
@require_POST
def objection_decide(request: StaffRequest, list_objection_id: str) -> HttpResponse:
    objection: Objection = get_visible_or_404(
        Objection.objects.select_related("selection_list"), request.user, "change", pk=list_objection_id
    )

    def run(data: dict[str, Any]) -> Any:
        number = data.pop("registry_number", "")
        omitted = None
        if number:
            beneficiary = _beneficiary_by_number(request, number)
            omitted = Application.objects.filter(
                beneficiary=beneficiary,
                programme_id=objection.selection_list.programme_id,
                status=Application.Status.ELIGIBLE,
            ).first()
        return actions.decide_objection(
            objection=objection, omitted_application=omitted, **data, **_now(request)
        )

    form = ObjectionDecisionForm(request.POST)
    return run_posted_form(
        request, form, run, _("Objection decided."), _list_url(objection.selection_list_id)
    )


@staff_view(APPROVING_ROLES, object_kwargs=("selection_list_id",), methods=("POST",))
@require_POST
def list_finalise(request: StaffRequest, selection_list_id: str) -> HttpResponse:
    selection_list = _list(request, selection_list_id, "approve")
    return run_and_redirect(
        request,
        lambda: actions.finalise_list(selection_list=selection_list, **_now(request)),
        _("The list is final; the included women are enrolled."),
        _list_url(selection_list.pk),
    )


@staff_view(PROGRAMME_ROLES)
def statistics(request: StaffRequest) -> HttpResponse:
    context = {
        "by_status": queries.applications_by_status_area(request.user),
        "quotas": queries.selection_vs_quota(request.user),
    }
    return render(request, "selection/statistics.html", context)


# --- public notice -------------------------------------------------------------------------------------


def _public_org(org_slug: str) -> Organisation:
    org: Organisation = get_object_or_404(Organisation, slug=org_slug)
    return org


@public_view
def public_lists(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _public_org(org_slug)
    return render(request, "selection/public_lists.html", {"org": org, "lists": queries.public_lists(org)})


@public_view
@require_http_methods(FORM_METHODS)
def public_notice(request: HttpRequest, org_slug: str, selection_list_id: str) -> HttpResponse:
    """The posted list of a union: rank, registry number and initials; and a form to object while the
    window is open. Robots (honeypot) and floods (rate limit) are turned away without a word."""
    org = _public_org(org_slug)
    selection_list = queries.public_lists(org).filter(pk=selection_list_id).first()
    if selection_list is None:
        raise Http404
    form = PublicObjectionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = _take_public_objection(request, selection_list, form)
        if status == 302:
            return HttpResponseRedirect(request.path + "?thanks=1")
    context = {
        "org": org,
        "selection_list": selection_list,
        "entries": queries.public_entries(selection_list),
        "form": form,
        "window_open": selection_list.status == SelectionList.Status.PUBLISHED
        and selection_list.objections_end_on is not None
        and timezone.localdate() <= selection_list.objections_end_on,
        "thanks": request.GET.get("thanks") == "1",
    }
    return render(request, "selection/public_notice.html", context, status=status)


def _take_public_objection(
    request: HttpRequest, selection_list: SelectionList, form: PublicObjectionForm
) -> int:
    if public.is_robot(request.POST):
        return 302
    if public.too_many_posts(request, "objection"):
        form.add_error(None, _("Too many objections were sent from here; try again in an hour."))
        return 429
    if not form.is_valid():
        return 422
    data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
    try:
        actions.record_objection(
            selection_list=selection_list,
            channel=Objection.Channel.PUBLIC,
            acting_user=None,
            at=timezone.now(),
            **data,
        )
    except ValidationError as exc:
        add_verb_errors(form, exc)
        return 422
    return 302
