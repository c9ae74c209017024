"""Documents drafted from the organisation's templates: templates and their versions, drafts and theirs.

A `DocumentTemplate` is an organisation's form for one kind of document in one language (an application
for a protection order in Bengali, a complaint to the police in Persian...). Its text lives in
`TemplateVersion`s: editing a template adds a version, and a draft keeps the version it was made from, so
changing a template never changes a document already drafted. Template text is the organisation's own
wording with placeholders (`{{survivor.name}}`, see `catalogue.py`): it names nobody, so it is kept in clear.

A `Draft` is one document for one case (and, optionally, one legal matter): its text is filled from the
case and from what the lawyer typed, then edited; every save is a `DraftVersion` whose text is encrypted
(it names her, the man she complains about, her address for service). Its status moves only through the
verbs in `actions.py`, each recording a `DraftTransition`:

    DRAFT → IN_REVIEW → APPROVED
                      → RETURNED (with the reviewer's comment) → DRAFT (by saving a new version)

Access (one rule per model, failing closed): templates are read by those who manage them or draft from
them, in their organisation, and changed by `TEMPLATE_MANAGERS`; drafts, their versions and transitions
are visible to whoever may see their case (`CaseQuerySet.visible_to`).
"""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.cases.models import Case
from haven.orgs.models import Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import Role
from haven.privacy.fields import EncryptedTextField

TEMPLATE_MANAGERS = frozenset({Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.LAWYER})
"""Who writes and changes the organisation's templates (and installs the examples)."""
DRAFTERS = frozenset({Role.LAWYER, Role.CENTRE_MANAGER, Role.CASEWORKER})
"""Who drafts a document on a case they may see, edits it and sends it for review."""
REVIEWERS = frozenset({Role.LAWYER, Role.CENTRE_MANAGER})
"""Who approves a draft or returns it: never its own author."""
TEMPLATE_READERS = TEMPLATE_MANAGERS | DRAFTERS

DRAFT_ACTIONS = frozenset({"view", "change"})


class DocumentKind(models.TextChoices):
    PROTECTION_ORDER = "PROTECTION_ORDER", _("Application for a protection order")
    POLICE_COMPLAINT = "POLICE_COMPLAINT", _("Complaint to the police")
    MAINTENANCE_CLAIM = "MAINTENANCE_CLAIM", _("Maintenance claim")
    OTHER = "OTHER", pgettext_lazy("kind of document", "Other")


class DocumentTemplateQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """The organisation's templates: read by `TEMPLATE_READERS`, changed by `TEMPLATE_MANAGERS`;
        nobody else, and nothing for an unknown action (fail closed)."""
        membership = membership_of(user)
        if membership is None:
            return self.none()
        allowed = {"view": TEMPLATE_READERS, "change": TEMPLATE_MANAGERS}.get(action, frozenset())
        if membership.role_enum not in allowed:
            return self.none()
        return self.filter(org_id=membership.org_id)


class DocumentTemplate(models.Model):
    """An organisation's template for one kind of document in one language; its text is in versions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # The title and number of the newest version, kept here so that lists need no join.
    title = models.CharField(_("title"), max_length=200)
    current_number = models.PositiveIntegerField(default=1, editable=False)
    # Set on the templates installed from haven/documents/examples/: installing them again adds nothing.
    example_key = models.CharField(max_length=40, blank=True, editable=False)
    is_active = models.BooleanField(_("offered for new drafts"), default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DocumentTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "language", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "example_key", "language"],
                condition=~Q(example_key=""),
                name="documents_example_once_per_language",
            ),
        ]

    def __str__(self) -> str:
        return f"template {self.kind} {self.language} v{self.current_number}"

    @property
    def current_version(self) -> TemplateVersion:
        return self.versions.get(number=self.current_number)


class TemplateVersion(models.Model):
    """One wording of a template. Never changed once written: a draft points at the one it came from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(DocumentTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="documents_template_version_once"),
        ]

    def __str__(self) -> str:
        return f"template {self.template_id} v{self.number}"


class DraftQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Drafts of the cases the user may see (the case rule, same action); nothing for an unknown
        action (fail closed)."""
        if action not in DRAFT_ACTIONS:
            return self.none()
        return self.filter(case__in=Case.objects.visible_to(user, action))


class Draft(models.Model):
    """A document drafted for a case from a template version; its text is in `DraftVersion`s."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", pgettext_lazy("document status", "Draft")
        IN_REVIEW = "IN_REVIEW", pgettext_lazy("document status", "Waiting for review")
        APPROVED = "APPROVED", pgettext_lazy("document status", "Approved")
        RETURNED = "RETURNED", pgettext_lazy("document status", "Returned for changes")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="document_drafts")
    matter = models.ForeignKey(
        "legal.Matter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_drafts",
        verbose_name=_("legal matter"),
    )
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="drafts")
    # Copied from the template version: what the document is and the language it is written in.
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_number = models.PositiveIntegerField(default=1, editable=False)
    # The version the reviewer approved: the one printed without the "draft" mark.
    approved_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="APPROVED", approved_number__isnull=False)
                | (~Q(status="APPROVED") & Q(approved_number__isnull=True)),
                name="documents_draft_approved_version_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"document draft {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def current_version(self) -> DraftVersion:
        return self.versions.get(number=self.current_number)


class DraftRecordQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Rows under a draft follow the draft (`DraftQuerySet.visible_to`)."""
        return self.filter(draft__in=Draft.objects.visible_to(user, action))


class DraftVersion(models.Model):
    """One saved text of a draft. The text names her and others: encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = EncryptedTextField(_("text"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DraftRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="documents_draft_version_once"),
        ]

    def __str__(self) -> str:
        return f"draft {self.draft_id} v{self.number}"


class DraftTransition(models.Model):
    """One move of a draft's status: who, when, from, to, and the reviewer's comment (encrypted)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Draft.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Draft.Status.choices)
    version_number = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = EncryptedTextField(_("comment"), blank=True)

    objects = DraftRecordQuerySet.as_manager()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.draft_id}"
