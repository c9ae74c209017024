"""Hotline pages: the queue board (live by polling), a contact (pick up, transfer, wrap up, one-click
close, link to her file and case), the supervisor's clocks, and callbacks.

Thin: parse, call a verb, render. Lists show survivor codes and channels, never names.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases.models import Case
from haven.channels import queries as channel_queries
from haven.channels.actions import WINDOW_CLOSED
from haven.channels.intake import set_aside_count
from haven.hotline import actions, queries
from haven.hotline.forms import (
    AvailabilityForm,
    CallbackForm,
    CallbackResultForm,
    OfferForm,
    PersonLookupForm,
    ReplyForm,
    ServiceLevelForm,
    TransferForm,
    WrapUpForm,
)
from haven.hotline.models import AgentStatus, Callback, Contact, supervises_hotline
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, run_and_redirect
from haven.orgs.roles import Role
from haven.orgs.validation import local_time
from haven.people.models import Person, SafeContact
from haven.people.queries import find_returning_people

HOTLINE_ROLES: frozenset[Role] = Role.working_with_survivors()
SUPERVISOR_ROLES: frozenset[Role] = frozenset(role for role in Role if supervises_hotline(role))
FORM_METHODS = ("GET", "POST")


def _contact_url(contact: Any) -> str:
    return reverse("hotline:contact", args=[contact.pk])


def _board_context(request: StaffRequest) -> dict[str, Any]:
    now = timezone.now()
    is_supervisor = supervises_hotline(request.membership.role_enum)
    status = AgentStatus.objects.filter(membership=request.membership).first()
    return {
        "now": now,
        "queues": queries.queues(request.org, now),
        "agents": queries.agents(request.org),
        "mine": queries.my_contacts(request.membership),
        "status": status,
        "availability_form": AvailabilityForm(
            initial={
                "is_available": bool(status and status.is_available),
                "max_chats": actions.max_chats(request.membership),
            }
        ),
        "is_supervisor": is_supervisor,
        "level": queries.service_level(request.org, now) if is_supervisor else None,
        "missed": queries.missed_callbacks(request.org, now) if is_supervisor else [],
        "set_aside": set_aside_count(request.org.pk) if is_supervisor else 0,
    }


@staff_view(HOTLINE_ROLES)
def board(request: StaffRequest) -> HttpResponse:
    """The queue board; htmx polls it and swaps the live part only."""
    template = "hotline/_board.html" if request.htmx else "hotline/board.html"
    return render(request, template, _board_context(request))


@staff_view(HOTLINE_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def offer(request: StaffRequest) -> HttpResponse:
    """Enter a contact by hand: a walk-in, or a call on a line that is not connected to Haven."""
    form = OfferForm(request.POST or None)

    def save(data: dict[str, Any]) -> Contact:
        return actions.offer_contact(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    page = FormPage(
        "hotline/offer.html", _("The contact is in the queue."), lambda c: reverse("hotline:board")
    )
    return handle_form(request, form, save, page)


@staff_view(HOTLINE_ROLES, object_kwargs=("contact_id",))
def contact(request: StaffRequest, contact_id: Any) -> HttpResponse:
    """One contact: what is known, who had it, and what can be done with it now (an audited read)."""
    found = get_visible_or_404(Contact.objects.select_related("person", "case"), request.user, pk=contact_id)
    actions.record_contact_view(contact=found, acting_user=request.user, at=timezone.now())
    stretches = found.agents.select_related("membership__user")
    context = {
        "contact": found,
        "stretches": stretches,
        "wrap_up_form": WrapUpForm(org=request.org, initial={"language": found.language}),
        "transfer_form": TransferForm(org=request.org),
        "callbacks": found.callbacks.all(),
        "now": timezone.now(),
        "links": _next_steps(found),
        **_chat_context(request, found),
    }
    return render(request, "hotline/contact.html", context)


NEXT_STEPS = {"screen_lap": ("risk:screen_contact", "lap"), "dispatch": ("dispatch:create_from_contact",)}
"""Pages of other apps a contact leads to, by URL name and the arguments after the contact's id."""


