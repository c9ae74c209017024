"""Verbs of the hotline: a contact is offered, picked up, transferred, wrapped up (or closed in one click),
linked to her file and case; agents set their availability; callbacks are scheduled and done.

Each verb locks the contact, checks its derived state (`Contact.state`) allows the move, writes the
timestamps and `ContactAgent` rows, and records an audit entry naming fields only, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haven import sql
from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.channels import queries as channel_queries
from haven.channels.actions import send_message
from haven.channels.models import Channel, OutboundMessage
from haven.hotline.models import (
    CHAT_KINDS,
    AgentStatus,
    Callback,
    Contact,
    ContactAgent,
    ContactCategory,
    HotlineSettings,
    supervises_hotline,
)
from haven.hotline.safety import check_safe_callback
from haven.hotline.taxonomy import INFORMATION_CODE, ensure_default_taxonomy
from haven.orgs.models import Membership, Organisation, membership_of
from haven.people.models import Person, SafeContact
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

CONTACT_OFFER = audit.register_action("contact.offer", "A contact reached the hotline")
CONTACT_PICK_UP = audit.register_action("contact.pick_up", "An agent picked up a contact")
CONTACT_TRANSFER = audit.register_action("contact.transfer", "A contact was transferred to another agent")
CONTACT_WRAP_UP = audit.register_action("contact.wrap_up", "A contact was wrapped up and closed")
CONTACT_ABANDON = audit.register_action("contact.abandon", "A contact ended before anyone answered")
CONTACT_LINK = audit.register_action("contact.link", "A contact was linked to a person or a case")
CONTACT_VIEW = audit.register_action("contact.view", "A contact's summary was read", read=True)
CONVERSATION_VIEW = audit.register_action(
    "contact.conversation_view", "The messages of a chat contact were read", read=True
)
AGENT_STATUS = audit.register_action("hotline.agent_status", "An agent's availability changed")
HOTLINE_SETTINGS = audit.register_action("hotline.settings", "The hotline's service level changed")
CALLBACK_SCHEDULE = audit.register_action("callback.schedule", "A callback was scheduled")
CALLBACK_DONE = audit.register_action("callback.done", "A callback was made")
CALLBACK_CONTACT = audit.register_action(
    "callback.contact", "The call of a callback was recorded as an outbound contact"
)

DEFAULT_MAX_CHATS = 3
WRAP_UP_FIELDS = ("caller_type", "outcome", "categories", "summary", "language")

# The one-click closes: what each fills in.
QUICK_CLOSES: dict[str, tuple[str, str]] = {
    "information": (Contact.CallerType.INFORMATION_ONLY, Contact.Outcome.INFORMATION_GIVEN),
    "silent": (Contact.CallerType.SILENT, Contact.Outcome.NO_CONVERSATION),
    "hang_up": (Contact.CallerType.HANG_UP, Contact.Outcome.NO_CONVERSATION),
}


# --- Guards ---------------------------------------------------------------------------------------------


def _acting_membership(acting_user: User | None, org_id: Any) -> Membership:
    membership = membership_of(acting_user)
    if membership is None or membership.org_id != org_id or not membership.role_enum.works_with_survivors:
        raise ValidationError(_("Only staff of this organisation who work with survivors can do this."))
    return membership


def _locked(contact: Contact, *states: str, verb: str) -> Contact:
    locked: Contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.state not in states:
        raise ValidationError(
            _("This contact is “%(state)s”, so you cannot %(verb)s.")
            % {"state": locked.get_state_display(), "verb": verb}
        )
    return locked


def _check_time(contact: Contact, at: datetime) -> None:
    if at < contact.offered_at:
        raise ValidationError(_("This time is before the contact reached us."))


def current_stretch(contact: Contact) -> ContactAgent | None:
    return contact.agents.filter(left_at__isnull=True).select_related("membership").first()


def _require_handler(contact: Contact, membership: Membership) -> ContactAgent | None:
    """Only the agent on the contact, or a hotline supervisor, acts on a contact in progress."""
    stretch = current_stretch(contact)
    on_it = stretch is not None and stretch.membership_id == membership.pk
    if not on_it and not supervises_hotline(membership.role_enum):
        raise ValidationError(_("Another agent is on this contact: only she or a supervisor can do this."))
    return stretch


def agent_load(membership: Membership) -> tuple[int, int]:
    """(calls, chats) the agent holds now."""
    kinds = list(
        ContactAgent.objects.filter(membership=membership, left_at__isnull=True).values_list(
            "contact__kind", flat=True
        )
    )
    chats = sum(1 for kind in kinds if kind in CHAT_KINDS)
    return len(kinds) - chats, chats


def max_chats(membership: Membership) -> int:
    status = AgentStatus.objects.filter(membership=membership).first()
    return status.max_chats if status else DEFAULT_MAX_CHATS


def _require_capacity(membership: Membership, contact: Contact, field: str = "contact") -> None:
    """One call at a time; up to her own number of chats."""
    calls, chats = agent_load(membership)
    if contact.is_chat and chats >= max_chats(membership):
        raise ValidationError({field: _("All her chat places are taken: close a chat first.")})
    if not contact.is_chat and calls >= 1:
        raise ValidationError({field: _("She is already on a call: finish it first.")})


# --- Contacts -------------------------------------------------------------------------------------------


def offer_contact(
    *,
    org: Organisation,
    kind: str,
    acting_user: User | None,
    at: datetime,
    direction: str = Contact.Direction.INBOUND,
    language: str = "",
    channel: Channel | None = None,
    sender_index: str = "",
) -> Contact:
    """An inbound contact reaches the hotline and waits in its queue (a walk-in is entered by staff)."""
    if channel is not None and channel.org_id != org.pk:
        raise ValidationError({"channel": _("Choose a channel of your own organisation.")})
    contact = Contact(
        org=org,
        channel=channel,
        kind=kind,
        direction=direction,
        language=language,
        sender_index=sender_index,
        offered_at=at,
        queued_at=at,
    )
    # Only the caller's choices need checking here. The organisation and channel are rows the caller
    # holds and the times are one clock reading, so the database's own keys and constraints suffice:
    # checking them first would cost five queries on the hotline's busiest path.
    contact.full_clean(
        exclude=["categories", "summary", "org", "channel"], validate_unique=False, validate_constraints=False
    )
    with transaction.atomic(savepoint=False):
        sql.insert(contact)  # the busiest INSERT of the hotline, built once (`haven.sql`)
        audit.record(
            action=CONTACT_OFFER,
            actor=acting_user,
            org=org,
            obj=contact,
            at=at,
            fields=["kind", "direction", "offered_at", "queued_at", *(["language"] if language else [])],
        )
    return contact


def pick_up(*, contact: Contact, acting_user: User | None, at: datetime) -> Contact:
    """An agent answers a waiting contact; her time to answer ends here."""
    membership = _acting_membership(acting_user, contact.org_id)
    _check_time(contact, at)
    with transaction.atomic():
        locked = _locked(contact, Contact.State.WAITING, verb=_("pick it up"))
        _require_capacity(membership, locked)
        locked.answered_at = at
        locked.save(update_fields=["answered_at"])
        ContactAgent.objects.create(org_id=locked.org_id, contact=locked, membership=membership, joined_at=at)
        audit.record(
            action=CONTACT_PICK_UP,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["answered_at"],
        )
    contact.answered_at = locked.answered_at
    return contact


def _require_transfer_target(contact: Contact, to: Membership, kind: str, current: Membership | None) -> None:
    if to.org_id != contact.org_id or not to.is_active or not to.role_enum.works_with_survivors:
        raise ValidationError({"to": _("Choose an active colleague who works with survivors.")})
    if current is not None and to.pk == current.pk:
        raise ValidationError({"to": _("She is already on this contact.")})
    if (
        kind == ContactAgent.Transfer.WARM
        and not AgentStatus.objects.filter(membership=to, is_available=True).exists()
    ):
        raise ValidationError(
            {
                "to": _(
                    "A warm transfer needs a colleague who is available now: choose another one, "
                    "or transfer cold."
                )
            }
        )
    _require_capacity(to, contact, field="to")


def transfer_contact(
    *,
    contact: Contact,
    to: Membership,
    kind: str,
    acting_user: User | None,
    at: datetime,
    briefing: str = "",
) -> ContactAgent:
    """Hand a contact in progress to a colleague. Warm: she is available and briefed (the briefing is kept,
    encrypted). Cold: handed over as it is. Either way the chain of agents records who had it when."""
    membership = _acting_membership(acting_user, contact.org_id)
    if kind not in ContactAgent.Transfer.values:
        raise ValidationError({"kind": _("Choose a warm or a cold transfer.")})
    if kind == ContactAgent.Transfer.COLD and briefing.strip():
        raise ValidationError({"briefing": _("Only a warm transfer carries a briefing.")})
    _check_time(contact, at)
    with transaction.atomic():
        locked = _locked(contact, Contact.State.IN_PROGRESS, verb=_("transfer it"))
        stretch = _require_handler(locked, membership)
        _require_transfer_target(locked, to, kind, stretch.membership if stretch else None)
        if stretch is not None:
            stretch.left_at = at
            stretch.save(update_fields=["left_at"])
        received = ContactAgent(
            org_id=locked.org_id, contact=locked, membership=to, transfer=kind, joined_at=at
        )
        received.briefing = briefing.strip()
        received.save()
        audit.record(
            action=CONTACT_TRANSFER,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["agents", *(["briefing"] if received.briefing else [])],
        )
    return received


def _require_outcome_fits(contact: Contact, outcome: str) -> None:
    if outcome in {Contact.Outcome.CASE_OPENED, Contact.Outcome.CASE_LINKED} and contact.case_id is None:
        raise ValidationError(
            {"outcome": _("Link the contact to her case first, or choose another outcome.")}
        )


def _close(locked: Contact, at: datetime) -> None:
    locked.ended_at = at
    locked.full_clean(exclude=["categories"])
    locked.save()
    locked.agents.filter(left_at__isnull=True).update(left_at=at)


def wrap_up(
    *,
    contact: Contact,
    caller_type: str,
    outcome: str,
    acting_user: User | None,
    at: datetime,
    categories: Iterable[ContactCategory] = (),
    summary: str = "",
    language: str = "",
) -> Contact:
    """Record who called, what it was about and how it ended, and close the contact."""
    membership = _acting_membership(acting_user, contact.org_id)
    categories = list(categories)
    if not caller_type:
        raise ValidationError({"caller_type": _("Say who contacted us.")})
    if not outcome:
        raise ValidationError({"outcome": _("Say how the contact ended.")})
    if any(c.org_id != contact.org_id or c.parent_id is None for c in categories):
        raise ValidationError({"categories": _("Choose categories of your organisation's list.")})
    _check_time(contact, at)
    with transaction.atomic():
        locked = _locked(contact, Contact.State.IN_PROGRESS, verb=_("wrap it up"))
        _require_handler(locked, membership)
        _require_outcome_fits(locked, outcome)
        locked.caller_type, locked.outcome = caller_type, outcome
        locked.summary = summary.strip()
        locked.language = language or locked.language
        _close(locked, at)
        locked.categories.set(categories)
        audit.record(
            action=CONTACT_WRAP_UP,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["ended_at", "caller_type", "outcome", *_filled(locked, categories)],
        )
    return locked


def _filled(contact: Contact, categories: list[ContactCategory]) -> list[str]:
    names = ["categories"] if categories else []
    names += ["summary"] if contact.summary else []
    return names + (["language"] if contact.language else [])


def quick_close(*, contact: Contact, reason: str, acting_user: User | None, at: datetime) -> Contact:
    """The one-click close of the many contacts that need nothing more: information given, a silent
    line, a hang-up. Caller type, outcome, category and end time are all filled in."""
    if reason not in QUICK_CLOSES:
        raise ValidationError({"reason": _("Choose information only, silent or hang-up.")})
    caller_type, outcome = QUICK_CLOSES[reason]
    categories: list[ContactCategory] = []
    if reason == "information":
        ensure_default_taxonomy(contact.org)
        categories = list(ContactCategory.objects.filter(org_id=contact.org_id, code=INFORMATION_CODE))
    return wrap_up(
        contact=contact,
        caller_type=caller_type,
        outcome=outcome,
        categories=categories,
        acting_user=acting_user,
        at=at,
    )


def abandon_contact(*, contact: Contact, acting_user: User | None, at: datetime) -> Contact:
    """The caller left before anyone answered (the channel reports it); abandonment is this end time
    with no answer time, nothing more."""
    _check_time(contact, at)
    with transaction.atomic():
        locked = _locked(contact, Contact.State.WAITING, verb=_("mark it abandoned"))
        locked.ended_at = at
        locked.save(update_fields=["ended_at"])
        audit.record(
            action=CONTACT_ABANDON, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["ended_at"]
        )
    return locked


def record_contact_view(*, contact: Contact, acting_user: User | None, at: datetime) -> None:
    """Reading a contact's summary is an audited read, like opening her file."""
    audit.record(action=CONTACT_VIEW, actor=acting_user, org=contact.org, obj=contact, at=at)


