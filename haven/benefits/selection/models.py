"""Selection: documents attached to applications, application transitions, selection lists per union and
period with their entries, the committee that reviewed them, and the objections the public raised.

A list moves DRAFT → IN_REVIEW → PUBLISHED → FINAL, only through the verbs in `actions.py`, each move a
`SelectionListTransition` row. The draft is built in one `INSERT … SELECT` from the union's ELIGIBLE
applications ranked by priority score, as many as the quota has places; the committee records who sat and
decides each entry (include or exclude, with a reason); the published list is posted on a public notice
page with an objection window; finalising enrols the included women.

What the public notice shows (decided for Haven, see `public_entries`): the rank, the registry number and
the initials of her name — never the name, the NID or the village. Neighbours who know her recognise her
from the initials and her registry card; a stranger, or a violent husband searching the web, learns nothing
that locates her. Objections name the registry number.

Encrypted: a document's bytes and file name, the committee members' names, the reasons for a decision on
an entry (they speak about her), and everything an objector writes or says about herself.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.benefits.models import Application, Programme, ProgrammeScopedQuerySet, Quota
from haven.orgs.models import Area, Organisation
from haven.privacy.fields import EncryptedTextField


class ApplicationDocument(models.Model):
    """A scanned paper that goes with an application. The bytes are base64 inside an encrypted column:
    Haven has no encrypted file store, and these files are small (see `actions.MAX_DOCUMENT_BYTES`)."""

    class Kind(models.TextChoices):
        NID_COPY = "NID_COPY", _("Copy of the national ID card")
        BIRTH_CERTIFICATE = "BIRTH_CERTIFICATE", _("Birth certificate")
        CERTIFICATE = "CERTIFICATE", _("Certificate from the union chairman")
        MEDICAL = "MEDICAL", _("Medical certificate (pregnancy)")
        PHOTO = "PHOTO", _("Photograph")
        OTHER = "OTHER", _("Other paper")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind of paper"), max_length=20, choices=Kind.choices)
    file_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    content = EncryptedTextField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class ApplicationTransition(models.Model):
    """One move of an application's status: who, when, from, to, why (a code, never a sentence about her)."""

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason_code = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.application_id}"


class SelectionList(models.Model):
    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        IN_REVIEW = "IN_REVIEW", _("Committee review")
        PUBLISHED = "PUBLISHED", _("Published for objections")
        FINAL = "FINAL", _("Final")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="selection_lists")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    # One list per quota: the quota says the union, the period and how many may be included.
    quota = models.OneToOneField(Quota, on_delete=models.PROTECT, related_name="selection_list")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    committee_name = models.CharField(_("committee"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("committee met on"), null=True, blank=True)
    objections_end_on = models.DateField(_("objections until"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.area_id} {self.status}"

    @property
    def is_public(self) -> bool:
        return self.status in {self.Status.PUBLISHED, self.Status.FINAL}


class SelectionListTransition(models.Model):
    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    selection_list = models.ForeignKey(SelectionList, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.selection_list_id}"


class SelectionEntry(models.Model):
    """One application on a list, its rank and the committee's decision. An application is on one list."""

    class Decision(models.TextChoices):
        PENDING = "PENDING", _("Not decided yet")
        INCLUDE = "INCLUDE", _("Included")
        EXCLUDE = "EXCLUDE", _("Excluded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    selection_list = models.ForeignKey(SelectionList, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="selection_entry")
    rank = models.PositiveIntegerField(_("rank"))
    priority_score = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    # Null until decided: the draft's rows are inserted by SQL, which cannot seal a value.
    reason = EncryptedTextField(_("reason"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["selection_list", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["selection_list", "rank"], name="selection_entry_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.selection_list_id} #{self.rank}"


class CommitteeMember(models.Model):
    """Someone who sat on the committee that reviewed a list: name (encrypted), institution and role."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    selection_list = models.ForeignKey(
        SelectionList, on_delete=models.CASCADE, related_name="committee_members"
    )
    name = EncryptedTextField(_("name"))
    institution = models.CharField(_("institution"), max_length=200)
    role_on_committee = models.CharField(_("role on the committee"), max_length=120)
    was_present = models.BooleanField(_("present"), default=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["institution"]

    def __str__(self) -> str:
        return f"{self.institution} ({self.role_on_committee})"


class Objection(models.Model):
    """An objection to a published list: about a woman on it, or about one left out. Anyone may object,
    anonymously if they wish; a programme officer decides each before the list can be final."""

    class About(models.TextChoices):
        ENTRY = "ENTRY", _("Someone on the list should not be on it")
        OMISSION = "OMISSION", _("Someone was left out")

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Waiting for a decision")
        UPHELD = "UPHELD", _("Upheld")
        REJECTED = "REJECTED", _("Rejected")

    class Channel(models.TextChoices):
        PUBLIC = "PUBLIC", _("Public notice page")
        OFFICER = "OFFICER", _("Taken by an officer")
        API = "API", _("Through another system")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    selection_list = models.ForeignKey(SelectionList, on_delete=models.PROTECT, related_name="objections")
    about = models.CharField(_("about"), max_length=8, choices=About.choices)
    entry = models.ForeignKey(
        SelectionEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="objections"
    )
    # An omission may name the application left out, once an officer has found it.
    omitted_application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(_("objection"))
    objector_name = EncryptedTextField(_("name of the person objecting"), blank=True)
    objector_contact = EncryptedTextField(_("how to reach them"), blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    received_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    decision_reason = EncryptedTextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(about="OMISSION") | Q(entry__isnull=False), name="objection_entry_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.about} {self.status} {self.pk}"


def list_queryset() -> Any:
    return SelectionList.objects.select_related("programme", "area", "quota")
