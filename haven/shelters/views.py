"""Pages of the shelters: facilities and their beds, today's board, network availability and holds,
admission, the stay (extension, transfer, discharge), the waitlist and the occupancy figures.

Thin: parse, call one verb or query, render or redirect. A facility's confidential address is never on a
list; on the facility page it is behind a "show address" action, for roles that may see it, and audited.
Lists show survivor codes, never names. Availability shows counts and what each facility accepts,
nothing about who sleeps there.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases.models import Case, manages_cases
from haven.dispatch.models import Dispatch
from haven.hotline.models import Contact
from haven.orgs import actions as org_actions
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect, run_posted_form
from haven.orgs.roles import ROLES_NOT_KEPT_APART, Role
from haven.people.views import SURVIVOR_ROLES
from haven.shelters import actions, page_queries, queries
from haven.shelters.forms import (
    PERIOD_DAYS,
    AdmitForm,
    AvailabilityForm,
    BedsForm,
    DecisionForm,
    DischargeForm,
    ExtensionForm,
    FacilityForm,
    HoldForm,
    InUseForm,
    OfferForm,
    PeriodForm,
    PolicyForm,
    RoomForm,
    TransferForm,
    TurnAwayForm,
    WaitlistForm,
)
from haven.shelters.models import (
    Bed,
    BedHold,
    Facility,
    Room,
    Stay,
    StayExtension,
    TurnAway,
    WaitlistEntry,
)

FORM_METHODS = ("GET", "POST")
SITE_MANAGERS = Role.managing_sites()
ORG_ADMINS = Role.managing_org()
CASE_MANAGERS = frozenset(role for role in Role if manages_cases(role))
OCCUPANCY_DAYS = PERIOD_DAYS
AVAILABILITY_ROWS = 50  # own facilities first, then the most free beds: narrowing the search shows others


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _facility(request: StaffRequest, facility_id: Any, action: str = "view") -> Facility:
    queryset = Facility.objects.select_related("site__area", "site__org", "org")
    facility: Facility = get_visible_or_404(queryset, request.user, action, pk=facility_id)
    return facility


def _may_change(request: StaffRequest, facility: Facility) -> bool:
    return Facility.objects.visible_to(request.user, "change").filter(pk=facility.pk).exists()


# --- facilities ----------------------------------------------------------------------------------------


@staff_view(ROLES_NOT_KEPT_APART)
def facility_list(request: StaffRequest) -> HttpResponse:
    """Name, type, operator, area and beds free / in use. Never an address."""
    context = {
        "rows": page_queries.facility_list(request.user, timezone.now()),
        "may_create": request.membership.role_enum in ORG_ADMINS,
        "works_with_survivors": request.membership.role_enum in SURVIVOR_ROLES,
    }
    return render(request, "shelters/facility_list.html", context)


@staff_view(ORG_ADMINS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def facility_create(request: StaffRequest) -> HttpResponse:
    form = FacilityForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Facility:
        policy = form.policy()
        return actions.create_facility(
            site=data["site"],
            facility_type=policy.pop("facility_type"),
            operator=policy.pop("operator"),
            **policy,
            **_now(request),
        )

    page = FormPage(
        "shelters/form.html",
        _("Facility described: now add its rooms and beds."),
        lambda facility: reverse("shelters:facility", args=[facility.pk]),
        {"title": _("Describe a shelter or centre")},
    )
    return handle_form(request, form, save, page)


@staff_view(ROLES_NOT_KEPT_APART, object_kwargs=("facility_id",))
def facility_detail(request: StaffRequest, facility_id: str) -> HttpResponse:
    facility = _facility(request, facility_id)
    context = {
        "facility": facility,
        "rooms": page_queries.rooms_of(facility, timezone.now()),
        "may_change": _may_change(request, facility),
        "may_see_address": facility.site.address_visible_to(request.user),
        "works_with_survivors": request.membership.role_enum in SURVIVOR_ROLES,
    }
    return render(request, "shelters/facility_detail.html", context)


@staff_view(ROLES_NOT_KEPT_APART, object_kwargs=("facility_id",))
def facility_address(request: StaffRequest, facility_id: str) -> HttpResponse:
    """The "show address" action: the address for roles that may see it, each showing audited like a
    read of the site (`site.view`); a sentence saying it is confidential for everyone else."""
    facility = _facility(request, facility_id)
    site = facility.site
    shown = site.address_visible_to(request.user)
    if shown and site.is_confidential:
        org_actions.record_site_view(site=site, acting_user=request.user, at=timezone.now())
    template = "shelters/_address.html" if request.htmx else "shelters/address.html"
    return render(request, template, {"facility": facility, "site": site, "shown": shown})


@staff_view(SITE_MANAGERS, object_kwargs=("facility_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def facility_edit(request: StaffRequest, facility_id: str) -> HttpResponse:
    facility = _facility(request, facility_id, "change")
    form = PolicyForm(posted_data(request), initial=PolicyForm.initial_for(facility))

    def save(_data: dict[str, Any]) -> Facility:
        return actions.update_facility(facility=facility, changes=form.policy(), **_now(request))

    page = FormPage(
        "shelters/form.html",
        _("Saved."),
        lambda _result: reverse("shelters:facility", args=[facility.pk]),
        {"title": _("Policy of %(name)s") % {"name": facility.name}, "facility": facility},
    )
    return handle_form(request, form, save, page)


@staff_view(SITE_MANAGERS, object_kwargs=("facility_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def room_create(request: StaffRequest, facility_id: str) -> HttpResponse:
    facility = _facility(request, facility_id, "change")
    form = RoomForm(posted_data(request))

    def save(data: dict[str, Any]) -> Room:
        return actions.add_room(
            facility=facility,
            name=data["name"],
            floor=data["floor"],
            notes=data["notes"],
            beds=form.new_beds(),
            **_now(request),
        )

    page = FormPage(
        "shelters/form.html",
        _("Room added."),
        lambda _room: reverse("shelters:facility", args=[facility.pk]),
        {"title": _("Add a room to %(name)s") % {"name": facility.name}, "facility": facility},
    )
    return handle_form(request, form, save, page)


def _room(request: StaffRequest, room_id: str) -> Room:
    queryset = Room.objects.select_related("facility__site__org")
    room: Room = get_visible_or_404(queryset, request.user, "change", pk=room_id)
    return room


@staff_view(SITE_MANAGERS, object_kwargs=("room_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def beds_add(request: StaffRequest, room_id: str) -> HttpResponse:
    room = _room(request, room_id)
    form = BedsForm(posted_data(request))
    page = FormPage(
        "shelters/form.html",
        _("Beds added."),
        lambda _beds: reverse("shelters:facility", args=[room.facility_id]),
        {"title": _("Add beds to room %(room)s") % {"room": room.name}, "facility": room.facility},
    )
    return handle_form(
        request, form, lambda _data: actions.add_beds(room=room, beds=form.new_beds(), **_now(request)), page
    )


@staff_view(SITE_MANAGERS, object_kwargs=("room_id",), methods=("POST",))
@require_POST
def room_in_use(request: StaffRequest, room_id: str) -> HttpResponse:
    room = _room(request, room_id)
    return run_posted_form(
        request,
        InUseForm(request.POST),
        lambda data: actions.set_room_in_use(room=room, in_use=data["in_use"], **_now(request)),
        _("Saved."),
        reverse("shelters:facility", args=[room.facility_id]),
    )


@staff_view(SITE_MANAGERS, object_kwargs=("bed_id",), methods=("POST",))
@require_POST
def bed_in_use(request: StaffRequest, bed_id: str) -> HttpResponse:
    bed = get_visible_or_404(
        Bed.objects.select_related("facility__site__org"), request.user, "change", pk=bed_id
    )
    return run_posted_form(
        request,
        InUseForm(request.POST),
        lambda data: actions.set_bed_in_use(bed=bed, in_use=data["in_use"], **_now(request)),
        _("Saved."),
        reverse("shelters:facility", args=[bed.facility_id]),
    )


# --- today's board -------------------------------------------------------------------------------------


@staff_view(SURVIVOR_ROLES, object_kwargs=("facility_id",))
def board(request: StaffRequest, facility_id: str) -> HttpResponse:
    """Residents by survivor code, their children, beds, meetings, who is due to leave, overstays, live
    holds and the head of the waitlist; htmx reloads the board every 30 seconds."""
    facility = _facility(request, facility_id)
    now = timezone.now()
    counts = page_queries.bed_counts([facility.pk], now).get(facility.pk) or page_queries.BedCounts()
    context = {
        "facility": facility,
        "rows": queries.residents_today(facility, request.user, now),
        "holds": page_queries.live_holds(facility, now),
        "counts": counts,
        "head": _visible_head(request, facility) if counts.free else None,
        "now": now,
    }
    template = "shelters/_board.html" if request.htmx else "shelters/board.html"
    return render(request, template, context)


def _visible_head(request: StaffRequest, facility: Facility) -> WaitlistEntry | None:
    """The household heading the waitlist, named on the board only to staff who may see its entry (the
    waitlist page's rule): to anyone else its survivor code says who waits for this shelter."""
    head = queries.next_for(facility)
    if head is None or not WaitlistEntry.objects.visible_to(request.user).filter(pk=head.pk).exists():
        return None
    return head


# --- network availability and holds --------------------------------------------------------------------


def _source(request: StaffRequest) -> dict[str, Any]:
    """Where the search started: a case, a hotline contact or a dispatch (`?case=`, `?contact=`,
    `?dispatch=`), each fetched through its own access rule; the hold keeps it as its reference."""
    source: dict[str, Any] = {}
    data = request.POST if request.method == "POST" else request.GET
    models: dict[str, Any] = {
        "case": Case.objects.select_related("survivor"),
        "contact": Contact.objects.all(),
        "dispatch": Dispatch.objects.all(),
    }
    for name, queryset in models.items():
        value = data.get(name)
        if value:
            source[name] = get_visible_or_404(queryset, request.user, pk=value)
    return source


def _reference(source: dict[str, Any]) -> str:
    """What the hold remembers: the dispatch, else the case (so the team's arrival finds the hold, see
    `actions.expect_arrival`), else the contact."""
    if "dispatch" in source:
        return str(source["dispatch"].pk)
    if "case" in source:
        return str(source["case"].pk)
    contact = source.get("contact")
    if contact is None:
        return ""
    return str(contact.case_id or contact.pk)


@staff_view(ROLES_NOT_KEPT_APART)
def availability(request: StaffRequest) -> HttpResponse:
    """Free beds across the network: filters, then one row per facility with what it accepts and a
    "hold" button. Counts only; no occupant, no address."""
    source = _source(request)
    form = AvailabilityForm(request.GET or None, org=request.org)
    rows: list[queries.AvailabilityRow] = []
    searched = form.is_bound and form.is_valid()
    if searched or not form.is_bound:
        data = form.cleaned_data if searched else {}
        wanted = queries.AvailabilityFilter(
            area_id=data["area"].pk if data.get("area") else None,
            facility_type=data.get("facility_type") or "",
            adults=data.get("adults") or 0,
            children=tuple(form.children()) if searched else (),
            min_free=data.get("beds") or 1,
            needs_accessible=bool(data.get("needs_accessible")),
            needs_cot=bool(data.get("needs_cot")),
            pregnant=bool(data.get("pregnant")),
        )
        rows = queries.availability(request.user, timezone.now(), wanted)
    data = form.cleaned_data if searched else {}
    context = {
        "form": form,
        "rows": rows[:AVAILABILITY_ROWS],
        "more": max(len(rows) - AVAILABILITY_ROWS, 0),
        "source": source,
        "may_hold": request.membership.role_enum in SURVIVOR_ROLES,
        "hold_defaults": {
            "beds": data.get("beds") or 1,
            "cots": 1 if data.get("needs_cot") else 0,
            "adults": data.get("adults") if data.get("adults") is not None else 1,
            "boys_ages": request.GET.get("boys_ages", ""),
            "girls_ages": request.GET.get("girls_ages", ""),
            "needs_accessible": bool(data.get("needs_accessible")),
        },
    }
    return render(request, "shelters/availability.html", context)


@staff_view(SURVIVOR_ROLES, methods=("POST",))
@require_POST
def hold_place(request: StaffRequest) -> HttpResponse:
    """Hold N beds and cots of a facility of the network, chosen among its free ones."""
    back = reverse("shelters:availability")
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    source = _source(request)
    facility = (
        queries.network_facilities(request.user)
        .select_related("site__org")
        .filter(pk=data["facility"])
        .first()
    )
    if facility is None:
        messages.error(request, _("No such facility in your network."))
        return HttpResponseRedirect(back)
    now = timezone.now()
    beds = page_queries.pick_beds(
        page_queries.free_beds(facility, now), data["beds"], data["cots"], data["needs_accessible"]
    )
    if beds is None:
        messages.error(request, _("Not enough free beds of that kind any more: search again."))
        return HttpResponseRedirect(back)
    own = facility.org_id == request.org.pk
    holds: list[BedHold] = []

    def run() -> None:
        holds.extend(
            actions.place_hold(
                facility=facility,
                beds=beds,
                held_by=request.org,
                adults=data["adults"],
                children=form.children(),
                reference=_reference(source) if own else "",
                acting_user=request.user,
                at=now,
            )
        )

    response = run_and_redirect(request, run, _("Beds held."), back)
    if holds:
        return HttpResponseRedirect(reverse("shelters:hold", args=[holds[0].pk]))
    return response


def _hold(request: StaffRequest, hold_id: str) -> BedHold:
    queryset = BedHold.objects.select_related("facility__site", "held_by", "bed")
    hold: BedHold = get_visible_or_404(queryset, request.user, pk=hold_id)
    return hold


@staff_view(SURVIVOR_ROLES, object_kwargs=("hold_id",))
def hold_detail(request: StaffRequest, hold_id: str) -> HttpResponse:
    """The held beds, until when, and the next step: admit her (for the facility's own staff, when the
    hold names her case) or release the beds."""
    hold = _hold(request, hold_id)
    group = BedHold.objects.filter(group=hold.group).select_related("bed__room").order_by("bed__label")
    own = hold.facility.org_id == request.org.pk
    case_id = page_queries.case_of_reference(hold.reference, hold.org_id) if own else None
    context = {
        "hold": hold,
        "group": group,
        "is_live": hold.status == BedHold.Status.HELD and hold.expires_at > timezone.now(),
        "is_own_facility": own,
        "case_id": case_id,
    }
    return render(request, "shelters/hold.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("hold_id",), methods=("POST",))
@require_POST
def hold_release(request: StaffRequest, hold_id: str) -> HttpResponse:
    hold = _hold(request, hold_id)
    return run_and_redirect(
        request,
        lambda: actions.release_hold(hold=hold, **_now(request)),
        _("The beds are free again."),
        reverse("shelters:hold", args=[hold.pk]),
    )


# --- admission -----------------------------------------------------------------------------------------


def _case(request: StaffRequest, case_id: str) -> Case:
    queryset = Case.objects.select_related("survivor", "org")
    case: Case = get_visible_or_404(queryset, request.user, "change", pk=case_id)
    return case


def _chosen_hold(request: StaffRequest, facility: Facility) -> BedHold | None:
    hold_id = request.POST.get("hold") or request.GET.get("hold")
    if not hold_id:
        return None
    try:
        hold: BedHold | None = (
            BedHold.objects.visible_to(request.user).filter(pk=uuid.UUID(hold_id), facility=facility).first()
        )
    except ValueError:
        hold = None
    if hold is None:
        raise Http404
    return hold


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def admit(request: StaffRequest, case_id: str) -> HttpResponse:
    """Admit her household: first the facility (`?facility=`), then a bed for her and for each child
    who comes, only among the free beds (and the beds held for her, `?hold=`); cots for infants."""
    case = _case(request, case_id)
    facility_id = request.POST.get("facility") or request.GET.get("facility")
    if not facility_id:
        rows = [
            (f, c) for f, c in page_queries.facility_list(request.user, timezone.now()) if f.site.is_active
        ]
        return render(request, "shelters/admit_choose.html", {"case": case, "rows": rows})
    facility = _facility(request, facility_id)
    hold = _chosen_hold(request, facility)
    now = timezone.now()
    beds = page_queries.free_beds(facility, now, keep_group=hold.group if hold else None)
    children = page_queries.household_children(case, timezone.localdate(now))
    form = AdmitForm(posted_data(request), beds=beds, children=children)

    def admission(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "case": case,
            "facility": facility,
            "residents": [(person or case.survivor, bed) for person, bed in form.residents()],
            "arrival_kind": data["arrival_kind"],
            "services_started": data["services_started"],
            "planned_end": data["planned_end"],
            "hold": hold,
        }

    def save(data: dict[str, Any]) -> Stay:
        return actions.admit_household(**admission(data), **_now(request))

    def check(data: dict[str, Any]) -> None:
        actions.check_admission(**admission(data), at=timezone.now())

    page = FormPage(
        "shelters/admit.html",
        _("She is admitted."),
        lambda stay: reverse("shelters:stay", args=[stay.pk]),
        {"case": case, "facility": facility, "hold": hold, "no_beds": not beds},
    )
    return handle_form(request, form, save, page, check=check)


# --- the stay ------------------------------------------------------------------------------------------


def _stay(request: StaffRequest, stay_id: str, action: str = "view") -> Stay:
    queryset = Stay.objects.select_related("case__org", "case__survivor", "facility__site")
    stay: Stay = get_visible_or_404(queryset, request.user, action, pk=stay_id)
    return stay


@staff_view(SURVIVOR_ROLES, object_kwargs=("stay_id",))
def stay_detail(request: StaffRequest, stay_id: str) -> HttpResponse:
    """Who stays in which bed, the planned end, extensions and their decisions, the way on (transfer,
    discharge) and her stays before. Every showing is audited (`stay.view`)."""
    stay = _stay(request, stay_id)
    now = timezone.now()
    actions.record_stay_view(stay=stay, acting_user=request.user, at=now)
    extensions = list(StayExtension.objects.filter(stay=stay).select_related("requested_by", "decided_by"))
    context = {
        "stay": stay,
        "residents": page_queries.residents_of(stay),
        "extensions": extensions,
        "overstay": stay.is_active and queries.is_overstay(stay, extensions, timezone.localdate(now)),
        "history": page_queries.stay_history(stay.case),
        "may_decide": request.membership.role_enum in CASE_MANAGERS,
        "extension_form": ExtensionForm(),
    }
    return render(request, "shelters/stay.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("stay_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def extension_request(request: StaffRequest, stay_id: str) -> HttpResponse:
    stay = _stay(request, stay_id, "change")
    form = ExtensionForm(posted_data(request))

    def save(data: dict[str, Any]) -> StayExtension:
        return actions.request_extension(stay=stay, **data, **_now(request))

    page = FormPage(
        "shelters/form.html",
        _("Extension requested: a manager decides."),
        lambda _e: reverse("shelters:stay", args=[stay.pk]),
        {"title": _("Ask for a longer stay"), "stay": stay},
    )
    return handle_form(request, form, save, page)


@staff_view(CASE_MANAGERS, object_kwargs=("extension_id",), methods=("POST",))
@require_POST
def extension_decide(request: StaffRequest, extension_id: str) -> HttpResponse:
    extension = get_visible_or_404(
        StayExtension.objects.select_related("stay"), request.user, "change", pk=extension_id
    )
    approved = request.POST.get("approve") == "1"
    return run_posted_form(
        request,
        DecisionForm(request.POST),
        lambda data: actions.decide_extension(extension=extension, approve=data["approve"], **_now(request)),
        _("Extension approved.") if approved else _("Extension refused."),
        reverse("shelters:stay", args=[extension.stay_id]),
    )


def _left_at(request: StaffRequest) -> datetime:
    """The leaving time typed so far (for the follow-up preview); now when none is valid."""
    field = DischargeForm.base_fields["left_at"]
    try:
        value = field.clean(request.POST.get("left_at") or request.GET.get("left_at") or None)
    except forms.ValidationError:
        value = None
    return value if isinstance(value, datetime) else timezone.now()


@staff_view(SURVIVOR_ROLES, object_kwargs=("stay_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def discharge(request: StaffRequest, stay_id: str) -> HttpResponse:
    """She left: where to and when, with a preview of the follow-ups the discharge puts in her case."""
    stay = _stay(request, stay_id, "change")
    now = timezone.now()
    preview = page_queries.follow_up_preview(stay, timezone.localdate(_left_at(request)), now)
    if request.htmx and request.method == "GET":
        return render(request, "shelters/_follow_up_preview.html", {"preview": preview})
    form = DischargeForm(posted_data(request))

    def save(data: dict[str, Any]) -> Stay:
        return actions.discharge_stay(
            stay=stay, destination=data["destination"], left_at=data["left_at"], **_now(request)
        )

    page = FormPage(
        "shelters/discharge.html",
        _("Discharge recorded; the follow-up plan is in her case."),
        lambda _s: reverse("shelters:stay", args=[stay.pk]),
        {"stay": stay, "preview": preview},
    )
    return handle_form(request, form, save, page)


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    """A facility id typed into the address or a tampered form: a malformed one chooses nothing (the
    form then says to choose), instead of failing the query."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@staff_view(SURVIVOR_ROLES, object_kwargs=("stay_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def transfer(request: StaffRequest, stay_id: str) -> HttpResponse:
    """Move the household to another of the organisation's facilities (`?to=` picks it first, so the
    form can offer its free beds)."""
    stay = _stay(request, stay_id, "change")
    facilities = page_queries.other_facilities(stay.facility, request.user)
    target_id = _uuid_or_none(request.POST.get("to_facility") or request.GET.get("to"))
    target = facilities.filter(pk=target_id).first() if target_id else None
    beds = page_queries.free_beds(target, timezone.now()) if target else []
    residents = [r for r in page_queries.residents_of(stay) if r.ended_at is None]
    initial = {"to_facility": target.pk} if target else {}
    form = TransferForm(
        posted_data(request), initial=initial, facilities=facilities, beds=beds, residents=residents
    )

    def save(data: dict[str, Any]) -> Stay:
        return actions.transfer_stay(
            stay=stay,
            to_facility=data["to_facility"],
            residents=form.residents(),
            planned_end=data["planned_end"],
            **_now(request),
        )

    page = FormPage(
        "shelters/transfer.html",
        _("The household is transferred."),
        lambda new_stay: reverse("shelters:stay", args=[new_stay.pk]),
        {"stay": stay, "target": target, "facilities": facilities},
    )
    return handle_form(request, form, save, page)


# --- waitlist ------------------------------------------------------------------------------------------


@staff_view(SURVIVOR_ROLES, object_kwargs=("facility_id",))
def waitlist(request: StaffRequest, facility_id: str) -> HttpResponse:
    """Households waiting, by risk then time; when a bed is free, the head of the list is marked with
    the "offer" action."""
    facility = _facility(request, facility_id)
    now = timezone.now()
    counts = page_queries.bed_counts([facility.pk], now).get(facility.pk) or page_queries.BedCounts()
    head = queries.next_for(facility) if counts.free else None
    context = {
        "facility": facility,
        "entries": queries.waitlist(facility, request.user),
        "head_id": head.pk if head else None,
        "counts": counts,
    }
    return render(request, "shelters/waitlist.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def waitlist_add(request: StaffRequest, case_id: str) -> HttpResponse:
    case = _case(request, case_id)
    facilities = Facility.objects.visible_to(request.user).filter(org_id=case.org_id).select_related("site")
    form = WaitlistForm(posted_data(request), facilities=facilities)

    def save(data: dict[str, Any]) -> WaitlistEntry:
        return actions.add_to_waitlist(
            case=case,
            facility=data["facility"],
            adults=data["adults"],
            children=form.children(),
            risk_level=data["risk_level"] or None,
            **_now(request),
        )

    page = FormPage(
        "shelters/form.html",
        _("She is on the waitlist."),
        lambda _e: reverse("cases:detail", args=[case.pk]),
        {"title": _("Put her household on the waitlist"), "case": case},
    )
    return handle_form(request, form, save, page)


def _entry(request: StaffRequest, entry_id: str) -> WaitlistEntry:
    queryset = WaitlistEntry.objects.select_related("case__survivor", "case__org", "facility__site")
    entry: WaitlistEntry = get_visible_or_404(queryset, request.user, "change", pk=entry_id)
    return entry


def _entry_facility(request: StaffRequest, entry: WaitlistEntry) -> Facility | None:
    if entry.facility_id is not None:
        return _facility(request, entry.facility_id)
    chosen = request.POST.get("facility") or request.GET.get("facility")
    if not chosen:
        return None
    return _facility(request, chosen)


@staff_view(SURVIVOR_ROLES, object_kwargs=("entry_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def waitlist_offer(request: StaffRequest, entry_id: str) -> HttpResponse:
    """Offer her household beds that freed up: they are held for it for the facility's hold time."""
    entry = _entry(request, entry_id)
    facility = _entry_facility(request, entry)
    if facility is None:
        facilities = (
            Facility.objects.visible_to(request.user).filter(org_id=entry.org_id).select_related("site")
        )
        return render(request, "shelters/offer_choose.html", {"entry": entry, "facilities": facilities})
    form = OfferForm(posted_data(request), beds=page_queries.free_beds(facility, timezone.now()))

    def save(_data: dict[str, Any]) -> list[BedHold]:
        return actions.offer_bed(entry=entry, facility=facility, beds=form.chosen(), **_now(request))

    page = FormPage(
        "shelters/offer.html",
        _("Beds offered: they are held for her."),
        lambda _holds: reverse("shelters:waitlist", args=[facility.pk]),
        {"entry": entry, "facility": facility},
    )
    return handle_form(request, form, save, page)


@staff_view(SURVIVOR_ROLES, object_kwargs=("entry_id",), methods=("POST",))
@require_POST
def waitlist_withdraw(request: StaffRequest, entry_id: str) -> HttpResponse:
    entry = _entry(request, entry_id)
    back = (
        reverse("shelters:waitlist", args=[entry.facility_id])
        if entry.facility_id
        else reverse("cases:detail", args=[entry.case_id])
    )
    return run_and_redirect(
        request,
        lambda: actions.withdraw_from_waitlist(entry=entry, **_now(request)),
        _("She is no longer on the waitlist."),
        back,
    )


# --- occupancy and turn-aways --------------------------------------------------------------------------


@staff_view(ROLES_NOT_KEPT_APART, object_kwargs=("facility_id",))
def occupancy(request: StaffRequest, facility_id: str) -> HttpResponse:
    """Bed-nights, occupancy rate, average stay, admissions with children and turn-aways for a period
    (default: the last 30 days)."""
    facility = _facility(request, facility_id)
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    end = data.get("end") or today + timedelta(days=1)
    start = data.get("start") or end - timedelta(days=OCCUPANCY_DAYS)
    if start >= end:
        start = end - timedelta(days=OCCUPANCY_DAYS)
    figures = queries.occupancy(Facility.objects.filter(pk=facility.pk), start, end)
    context = {
        "facility": facility,
        "form": form,
        "figures": figures,
        "rate": None if figures.occupancy_rate is None else round(figures.occupancy_rate * 100, 1),
        "last_day": end - timedelta(days=1),
        "turn_aways": [(label, figures.turn_aways.get(code, 0)) for code, label in _reasons()],
        "may_record": request.membership.role_enum in SURVIVOR_ROLES,
        "works_with_survivors": request.membership.role_enum in SURVIVOR_ROLES,
    }
    return render(request, "shelters/occupancy.html", context)


def _reasons() -> list[tuple[str, str]]:
    return [(str(code), str(label)) for code, label in TurnAway.Reason.choices]


@staff_view(SURVIVOR_ROLES, object_kwargs=("facility_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def turn_away(request: StaffRequest, facility_id: str) -> HttpResponse:
    facility = _facility(request, facility_id)
    form = TurnAwayForm(posted_data(request))

    def save(data: dict[str, Any]) -> Any:
        return actions.record_turn_away(facility=facility, **data, **_now(request))

    page = FormPage(
        "shelters/form.html",
        _("Recorded. Thank you: the figures count every household we could not take."),
        lambda _row: reverse("shelters:occupancy", args=[facility.pk]),
        {"title": _("Record a household we could not take"), "facility": facility},
    )
    return handle_form(request, form, save, page)


def availability_url(**source: Any) -> str:
    """The availability page for a case, contact or dispatch (for links from other pages)."""
    query = {name: str(value) for name, value in source.items() if value}
    return reverse("shelters:availability") + ("?" + urlencode(query) if query else "")
