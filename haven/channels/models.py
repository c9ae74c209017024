"""How people reach an organisation: its phone numbers, WhatsApp business numbers, Telegram bots and
webchat, configured in the UI, and the messages that come in and go out through them.

A channel belongs to one organisation. Its provider credentials are secrets (encrypted at rest); its public
address (a phone number, a bot's name) is not about any survivor and is stored plainly. Who wrote in is:
the sender is encrypted and looked up through a blind index.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Organisation, OrgScopedQuerySet, membership_of
from haven.privacy.fields import EncryptedTextField

CHANNEL_ACTIONS = frozenset({"view", "change"})
"""Setting a channel up; "send" (writing to someone through it) is the other action `visible_to` knows."""


class ChannelQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ChannelQuerySet:
        """Channels of the acting organisation: set up ("view", "change") by roles that manage the
        organisation or its sites; used to "send" by roles that work with survivors, while active.

        Nobody else, and nothing for an unknown action (fail closed).
        """
        membership = membership_of(user)
        if membership is None:
            return self.none()
        role = membership.role_enum
        if action == "send" and role.works_with_survivors:
            return self.filter(org_id=membership.org_id, is_active=True)
        if action in CHANNEL_ACTIONS and role.manages_sites:
            return self.filter(org_id=membership.org_id)
        return self.none()


class Channel(models.Model):
    class Kind(models.TextChoices):
        VOICE = "VOICE", _("Phone line")
        SMS = "SMS", _("SMS")
        WHATSAPP = "WHATSAPP", _("WhatsApp")
        TELEGRAM = "TELEGRAM", _("Telegram")
        WEBCHAT = "WEBCHAT", _("Webchat")

    class Provider(models.TextChoices):
        TWILIO = "TWILIO", _("Twilio")
        META = "META", _("Meta WhatsApp Cloud API")
        TELEGRAM = "TELEGRAM", _("Telegram Bot API")
        HAVEN = "HAVEN", _("Haven webchat")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="channels")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices, default="HAVEN")
    # The number or bot name people write to; public, so plain.
    address = models.CharField(_("public address"), max_length=120, blank=True)
    # Twilio's Account SID or Meta's phone number id: identifiers, not secrets.
    provider_account = models.CharField(_("provider account"), max_length=120, blank=True)
    # Verifies inbound webhooks: Twilio auth token, Meta app secret, Telegram secret token.
    webhook_secret = EncryptedTextField(_("webhook secret"), null=True, blank=True)
    # Meta's verify token, echoed back during the subscription handshake.
    verify_token = EncryptedTextField(_("verify token"), null=True, blank=True)
    # Sends outbound messages: Meta access token, Telegram bot token (Twilio uses its auth token).
    api_token = EncryptedTextField(_("API token"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    always_open = models.BooleanField(_("open around the clock"), default=True)
    # {"0": [["09:00", "17:00"]], …}: weekday (Monday = 0) → opening intervals; see hours.py.
    weekly_hours = models.JSONField(_("weekly hours"), default=dict, blank=True)
    # ISO dates on which the channel is closed all day.
    holidays = models.JSONField(_("holidays"), default=list, blank=True)
    # Language code → the message sent to someone who writes or calls outside opening hours.
    closed_messages = models.JSONField(_("message outside hours"), default=dict, blank=True)
    # WhatsApp message templates approved by Meta: the only messages allowed outside the 24-hour window.
    approved_templates = models.JSONField(_("approved templates"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InboundEventQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> InboundEventQuerySet:
        """Raw inbound events are plumbing: people read them through hotline contacts, never directly."""
        return self.none()


class InboundEvent(models.Model):
    """One message, call or delivery status as a provider delivered it, stored before anything else runs.

    The unique constraint on (channel, sender, provider message id) absorbs the retries and replays that
    every provider sends; processing then happens in a task, in order per sender.
    """

    class Kind(models.TextChoices):
        MESSAGE = "MESSAGE", _("Message")
        CALL = "CALL", _("Call")
        STATUS = "STATUS", _("Delivery status")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="inbound_events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sender_index = models.CharField(max_length=64)
    sender = EncryptedTextField(_("sender"))
    provider_message_id = models.CharField(max_length=200)
    body = EncryptedTextField(_("text"), blank=True, default="")
    payload = EncryptedTextField(_("provider payload"))
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    # Failed tries to hand the event on. After MAX_ATTEMPTS it is set aside (`processed_at` set,
    # `gave_up` true) so the sender's later messages are not stuck behind it for ever.
    attempts = models.PositiveSmallIntegerField(default=0)
    gave_up = models.BooleanField(default=False)

    objects = InboundEventQuerySet.as_manager()

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "sender_index", "provider_message_id"], name="inbound_event_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["channel", "sender_index", "processed_at", "received_at"], name="inbound_event_queue"
            ),
            # The supervisors' board counts these on every refresh; they are few among millions.
            models.Index(fields=["org"], condition=models.Q(gave_up=True), name="inbound_event_set_aside"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class OutboundMessageQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> OutboundMessageQuerySet:
        """Like inbound events, read through the hotline's contacts only."""
        return self.none()


class OutboundMessage(models.Model):
    """A message Haven sent (or a provider accepted) on a channel, with the template when it used one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="outbound_messages")
    recipient_index = models.CharField(max_length=64)
    recipient = EncryptedTextField(_("recipient"))
    body = EncryptedTextField(_("text"), blank=True, default="")
    template = models.CharField(_("template"), max_length=120, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    # The "we are closed" answer, sent by Haven itself; counted so that she is told only once a night.
    is_closed_notice = models.BooleanField(default=False)
    sent_at = models.DateTimeField()

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at"]
        indexes = [
            models.Index(fields=["channel", "recipient_index", "sent_at"], name="outbound_by_recipient")
        ]

    def __str__(self) -> str:
        return f"outbound {self.pk}"
