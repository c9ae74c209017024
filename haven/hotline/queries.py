"""Reads for the queue board and the supervisor's view: queues, agents' load, service-level clocks.

Everything here is derived from the contacts' timestamps; nothing is kept as a running counter that could
drift from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from haven.hotline.actions import hotline_settings
from haven.hotline.models import (
    CHAT_KINDS,
    AgentStatus,
    Callback,
    CallbackQuerySet,
    Contact,
    ContactAgent,
    HotlineSettings,
    supervises_hotline,
)
from haven.orgs.models import Membership, Organisation

SLA_WINDOW = timedelta(hours=24)
"""The supervisor's clocks measure the last 24 hours: a night's surge shows the next morning."""

_LANGUAGES = dict(settings.LANGUAGES)


@dataclass
class Queue:
    media: str
    language: str
    now: datetime
    contacts: list[Contact] = field(default_factory=list)

    @property
    def name(self) -> str:
        media = _("Chats") if self.media == "CHAT" else _("Calls")
        language = _LANGUAGES.get(self.language, _("language not known yet"))
        return f"{media} · {language}"

    @property
    def longest_wait(self) -> timedelta:
        return max((c.waited(self.now) for c in self.contacts), default=timedelta(0))


@dataclass
class AgentRow:
    membership: Membership
    is_available: bool
    calls: int
    chats: int
    max_chats: int

    @property
    def has_room(self) -> bool:
        return self.is_available and (self.calls == 0 or self.chats < self.max_chats)


def queues(org: Organisation, now: datetime) -> list[Queue]:
    """Waiting contacts by queue (calls or chats, by language), oldest first; the longest wait first."""
    found: dict[tuple[str, str], Queue] = {}
    for contact in Contact.objects.filter(org=org).waiting().order_by("offered_at"):
        media, language = contact.queue
        found.setdefault((media, language), Queue(media, language, now)).contacts.append(contact)
    return sorted(found.values(), key=lambda q: q.contacts[0].offered_at)


def agents(org: Organisation) -> list[AgentRow]:
    """Everyone who has set a hotline status, with the calls and chats she holds now."""
    statuses = AgentStatus.objects.filter(org=org, membership__is_active=True).select_related(
        "membership__user"
    )
    held = ContactAgent.objects.filter(org=org, left_at__isnull=True).values_list(
        "membership_id", "contact__kind"
    )
    load: dict[int, list[int]] = {}
    for membership_id, kind in held:
        counts = load.setdefault(membership_id, [0, 0])
        counts[1 if kind in CHAT_KINDS else 0] += 1
    rows = []
    for status in statuses:
        calls, chats = load.get(status.membership_id, [0, 0])
        rows.append(AgentRow(status.membership, status.is_available, calls, chats, status.max_chats))
    return sorted(rows, key=lambda row: (not row.is_available, row.membership.user.get_full_name()))


def my_contacts(membership: Membership) -> list[Contact]:
    return list(
        Contact.objects.filter(agents__membership=membership, agents__left_at__isnull=True).order_by(
            "answered_at"
        )
    )


@dataclass
class ServiceLevel:
    target: HotlineSettings
    offered: int
    answered_in_time: int
    abandoned: int
    waiting_too_long: int

    @property
    def answered_percent(self) -> float | None:
        return None if not self.offered else round(100 * self.answered_in_time / self.offered, 1)

    @property
    def abandoned_percent(self) -> float | None:
        return None if not self.offered else round(100 * self.abandoned / self.offered, 1)

    @property
    def answer_breached(self) -> bool:
        percent = self.answered_percent
        return percent is not None and percent < self.target.answer_percent

    @property
    def abandon_breached(self) -> bool:
        percent = self.abandoned_percent
        return percent is not None and percent > self.target.abandon_percent

    @property
    def breaches(self) -> list[str]:
        found = []
        if self.answer_breached:
            found.append(_("Fewer contacts answered in time than the target."))
        if self.abandon_breached:
            found.append(_("More contacts abandoned than the organisation accepts."))
        if self.waiting_too_long:
            found.append(_("Contacts are waiting longer than the answer target now."))
        return found


def service_level(org: Organisation, now: datetime) -> ServiceLevel:
    """Inbound contacts offered in the last 24 hours that are settled (answered or abandoned): the share
    answered within the target, the share abandoned; and how many are waiting past the target right now."""
    target = hotline_settings(org)
    limit = timedelta(seconds=target.answer_seconds)
    inbound = Contact.objects.filter(org=org, direction=Contact.Direction.INBOUND)
    recent = inbound.filter(offered_at__gte=now - SLA_WINDOW).filter(
        Q(answered_at__isnull=False) | Q(ended_at__isnull=False)
    )
    answered = recent.filter(answered_at__isnull=False).values_list("offered_at", "answered_at")
    return ServiceLevel(
        target=target,
        offered=recent.count(),
        answered_in_time=sum(1 for offered, answered_at in answered if answered_at - offered <= limit),
        abandoned=recent.filter(answered_at__isnull=True).count(),
        waiting_too_long=inbound.waiting().filter(offered_at__lt=now - limit).count(),
    )


def missed_callbacks(org: Organisation, now: datetime) -> list[Callback]:
    """Callbacks past their time and not done: a supervisor sees them all, whoever they were given to."""
    return list(Callback.objects.filter(org=org).missed(now).select_related("person", "assigned_to__user"))


def callbacks_to_make(user: Any, membership: Membership) -> CallbackQuerySet:
    """Callbacks not done yet, the earliest due first: a supervisor sees every one of the organisation;
    an agent hers and those nobody was given (they fall to whoever is on the hotline). The callbacks page
    and the API list both read this, so they cannot drift apart."""
    pending = Callback.objects.visible_to(user).filter(done_at__isnull=True).select_related("person")
    if not supervises_hotline(membership.role_enum):
        pending = pending.filter(Q(assigned_to__isnull=True) | Q(assigned_to=membership))
    return pending.order_by("due_at")
