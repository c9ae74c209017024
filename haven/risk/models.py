"""Risk assessments, the organisation's scoring sheets, and its escalation rules.

An `Assessment` is one screen with one instrument version: the answers (encrypted: they describe the
violence she lives with), the score, the level and the rule that produced it, who asked and when. It is
never rescored in place: a newer instrument version is applied on the fly (`actions.rescore`), so the
historic result stays what the worker saw and acted on.

A `ScoringSheet` holds the organisation's certified weights and cut-offs for an instrument that ships
without them (the Danger Assessment). Sheets are append-only; the newest for a version is in force, and
each assessment keeps the sheet it was scored with.

An `EscalationRule` says what follows a level (offer a dispatch, alert a supervisor, a follow-up within
N hours); an `Escalation` records what was done after one assessment. The dispatch app picks up open
offers through `Escalation.objects.open_dispatch_offers()`.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case, FollowUp
from haven.orgs.models import Organisation, OrgScopedQuerySet, membership_of
from haven.people.models import Person
from haven.privacy.fields import EncryptedTextField
from haven.risk.instrument import Instrument, library

RISK_ACTIONS = frozenset({"view", "change"})


def screening_scope(user: Any, action: str) -> Q:
    """Screens on a case follow the case rule; a screen without a case (a hotline call before any case
    exists) follows the people rule. The agent who took a screen during a call also reads its result when
    the contact is linked to a case she is not assigned to: she gave the answers herself. Unknown actions
    see nothing (fail closed)."""
    if action not in RISK_ACTIONS:
        return Q(pk__in=[])
    on_case = Q(case__in=Case.objects.visible_to(user, action))
    scope = on_case | Q(case__isnull=True, person__in=Person.objects.visible_to(user, action))
    membership = membership_of(user)
    if action == "view" and membership is not None and membership.role_enum.works_with_survivors:
        scope |= Q(contact__isnull=False, asked_by_id=user.pk, org_id=membership.org_id)
    return scope


class AssessmentQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> AssessmentQuerySet:
        """See `screening_scope`."""
        return self.filter(screening_scope(user, action))


class ScoringSheetQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ScoringSheetQuerySet:
        """Every member reads the sheets in force; only those who manage the organisation load them."""
        membership = membership_of(user)
        if membership is None or action not in RISK_ACTIONS:
            return self.none()
        if action == "change" and not membership.role_enum.manages_org:
            return self.none()
        return self.filter(org_id=membership.org_id)

    def in_force(self, org: Organisation, instrument: Instrument) -> ScoringSheet | None:
        sheets = self.filter(org=org, instrument=instrument.id, instrument_version=instrument.version)
        return sheets.order_by("-loaded_at").first()


class ScoringSheet(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(_("instrument"), max_length=30)
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    # Weights and cut-offs: figures of the instrument, nothing about anyone.
    sheet = models.JSONField(_("weights and cut-offs"))
    certified_by = models.CharField(_("certified by"), max_length=200)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    loaded_at = models.DateTimeField()

    objects = ScoringSheetQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"scoring sheet {self.instrument}-{self.instrument_version}"


class Assessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="risk_assessments")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="risk_assessments"
    )
    contact = models.ForeignKey(
        "hotline.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="risk_assessments"
    )
    instrument = models.CharField(_("instrument"), max_length=30)
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    # JSON of the cleaned answers; encrypted because they describe the violence she lives with.
    answers = EncryptedTextField(_("answers"))
    score = models.IntegerField(_("score"))
    level = models.CharField(_("level"), max_length=30)
    rule = models.CharField(_("rule"), max_length=60)
    sheet = models.ForeignKey(ScoringSheet, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"))

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["org", "instrument", "level"], name="risk_assessment_level")]

    def __str__(self) -> str:
        return f"assessment {self.pk}"

    @property
    def answer_data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.answers or "{}")
        return data

    @property
    def instrument_used(self) -> Instrument:
        return library().get(self.instrument, self.instrument_version)


class EscalationRuleQuerySet(ScoringSheetQuerySet):
    """Same audience as the sheets: every member reads them, organisation managers change them."""


class EscalationRule(models.Model):
    """What follows a screen with `instrument` at one of `levels`: for example a LAP screen-in or a high
    DASH offers a dispatch at once, alerts a supervisor and schedules a follow-up within 24 hours."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=30)
    levels = models.JSONField(_("levels"), default=list)
    offer_dispatch = models.BooleanField(_("offer an immediate dispatch"), default=False)
    notify_supervisor = models.BooleanField(_("alert a supervisor"), default=False)
    follow_up_within_hours = models.PositiveIntegerField(_("follow-up within (hours)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    objects = EscalationRuleQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "name"]

    def __str__(self) -> str:
        return f"escalation rule {self.pk}"


class EscalationQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> EscalationQuerySet:
        """Escalations of the screens the user may see (see `screening_scope`)."""
        return self.filter(assessment__in=Assessment.objects.visible_to(user, action))

    def open_dispatch_offers(self) -> EscalationQuerySet:
        """The seam for the dispatch app: offers of an immediate dispatch not yet taken up."""
        return self.filter(offer_dispatch=True, dispatch_taken_at__isnull=True)

    def awaiting_supervisor(self) -> EscalationQuerySet:
        return self.filter(notify_supervisor=True, acknowledged_at__isnull=True)


class Escalation(models.Model):
    """What one escalation rule set in motion after one assessment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="escalations")
    rule = models.ForeignKey(EscalationRule, on_delete=models.PROTECT, related_name="escalations")
    offer_dispatch = models.BooleanField(default=False)
    # Set by the dispatch app when it takes the offer up (see `actions.take_dispatch_offer`).
    dispatch_taken_at = models.DateTimeField(null=True, blank=True)
    notify_supervisor = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A follow-up needs a case: without one the worker is told to open a case to schedule it.
    follow_up_needs_case = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"escalation {self.pk}"


class SafetyPlanQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> SafetyPlanQuerySet:
        """Plans of the cases the user may see (the case rule); nothing for unknown actions."""
        if action not in RISK_ACTIONS:
            return self.none()
        return self.filter(case__in=Case.objects.visible_to(user, action))


class SafetyPlan(models.Model):
    """Her safety plan for a case, in her language, reviewed on a schedule. Every section may locate her
    or name the people she trusts: all encrypted. Saving the plan is a review (`reviewed_at`)."""

    SECTIONS = ("safe_places", "people_to_call", "documents_and_money", "children", "technology", "code_word")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="safety_plan")
    language = models.CharField(_("her language"), max_length=10, choices=settings.LANGUAGES)
    safe_places = EncryptedTextField(_("Safe places to go"), blank=True)
    people_to_call = EncryptedTextField(_("People to call"), blank=True)
    documents_and_money = EncryptedTextField(_("Documents and money ready"), blank=True)
    children = EncryptedTextField(_("Children"), blank=True)
    technology = EncryptedTextField(_("Phone and technology safety"), blank=True)
    code_word = EncryptedTextField(_("Code word"), blank=True)
    review_on = models.DateField(_("review on"))
    reviewed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SafetyPlanQuerySet.as_manager()

    def __str__(self) -> str:
        return f"safety plan {self.pk}"