def has_conversation(contact: Contact) -> bool:
    """A written contact that came in through a channel: its messages can be read and answered."""
    return contact.is_chat and contact.channel_id is not None and bool(contact.sender_index)


def record_conversation_view(*, contact: Contact, acting_user: User | None, at: datetime) -> None:
    """Reading her messages is an audited read, like reading the contact's summary."""
    audit.record(action=CONVERSATION_VIEW, actor=acting_user, org=contact.org, obj=contact, at=at)


def reply(
    *, contact: Contact, text: str = "", template: str = "", acting_user: User | None, at: datetime
) -> OutboundMessage:
    """Write back to her on the channel she wrote on, as the agent on the contact (or a supervisor).

    The channels' `send_message` enforces the rest (an active channel, WhatsApp's 24-hour window, approved
    templates) and records the message; no lock is held here, so a slow provider blocks nobody.
    """
    membership = _acting_membership(acting_user, contact.org_id)
    if contact.state != Contact.State.IN_PROGRESS:
        raise ValidationError(
            _("This contact is “%(state)s”, so you cannot %(verb)s.")
            % {"state": contact.get_state_display(), "verb": _("reply")}
        )
    _require_handler(contact, membership)
    channel = contact.channel
    to = channel_queries.sender_address(channel, contact.sender_index) if channel else None
    if channel is None or not has_conversation(contact) or to is None:
        raise ValidationError(_("This contact has no conversation to reply to."))
    return send_message(channel=channel, to=to, text=text, template=template, acting_user=acting_user, at=at)


