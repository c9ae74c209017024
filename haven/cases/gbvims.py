"""GBVIMS incident classification, written from the published rules of the GBVIMS Classification Tool.

The Gender-Based Violence Information Management System (GBVIMS) gives every reported incident
exactly ONE of six core GBV types, chosen by asking the tool's yes/no questions in a fixed order and
stopping at the first "yes":

1. Rape — non-consensual penetration, however slight.
2. Sexual assault — unwanted sexual contact without penetration (including attempted rape).
3. Physical assault — physical violence that is not sexual.
4. Forced marriage — marriage against the survivor's will (including early/child marriage).
5. Denial of resources, opportunities or services.
6. Psychological / emotional abuse.

If the act was not gender-based, or no question is answered "yes", the incident is NON-GBV.

Contexts (intimate partner violence, child sexual abuse, early marriage, possible sexual
exploitation, possible sexual slavery, harmful traditional practice) are recorded *in addition to*
the single type and an incident may carry several of them.

This module is pure Python: no models, no database. Labels are lazily translated.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ADULT_AGE = 18
"""A survivor younger than this (in whole years) is a child for the CSA and early-marriage contexts."""


class ViolenceType(models.TextChoices):
    """The six GBVIMS core types of gender-based violence, plus NON_GBV."""

    RAPE = "RAPE", _("Rape")
    SEXUAL_ASSAULT = "SEXUAL_ASSAULT", _("Sexual assault")
    PHYSICAL_ASSAULT = "PHYSICAL_ASSAULT", _("Physical assault")
    FORCED_MARRIAGE = "FORCED_MARRIAGE", _("Forced marriage")
    DENIAL_OF_RESOURCES = "DENIAL_OF_RESOURCES", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL_ABUSE = "PSYCHOLOGICAL_ABUSE", _("Psychological / emotional abuse")
    NON_GBV = "NON_GBV", _("Non-GBV")


PRIORITY: tuple[ViolenceType, ...] = (
    ViolenceType.RAPE,
    ViolenceType.SEXUAL_ASSAULT,
    ViolenceType.PHYSICAL_ASSAULT,
    ViolenceType.FORCED_MARRIAGE,
    ViolenceType.DENIAL_OF_RESOURCES,
    ViolenceType.PSYCHOLOGICAL_ABUSE,
    ViolenceType.NON_GBV,
)
"""Decision order: the first type whose act was reported wins; NON_GBV is always last."""


class CaseContext(models.TextChoices):
    """Additional GBVIMS contexts; an incident may have none, one or several."""

    INTIMATE_PARTNER_VIOLENCE = "INTIMATE_PARTNER_VIOLENCE", _("Intimate partner violence")
    CHILD_SEXUAL_ABUSE = "CHILD_SEXUAL_ABUSE", _("Child sexual abuse")
    EARLY_MARRIAGE = "EARLY_MARRIAGE", _("Early marriage")
    POSSIBLE_SEXUAL_EXPLOITATION = "POSSIBLE_SEXUAL_EXPLOITATION", _("Possible sexual exploitation")
    POSSIBLE_SEXUAL_SLAVERY = "POSSIBLE_SEXUAL_SLAVERY", _("Possible sexual slavery")
    HARMFUL_TRADITIONAL_PRACTICE = "HARMFUL_TRADITIONAL_PRACTICE", _("Harmful traditional practice")


class DelayBucket(models.TextChoices):
    """Time between the incident and the report, in whole calendar days (see `reporting_delay`)."""

    DAYS_0_3 = "DAYS_0_3", _("0–3 days")
    DAYS_4_5 = "DAYS_4_5", _("4–5 days")
    DAYS_6_14 = "DAYS_6_14", _("6–14 days")
    WEEKS_2_MONTH_1 = "WEEKS_2_MONTH_1", _("2 weeks – 1 month")
    OVER_1_MONTH = "OVER_1_MONTH", _("Over 1 month")


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """The yes/no answers gathered at intake, plus the context facts the contexts are derived from.

    Acts (each a question of the classification tool):

    - ``penetration``: non-consensual penetration, however slight, of the vagina, anus or mouth
      with a penis or other body part, or of the vagina or anus with an object.
    - ``sexual_contact_without_penetration``: unwanted sexual contact or touching, including
      attempted rape.
    - ``physical_violence``: non-sexual physical violence — hitting, slapping, kicking, choking,
      cutting, shoving, burning, shooting, use of weapons, acid attacks…
    - ``forced_marriage``: marriage of a person against her or his will, including early/child marriage.
    - ``denial_of_resources``: denial of rightful access to economic resources or livelihood,
      education, health or other social services (not ordinary poverty).
    - ``psychological_abuse``: infliction of mental or emotional pain or injury — threats of
      violence, humiliation, forced isolation, stalking, harassment, unwanted attention…

    Context: ``was_gbv`` is False when the act was not gender-based (the incident is then NON_GBV
    whatever acts were reported). Ages are whole years, None when unknown; negative ages are rejected.
    ``held_captive_or_owned`` means the survivor was held captive, or someone exercised ownership
    over her (bought, sold, traded, lent). ``transactional`` means money, goods, benefits or
    services (including protection) were exchanged in relation to a sexual act.
    """

    penetration: bool = False
    sexual_contact_without_penetration: bool = False
    physical_violence: bool = False
    forced_marriage: bool = False
    denial_of_resources: bool = False
    psychological_abuse: bool = False
    was_gbv: bool = True
    perpetrator_is_intimate_partner: bool = False
    survivor_age: int | None = None
    perpetrator_age: int | None = None
    transactional: bool = False
    held_captive_or_owned: bool = False
    harmful_traditional_practice: bool = False
    incident_on: datetime.date | None = None
    reported_on: datetime.date | None = None

    def __post_init__(self) -> None:
        """Reject impossible ages; dates are checked by `reporting_delay` when used."""
        for name in ("survivor_age", "perpetrator_age"):
            age = getattr(self, name)
            if age is not None and age < 0:
                raise ValueError(f"{name} must be zero or more, got {age}.")

    @property
    def sexual_act(self) -> bool:
        """True when either sexual question (penetration or other sexual contact) was answered yes."""
        return self.penetration or self.sexual_contact_without_penetration

    @property
    def survivor_is_child(self) -> bool:
        """True only when the survivor's age is known and below `ADULT_AGE` (18)."""
        return self.survivor_age is not None and self.survivor_age < ADULT_AGE


