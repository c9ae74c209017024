"""Her safety plan as a PDF, in her language, for her to take or not.

Same access rule and audit as the printable page (`views.safety_plan_print`): whoever may open that page
may download this, and each download is recorded as the plan being opened to print.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from haven.cases.models import Case
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.people.models import SafeContact
from haven.people.views import SURVIVOR_ROLES
from haven.risk import actions
from haven.risk.models import SafetyPlan
from haven.risk.views import plan_sections
from haven.web.pdf import PdfUnavailable, render_pdf


def may_name_organisation(case: Case) -> bool:
    """Only when her safe-contact instructions allow naming the organisation. Without instructions the
    PDF stays anonymous: a paper or a file naming a shelter or a helpline can tell the abuser she asked
    for help."""
    contact = SafeContact.objects.filter(person_id=case.survivor_id).first()
    return contact is not None and not contact.do_not_name_organisation


def neutral_file_name() -> str:
    # The file lands in her phone's downloads, where the abuser may look: its name carries no name of
    # hers, no organisation, and nothing saying "safety plan" or "violence"; only a date, like any note.
    return f"notes-{timezone.localdate().isoformat()}.pdf"


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",))
def safety_plan_pdf(request: StaffRequest, case_id: str) -> HttpResponse:
    """The plan as a PDF file. Without a plan yet, or when this server cannot make PDFs, back to the
    printable page (which says why, and still prints from the browser)."""
    case = get_visible_or_404(Case.objects.select_related("org"), request.user, pk=case_id)
    back = redirect("risk:safety_plan_print", case_id=case.pk)
    plan = SafetyPlan.objects.filter(case=case).first()
    if plan is None:
        return back
    context = {
        "plan": plan,
        "sections": plan_sections(plan),
        "organisation": case.org.name if may_name_organisation(case) else "",
        "request": request,
    }
    try:
        document = render_pdf("risk/safety_plan_pdf.html", context, language=plan.language)
    except PdfUnavailable as unavailable:
        messages.error(request, str(unavailable))
        return back
    actions.record_safety_plan_view(plan=plan, acting_user=request.user, at=timezone.now())
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{neutral_file_name()}"'
    response["Cache-Control"] = "no-store"
    return response
