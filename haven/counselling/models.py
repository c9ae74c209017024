"""Individual counselling sessions and their confidential notes.

A `CounsellingSession` is one psychological, trauma or crisis counselling session with a survivor, held
by a counsellor on her case team, in person, by phone or online, in a given language. Each session is
also a service of the case (`cases.CaseService`, recorded in the same transaction), so that what she
received is counted with every other service.

Whoever may see the case sees that a session took place (when, what kind, how, with whom, how long).
The session's notes are the counsellor's: encrypted, readable only by the counsellor who held it and by
the roles the organisation grants in its `NotesAccess` setting (nobody else by default), every reading
audited. Only that counsellor writes them; an amendment keeps the text it replaces as a
`NotesRevision`, so nothing she wrote before silently disappears.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import global_settings, settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import ServiceKind
from haven.cases.models import Case, CaseService
from haven.orgs.models import Membership, Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import Role
from haven.privacy.fields import EncryptedTextField

SESSION_ACTIONS = frozenset({"view"})
"""The actions `visible_to` knows; changing notes is decided by the verbs (only their counsellor)."""

MAX_DURATION_MINUTES = 8 * 60
LANGUAGE_NAMES: dict[str, str] = dict(global_settings.LANGUAGES)


class SessionKind(models.TextChoices):
    PSYCHOLOGICAL = "PSYCHOLOGICAL", _("Psychological counselling")
    TRAUMA = "TRAUMA", _("Trauma counselling")
    CRISIS = "CRISIS", _("Crisis counselling")


class Modality(models.TextChoices):
    IN_PERSON = "IN_PERSON", pgettext_lazy("counselling modality", "In person")
    PHONE = "PHONE", pgettext_lazy("counselling modality", "By phone")
    ONLINE = "ONLINE", pgettext_lazy("counselling modality", "Online")


SERVICE_OF_KIND: dict[str, ServiceKind] = {
    SessionKind.PSYCHOLOGICAL: ServiceKind.MENTAL_HEALTH,
    SessionKind.TRAUMA: ServiceKind.MENTAL_HEALTH,
    SessionKind.CRISIS: ServiceKind.CRISIS_COUNSELLING,
}
"""The catalogue service each kind of session is counted as."""


class CounsellingSessionQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> CounsellingSessionQuerySet:
        """Sessions on the cases the user may see (the case rule); nothing for any other action (fail
        closed). Seeing a session is not reading its notes: see `may_read_notes`."""
        if action not in SESSION_ACTIONS:
            return self.none()
        return self.filter(case__in=Case.objects.visible_to(user, action))


class CounsellingSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="counselling_sessions")
    service = models.OneToOneField(
        CaseService, on_delete=models.PROTECT, related_name="counselling_session", editable=False
    )
    kind = models.CharField(_("kind of counselling"), max_length=16, choices=SessionKind.choices)
    counsellor = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="counselling_sessions",
        verbose_name=_("counsellor"),
    )
    modality = models.CharField(_("how"), max_length=10, choices=Modality.choices)
    language = models.CharField(_("language of the session"), max_length=16)
    starts_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    notes = EncryptedTextField(_("session notes"), blank=True)
    notes_written_at = models.DateTimeField(null=True, blank=True)
    next_session_on = models.DateField(_("next session planned for"), null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CounsellingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["counsellor", "-starts_at"], name="counselling_by_counsellor")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=MAX_DURATION_MINUTES),
                name="counselling_duration_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"counselling session {self.pk}"

    @property
    def has_notes(self) -> bool:
        return self.notes_written_at is not None

    @property
    def language_label(self) -> str:
        """The language's name in the reader's language (Django translates its own list)."""
        name = LANGUAGE_NAMES.get(self.language)
        return gettext(name) if name else self.language


class NotesRevision(models.Model):
    """A text of a session's notes that an amendment replaced (encrypted like the notes)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(CounsellingSession, on_delete=models.CASCADE, related_name="revisions")
    notes = EncryptedTextField(_("earlier notes"))
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self) -> str:
        return f"notes revision {self.pk}"


class NotesAccessQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> NotesAccessQuerySet:
        """The setting of the acting organisation, for those who manage it; nobody else."""
        membership = membership_of(user)
        if membership is None or action not in {"view", "change"} or not membership.role_enum.manages_org:
            return self.none()
        return self.filter(org_id=membership.org_id)


class NotesAccess(models.Model):
    """Which roles of the organisation, besides the session's own counsellor, read counselling notes.

    No row, or an empty list, means nobody else. Only roles that work with survivors can be granted,
    and they still read only the sessions of cases they may see.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="+")
    roles = models.JSONField(_("roles that read counselling notes"), default=list, blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NotesAccessQuerySet.as_manager()

    def __str__(self) -> str:
        return f"notes access of {self.org_id}"


def granted_roles(org_id: Any) -> frozenset[Role]:
    """The roles an organisation lets read counselling notes (none by default)."""
    access = NotesAccess.objects.filter(org_id=org_id).only("roles").first()
    if access is None:
        return frozenset()
    return frozenset(Role(code) for code in access.roles if code in Role.values)


def may_read_notes(session: CounsellingSession, user: Any, granted: frozenset[Role] | None = None) -> bool:
    """The session's counsellor, and members of the session's organisation in a granted role.

    The caller has fetched the session through `visible_to`, so the case rule already holds. Pass
    `granted` when checking many sessions, to read the setting once.
    """
    membership = membership_of(user)
    if membership is None or membership.org_id != session.org_id:
        return False
    if membership.pk == session.counsellor_id:
        return True
    roles = granted if granted is not None else granted_roles(session.org_id)
    return membership.role_enum in roles
