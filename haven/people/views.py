"""People pages: find a returning person, register her, open her file, record how to contact her safely.

Thin: parse, call a verb, render. Lists show survivor codes only; a name is shown only inside an audited read.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.forms import PersonForm, PersonSearchForm, SafeContactForm
from haven.people.models import Household, HouseholdMember, Person, SafeContact
from haven.people.queries import find_returning_people

SURVIVOR_ROLES: frozenset[Role] = Role.working_with_survivors()
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
        .select_related("person")
        .order_by("relationship", "person__survivor_code")
    )
    memberships = HouseholdMember.objects.filter(
        person=person, household__in=Household.objects.visible_to(request.user)
    ).select_related("household__head")
    context = {"person": person, "contact": contact, "members": members, "memberships": memberships}
    return render(request, "people/detail.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def safe_contact(request: StaffRequest, person_id: str) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    contact = SafeContact.objects.filter(person=person).first()
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