SEARCHES_FOR_A_CONTACT = {"find_bed": "shelters:availability"}
"""Pages of other apps that search on the contact's behalf; they get its id as `?contact=`."""


def _next_steps(contact: Contact) -> dict[str, str]:
    """The URLs of `NEXT_STEPS` and `SEARCHES_FOR_A_CONTACT` that exist in this installation: an app that
    is not there (yet) hides its link instead of breaking the contact page."""
    found = {}
    for key, (name, *args) in NEXT_STEPS.items():
        try:
            found[key] = reverse(name, args=[contact.pk, *args])
        except NoReverseMatch:
            continue
    for key, name in SEARCHES_FOR_A_CONTACT.items():
        try:
            found[key] = f"{reverse(name)}?contact={contact.pk}"
        except NoReverseMatch:
            continue
    return found


def _chat_context(request: StaffRequest, contact: Contact, *, record: bool = True) -> dict[str, Any]:
    """Her conversation since the contact reached us, and the reply form (a chat in progress only).

    Reading it is audited; `record=False` is for a poll that brought nothing new (see `chat`).
    """
    if not actions.has_conversation(contact) or contact.channel is None:
        return {"has_chat": False}
    now = timezone.now()
    lines = channel_queries.conversation(contact.channel, contact.sender_index, since=contact.offered_at)
    if record:
        actions.record_conversation_view(contact=contact, acting_user=request.user, at=now)
    window_open = channel_queries.window_open(contact.channel, contact.sender_index, now)
    form = ReplyForm(templates=contact.channel.approved_templates, window_open=window_open)
    return {
        "has_chat": True,
        "lines": lines,
        "last_at": lines[-1].at.isoformat() if lines else "",
        "window_open": window_open,
        "window_closed_reason": WINDOW_CLOSED,
        "reply_form": form,
    }


@staff_view(HOTLINE_ROLES, object_kwargs=("contact_id",))
def chat(request: StaffRequest, contact_id: Any) -> HttpResponse:
    """The conversation panel alone, polled by htmx every few seconds from the contact page.

    A poll that shows nothing newer than the page already had (`?seen=` the last message's time) is not
    a new read and writes no audit entry: only reads that show new messages do, not one every few seconds.
    """
    found = get_visible_or_404(Contact.objects.select_related("channel"), request.user, pk=contact_id)
    context = _chat_context(request, found, record=False)
    lines = context.get("lines") or []
    try:
        seen = parse_datetime(request.GET.get("seen", "").replace(" ", "+"))
    except ValueError:
        seen = None
    if seen is not None:  # a hand-made address may leave out the offset
        seen = local_time(seen)
    if lines and (seen is None or lines[-1].at > seen):
        actions.record_conversation_view(contact=found, acting_user=request.user, at=timezone.now())
    return render(request, "hotline/_chat.html", {"contact": found, **context})


