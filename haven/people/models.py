"""People: survivors, their children and household members, and how to contact them safely.

Everything that identifies a person is an encrypted field. What lists show is the survivor code, which
identifies nobody outside the organisation. Exact look-ups (phone, ID number) go through blind indexes on
the person; name search goes through blind-indexed name tokens (see haven/people/names.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Organisation, OrgScopedQuerySet
from haven.privacy.fields import EncryptedTextField


class PersonQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> PersonQuerySet:
        """People of the acting organisation, for roles that work with survivors; nobody else (fail closed).

        Cases narrow this further to assigned workers (later work); an org admin or data officer sees
        figures, not people.
        """
        return self.for_survivor_work(user)  # type: ignore[return-value]


class Person(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "FEMALE", _("Female")
        MALE = "MALE", _("Male")
        OTHER = "OTHER", _("Other")
        UNKNOWN = "UNKNOWN", _("Not known")

    class IdKind(models.TextChoices):
        NATIONAL_ID = "NATIONAL_ID", _("National ID (NID, IIN, Aadhaar…)")
        BIRTH_REGISTRATION = "BIRTH_REGISTRATION", _("Birth registration")
        PASSPORT = "PASSPORT", _("Passport")
        OTHER = "OTHER", _("Other document")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    survivor_code = models.CharField(_("survivor code"), max_length=20)
    name = EncryptedTextField(_("name"))
    latin_name = EncryptedTextField(_("name in Latin letters"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    id_kind = models.CharField(_("ID document"), max_length=24, choices=IdKind.choices, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    born_on = models.DateField(_("date of birth"), null=True, blank=True)
    born_on_is_estimate = models.BooleanField(_("date of birth is an estimate"), default=False)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    # Blind indexes: HMAC of the normalised value under the organisation's index key; never the value.
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["survivor_code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "survivor_code"], name="person_unique_code_in_org"),
        ]

    def __str__(self) -> str:
        return self.survivor_code


class PersonNameToken(models.Model):
    """One blind-indexed name token of a person; overlap between tokens finds candidates for a search."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "token"], name="name_token_once_per_person")]
        indexes = [models.Index(fields=["org", "token"], name="name_token_lookup")]

    def __str__(self) -> str:
        return f"name token of {self.person_id}"


class SafeContact(models.Model):
    """How (and whether) the organisation may contact her without putting her in danger."""

    class Channel(models.TextChoices):
        PHONE = "PHONE", _("Phone call")
        SMS = "SMS", _("Text message")
        WHATSAPP = "WHATSAPP", _("WhatsApp")
        IN_PERSON = "IN_PERSON", _("In person only")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="safe_contact")
    safe_to_call = models.BooleanField(_("safe to call"), default=False)
    safe_channel = models.CharField(
        _("safe channel"), max_length=10, choices=Channel.choices, default=Channel.IN_PERSON
    )
    safe_hours = EncryptedTextField(_("safe hours"), blank=True)
    code_word = EncryptedTextField(_("code word"), blank=True)
    abuser_knows_of_contact = models.BooleanField(
        _("the abuser knows she is in contact with us"), default=False
    )
    do_not_name_organisation = models.BooleanField(_("do not name the organisation on calls"), default=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    def __str__(self) -> str:
        return f"safe contact of {self.person_id}"


class HouseholdQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> HouseholdQuerySet:
        """Same rule as for people: roles that work with survivors, in the acting organisation."""
        return self.for_survivor_work(user)  # type: ignore[return-value]


class Household(models.Model):
    """A woman and the people who live with her: children above all, whose ages drive later rules."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="households")
    head = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="households_headed")
    created_at = models.DateTimeField()

    objects = HouseholdQuerySet.as_manager()

    def __str__(self) -> str:
        return f"household of {self.head_id}"


class HouseholdMember(models.Model):
    class Relationship(models.TextChoices):
        CHILD = "CHILD", _("Child")
        PARTNER = "PARTNER", _("Partner")
        PARENT = "PARENT", _("Parent")
        SIBLING = "SIBLING", _("Brother or sister")
        OTHER_RELATIVE = "OTHER_RELATIVE", _("Other relative")
        OTHER = "OTHER", _("Other")

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="household_memberships")
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    joined_on = models.DateField(_("living with her since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="household_member_once"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="household_member_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relationship} in {self.household_id}"
