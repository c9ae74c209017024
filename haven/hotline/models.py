"""The hotline: every interaction with a caller or a writer (a Contact), whatever the channel.

This is the seed of the app; the contact's timestamps, caller type, categories, outcome and links are added
with the hotline work. A contact's summary may describe a survivor: it is encrypted.
"""

from __future__ import annotations

import uuid

from django.db import models

from haven.channels.models import Channel
from haven.orgs.models import Organisation, OrgScopedQuerySet


class ContactQuerySet(OrgScopedQuerySet):
    pass


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts")
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    offered_at = models.DateTimeField()

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-offered_at"]

    def __str__(self) -> str:
        return f"contact {self.pk}"