@staff_view(HOTLINE_ROLES, object_kwargs=("contact_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def reply(request: StaffRequest, contact_id: Any) -> HttpResponse:
    """Send a reply in her chat; refused (with the reason, next to the conversation) as the verb says."""
    found = get_visible_or_404(
        Contact.objects.select_related("channel"), request.user, "change", pk=contact_id
    )
    context = _chat_context(request, found, record=False)
    if not context["has_chat"] or found.channel is None:
        return HttpResponseRedirect(_contact_url(found))
    form = ReplyForm(
        request.POST or None,
        templates=found.channel.approved_templates,
        window_open=context["window_open"],
    )

    def save(data: dict[str, Any]) -> Any:
        return actions.reply(
            contact=found,
            text=data.get("text", ""),
            template=data.get("template", ""),
            acting_user=request.user,
            at=timezone.now(),
        )

    page = FormPage(
        "hotline/reply.html",
        _("The message is sent."),
        lambda m: _contact_url(found),
        {"contact": found, **context},
    )
    response = handle_form(request, form, save, page)
    if response.status_code != HTTPStatus.FOUND:  # the conversation was shown, not just sent to
        actions.record_conversation_view(contact=found, acting_user=request.user, at=timezone.now())
    return response


@staff_view(HOTLINE_ROLES, object_kwargs=("waiting_id",), methods=("POST",))
@require_POST
def pick_up(request: StaffRequest, waiting_id: Any) -> HttpResponse:
    found = get_visible_or_404(Contact.objects.all(), request.user, "change", pk=waiting_id)
    return run_and_redirect(
        request,
        lambda: actions.pick_up(contact=found, acting_user=request.user, at=timezone.now()),
        _("You have the contact."),
        _contact_url(found),
    )


@staff_view(HOTLINE_ROLES, object_kwargs=("contact_id",), methods=("POST",))
@require_POST
def quick_close(request: StaffRequest, contact_id: Any) -> HttpResponse:
    """The one-click close: one POST with the reason (information, silent, hang-up) fills in the rest."""
    found = get_visible_or_404(Contact.objects.all(), request.user, "change", pk=contact_id)
    return run_and_redirect(
        request,
        lambda: actions.quick_close(
            contact=found, reason=request.POST.get("reason", ""), acting_user=request.user, at=timezone.now()
        ),
        _("The contact is closed."),
        reverse("hotline:board"),
    )


@staff_view(HOTLINE_ROLES, object_kwargs=("contact_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def wrap_up(request: StaffRequest, contact_id: Any) -> HttpResponse:
    found = get_visible_or_404(Contact.objects.all(), request.user, "change", pk=contact_id)
    form = WrapUpForm(request.POST or None, org=request.org, initial={"language": found.language})

    def save(data: dict[str, Any]) -> Contact:
        return actions.wrap_up(contact=found, acting_user=request.user, at=timezone.now(), **data)

    page = FormPage(
        "hotline/wrap_up.html",
        _("The contact is closed."),
        lambda c: reverse("hotline:board"),
        {"contact": found},
    )
    return handle_form(request, form, save, page)


@staff_view(HOTLINE_ROLES, object_kwargs=("contact_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def transfer(request: StaffRequest, contact_id: Any) -> HttpResponse:
    found = get_visible_or_404(Contact.objects.all(), request.user, "change", pk=contact_id)
    form = TransferForm(request.POST or None, org=request.org)

    def save(data: dict[str, Any]) -> Any:
        return actions.transfer_contact(contact=found, acting_user=request.user, at=timezone.now(), **data)

    page = FormPage(
        "hotline/transfer.html",
        _("The contact is transferred."),
        lambda r: reverse("hotline:board"),
        {"contact": found},
    )
    return handle_form(request, form, save, page)


@staff_view(HOTLINE_ROLES, object_kwargs=("contact_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def link(request: StaffRequest, contact_id: Any) -> HttpResponse:
    """Find whether she is known (a POST: names and phones stay out of URLs), then link the contact to her
    file, to one of her cases, or open a case for her."""
    found = get_visible_or_404(Contact.objects.all(), request.user, "change", pk=contact_id)
    if request.method == "POST" and request.POST.get("person"):
        return _link(request, found)
    form = PersonLookupForm(request.POST or None)
    matches = []
    if form.is_bound and form.is_valid():
        matches = find_returning_people(
            user=request.user, phone=form.cleaned_data["phone"], name=form.cleaned_data["name"]
        )
    cases = {m.person.pk: Case.objects.visible_to(request.user).filter(survivor=m.person) for m in matches}
    context = {"contact": found, "form": form, "matches": [(m, cases[m.person.pk]) for m in matches]}
    return render(request, "hotline/link.html", context)


def _link(request: StaffRequest, found: Contact) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=request.POST["person"])
    now = timezone.now()
    try:
        if request.POST.get("open_case"):
            actions.open_case_from_contact(contact=found, person=person, acting_user=request.user, at=now)
        else:
            case_id = request.POST.get("case")
            case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id) if case_id else None
            actions.link_contact(contact=found, person=person, case=case, acting_user=request.user, at=now)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The contact is linked."))
    return HttpResponseRedirect(_contact_url(found))


@staff_view(HOTLINE_ROLES, methods=("POST",))
@require_POST
def availability(request: StaffRequest) -> HttpResponse:
    form = AvailabilityForm(request.POST)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {"is_available": False, "max_chats": None}
    return run_and_redirect(
        request,
        lambda: actions.set_availability(
            membership=request.membership,
            is_available=data["is_available"],
            chats=data["max_chats"],
            acting_user=request.user,
            at=timezone.now(),
        ),
        _("Your status is saved."),
        reverse("hotline:board"),
    )


@staff_view(SUPERVISOR_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def service_level(request: StaffRequest) -> HttpResponse:
    current = actions.hotline_settings(request.org)
    initial = {
        name: getattr(current, name) for name in ("answer_seconds", "answer_percent", "abandon_percent")
    }
    form = ServiceLevelForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return actions.set_service_level(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    page = FormPage(
        "hotline/service_level.html", _("The service level is saved."), lambda s: reverse("hotline:board")
    )
    return handle_form(request, form, save, page)


@staff_view(HOTLINE_ROLES)
def callbacks(request: StaffRequest) -> HttpResponse:
    """Callbacks still to make (hers, and those nobody was given); missed ones first."""
    pending = queries.callbacks_to_make(request.user, request.membership)
    return render(request, "hotline/callbacks.html", {"callbacks": pending, "now": timezone.now()})


@staff_view(HOTLINE_ROLES, object_kwargs=("person_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def schedule_callback(request: StaffRequest, person_id: Any) -> HttpResponse:
    """Her safe-contact instructions come first on this page; a callback they do not allow is refused."""
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    from_contact = request.GET.get("contact") or request.POST.get("contact")
    source = (
        get_visible_or_404(Contact.objects.all(), request.user, pk=from_contact) if from_contact else None
    )
    form = CallbackForm(request.POST or None)

    def save(data: dict[str, Any]) -> Callback:
        return actions.schedule_callback(
            person=person, contact=source, acting_user=request.user, at=timezone.now(), **data
        )

    context = {
        "person": person,
        "safe_contact": SafeContact.objects.filter(person=person).first(),
        "source": source,
    }
    page = FormPage(
        "hotline/callback_form.html",
        _("The callback is scheduled."),
        lambda c: reverse("hotline:callbacks"),
        context,
    )
    return handle_form(request, form, save, page)


@staff_view(HOTLINE_ROLES, object_kwargs=("callback_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def callback_done(request: StaffRequest, callback_id: Any) -> HttpResponse:
    """Say how the callback went: the call becomes an outbound contact on her file (and on the case of the
    contact it came from). After a call nobody answered, the agent goes on to schedule another one."""
    found = get_visible_or_404(
        Callback.objects.select_related("person", "contact"), request.user, "change", pk=callback_id
    )
    # Bound on every POST: a POST with no fields means "she was reached", as the one-click "Done" did.
    form = CallbackResultForm(request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> Contact:
        made = actions.complete_callback(callback=found, acting_user=request.user, at=timezone.now(), **data)
        if made.answered_at is None:
            messages.info(
                request, _("Nobody answered: schedule another callback if she should be tried again.")
            )
        return made

    def next_url(made: Contact) -> str:
        if made.answered_at is not None:
            return reverse("hotline:callbacks")
        again = reverse("hotline:schedule_callback", args=[found.person_id])
        return f"{again}?contact={made.pk}"

    context = {
        "callback": found,
        "person": found.person,
        "safe_contact": SafeContact.objects.filter(person=found.person).first(),
    }
    page = FormPage("hotline/callback_done.html", _("The callback is recorded."), next_url, context)
    return handle_form(request, form, save, page)
