"""Document pages: the organisation's templates (write, revise, withdraw, add the examples), drafting a
document from a case (choose a template, fill in what the case cannot tell), and the draft itself (its
text, versions and review, and its PDF).

Thin: parse, call one verb, render. Reading a draft and printing it are audited reads.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases.models import Case
from haven.documents import actions, catalogue, printing
from haven.documents.examples import examples
from haven.documents.forms import (
    DraftStartForm,
    DraftTextForm,
    TemplateForm,
    TemplateRevisionForm,
    asked_field_name,
)
from haven.documents.models import DRAFTERS, REVIEWERS, TEMPLATE_MANAGERS, DocumentTemplate, Draft
from haven.legal.models import Matter
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, add_verb_errors, handle_form, run_and_redirect
from haven.people.views import SURVIVOR_ROLES
from haven.web.pdf import PdfUnavailable

FORM_METHODS = ("GET", "POST")
MOVERS = DRAFTERS | REVIEWERS


def draft_url(draft: Draft) -> str:
    return reverse("documents:draft", args=[draft.pk])


# --- templates -----------------------------------------------------------------------------------------


@staff_view(TEMPLATE_MANAGERS)
def templates(request: StaffRequest) -> HttpResponse:
    """The organisation's templates by kind and language, and the examples not added yet."""
    rows = DocumentTemplate.objects.visible_to(request.user, "change").select_related("created_by")
    installed = set(rows.exclude(example_key="").values_list("example_key", "language"))
    missing = [example for example in examples() if (example.key, example.language) not in installed]
    return render(request, "documents/templates.html", {"templates": rows, "examples_missing": missing})


def _template_page(title: str, message: str, extra: dict[str, Any]) -> FormPage:
    return FormPage(
        "documents/template_form.html",
        message,
        lambda template: reverse("documents:template", args=[template.pk]),
        {"title": title, "catalogue": catalogue.grouped_catalogue(), **extra},
    )


