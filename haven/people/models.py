"""People: survivors, their children and household members, and how to contact them safely.

Everything that identifies a person is an encrypted field. What lists show is the survivor code, which
identifies nobody outside the organisation. Exact look-ups (phone, ID number) go through blind indexes on
the person; name search goes through blind-indexed name tokens (see haven/people/names.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import KEPT_APART_ROLES, Role
from haven.privacy.fields import EncryptedTextField


class PersonQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> PersonQuerySet:
        """People of the acting organisation, for roles that work with survivors; nobody else (fail closed).

        A person merged into another is left out: her file lives on in the person she was merged into.

        Cases narrow this further to assigned workers (later work); an org admin or data officer sees
        figures, not people.
        """
        return self.filter(merged_into__isnull=True).for_survivor_work(user)  # type: ignore[return-value]


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

    class Disability(models.TextChoices):
        # Close to the Washington Group domains, which national surveys and UN reporting use.
        NONE_KNOWN = "NONE_KNOWN", _("None known")
        PHYSICAL = "PHYSICAL", _("Physical or mobility")
        VISUAL = "VISUAL", _("Seeing")
        HEARING = "HEARING", _("Hearing")
        INTELLECTUAL = "INTELLECTUAL", _("Intellectual or learning")
        PSYCHOSOCIAL = "PSYCHOSOCIAL", _("Psychosocial (mental health)")
        OTHER = "OTHER", _("Other")

    class MaritalStatus(models.TextChoices):
        SINGLE = "SINGLE", _("Single")
        MARRIED = "MARRIED", _("Married")
        SEPARATED = "SEPARATED", _("Separated")
        DIVORCED = "DIVORCED", _("Divorced")
        WIDOWED = "WIDOWED", _("Widowed")
        # Left by her husband without a divorce: Bangladesh's allowances for "widowed, deserted and
        # destitute women" name this group, so it is a status of its own.
        ABANDONED = "ABANDONED", _("Abandoned by her husband")
        OTHER = "OTHER", _("Other")
        NOT_KNOWN = "NOT_KNOWN", _("Not known")

    class Displacement(models.TextChoices):
        NOT_DISPLACED = "NOT_DISPLACED", _("Not displaced")
        INTERNALLY_DISPLACED = "INTERNALLY_DISPLACED", _("Internally displaced")
        REFUGEE = "REFUGEE", _("Refugee")
        ASYLUM_SEEKER = "ASYLUM_SEEKER", _("Asylum seeker")
        MIGRANT = "MIGRANT", _("Migrant")
        RETURNEE = "RETURNEE", _("Returnee")
        NOT_KNOWN = "NOT_KNOWN", _("Not known")

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
    # Codes of `Disability`; several may apply, "none known" only alone (checked by the verbs).
    disabilities = models.JSONField(_("disabilities"), default=list, blank=True)
    # Free text about a disability can identify her (a rare condition, a named clinic): encrypted.
    disability_details = EncryptedTextField(_("about her disability"), blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=12, choices=MaritalStatus.choices, default=MaritalStatus.NOT_KNOWN
    )
    displacement_status = models.CharField(
        _("displacement status"), max_length=24, choices=Displacement.choices, default=Displacement.NOT_KNOWN
    )
    # Set when this record was merged into another (a duplicate); see haven/people/merging.py.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_people", editable=False
    )
    # Blind indexes: HMAC of the normalised value under the organisation's index key; never the value.
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["survivor_code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "survivor_code"], name="person_unique_code_in_org"),
        ]
        # Declared here rather than with db_index, which on PostgreSQL adds a second, pattern-matching index
        # to each: blind indexes are only ever compared whole, and every registration wrote both.
        indexes = [
            models.Index(fields=["phone_index"], name="person_phone_lookup"),
            models.Index(fields=["id_number_index"], name="person_id_number_lookup"),
        ]

    def __str__(self) -> str:
        return self.survivor_code

    def disability_labels(self) -> list[str]:
        return [
            str(self.Disability(code).label) for code in self.disabilities if code in self.Disability.values
        ]


class PersonNameToken(models.Model):
    """One blind-indexed name token of a person; overlap between tokens finds candidates for a search."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "token"], name="name_token_once_per_person")]
        # (org, token, person): a name search joins the words of a name inside the index, without reading
        # the table; measured on 1,000,000 people in bench/person_search.py (docs/performance.md).
        indexes = [models.Index(fields=["org", "token", "person"], name="name_token_person_lookup")]

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


