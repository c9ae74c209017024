"""Pages of the training centres: centres and their courses, batches with the roll, the daily register,
exam marks, certificates (PDF) and the figures per course.

Thin: parse, call one verb or query, render. Programme staff only; the roll names the trainees and each
showing is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.benefits.models import PROGRAMME_ROLES, Beneficiary
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect, run_posted_form
from haven.training import actions, queries
from haven.training.forms import (
    BatchForm,
    CentreForm,
    CertificateForm,
    CourseForm,
    EnrolForm,
    ExamForm,
    MoveForm,
    RegisterDayForm,
)
from haven.training.models import Batch, Course, Trainee, TrainingCentre, TrainingCertificate
from haven.web.pdf import PdfUnavailable, render_pdf

FORM_METHODS = ("GET", "POST")


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _centre(request: StaffRequest, centre_id: Any) -> TrainingCentre:
    centre: TrainingCentre = get_visible_or_404(TrainingCentre.objects.all(), request.user, pk=centre_id)
    return centre


def _batch(request: StaffRequest, batch_id: Any) -> Batch:
    batch: Batch = get_visible_or_404(
        Batch.objects.select_related("course__centre"), request.user, pk=batch_id
    )
    return batch


def _trainee(request: StaffRequest, trainee_id: Any) -> Trainee:
    trainee: Trainee = get_visible_or_404(
        Trainee.objects.select_related("batch__course"), request.user, pk=trainee_id
    )
    return trainee


def _batch_url(batch_id: Any) -> str:
    return reverse("training:batch", kwargs={"training_batch_id": batch_id})


@staff_view(PROGRAMME_ROLES)
def centre_list(request: StaffRequest) -> HttpResponse:
    centres = (
        TrainingCentre.objects.visible_to(request.user)
        .select_related("site", "area")
        .prefetch_related("courses")
    )
    return render(request, "training/centre_list.html", {"centres": centres})


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def centre_create(request: StaffRequest) -> HttpResponse:
    form = CentreForm(posted_data(request), org=request.org)
    page = FormPage(
        "training/form.html",
        _("The training centre was added."),
        lambda centre: reverse("training:centre", kwargs={"training_centre_id": centre.pk}),
        {"title": _("New training centre")},
    )
    return handle_form(
        request, form, lambda data: actions.create_centre(org=request.org, **data, **_now(request)), page
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("training_centre_id",))
def centre_detail(request: StaffRequest, training_centre_id: str) -> HttpResponse:
    centre = _centre(request, training_centre_id)
    courses = Course.objects.filter(centre=centre).prefetch_related("batches")
    return render(request, "training/centre_detail.html", {"centre": centre, "courses": courses})


@staff_view(PROGRAMME_ROLES, object_kwargs=("training_centre_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def course_create(request: StaffRequest, training_centre_id: str) -> HttpResponse:
    centre = _centre(request, training_centre_id)
    page = FormPage(
        "training/form.html",
        _("The course was added."),
        lambda course: reverse("training:centre", kwargs={"training_centre_id": centre.pk}),
        {"title": _("New course at %(centre)s") % {"centre": centre.name}, "back": centre},
    )
    form = CourseForm(posted_data(request))
    return handle_form(
        request, form, lambda data: actions.create_course(centre=centre, **data, **_now(request)), page
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("training_course_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def batch_create(request: StaffRequest, training_course_id: str) -> HttpResponse:
    course: Course = get_visible_or_404(
        Course.objects.select_related("centre"), request.user, pk=training_course_id
    )
    page = FormPage(
        "training/form.html",
        _("The batch was planned."),
        lambda batch: _batch_url(batch.pk),
        {"title": _("New batch of %(course)s") % {"course": course.title}, "back": course.centre},
    )
    form = BatchForm(posted_data(request))
    return handle_form(
        request, form, lambda data: actions.plan_batch(course=course, **data, **_now(request)), page
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("training_batch_id",))
def batch_detail(request: StaffRequest, training_batch_id: str) -> HttpResponse:
    batch = _batch(request, training_batch_id)
    roll = list(queries.roll(batch))
    actions.record_roll_view(batch=batch, acting_user=request.user, at=timezone.now())
    context = {
        "batch": batch,
        "roll": roll,
        "days": queries.register_days(batch),
        "enrol_form": EnrolForm(),
        "register_form": RegisterDayForm(initial={"on": timezone.localdate()}),
        "exam_form": ExamForm(),
        "certificate_form": CertificateForm(initial={"language": request.org.default_language}),
    }
    return render(request, "training/batch_detail.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("training_batch_id",), methods=("POST",))
@require_POST
def batch_move(request: StaffRequest, training_batch_id: str) -> HttpResponse:
    batch = _batch(request, training_batch_id)
    return run_posted_form(
        request,
        MoveForm(request.POST),
        lambda data: actions.move_batch(batch=batch, verb=data["verb"], **_now(request)),
        _("The batch's status was changed."),
        _batch_url(batch.pk),
    )


def _registered(request: StaffRequest, number: str) -> Beneficiary:
    found: Beneficiary | None = (
        Beneficiary.objects.visible_to(request.user).filter(registry_number=number.strip()).first()
    )
    if found is None:
        raise ValidationError({"registry_number": _("No woman in the registry has this number.")})
    return found


@staff_view(PROGRAMME_ROLES, object_kwargs=("training_batch_id",), methods=("POST",))
@require_POST
def enrol(request: StaffRequest, training_batch_id: str) -> HttpResponse:
    batch = _batch(request, training_batch_id)
    return run_posted_form(
        request,
        EnrolForm(request.POST),
        lambda data: actions.enrol_trainee(
            batch=batch, beneficiary=_registered(request, data["registry_number"]), **_now(request)
        ),
        _("She was enrolled in the batch."),
        _batch_url(batch.pk),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("training_batch_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def register(request: StaffRequest, training_batch_id: str) -> HttpResponse:
    """The day's register: a tick per enrolled trainee; saving marks the others absent."""
    batch = _batch(request, training_batch_id)
    form = RegisterDayForm(posted_data(request) or {"on": request.GET.get("on") or timezone.localdate()})
    roll = [t for t in queries.roll(batch) if t.status == Trainee.Status.ENROLLED]
    if request.method == "POST" and form.is_valid():
        present = request.POST.getlist("present")
        try:
            marked = actions.record_register(
                batch=batch, on=form.cleaned_data["on"], present=present, **_now(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The register was saved for %(count)s trainees.") % {"count": marked})
            return HttpResponseRedirect(_batch_url(batch.pk))
    actions.record_roll_view(batch=batch, acting_user=request.user, at=timezone.now())
    status = 422 if form.is_bound and (form.errors or request.method == "POST") else 200
    return render(
        request, "training/register.html", {"batch": batch, "form": form, "roll": roll}, status=status
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("trainee_id",), methods=("POST",))
@require_POST
def exam(request: StaffRequest, trainee_id: str) -> HttpResponse:
    trainee = _trainee(request, trainee_id)
    return run_posted_form(
        request,
        ExamForm(request.POST),
        lambda data: actions.record_exam(trainee=trainee, score=data["score"], **_now(request)),
        _("The exam mark was recorded."),
        _batch_url(trainee.batch_id),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("trainee_id",), methods=("POST",))
@require_POST
def drop(request: StaffRequest, trainee_id: str) -> HttpResponse:
    trainee = _trainee(request, trainee_id)
    return run_and_redirect(
        request,
        lambda: actions.drop_trainee(trainee=trainee, **_now(request)),
        _("She was marked as having dropped out."),
        _batch_url(trainee.batch_id),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("trainee_id",), methods=("POST",))
@require_POST
def certificate_issue(request: StaffRequest, trainee_id: str) -> HttpResponse:
    trainee = _trainee(request, trainee_id)
    return run_posted_form(
        request,
        CertificateForm(request.POST),
        lambda data: actions.issue_certificate(trainee=trainee, language=data["language"], **_now(request)),
        _("The certificate was issued."),
        _batch_url(trainee.batch_id),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("training_certificate_id",))
def certificate_pdf(request: StaffRequest, training_certificate_id: str) -> HttpResponse:
    """The certificate as a PDF in its language, with her name; each printing is audited."""
    queryset = TrainingCertificate.objects.select_related(
        "trainee__batch__course__centre", "trainee__beneficiary__person", "org"
    )
    certificate: TrainingCertificate = get_visible_or_404(queryset, request.user, pk=training_certificate_id)
    trainee = certificate.trainee
    context = {
        "certificate": certificate,
        "batch": trainee.batch,
        "course": trainee.batch.course,
        "name": trainee.beneficiary.person.name,
        "organisation": certificate.org.name,
        "request": request,
    }
    try:
        document = render_pdf("training/certificate_pdf.html", context, language=certificate.language)
    except PdfUnavailable as unavailable:
        messages.error(request, str(unavailable))
        return HttpResponseRedirect(_batch_url(trainee.batch_id))
    actions.record_certificate_print(certificate=certificate, acting_user=request.user, at=timezone.now())
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view(PROGRAMME_ROLES)
def figures(request: StaffRequest) -> HttpResponse:
    return render(request, "training/figures.html", {"figures": queries.course_figures(request.org.pk)})