# --- Her file and her case ------------------------------------------------------------------------------


def link_contact(
    *, contact: Contact, person: Person, acting_user: User | None, at: datetime, case: Case | None = None
) -> Contact:
    """Say whom the contact was about, and on which of her cases."""
    _acting_membership(acting_user, contact.org_id)
    if person.org_id != contact.org_id or person.merged_into_id is not None:
        raise ValidationError({"person": _("Choose a person of your own organisation.")})
    if case is not None and case.survivor_id != person.pk:
        raise ValidationError({"case": _("This case is not hers: choose one of her cases.")})
    with transaction.atomic():
        # One UPDATE (it locks the row as it writes): the hotline's busiest verb after taking a contact.
        if not Contact.objects.filter(pk=contact.pk).update(person=person, case=case):
            raise Contact.DoesNotExist  # as the locking read it replaces did, for a contact deleted meanwhile
        audit.record(
            action=CONTACT_LINK,
            actor=acting_user,
            org=person.org,  # the contact's, checked above; often already loaded with her
            obj=contact,
            at=at,
            fields=["person", *(["case"] if case else [])],
        )
    contact.person, contact.case = person, case
    return contact


def open_case_from_contact(
    *, contact: Contact, person: Person, acting_user: User | None, at: datetime
) -> Case:
    """Open a case for her with the acting agent as its lead worker, and link the contact to it."""
    membership = _acting_membership(acting_user, contact.org_id)
    with transaction.atomic():
        case = open_case(survivor=person, lead=membership, acting_user=acting_user, at=at)
        link_contact(contact=contact, person=person, case=case, acting_user=acting_user, at=at)
    return case