def reviews_duplicates(role: Role) -> bool:
    """Who reviews possible duplicates, compares the two records, merges them or marks them distinct.

    - Case managers (`manages_cases`: centre and shelter managers) — they supervise every file of the
      organisation, so the identities they compare are already theirs to see.
    - The record keepers: roles that neither work with survivors nor run the organisation (data
      officer, computer operator, programme officer). A duplicate is a register-quality fault that
      inflates statistics and, in benefit programmes, pays a woman twice; they are the ones who fix
      registers. They see the two identities of a flagged pair only, each showing an audited read,
      never the case files.

    The roles kept apart (perpetrator programme, fundraising) never see an identity. Organisation
    administrators are left out: they see figures, not people. Caseworkers and the other
    survivor-facing roles are left out so that merging stays a supervised, deliberate act.
    """
    # Imported here: cases.models imports this module, so a module-level import would be circular.
    from haven.cases.models import manages_cases

    if role in KEPT_APART_ROLES:
        return False
    return manages_cases(role) or not (role.works_with_survivors or role.manages_org)


class DuplicateReviewQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> DuplicateReviewQuerySet:
        """Rows of the acting organisation for roles that review duplicates; nobody else (fail closed).

        "view" and "change" have the same audience: whoever reviews a pair decides it.
        """
        membership = membership_of(user)
        if membership is None or not reviews_duplicates(membership.role_enum):
            return self.none()
        return self.in_active_org(user)  # type: ignore[return-value]


class DuplicateFlag(models.Model):
    """Two records of one organisation that may describe the same woman, waiting for a person to decide.

    The pair is stored in a fixed order (`person_a` < `person_b`) and only once, whatever its status,
    so a pair marked distinct is never flagged again.
    """

    class Reason(models.TextChoices):
        SAME_PHONE = "SAME_PHONE", _("Same phone number")
        SAME_ID_NUMBER = "SAME_ID_NUMBER", _("Same ID number")
        SIMILAR_NAME_AND_BIRTH = "SIMILAR_NAME_AND_BIRTH", _("Similar name and date of birth")

    class Status(models.TextChoices):
        OPEN = "OPEN", _("To review")
        MERGED = "MERGED", _("Merged")
        DISTINCT = "DISTINCT", _("Different people")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("flagged at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DuplicateReviewQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_flag_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="duplicate_flag_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"duplicate flag {self.pk}"

    def reason_labels(self) -> list[str]:
        return [str(self.Reason(code).label) for code in self.reasons if code in self.Reason.values]


class PersonMerge(models.Model):
    """One person merged into another, with every row that was re-pointed, so it can be undone exactly.

    `moved` lists the rows re-pointed from the merged person to the kept one and `left` those that
    stayed with the merged person because the kept person already had the like (her own safe-contact
    instructions, her place in the same household): each entry is {"model": label, "pk": row pk,
    "field": field name}. Nothing else is copied, so no personal data is duplicated here.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    flag = models.ForeignKey(
        DuplicateFlag, on_delete=models.PROTECT, null=True, blank=True, related_name="merges"
    )
    moved = models.JSONField(default=list)
    left = models.JSONField(default=list)
    merged_at = models.DateTimeField(_("merged at"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DuplicateReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("merged")), name="person_merge_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"merge {self.pk}"

    @property
    def undo_until(self) -> datetime:
        return self.merged_at + merge_undo_window()


def merge_undo_window() -> timedelta:
    """How long a merge can be undone: `HAVEN_MERGE_UNDO_DAYS`, read when asked so tests can change it."""
    return timedelta(days=settings.HAVEN_MERGE_UNDO_DAYS)
