"""The hotline: every interaction with a caller or a writer (a Contact), whatever the channel.

A contact's life is told by its timestamps only: offered (it reached us), queued, answered (an agent
picked it up) and ended. Whether it is waiting, in progress, closed or abandoned, its time to answer and
its handle time are all derived from them (`Contact.state`, `time_to_answer`, `handle_time`), never stored
a second time. Who handled it is a chain of `ContactAgent` rows: picking up opens the first, each transfer
ends one and opens the next. A contact's summary may describe a survivor: it is encrypted.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.cases.models import Case, manages_cases
from haven.channels.models import Channel
from haven.orgs.models import Membership, Organisation, OrgScopedQuerySet
from haven.orgs.roles import Role
from haven.people.models import Person, SafeContact
from haven.privacy.fields import EncryptedTextField

HOTLINE_ACTIONS = frozenset({"view", "change"})


def supervises_hotline(role: Role) -> bool:
    """Centre and shelter managers supervise the hotline as they supervise cases: SLA, missed callbacks."""
    return manages_cases(role)


class ContactQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ContactQuerySet:
        """Contacts of the acting organisation, for every role that works with survivors (any of them may
        answer the line in a small organisation); nobody else, nothing for an unknown action (fail closed).

        Who may act on a contact in progress (its current agent, or a supervisor) is checked by the verbs.
        """
        if action not in HOTLINE_ACTIONS:
            return self.none()
        return self.for_survivor_work(user)  # type: ignore[return-value]

    def waiting(self) -> ContactQuerySet:
        return self.filter(answered_at__isnull=True, ended_at__isnull=True)

    def in_progress(self) -> ContactQuerySet:
        return self.filter(answered_at__isnull=False, ended_at__isnull=True)


class Contact(models.Model):
    class Kind(models.TextChoices):
        VOICE = "VOICE", _("Phone call")
        SMS = "SMS", _("SMS")
        WHATSAPP = "WHATSAPP", _("WhatsApp")
        TELEGRAM = "TELEGRAM", _("Telegram")
        WEBCHAT = "WEBCHAT", _("Webchat")
        WALK_IN = "WALK_IN", _("Walk-in")
        OUTBOUND = "OUTBOUND", _("Outbound follow-up call")

    class Direction(models.TextChoices):
        INBOUND = "INBOUND", _("Inbound")
        OUTBOUND = "OUTBOUND", _("Outbound")

    class CallerType(models.TextChoices):
        SURVIVOR = "SURVIVOR", _("Survivor")
        THIRD_PARTY = "THIRD_PARTY", _("Someone calling on her behalf")
        INFORMATION_ONLY = "INFORMATION_ONLY", _("Information only")
        SILENT = "SILENT", _("Silent")
        HANG_UP = "HANG_UP", _("Hang-up")
        ABUSIVE = "ABUSIVE", _("Abusive")
        EMERGENCY = "EMERGENCY", _("Emergency")

    class Outcome(models.TextChoices):
        INFORMATION_GIVEN = "INFORMATION_GIVEN", _("Information given")
        COUNSELLING = "COUNSELLING", _("Counselling")
        REFERRAL = "REFERRAL", _("Referral")
        DISPATCH = "DISPATCH", _("Mobile team dispatched")
        CASE_OPENED = "CASE_OPENED", _("Case opened")
        CASE_LINKED = "CASE_LINKED", _("Linked to an existing case")
        NO_CONVERSATION = "NO_CONVERSATION", _("No conversation")

    class State(models.TextChoices):
        WAITING = "WAITING", _("Waiting")
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        CLOSED = "CLOSED", _("Closed")
        ABANDONED = "ABANDONED", _("Abandoned")
        NOT_REACHED = "NOT_REACHED", pgettext_lazy("an outbound call", "Not reached")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts")
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    kind = models.CharField(_("channel"), max_length=10, choices=Kind.choices, default=Kind.VOICE)
    # The channels app's blind index of who wrote or called (never the number itself): a second message
    # from the same sender joins her open contact instead of queueing again.
    sender_index = models.CharField(max_length=64, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INBOUND
    )
    offered_at = models.DateTimeField(_("offered at"))
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    caller_type = models.CharField(_("caller"), max_length=16, choices=CallerType.choices, blank=True)
    categories: models.ManyToManyField[ContactCategory, Any] = models.ManyToManyField(
        "ContactCategory", related_name="contacts", blank=True, verbose_name=_("categories")
    )
    summary = EncryptedTextField(_("summary"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=18, choices=Outcome.choices, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="hotline_contacts"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="hotline_contacts"
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-offered_at"]
        indexes = [
            models.Index(fields=["org", "ended_at", "answered_at"], name="contact_queue_idx"),
            models.Index(fields=["channel", "sender_index", "ended_at"], name="contact_sender_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True)
                | models.Q(answered_at__gte=models.F("offered_at")),
                name="contact_answered_after_offered",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("offered_at")),
                name="contact_ended_after_offered",
            ),
            models.CheckConstraint(
                condition=models.Q(queued_at__isnull=True) | models.Q(queued_at__gte=models.F("offered_at")),
                name="contact_queued_after_offered",
            ),
        ]

    def __str__(self) -> str:
        return f"contact {self.pk}"

    @property
    def state(self) -> str:
        if self.ended_at is None:
            return self.State.WAITING if self.answered_at is None else self.State.IN_PROGRESS
        if self.answered_at is not None:
            return self.State.CLOSED
        # Our call that nobody picked up: she did not abandon anything, and it is no lapse of the line's.
        return self.State.NOT_REACHED if self.direction == self.Direction.OUTBOUND else self.State.ABANDONED

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_chat(self) -> bool:
        """Chats are written: an agent holds several at once, against one call."""
        return self.kind in CHAT_KINDS

    @property
    def time_to_answer(self) -> timedelta | None:
        """From the moment it reached us to the moment an agent picked it up."""
        return None if self.answered_at is None else self.answered_at - self.offered_at

    @property
    def handle_time(self) -> timedelta | None:
        if self.answered_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.answered_at

    def waited(self, now: datetime) -> timedelta:
        """How long it has waited (or waited, if it was answered or abandoned)."""
        return (self.answered_at or self.ended_at or now) - self.offered_at

    @property
    def queue(self) -> tuple[str, str]:
        """Its queue: calls or chats, in a language (blank: not known yet). Agents take calls and chats
        differently (one call, several chats) and answer in the languages they speak."""
        return ("CHAT" if self.is_chat else "CALL", self.language)


CHAT_KINDS = frozenset({Contact.Kind.SMS, Contact.Kind.WHATSAPP, Contact.Kind.TELEGRAM, Contact.Kind.WEBCHAT})


class ContactAgent(models.Model):
    """An agent's stretch on a contact: from picking it up (or receiving it by transfer) to handing it on
    or closing it. The chain of rows is the contact's transfer history."""

    class Transfer(models.TextChoices):
        WARM = "WARM", _("Warm transfer (introduced to the next agent)")
        COLD = "COLD", _("Cold transfer (handed over without introduction)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="agents")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="hotline_stretches")
    # Blank for the agent who picked the contact up; WARM or COLD for one who received it by transfer.
    transfer = models.CharField(_("transfer"), max_length=4, choices=Transfer.choices, blank=True)
    # A warm transfer's briefing may describe her: encrypted.
    briefing = EncryptedTextField(_("briefing"), blank=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=models.Q(left_at__isnull=True), name="contact_one_current_agent"
            ),
            models.CheckConstraint(
                condition=models.Q(left_at__isnull=True) | models.Q(left_at__gte=models.F("joined_at")),
                name="contact_agent_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} on {self.contact_id}"


class ContactCategoryQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ContactCategoryQuerySet:
        return self.for_survivor_work(user)  # type: ignore[return-value]


class ContactCategory(models.Model):
    """What a contact was about, in two levels (e.g. "Violence reported" > "Physical violence").

    Data, not code: each organisation has its own taxonomy, seeded with a default one on first use.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ContactCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="contact_category_code_once"),
        ]

    def __str__(self) -> str:
        return self.name


class AgentStatus(models.Model):
    """Whether an agent takes contacts now, and how many chats she holds at once (always one call)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="hotline_status")
    is_available = models.BooleanField(_("available"), default=False)
    max_chats = models.PositiveSmallIntegerField(_("chats at once"), default=3)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_chats__gte=1, max_chats__lte=20), name="agent_chats_between_1_and_20"
            ),
        ]

    def __str__(self) -> str:
        return f"status of {self.membership_id}"