@dataclass(frozen=True, slots=True)
class Rule:
    """One step of the decision order: the type it yields, its code, its test and its explanation."""

    violence_type: ViolenceType
    code: str
    applies: Callable[[IncidentFacts], bool]
    explanation: Promise


RULES: tuple[Rule, ...] = (
    Rule(
        ViolenceType.RAPE,
        "1-rape",
        lambda f: f.penetration,
        _(
            "Classified as rape: non-consensual penetration was reported; rape takes precedence "
            "over all other types (GBVIMS order 1 of 6)."
        ),
    ),
    Rule(
        ViolenceType.SEXUAL_ASSAULT,
        "2-sexual-assault",
        lambda f: f.sexual_contact_without_penetration,
        _(
            "Classified as sexual assault: unwanted sexual contact without penetration was reported "
            "and there was no penetration (GBVIMS order 2 of 6)."
        ),
    ),
    Rule(
        ViolenceType.PHYSICAL_ASSAULT,
        "3-physical-assault",
        lambda f: f.physical_violence,
        _(
            "Classified as physical assault: non-sexual physical violence was reported and no sexual "
            "act was reported (GBVIMS order 3 of 6)."
        ),
    ),
    Rule(
        ViolenceType.FORCED_MARRIAGE,
        "4-forced-marriage",
        lambda f: f.forced_marriage,
        _(
            "Classified as forced marriage: a marriage against the survivor's will was reported and "
            "no sexual or physical violence was reported (GBVIMS order 4 of 6)."
        ),
    ),
    Rule(
        ViolenceType.DENIAL_OF_RESOURCES,
        "5-denial-of-resources",
        lambda f: f.denial_of_resources,
        _(
            "Classified as denial of resources, opportunities or services: denial of rightful access "
            "was reported and none of the first four types applies (GBVIMS order 5 of 6)."
        ),
    ),
    Rule(
        ViolenceType.PSYCHOLOGICAL_ABUSE,
        "6-psychological-abuse",
        lambda f: f.psychological_abuse,
        _(
            "Classified as psychological / emotional abuse: emotional harm was reported and none of "
            "the first five types applies (GBVIMS order 6 of 6)."
        ),
    ),
)
"""The six GBV rules, in GBVIMS decision order; the first whose test is true decides the type."""

NOT_GBV_RULE = Rule(
    ViolenceType.NON_GBV,
    "7-not-gender-based",
    lambda f: not f.was_gbv,
    _(
        "Classified as non-GBV: the act was reported as not gender-based, so none of the six GBV "
        "types applies whatever acts were reported."
    ),
)
"""Checked before the six rules: an act that was not gender-based is never a GBV type."""

NO_ACT_RULE = Rule(
    ViolenceType.NON_GBV,
    "7-no-gbv-act",
    lambda f: True,
    _("Classified as non-GBV: none of the six GBV acts was reported."),
)
"""Fallback when no GBV act was reported."""

