"""Releases (her consent to share) and referrals (internal, or external to a directory provider).

Nothing identifying leaves an organisation without a valid `Release`: signed, for one recipient, for
named categories of data, for a limited time, revocable. An external referral without one is *opaque*:
it carries the need, the service and how to reach the sending worker, never who she is.

A referral row belongs to the sending organisation (its `org`); `receiving_org` is fixed at send time
so the receiving organisation's inbox can find it. What was shared is frozen in an encrypted snapshot at
send time, limited to the release's scope, so later edits to her file do not leak and the receiver sees
exactly what was released. Revoking the release wipes those snapshots.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import ServiceKind
from haven.cases.models import Case, manages_cases
from haven.directory.models import Provider
from haven.orgs.models import Membership, Organisation, OrgScopedQuerySet, Site, membership_of
from haven.people.models import Person
from haven.privacy.fields import EncryptedTextField


class ReleaseQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ReleaseQuerySet:
        """Releases of the people the user may see (the people rule), for "view" and "change"."""
        if action not in {"view", "change"}:
            return self.none()
        return self.filter(person__in=Person.objects.visible_to(user, action))


class Release(models.Model):
    """Her informed consent to share named categories of her data with one provider, until a date."""

    class Scope(models.TextChoices):
        IDENTITY = "IDENTITY", _("Identity: name, sex, date of birth and ID document")
        CONTACT = "CONTACT", _("Contact details and how to contact her safely")
        CASE_SUMMARY = "CASE_SUMMARY", _("Case summary: when it opened, languages, interpreter")
        INCIDENTS = "INCIDENTS", _("Incidents: dates, type, place and her account")
        HOUSEHOLD = "HOUSEHOLD", _("Her children and household")

    class ConsentMethod(models.TextChoices):
        SIGNED_FORM = "SIGNED_FORM", _("She signed a release form")
        VERBAL_WITNESSED = "VERBAL_WITNESSED", _("She agreed aloud, before a witness")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="releases")
    recipient = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="releases")
    scope = models.JSONField(_("what may be shared"), default=list)
    purpose = EncryptedTextField(_("purpose"))
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"))
    consent_method = models.CharField(_("how she consented"), max_length=20, choices=ConsentMethod.choices)
    # A member of staff, not the survivor: who heard a verbal consent.
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("signed_on")), name="release_expires_after_signing"
            ),
        ]

    def __str__(self) -> str:
        return f"release {self.pk}"

    def state(self, today: date) -> str:
        """VALID, REVOKED, EXPIRED or NOT_YET on `today`."""
        if self.revoked_at is not None:
            return "REVOKED"
        if today < self.signed_on:
            return "NOT_YET"
        return "EXPIRED" if today > self.expires_on else "VALID"

    def is_valid_on(self, today: date) -> bool:
        return self.state(today) == "VALID"

    def scope_labels(self) -> list[str]:
        return [str(Release.Scope(code).label) for code in self.scope if code in Release.Scope.values]


REFERRAL_ACTIONS = frozenset({"view", "change", "respond"})


def incoming_filter(membership: Membership) -> Q:
    """Referrals addressed to this member, that she may answer.

    Internal: those addressed to her; those addressed to a site (no one in particular) go to the case
    managers of that site (or of every site, when their membership has none). External: those sent to her
    organisation through a directory entry, for its case managers (centre and shelter managers), who
    already see every case there and decide who takes the woman on.
    """
    role = membership.role_enum
    if not role.works_with_survivors:
        return Q(pk__in=[])
    internal = Q(kind=Referral.Kind.INTERNAL, org_id=membership.org_id, target_membership=membership)
    if not manages_cases(role):
        return internal
    to_site = Q(kind=Referral.Kind.INTERNAL, org_id=membership.org_id, target_membership__isnull=True)
    if membership.site_id is not None:
        to_site &= Q(target_site_id=membership.site_id)
    external = Q(kind=Referral.Kind.EXTERNAL, receiving_org_id=membership.org_id)
    return internal | to_site | external


class ReferralQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ReferralQuerySet:
        """ "change" (withdraw, record an outcome): referrals of the cases the user works on (the case
        rule). "respond" (accept, decline): those addressed to her (`incoming_filter`). "view": either.
        Anything else, or anyone without a membership, sees nothing (fail closed)."""
        membership = membership_of(user)
        if membership is None or action not in REFERRAL_ACTIONS:
            return self.none()
        sent = Q(case__in=Case.objects.visible_to(user, "change"))
        incoming = incoming_filter(membership)
        rule = {"change": sent, "respond": incoming}.get(action, sent | incoming)
        return self.filter(rule)

    def incoming_to(self, user: Any) -> ReferralQuerySet:
        return self.visible_to(user, "respond")


class Referral(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "INTERNAL", _("Within my organisation")
        EXTERNAL = "EXTERNAL", _("To a provider in the directory")

    class Urgency(models.TextChoices):
        ROUTINE = "ROUTINE", _("Routine")
        URGENT = "URGENT", _("Urgent (within days)")
        EMERGENCY = "EMERGENCY", _("Emergency (today)")

    class Status(models.TextChoices):
        SENT = "SENT", _("Sent")
        ACCEPTED = "ACCEPTED", _("Accepted")
        DECLINED = "DECLINED", _("Declined")
        COMPLETED = "COMPLETED", _("Completed")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    service = models.CharField(_("service"), max_length=32, choices=ServiceKind.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    needs = EncryptedTextField(_("what she needs"))
    target_membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received"
    )
    target_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # The organisation whose inbox shows it: the provider's Haven organisation, or the sender for internal.
    receiving_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received"
    )
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    is_opaque = models.BooleanField(_("sent without her identity"), default=False)
    # How the provider reaches the sending worker; a staff contact, never the survivor's.
    contact_back = models.CharField(_("how to reach the sender"), max_length=300, blank=True)
    # The release categories frozen into the snapshot at send time (kept after a revocation wipes it).
    shared_categories = models.JSONField(default=list, blank=True)
    snapshot = EncryptedTextField(blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    response_comment = EncryptedTextField(_("answer"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="INTERNAL", provider__isnull=True, release__isnull=True, is_opaque=False)
                    & (Q(target_membership__isnull=False) | Q(target_site__isnull=False))
                )
                | Q(
                    kind="EXTERNAL", provider__isnull=False, target_membership__isnull=True, target_site=None
                ),
                name="referral_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="INTERNAL")
                | Q(is_opaque=True, release__isnull=True)
                | Q(is_opaque=False, release__isnull=False),
                name="referral_opaque_exactly_without_release",
            ),
        ]
        indexes = [models.Index(fields=["receiving_org", "status"], name="referral_inbox")]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def is_external(self) -> bool:
        return self.kind == self.Kind.EXTERNAL

    @property
    def answered_on_haven(self) -> bool:
        """The receiver answers in Haven (internal, or a provider on Haven); else the sender records it."""
        return self.receiving_org_id is not None


class ReferralTransition(models.Model):
    """One move of a referral's status: who (and for which organisation), when, from, to, and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Referral.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.referral_id}"
