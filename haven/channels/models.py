"""How people reach an organisation: its phone numbers, WhatsApp business numbers, Telegram bots and
webchat, configured in the UI, and the messages that come in and go out through them.

A channel belongs to one organisation. Its provider credentials are secrets (encrypted at rest); its public
address (a phone number, a bot's name) is not about any survivor and is stored plainly.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Organisation, OrgScopedQuerySet


class ChannelQuerySet(OrgScopedQuerySet):
    pass


class Channel(models.Model):
    class Kind(models.TextChoices):
        VOICE = "VOICE", _("Phone line")
        SMS = "SMS", _("SMS")
        WHATSAPP = "WHATSAPP", _("WhatsApp")
        TELEGRAM = "TELEGRAM", _("Telegram")
        WEBCHAT = "WEBCHAT", _("Webchat")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="channels")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