# --- Agents and the service level -----------------------------------------------------------------------


def set_availability(
    *,
    membership: Membership,
    is_available: bool,
    acting_user: User | None,
    at: datetime,
    chats: int | None = None,
) -> AgentStatus:
    """An agent says whether she takes contacts now, and how many chats at once."""
    if chats is not None and not 1 <= chats <= 20:
        raise ValidationError({"max_chats": _("Choose between 1 and 20 chats at once.")})
    with transaction.atomic():
        status, _created = AgentStatus.objects.select_for_update().get_or_create(
            membership=membership, defaults={"org_id": membership.org_id, "changed_at": at}
        )
        status.is_available = is_available
        status.max_chats = chats or status.max_chats
        status.changed_at = at
        status.save()
        audit.record(
            action=AGENT_STATUS,
            actor=acting_user,
            org=membership.org,
            obj=status,
            at=at,
            fields=["is_available", *(["max_chats"] if chats else [])],
        )
    return status


def hotline_settings(org: Organisation) -> HotlineSettings:
    """The organisation's service level; the defaults (90 % within 15 s, at most 5 % abandoned) until set."""
    found = HotlineSettings.objects.filter(org=org).first()
    return found or HotlineSettings(org=org)


def set_service_level(
    *,
    org: Organisation,
    answer_seconds: int,
    answer_percent: int,
    abandon_percent: int,
    acting_user: User | None,
    at: datetime,
) -> HotlineSettings:
    """Set the answer target (e.g. 90 % within 15 s) and the highest acceptable abandonment rate."""
    if not 1 <= answer_seconds <= 3600:
        raise ValidationError({"answer_seconds": _("Choose between 1 and 3600 seconds.")})
    if not 1 <= answer_percent <= 100 or not 0 <= abandon_percent <= 100:
        raise ValidationError({"answer_percent": _("Percentages go from 0 to 100.")})
    settings = hotline_settings(org)
    settings.answer_seconds, settings.answer_percent = answer_seconds, answer_percent
    settings.abandon_percent = abandon_percent
    with transaction.atomic():
        settings.save()
        audit.record(
            action=HOTLINE_SETTINGS,
            actor=acting_user,
            org=org,
            obj=settings,
            at=at,
            fields=["answer_seconds", "answer_percent", "abandon_percent"],
        )
    return settings


