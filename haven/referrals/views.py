"""Pages for releases and referrals: record, read and revoke a release; refer a case; read a referral;
answer one that came in; record the outcome of one sent to a provider not on Haven.

Thin: parse, call a verb, render. One-button actions (revoke, answer, outcome) redirect with a message,
so a refusal reads as a sentence on the page it came from.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases.models import Case
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form
from haven.people.models import Person
from haven.people.views import SURVIVOR_ROLES
from haven.referrals import actions
from haven.referrals.forms import OutcomeForm, ReferForm, ReleaseForm, RespondForm
from haven.referrals.models import Referral, Release

FORM_METHODS = ("GET", "POST")


def _referral_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _uuid_or_none(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text)) if text else None
    except ValueError:
        return None


def send(case: Case, data: dict[str, Any], *, request: StaffRequest) -> Referral:
    """Send from parsed form or API data."""
    return actions.send_referral(**referral_fields(case, data, request=request))


def referral_fields(case: Case, data: dict[str, Any], *, request: StaffRequest) -> dict[str, Any]:
    """The verb's arguments from parsed form or API data; only the fields of the chosen kind are passed on."""
    external = data["kind"] == Referral.Kind.EXTERNAL
    return dict(
        case=case,
        kind=data["kind"],
        service=data["service"],
        urgency=data["urgency"],
        needs=data["needs"],
        contact_back=data.get("contact_back") or "",
        provider=data.get("provider") if external else None,
        release=data.get("release") if external else None,
        target_membership=None if external else data.get("target_membership"),
        target_site=None if external else data.get("target_site"),
        acting_user=request.user,
        at=timezone.now(),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def refer(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    user = request.user
    initial = {
        "provider": _uuid_or_none(request.GET.get("provider")),
        "release": _uuid_or_none(request.GET.get("release")),
        "contact_back": f"{user.get_full_name() or user.username}, {request.org.name}",
    }
    form = ReferForm(request.POST or None, initial=initial, case=case, sender=request.membership)
    page = FormPage(
        "referrals/refer_form.html",
        _("Referral sent."),
        lambda _referral: reverse("cases:detail", args=[case.pk]) + "#referrals",
        {"title": _("Refer %(code)s") % {"code": case.survivor.survivor_code}, "case": case},
    )
    return handle_form(
        request,
        form,
        lambda data: send(case, data, request=request),
        page,
        check=lambda data: actions.build_referral(**referral_fields(case, data, request=request)),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",))
def release_list(request: StaffRequest, person_id: str) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    today = timezone.localdate()
    releases = Release.objects.visible_to(request.user).filter(person=person).select_related("recipient")
    context = {"person": person, "releases": [(release, release.state(today)) for release in releases]}
    return render(request, "referrals/release_list.html", context)


def _after_release(person: Person, case_id: uuid.UUID | None) -> Callable[[Release], str]:
    """Back to the referral being prepared (with this release chosen), or to her releases."""

    def next_url(release: Release) -> str:
        if case_id is None:
            return reverse("referrals:release_list", args=[person.pk])
        query = urlencode({"provider": release.recipient_id, "release": release.pk})
        return reverse("referrals:refer", args=[case_id]) + "?" + query

    return next_url


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def release_create(request: StaffRequest, person_id: str) -> HttpResponse:
    person = get_visible_or_404(Person.objects.select_related("org"), request.user, "change", pk=person_id)
    case_id = _uuid_or_none(request.GET.get("case"))
    initial = {"recipient": _uuid_or_none(request.GET.get("provider")), "signed_on": timezone.localdate()}
    form = ReleaseForm(request.POST or None, initial=initial, person=person)

    def save(data: dict[str, Any]) -> Release:
        return actions.record_release(person=person, acting_user=request.user, at=timezone.now(), **data)

    def check(data: dict[str, Any]) -> Release:
        return actions.build_release(person=person, acting_user=request.user, at=timezone.now(), **data)

    page = FormPage(
        "referrals/release_form.html",
        _("Release recorded."),
        _after_release(person, case_id),
        {"title": _("New release for %(code)s") % {"code": person.survivor_code}, "person": person},
    )
    return handle_form(request, form, save, page, check=check)


@staff_view(SURVIVOR_ROLES, object_kwargs=("release_id",))
def release_detail(request: StaffRequest, release_id: str) -> HttpResponse:
    release = get_visible_or_404(
        Release.objects.select_related("person__org", "recipient", "recorded_by", "revoked_by"),
        request.user,
        pk=release_id,
    )
    actions.record_release_view(release=release, acting_user=request.user, at=timezone.now())
    context = {"release": release, "state": release.state(timezone.localdate())}
    return render(request, "referrals/release_detail.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("release_id",), methods=("POST",))
@require_POST
def release_revoke(request: StaffRequest, release_id: str) -> HttpResponse:
    release = get_visible_or_404(
        Release.objects.select_related("person__org"), request.user, "change", pk=release_id
    )
    _run(
        request,
        lambda: actions.revoke_release(release=release, acting_user=request.user, at=timezone.now()),
        _("Release revoked: nothing more is shared under it."),
    )
    return HttpResponseRedirect(reverse("referrals:release_detail", args=[release.pk]))


def _run(request: StaffRequest, verb: Callable[[], Any], success: str) -> None:
    try:
        verb()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)


def _referrals() -> Any:
    return Referral.objects.select_related(
        "org", "case__survivor", "provider", "release", "target_membership__user", "target_site", "sent_by"
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("referral_id",))
def referral_detail(request: StaffRequest, referral_id: str) -> HttpResponse:
    referral = get_visible_or_404(_referrals(), request.user, pk=referral_id)
    reading = actions.open_referral(referral=referral, acting_user=request.user, at=timezone.now())
    context = {
        "reading": reading,
        "referral": referral,
        "respond_form": RespondForm(),
        "outcome_form": OutcomeForm(),
        "transitions": referral.transitions.select_related("actor", "actor_org"),
    }
    return render(request, "referrals/detail.html", context)


@staff_view(SURVIVOR_ROLES)
def incoming(request: StaffRequest) -> HttpResponse:
    referrals = _referrals().incoming_to(request.user).order_by("status", "-sent_at")
    status = request.GET.get("status", Referral.Status.SENT)
    if status in Referral.Status.values:
        referrals = referrals.filter(status=status)
    else:
        status = ""
    context = {"referrals": referrals, "status": status, "statuses": Referral.Status.choices}
    return render(request, "referrals/incoming.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("incoming_id",), methods=("POST",))
@require_POST
def respond(request: StaffRequest, incoming_id: str) -> HttpResponse:
    referral = get_visible_or_404(_referrals(), request.user, "respond", pk=incoming_id)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
        return HttpResponseRedirect(_referral_url(referral))
    data, now = form.cleaned_data, timezone.now()
    if data["decision"] == "accept":
        _run(
            request,
            lambda: actions.accept_referral(
                referral=referral, comment=data["comment"], acting_user=request.user, at=now
            ),
            _("Referral accepted: the sender sees your answer."),
        )
    else:
        _run(
            request,
            lambda: actions.decline_referral(
                referral=referral, comment=data["comment"], acting_user=request.user, at=now
            ),
            _("Referral declined: the sender sees your answer."),
        )
    return HttpResponseRedirect(_referral_url(referral))


def apply_outcome(referral: Referral, outcome: str, comment: str, *, acting_user: Any) -> Referral:
    """The sender's moves: withdraw, complete, or record the answer of a provider not on Haven."""
    now = timezone.now()
    if outcome == Referral.Status.WITHDRAWN:
        return actions.withdraw_referral(referral=referral, comment=comment, acting_user=acting_user, at=now)
    if outcome == Referral.Status.COMPLETED:
        return actions.complete_referral(referral=referral, comment=comment, acting_user=acting_user, at=now)
    return actions.record_outcome(
        referral=referral, outcome=outcome, comment=comment, acting_user=acting_user, at=now
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("referral_id",), methods=("POST",))
@require_POST
def outcome(request: StaffRequest, referral_id: str) -> HttpResponse:
    referral = get_visible_or_404(_referrals(), request.user, "change", pk=referral_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what happened."))
        return HttpResponseRedirect(_referral_url(referral))
    data = form.cleaned_data
    _run(
        request,
        lambda: apply_outcome(referral, data["outcome"], data["comment"], acting_user=request.user),
        _("Referral updated."),
    )
    return HttpResponseRedirect(_referral_url(referral))
