"""The perpetrator programme: a file per participant (a man who asked for help with his anger, or was sent
by a court), his sessions, his ODARA assessments and how the programme ended for him.

Kept apart from survivors. No model here relates to anything that can find a woman: not people, cases,
shelters, the hotline, dispatch, referrals, risk screens or channels. The only relations are to the
organisation, to staff memberships and to user accounts. `tests/test_separation.py` holds that line.

Who sees a file: the programme's team, of the organisation the participant belongs to. The team is every
member whose role is `PERPETRATOR_WORKER`, plus members of other roles an organisation administrator adds
(`ProgrammeTeamMember`), e.g. a psychologist who counsels victims and perpetrators alike. Nobody else,
organisation administrators included: they manage the team, and read files only when they are on it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.orgs.models import Membership, Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import Role
from haven.privacy.fields import EncryptedTextField

ACTIONS = frozenset({"view", "change"})

TEAM_ROLES: frozenset[Role] = frozenset({Role.PERPETRATOR_WORKER})
"""Roles that are on the programme's team by their role alone."""


class TeamMemberQuerySet(OrgScopedQuerySet):
    def active(self) -> TeamMemberQuerySet:
        return self.filter(removed_at__isnull=True)

    def visible_to(self, user: Any, action: str = "view") -> TeamMemberQuerySet:
        """Organisation administrators see and change the team; the team sees who else is on it."""
        membership = membership_of(user)
        if membership is None or action not in ACTIONS:
            return self.none()
        scoped = self.filter(org_id=membership.org_id)
        if membership.role_enum.manages_org:
            return scoped
        return scoped if action == "view" and on_team(membership) else self.none()


class ProgrammeTeamMember(models.Model):
    """A member of another role added to the programme's team. Removal keeps the row as history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(removed_at__isnull=True),
                name="perpetrators_team_one_active_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"programme team member {self.pk}"


def on_team(membership: Membership | None) -> bool:
    """Whether this membership works in the programme: by its role, or added to the team and still on it.

    Fails closed: no membership, an inactive one, or anything else is off the team.
    """
    if membership is None or not membership.is_active:
        return False
    if membership.role_enum in TEAM_ROLES:
        return True
    return ProgrammeTeamMember.objects.active().filter(membership=membership).exists()


def team_scope(user: Any, action: str) -> Q | None:
    """The rule for every programme file: the team of the acting organisation; None for anyone else."""
    membership = membership_of(user)
    if action not in ACTIONS or not on_team(membership):
        return None
    assert membership is not None
    return Q(org_id=membership.org_id)


class ProgrammeQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ProgrammeQuerySet:
        """Only the programme's team of the organisation sees and changes these rows (fails closed)."""
        scope = team_scope(user, action)
        return self.none() if scope is None else self.filter(scope)


class Participant(models.Model):
    """A man in the programme. Known on lists by his code; his name and phone only on his file."""

    class ReferralSource(models.TextChoices):
        SELF = "SELF", _("He came himself")
        COURT = "COURT", _("Court-mandated")
        POLICE = "POLICE", _("Police")
        PROBATION = "PROBATION", _("Probation service")
        SOCIAL_SERVICES = "SOCIAL_SERVICES", _("Social services")
        OTHER = "OTHER", pgettext_lazy("referral source", "Other")

    class Status(models.TextChoices):
        INTAKE = "INTAKE", _("Intake")
        ACTIVE = "ACTIVE", pgettext_lazy("participant status", "In the programme")
        COMPLETED = "COMPLETED", _("Completed")
        DROPPED_OUT = "DROPPED_OUT", _("Dropped out")
        EXCLUDED = "EXCLUDED", _("Excluded")

    CLOSED = (Status.COMPLETED, Status.DROPPED_OUT, Status.EXCLUDED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # "P-2026-0003": the year he joined and a number; it names no one.
    code = models.CharField(_("code"), max_length=20, editable=False)
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    referral_source = models.CharField(_("referred by"), max_length=20, choices=ReferralSource.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.INTAKE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="perpetrators_participant_unique_code"),
        ]
        indexes = [models.Index(fields=["org", "status"], name="perp_participant_status")]

    def __str__(self) -> str:
        return self.code or f"participant {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class ParticipantTransition(models.Model):
    """One move of a participant's status: who, when, from, to and why. Written only by the verbs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Participant.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Participant.Status.choices)
    # The reason may describe him ("threatened the group facilitator"): encrypted.
    reason = EncryptedTextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class ProgrammeSession(models.Model):
    """One individual or group session of his, and whether he came."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "INDIVIDUAL", _("Individual session")
        GROUP = "GROUP", _("Group session")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    facilitator = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )
    attended = models.BooleanField(_("he attended"))
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"programme session {self.pk}"


class OdaraAssessment(models.Model):
    """One ODARA, asked with one version of the instrument and scored by the shared engine
    (`haven/risk/scoring.py`). Never rescored in place. The answers are about his history; the instrument
    has no item that names a victim, and no answer outside its items is accepted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="assessments")
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    # JSON of the cleaned answers: his criminal and violent history, encrypted.
    answers = EncryptedTextField(_("answers"))
    score = models.PositiveSmallIntegerField(_("score"))
    level = models.CharField(_("category"), max_length=30)
    rule = models.CharField(_("rule"), max_length=60)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"))

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"ODARA {self.pk}"

    @property
    def answer_data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.answers or "{}")
        return data


class Completion(models.Model):
    """How the programme ended for a man who went through it. One per participant."""

    class Outcome(models.TextChoices):
        CHANGE_OBSERVED = "CHANGE_OBSERVED", _("Completed, with a clear change in his behaviour")
        SOME_CHANGE = "SOME_CHANGE", _("Completed, with some change")
        NO_CHANGE = "NO_CHANGE", _("Completed, without a change we could see")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="completion")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    completed_on = models.DateField(_("completed on"))
    summary = EncryptedTextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = ProgrammeQuerySet.as_manager()

    def __str__(self) -> str:
        return f"completion {self.pk}"
