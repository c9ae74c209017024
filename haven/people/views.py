"""People pages: find a returning person, register her, open her file, record how to contact her safely.

Thin: parse, call a verb, render. Lists show survivor codes only; a name is shown only inside an audited read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases.models import Case
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, run_and_redirect
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.duplicates import review_queue, undoable_merges
from haven.people.forms import (
    HouseholdMemberForm,
    MemberLeftForm,
    MergeForm,
    PersonForm,
    PersonSearchForm,
    SafeContactForm,
)
from haven.people.models import (
    DuplicateFlag,
    Household,
    HouseholdMember,
    Person,
    PersonMerge,
    SafeContact,
    reviews_duplicates,
)
from haven.people.queries import find_returning_people

SURVIVOR_ROLES: frozenset[Role] = Role.working_with_survivors()
REVIEW_ROLES: frozenset[Role] = frozenset(role for role in Role if reviews_duplicates(role))
FORM_METHODS = ("GET", "POST")


def _detail_url(person: Any) -> str:
    return reverse("people:detail", args=[person.pk])


@staff_view(SURVIVOR_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def search(request: StaffRequest) -> HttpResponse:
    """Find before you register: by phone, ID number or name; results show survivor codes, never names.

    The search is a POST so that a name or phone number never lands in a URL, a server log or the
    browser history.
    """
    form = PersonSearchForm(request.POST or None)
    searched = form.has_terms()
    matches = []
    if searched:
        data = form.cleaned_data
        matches = find_returning_people(
            user=request.user,
            phone=data["phone"],
            id_kind=data["id_kind"],
            id_number=data["id_number"],
            name=data["name"],
        )
    typed_name = form.cleaned_data.get("name", "") if searched else ""
    context = {"form": form, "searched": searched, "matches": matches, "typed_name": typed_name}
    template = "people/_results.html" if request.htmx else "people/search.html"
    return render(request, template, context)


@staff_view(SURVIVOR_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def register(request: StaffRequest) -> HttpResponse:
    if "prefill" in request.POST:
        # Coming from the search with the name already typed: show the form filled in, not yet submitted.
        form = PersonForm(initial={"name": request.POST.get("name", "")[:200]})
    else:
        form = PersonForm(request.POST or None)

    def save(data: dict[str, Any]) -> Person:
        return actions.register_person(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    page = FormPage(
        "people/person_form.html", _("Person registered."), _detail_url, {"title": _("New person")}
    )
    return handle_form(request, form, save, page)


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",))
def detail(request: StaffRequest, person_id: str) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    actions.record_person_view(person=person, acting_user=request.user, at=timezone.now())
    contact = SafeContact.objects.filter(person=person).first()
    households = Household.objects.visible_to(request.user).filter(head=person)
    members = (
        HouseholdMember.objects.filter(household__in=households)
        .exclude(person=person)  # a merge can make her a member of the household she heads
        .select_related("person")
        .order_by("relationship", "person__survivor_code")
    )
    memberships = (
        HouseholdMember.objects.filter(
            person=person, household__in=Household.objects.visible_to(request.user)
        )
        .exclude(household__head=person)
        .select_related("household__head")
    )
    cases = Case.objects.visible_to(request.user).filter(survivor=person).order_by("-opened_at")
    context = {
        "person": person,
        "contact": contact,
        "members": members,
        "memberships": memberships,
        "cases": cases,
    }
    return render(request, "people/detail.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def edit(request: StaffRequest, person_id: str) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, "change", pk=person_id)
    if request.method == "GET":
        # The form shows her identity as stored, as her file does: an audited read.
        actions.record_person_view(person=person, acting_user=request.user, at=timezone.now())
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))

    def save(data: dict[str, Any]) -> Person:
        return actions.update_person(person=person, changes=data, acting_user=request.user, at=timezone.now())

    title = _("Details of %(code)s") % {"code": person.survivor_code}
    page = FormPage(
        "people/person_form.html", _("Details saved."), _detail_url, {"title": title, "person": person}
    )
    return handle_form(request, form, save, page)


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def safe_contact(request: StaffRequest, person_id: str) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    contact = SafeContact.objects.filter(person=person).first()
    if request.method == "GET" and contact is not None:
        # The form shows how to reach her (channel, hours, code word): an audited read.
        actions.record_person_view(person=person, acting_user=request.user, at=timezone.now())
    initial = {name: getattr(contact, name) for name in actions.SAFE_CONTACT_FIELDS} if contact else None
    form = SafeContactForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> SafeContact:
        return actions.set_safe_contact(
            person=person, instructions=data, acting_user=request.user, at=timezone.now()
        )

    page = FormPage(
        "people/safe_contact_form.html",
        _("Safe-contact instructions saved."),
        lambda _contact: _detail_url(person),
        {"title": _("Safe contact for %(code)s") % {"code": person.survivor_code}, "person": person},
    )
    return handle_form(request, form, save, page)


# --- Possible duplicates ----------------------------------------------------------------------------


def _queue_url() -> str:
    return reverse("people:duplicates")


def _compare_url(flag: DuplicateFlag) -> str:
    return reverse("people:compare", args=[flag.pk])


def _apply(request: StaffRequest, verb: Any, success: str, **kwargs: Any) -> bool:
    """Run one duplicate-review verb; its refusal becomes an error message on the next page."""
    try:
        verb(acting_user=request.user, at=timezone.now(), **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


@staff_view(REVIEW_ROLES)
def duplicates(request: StaffRequest) -> HttpResponse:
    """The review queue: open pairs and recent merges, by survivor code and reason, never by name."""
    context = {
        "flags": review_queue(request.user),
        "merges": undoable_merges(request.user, at=timezone.now()),
        "undo_days": settings.HAVEN_MERGE_UNDO_DAYS,
    }
    return render(request, "people/duplicates.html", context)


@staff_view(REVIEW_ROLES, object_kwargs=("flag_id",))
def compare(request: StaffRequest, flag_id: str) -> HttpResponse:
    """Both records side by side. This shows two identities, so each is an audited read."""
    flag = get_visible_or_404(
        DuplicateFlag.objects.select_related("person_a", "person_b"), request.user, pk=flag_id
    )
    pair = (flag.person_a, flag.person_b)
    now = timezone.now()
    for person in pair:
        actions.record_person_view(
            person=person, acting_user=request.user, at=now, reason_code=actions.DUPLICATE_REVIEW_READ
        )
    # How many cases each has helps choose which to keep; a count shows no file, so no case rule applies.
    counts = dict(
        Case.objects.filter(survivor__in=pair).values_list("survivor_id").annotate(n=Count("id")).order_by()
    )
    context = {
        "flag": flag,
        "a": flag.person_a,
        "b": flag.person_b,
        "cases_a": counts.get(flag.person_a.pk, 0),
        "cases_b": counts.get(flag.person_b.pk, 0),
    }
    return render(request, "people/compare.html", context)


@staff_view(REVIEW_ROLES, object_kwargs=("flag_id",), methods=("POST",))
@require_POST
def merge(request: StaffRequest, flag_id: str) -> HttpResponse:
    flag = get_visible_or_404(
        DuplicateFlag.objects.select_related("person_a", "person_b"), request.user, "change", pk=flag_id
    )
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which of the two records to keep."))
        return HttpResponseRedirect(_compare_url(flag))
    kept, merged = (flag.person_a, flag.person_b)
    if form.cleaned_data["keep"] == "B":
        kept, merged = merged, kept
    success = _("%(merged)s was merged into %(kept)s. You can undo it from this page for %(days)s days.") % {
        "merged": merged.survivor_code,
        "kept": kept.survivor_code,
        "days": settings.HAVEN_MERGE_UNDO_DAYS,
    }
    if _apply(request, actions.merge_people, success, kept=kept, merged=merged, flag=flag):
        return HttpResponseRedirect(_queue_url())
    return HttpResponseRedirect(_compare_url(flag))


@staff_view(REVIEW_ROLES, object_kwargs=("flag_id",), methods=("POST",))
@require_POST
def mark_distinct(request: StaffRequest, flag_id: str) -> HttpResponse:
    flag = get_visible_or_404(DuplicateFlag.objects.all(), request.user, "change", pk=flag_id)
    _apply(request, actions.mark_distinct, _("Marked as two different people."), flag=flag)
    return HttpResponseRedirect(_queue_url())


@staff_view(REVIEW_ROLES, object_kwargs=("merge_id",), methods=("POST",))
@require_POST
def undo_merge(request: StaffRequest, merge_id: str) -> HttpResponse:
    merge_row = get_visible_or_404(PersonMerge.objects.all(), request.user, "change", pk=merge_id)
    _apply(
        request,
        actions.undo_merge,
        _("The merge was undone; the pair is back in the queue."),
        merge=merge_row,
    )
    return HttpResponseRedirect(_queue_url())


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def add_household_member(request: StaffRequest, person_id: str) -> HttpResponse:
    """Register a child or another member who lives with her, straight into her household."""
    head = get_visible_or_404(Person.objects.all(), request.user, "change", pk=person_id)
    form = HouseholdMemberForm(request.POST or None)

    def save(data: dict[str, Any]) -> HouseholdMember:
        return actions.add_to_her_household(head=head, acting_user=request.user, at=timezone.now(), **data)

    page = FormPage(
        "people/household_form.html",
        _("Added to her household."),
        lambda _member: _detail_url(head) + "#household",
        {"title": _("Someone who lives with %(code)s") % {"code": head.survivor_code}, "person": head},
    )
    return handle_form(request, form, save, page)


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",), methods=("POST",))
@require_POST
def household_member_left(request: StaffRequest, person_id: str) -> HttpResponse:
    head = get_visible_or_404(Person.objects.all(), request.user, "change", pk=person_id)
    form = MemberLeftForm(request.POST)
    member = None
    if form.is_valid():
        member = (
            HouseholdMember.objects.filter(household__head=head, pk=form.cleaned_data["member"])
            .select_related("household__org")
            .first()
        )
    if member is None:
        messages.error(request, _("Give the day this person left the household."))
        return HttpResponseRedirect(_detail_url(head) + "#household")
    return run_and_redirect(
        request,
        lambda: actions.record_member_left(
            member=member, left_on=form.cleaned_data["left_on"], acting_user=request.user, at=timezone.now()
        ),
        _("The household has changed."),
        _detail_url(head) + "#household",
    )
