"""The public figures page (no sign-in) and its settings page (organisation admins).

The public page answers 404 for an organisation that has not published one, exactly as for a short name
that does not exist, so the page reveals nothing about who uses Haven. It speaks the organisation's
default language or English, chosen with ``?lang=`` or the visitor's language cookie.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from haven.orgs.access import StaffRequest, public_view, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data
from haven.orgs.models import Organisation
from haven.orgs.roles import Role
from haven.reports.indicators import Number
from haven.reports.public import actions
from haven.reports.public.forms import PublicPageForm
from haven.reports.public.models import PublicPage
from haven.reports.public.queries import headline_figures, page_period
from haven.reports.suppression import configured_threshold
from haven.web import calendars

ADMINS = Role.managing_org()
FORM_METHODS = ("GET", "POST")


@staff_view(ADMINS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def page_settings(request: StaffRequest) -> HttpResponse:
    page = PublicPage.objects.visible_to(request.user, "change").first()
    initial = (
        {"is_published": page.is_published, "indicators": page.indicators, "period_kind": page.period_kind}
        if page
        else {}
    )
    form = PublicPageForm(posted_data(request), initial=initial)
    form_page = FormPage(
        "report_public/settings.html",
        _("The public figures page was saved."),
        lambda saved: reverse("report_public:settings"),
        {"page": page, "public_url": reverse("report_public:figures", kwargs={"org_slug": request.org.slug})},
    )
    return handle_form(
        request,
        form,
        lambda data: actions.configure_public_page(
            org=request.org, **data, acting_user=request.user, at=timezone.now()
        ),
        form_page,
    )


@public_view
@require_GET
def figures(request: HttpRequest, org_slug: str) -> HttpResponse:
    page = PublicPage.objects.published().select_related("org").filter(org__slug=org_slug).first()
    if page is None:
        raise Http404
    languages = _languages(page.org)
    language = _chosen(request, languages)
    with translation.override(language):
        period = page_period(page, timezone.localdate())
        threshold = configured_threshold()
        figures = [
            {"indicator": item.indicator, "cell": item.cell, "text": _number(item.cell.value, language)}
            for item in headline_figures(page, period, threshold)
        ]
        context = {
            "org": page.org,
            "period_label": period.label(language),
            "figures": figures,
            "threshold": calendars.localize_digits(str(threshold), language),
            "languages": languages,
            "page_language": language,
        }
        response = render(request, "report_public/figures.html", context)
    response["Content-Language"] = language
    return response


def _languages(org: Organisation) -> list[tuple[str, str]]:
    """The organisation's default language, then English (once, when they are the same)."""
    names = dict(settings.LANGUAGES)
    codes = dict.fromkeys([org.default_language, "en"])
    return [(code, str(names[code])) for code in codes if code in names]


def _chosen(request: HttpRequest, languages: list[tuple[str, str]]) -> str:
    allowed = [code for code, _name in languages]
    for wish in (request.GET.get("lang", ""), request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")):
        if wish in allowed:
            return wish
    return allowed[0]


def _number(value: Number | None, language: str) -> str:
    if value is None:
        return ""
    text: Any = f"{value:.1f}" if isinstance(value, float | Decimal) else str(value)
    return calendars.localize_digits(text, language)