_EXPLANATIONS: dict[str, Promise] = {
    rule.code: rule.explanation for rule in (*RULES, NOT_GBV_RULE, NO_ACT_RULE)
}


@dataclass(frozen=True, slots=True)
class Classification:
    """Result of `classify`: exactly one type, the code of the deciding rule, and why."""

    violence_type: ViolenceType
    rule: str

    @property
    def explanation(self) -> str:
        """The deciding rule's sentence, translated into the language active when it is read."""
        return str(_EXPLANATIONS[self.rule])


def deciding_rule(facts: IncidentFacts) -> Rule:
    """Return the rule that decides the type.

    Not gender-based → `NOT_GBV_RULE`; otherwise the first of `RULES` that applies (rape, sexual
    assault, physical assault, forced marriage, denial, psychological); otherwise `NO_ACT_RULE`.
    """
    if NOT_GBV_RULE.applies(facts):
        return NOT_GBV_RULE
    return next((rule for rule in RULES if rule.applies(facts)), NO_ACT_RULE)


def classify(facts: IncidentFacts) -> Classification:
    """Classify an incident into exactly ONE `ViolenceType` by the GBVIMS decision order."""
    rule = deciding_rule(facts)
    return Classification(violence_type=rule.violence_type, rule=rule.code)


_SEXUAL_TYPES = frozenset({ViolenceType.RAPE, ViolenceType.SEXUAL_ASSAULT})


def case_contexts(facts: IncidentFacts) -> frozenset[CaseContext]:
    """Derive the additional contexts; none when the incident is NON_GBV.

    - INTIMATE_PARTNER_VIOLENCE: the perpetrator is a current or former intimate partner.
    - CHILD_SEXUAL_ABUSE: the type is rape or sexual assault and the survivor is under 18.
    - EARLY_MARRIAGE: a forced marriage was reported (whatever the deciding type) and the survivor
      is under 18.
    - POSSIBLE_SEXUAL_EXPLOITATION: a sexual act was reported and it was transactional.
    - POSSIBLE_SEXUAL_SLAVERY: a sexual act was reported and the survivor was held captive or owned.
    - HARMFUL_TRADITIONAL_PRACTICE: the incident was a harmful traditional practice (e.g. FGM/C).
    """
    violence_type = classify(facts).violence_type
    if violence_type is ViolenceType.NON_GBV:
        return frozenset()
    checks: dict[CaseContext, bool] = {
        CaseContext.INTIMATE_PARTNER_VIOLENCE: facts.perpetrator_is_intimate_partner,
        CaseContext.CHILD_SEXUAL_ABUSE: violence_type in _SEXUAL_TYPES and facts.survivor_is_child,
        CaseContext.EARLY_MARRIAGE: facts.forced_marriage and facts.survivor_is_child,
        CaseContext.POSSIBLE_SEXUAL_EXPLOITATION: facts.sexual_act and facts.transactional,
        CaseContext.POSSIBLE_SEXUAL_SLAVERY: facts.sexual_act and facts.held_captive_or_owned,
        CaseContext.HARMFUL_TRADITIONAL_PRACTICE: facts.harmful_traditional_practice,
    }
    return frozenset(context for context, present in checks.items() if present)


_DELAY_UPPER_BOUNDS: tuple[tuple[int, DelayBucket], ...] = (
    (3, DelayBucket.DAYS_0_3),
    (5, DelayBucket.DAYS_4_5),
    (14, DelayBucket.DAYS_6_14),
    (30, DelayBucket.WEEKS_2_MONTH_1),
)


def reporting_delay(incident_on: datetime.date, reported_on: datetime.date) -> DelayBucket:
    """Bucket the delay between incident and report, counted in whole calendar days.

    ``days = (reported_on - incident_on).days``, then (all bounds inclusive):

    - 0-3 days → DAYS_0_3 (same-day reports are 0 days)
    - 4-5 days → DAYS_4_5
    - 6-14 days → DAYS_6_14
    - 15-30 days → WEEKS_2_MONTH_1 ("1 month" is a fixed 30 days, not a calendar month)
    - 31 days or more → OVER_1_MONTH

    A report dated before the incident raises ValueError.
    """
    days = (reported_on - incident_on).days
    if days < 0:
        raise ValueError(
            f"The report date ({reported_on.isoformat()}) is before the incident date "
            f"({incident_on.isoformat()}); check both dates."
        )
    return next((bucket for bound, bucket in _DELAY_UPPER_BOUNDS if days <= bound), DelayBucket.OVER_1_MONTH)


def facts_reporting_delay(facts: IncidentFacts) -> DelayBucket | None:
    """`reporting_delay` for the facts' dates; None when either date is unknown."""
    if facts.incident_on is None or facts.reported_on is None:
        return None
    return reporting_delay(facts.incident_on, facts.reported_on)