# --- Callbacks ------------------------------------------------------------------------------------------


def schedule_callback(
    *,
    person: Person,
    channel: str,
    due_at: datetime,
    acting_user: User | None,
    at: datetime,
    purpose: str = "",
    assigned_to: Membership | None = None,
    contact: Contact | None = None,
) -> Callback:
    """Plan a call or message back to her, only as her safe-contact instructions allow it."""
    _acting_membership(acting_user, person.org_id)
    if due_at < at:
        raise ValidationError({"due_at": _("Choose a time in the future.")})
    if assigned_to is not None and (
        assigned_to.org_id != person.org_id or not assigned_to.role_enum.works_with_survivors
    ):
        raise ValidationError({"assigned_to": _("Choose a colleague who works with survivors.")})
    if contact is not None and contact.org_id != person.org_id:
        raise ValidationError({"contact": _("Choose a contact of your own organisation.")})
    if contact is not None and contact.person_id != person.pk:
        # The call would be recorded on the case of that contact: another woman's, read by her team.
        raise ValidationError(
            {"contact": _("This contact is not hers: schedule the callback from one of her contacts.")}
        )
    check_safe_callback(SafeContact.objects.filter(person=person).first(), channel, due_at)
    callback = Callback(
        org_id=person.org_id,
        person=person,
        channel=channel,
        due_at=due_at,
        assigned_to=assigned_to,
        contact=contact,
        created_at=at,
    )
    callback.purpose = purpose.strip()
    with transaction.atomic():
        callback.save()
        audit.record(
            action=CALLBACK_SCHEDULE,
            actor=acting_user,
            org=person.org,
            obj=callback,
            at=at,
            fields=["channel", "due_at", *(["purpose"] if callback.purpose else [])],
        )
    return callback