class HotlineSettings(models.Model):
    """The organisation's service level: answer `answer_percent` % of contacts within `answer_seconds`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="hotline_settings")
    answer_seconds = models.PositiveIntegerField(_("answer within (seconds)"), default=15)
    answer_percent = models.PositiveSmallIntegerField(_("share answered in time (%)"), default=90)
    abandon_percent = models.PositiveSmallIntegerField(_("highest acceptable abandonment (%)"), default=5)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer_percent__lte=100, abandon_percent__lte=100, answer_seconds__gte=1),
                name="hotline_settings_percentages",
            ),
        ]

    def __str__(self) -> str:
        return f"hotline settings of {self.org_id}"


class CallbackQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> CallbackQuerySet:
        """Callbacks of the acting organisation, for roles that work with survivors (fail closed)."""
        if action not in HOTLINE_ACTIONS:
            return self.none()
        return self.for_survivor_work(user)  # type: ignore[return-value]

    def missed(self, now: datetime) -> CallbackQuerySet:
        return self.filter(done_at__isnull=True, due_at__lt=now)


class Callback(models.Model):
    """A call or message back to her at a set time, on the channel her safe-contact instructions allow."""

    class Channel(models.TextChoices):
        PHONE = SafeContact.Channel.PHONE.value, _("Phone call")
        SMS = SafeContact.Channel.SMS.value, _("Text message")
        WHATSAPP = SafeContact.Channel.WHATSAPP.value, _("WhatsApp")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="hotline_callbacks")
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="callbacks"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    due_at = models.DateTimeField(_("when"))
    # Empty: whoever is on the hotline when it falls due.
    assigned_to = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="hotline_callbacks"
    )
    purpose = EncryptedTextField(_("what it is about"), blank=True)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CallbackQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"callback {self.pk}"