@staff_view(TEMPLATE_MANAGERS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def template_create(request: StaffRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None, initial={"language": request.org.default_language})

    def save(data: dict[str, Any]) -> DocumentTemplate:
        return actions.create_template(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    page = _template_page(_("New template"), _("Template saved."), {})
    return handle_form(request, form, save, page)


@staff_view(TEMPLATE_MANAGERS, object_kwargs=("document_template_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def template_edit(request: StaffRequest, document_template_id: str) -> HttpResponse:
    """The template's current text to revise (saving makes a new version), and its earlier versions."""
    template: DocumentTemplate = get_visible_or_404(
        DocumentTemplate.objects.all(), request.user, "change", pk=document_template_id
    )
    current = template.current_version
    form = TemplateRevisionForm(request.POST or None, initial={"title": current.title, "body": current.body})

    def save(data: dict[str, Any]) -> DocumentTemplate:
        actions.revise_template(
            template=template,
            title=data["title"],
            body=data["body"],
            acting_user=request.user,
            at=timezone.now(),
        )
        return template

    extra = {"template": template, "versions": template.versions.select_related("created_by")}
    page = _template_page(template.title, _("New version saved."), extra)
    return handle_form(request, form, save, page)


@staff_view(TEMPLATE_MANAGERS, object_kwargs=("document_template_id",), methods=("POST",))
@require_POST
def template_active(request: StaffRequest, document_template_id: str) -> HttpResponse:
    """Offer a template for new drafts (`is_active` = "1") or withdraw it (anything else)."""
    template: DocumentTemplate = get_visible_or_404(
        DocumentTemplate.objects.all(), request.user, "change", pk=document_template_id
    )
    offer = request.POST.get("is_active") == "1"
    return run_and_redirect(
        request,
        lambda: actions.set_template_active(
            template=template, is_active=offer, acting_user=request.user, at=timezone.now()
        ),
        _("The template is offered for new drafts.") if offer else _("The template is withdrawn."),
        reverse("documents:templates"),
    )


@staff_view(TEMPLATE_MANAGERS, methods=("POST",))
@require_POST
def install_examples(request: StaffRequest) -> HttpResponse:
    added = actions.install_examples(org=request.org, acting_user=request.user, at=timezone.now())
    count = len(added)
    if count:
        text = ngettext("%(count)s example template added.", "%(count)s example templates added.", count)
        messages.success(request, text % {"count": count})
    else:
        messages.info(request, _("The example templates are already there."))
    return HttpResponseRedirect(reverse("documents:templates"))


# --- drafting ------------------------------------------------------------------------------------------


def _case_to_draft_on(request: StaffRequest, case_id: str) -> Case:
    case: Case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    return case


@staff_view(DRAFTERS, object_kwargs=("case_id",))
def choose_template(request: StaffRequest, case_id: str) -> HttpResponse:
    """Step 1 of drafting: the templates the organisation offers, by kind and language."""
    case = _case_to_draft_on(request, case_id)
    offered = DocumentTemplate.objects.visible_to(request.user).filter(is_active=True)
    matter = _chosen_matter(request, Matter.objects.visible_to(request.user).filter(case=case))
    context = {"case": case, "templates": offered, "matter": matter}
    return render(request, "documents/choose_template.html", context)


def _chosen_matter(request: StaffRequest, matters: Any) -> Matter | None:
    chosen = request.GET.get("matter") or request.POST.get("matter")
    if not chosen:
        return None
    try:
        matter: Matter | None = matters.filter(pk=chosen).first()
    except ValidationError:  # a malformed id
        return None
    return matter


@staff_view(DRAFTERS, object_kwargs=("case_id", "document_template_id"), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def draft_new(request: StaffRequest, case_id: str, document_template_id: str) -> HttpResponse:
    """Step 2: what the case cannot tell (her address for service, the court, the orders asked for),
    typed in; the draft is made, or refused with every missing field named and where to fix it."""
    case = _case_to_draft_on(request, case_id)
    template: DocumentTemplate = get_visible_or_404(
        DocumentTemplate.objects.filter(is_active=True), request.user, pk=document_template_id
    )
    version = template.current_version
    matters = Matter.objects.visible_to(request.user).filter(case=case)
    matter = _chosen_matter(request, matters)
    source = actions.source_for(
        case=case,
        template_language=template.language,
        matter=matter,
        acting_user=request.user,
        at=timezone.now(),
    )
    suggested = {
        asked_field_name(key): value for key, value in catalogue.suggestions(version.body, source).items()
    }
    form = DraftStartForm(
        request.POST if request.method == "POST" else None,
        initial={**suggested, "matter": matter},
        asked=catalogue.asked_fields(version.body),
        matters=matters,
        document_language=template.language,
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft = actions.draft_document(
                case=case,
                template=template,
                values=form.values(),
                matter=form.cleaned_data.get("matter"),
                acting_user=request.user,
                at=timezone.now(),
            )
        except catalogue.MissingFields as missing:
            _show_missing(form, missing)
        except ValidationError as refused:
            add_verb_errors(form, refused)
        else:
            messages.success(request, _("Document drafted. Read it through, then send it for review."))
            return HttpResponseRedirect(draft_url(draft))
    context = {
        "case": case,
        "template": template,
        "form": form,
        "missing_from_case": catalogue.missing_from_case(version.body, source),
        "matter": matter,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "documents/draft_new.html", context, status=status)


def _show_missing(form: DraftStartForm, missing: catalogue.MissingFields) -> None:
    """The summary of everything missing at the top, and each typed field's own message beside it."""
    form.add_error(None, catalogue.missing_summary(missing))
    for key, texts in missing.message_dict.items():
        name = asked_field_name(key)
        if name in form.fields:
            form.add_error(name, texts)


# --- the draft -----------------------------------------------------------------------------------------


def _shown_version_number(request: StaffRequest) -> int | None:
    raw = request.GET.get("version")
    if raw is None:
        return None
    # Only ASCII digits: `str.isdigit` also accepts "²", which `int` refuses.
    if not (raw.isascii() and raw.isdigit()):
        raise Http404
    return int(raw)


@staff_view(SURVIVOR_ROLES, object_kwargs=("document_draft_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def draft_detail(request: StaffRequest, document_draft_id: str) -> HttpResponse:
    """The draft: its text (editable while it is a draft; saving makes a new version), its versions, its
    review, and the PDF. Opening it is an audited read."""
    draft: Draft = get_visible_or_404(
        Draft.objects.select_related("case__survivor", "author", "matter", "template_version"),
        request.user,
        pk=document_draft_id,
    )
    shown, _approved = printing.version_to_print(
        draft, _shown_version_number(request) or draft.current_number
    )
    form = DraftTextForm(
        request.POST if request.method == "POST" else None,
        initial={"text": shown.text, "based_on": draft.current_number},
    )
    form.fields["text"].widget.attrs["lang"] = draft.language
    if request.method == "GET":
        actions.record_draft_view(draft=draft, acting_user=request.user, at=timezone.now())

    def save(data: dict[str, Any]) -> Any:
        return actions.save_draft_version(
            draft=draft,
            text=data["text"],
            based_on=data["based_on"],
            acting_user=request.user,
            at=timezone.now(),
        )

    context = {
        "draft": draft,
        "shown": shown,
        "versions": draft.versions.select_related("created_by"),
        "transitions": draft.transitions.select_related("actor"),
        "verbs": actions.available_verbs(draft, request.user),
        "may_edit": actions.may_edit(draft, request.user) and shown.number == draft.current_number,
        "case": draft.case,
    }
    page = FormPage(
        "documents/draft.html", _("New version saved."), lambda _version: draft_url(draft), context
    )
    return handle_form(request, form, save, page)


DONE = {
    "submit": lambda: _("Sent for review."),
    "approve": lambda: _("Approved: the PDF now prints without the draft mark."),
    "return": lambda: _("Returned to its author with your comment."),
}


@staff_view(MOVERS, object_kwargs=("document_draft_id",), methods=("POST",))
@require_POST
def draft_transition(request: StaffRequest, document_draft_id: str) -> HttpResponse:
    """Send for review, approve, or return with a comment (`verb`, `comment`)."""
    draft: Draft = get_visible_or_404(
        Draft.objects.select_related("org"), request.user, "change", pk=document_draft_id
    )
    verb = request.POST.get("verb", "")
    return run_and_redirect(
        request,
        lambda: actions.move_draft(
            draft=draft,
            verb=verb,
            comment=request.POST.get("comment", ""),
            acting_user=request.user,
            at=timezone.now(),
        ),
        DONE[verb]() if verb in DONE else "",
        draft_url(draft),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("document_draft_id",))
def draft_pdf(request: StaffRequest, document_draft_id: str) -> HttpResponse:
    """The approved version as a PDF, or (`?version=`, or before approval) another one marked as a draft.
    When this server cannot make PDFs, back to the draft page, which says why."""
    draft: Draft = get_visible_or_404(Draft.objects.select_related("org"), request.user, pk=document_draft_id)
    version, approved = printing.version_to_print(draft, _shown_version_number(request))
    try:
        document = printing.draft_pdf(draft, version, approved=approved)
    except PdfUnavailable as unavailable:
        messages.error(request, str(unavailable))
        return HttpResponseRedirect(draft_url(draft))
    actions.record_draft_print(
        draft=draft, version_number=version.number, acting_user=request.user, at=timezone.now()
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{printing.file_name()}"'
    response["Cache-Control"] = "no-store"
    return response