CALLBACK_MAX_MINUTES = 240
CALLBACK_OUTCOMES = frozenset(
    {
        Contact.Outcome.INFORMATION_GIVEN,
        Contact.Outcome.COUNSELLING,
        Contact.Outcome.REFERRAL,
        Contact.Outcome.DISPATCH,
    }
)
"""What a call back can end with; opening or linking a case is done from her file, not from a callback."""

CALLBACK_KINDS: dict[str, str] = {
    Callback.Channel.PHONE: Contact.Kind.OUTBOUND,
    Callback.Channel.SMS: Contact.Kind.SMS,
    Callback.Channel.WHATSAPP: Contact.Kind.WHATSAPP,
}


def complete_callback(
    *,
    callback: Callback,
    acting_user: User | None,
    at: datetime,
    reached: bool = True,
    outcome: str = "",
    summary: str = "",
    minutes: int | None = None,
) -> Contact:
    """Mark the callback made, once, and record the call as an outbound contact in the same transaction,
    so it shows on her case and counts in the figures. Returns that contact.

    Reached: she answered; the contact is answered `minutes` before `at` and ends at `at`, caller type
    survivor. Not reached: the contact ends unanswered (no answer time), with no caller type and the
    outcome "no conversation"; the callback is done all the same (the attempt was made), and the agent is
    offered to schedule another one.
    """
    membership = _acting_membership(acting_user, callback.org_id)
    if outcome and outcome not in CALLBACK_OUTCOMES:
        raise ValidationError({"outcome": _("Choose one of the outcomes of a call back.")})
    if not reached and (outcome or summary.strip()):
        raise ValidationError({"outcome": _("A call nobody answered has no outcome or summary.")})
    if minutes is not None and not 0 <= minutes <= CALLBACK_MAX_MINUTES:
        raise ValidationError(
            {
                "minutes": _("Give the length of the call in minutes, from 0 to %(most)s.")
                % {"most": CALLBACK_MAX_MINUTES}
            }
        )
    with transaction.atomic():
        locked: Callback = Callback.objects.select_for_update().get(pk=callback.pk)
        if locked.done_at is not None:
            raise ValidationError(_("This callback is already done."))
        locked.done_at, locked.done_by = at, acting_user
        locked.save(update_fields=["done_at", "done_by"])
        result = CallResult(reached, outcome, summary.strip(), minutes or 0)
        contact = _record_callback_contact(locked, membership, result, acting_user=acting_user, at=at)
        audit.record(
            action=CALLBACK_DONE,
            actor=acting_user,
            org=locked.person.org,
            obj=locked,
            at=at,
            fields=["done_at", "done_by"],
        )
    return contact


@dataclass(frozen=True)
class CallResult:
    reached: bool
    outcome: str
    summary: str
    minutes: int


def _record_callback_contact(
    callback: Callback, membership: Membership, result: CallResult, *, acting_user: User | None, at: datetime
) -> Contact:
    """The outbound contact of a callback: on her file, and on the case of the contact it came from."""
    source = callback.contact
    started = at - timedelta(minutes=result.minutes) if result.reached else at
    contact = Contact(
        org_id=callback.org_id,
        kind=CALLBACK_KINDS.get(callback.channel, Contact.Kind.OUTBOUND),
        direction=Contact.Direction.OUTBOUND,
        offered_at=started,
        answered_at=started if result.reached else None,
        ended_at=at,
        language=source.language if source else "",
        caller_type=Contact.CallerType.SURVIVOR if result.reached else "",
        outcome=result.outcome if result.reached else Contact.Outcome.NO_CONVERSATION,
        person=callback.person,
        case_id=source.case_id if source else None,
    )
    contact.summary = result.summary
    contact.full_clean(exclude=["categories", "person", "case"])
    contact.save()
    ContactAgent.objects.create(
        org_id=contact.org_id, contact=contact, membership=membership, joined_at=started, left_at=at
    )
    filled = [name for name in ("answered_at", "caller_type", "case") if getattr(contact, name)]
    audit.record(
        action=CALLBACK_CONTACT,
        actor=acting_user,
        org=callback.person.org,
        obj=contact,
        at=at,
        fields=[
            "kind",
            "direction",
            "offered_at",
            "ended_at",
            "outcome",
            "person",
            *filled,
            *_filled(contact, []),
        ],
    )
    return contact
