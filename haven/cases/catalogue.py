"""The catalogue of services a survivor can receive, after the UN Essential Services Package.

One list for the whole platform: a case records which of these she received and how, the directory says
which providers offer which, and a referral names one. The codes are stored in the database and exchanged
between organisations, so a code is never renamed or reused; a new service gets a new code.

The Package's four sectors (health, justice and policing, social services, coordination) are kept, with
the services the seed organisations add: DNA tests and rehabilitation (the Bangladesh crisis centres),
housing, immigration and insurance help (the Quebec shelter).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    HEALTH = "HEALTH", _("Health")
    JUSTICE = "JUSTICE", _("Justice and police")
    SOCIAL = "SOCIAL", _("Social services")


class ServiceKind(models.TextChoices):
    # Health
    FIRST_LINE_SUPPORT = "FIRST_LINE_SUPPORT", _("First-line support")
    INJURY_CARE = "INJURY_CARE", _("Care of injuries")
    SEXUAL_ASSAULT_CARE = "SEXUAL_ASSAULT_CARE", _("Sexual-assault care (within 72 hours)")
    MENTAL_HEALTH = "MENTAL_HEALTH", _("Mental health care")
    MEDICO_LEGAL = "MEDICO_LEGAL", _("Medico-legal documentation")
    DNA_TEST = "DNA_TEST", _("DNA test")
    HEALTH_INSURANCE_HELP = "HEALTH_INSURANCE_HELP", _("Help with health insurance")
    # Justice and police
    POLICE_REPORT = "POLICE_REPORT", _("Police report (FIR, DIR)")
    PROTECTION_ORDER = "PROTECTION_ORDER", _("Protection order")
    COURT_ACCOMPANIMENT = "COURT_ACCOMPANIMENT", _("Accompaniment to court")
    LEGAL_INFORMATION = "LEGAL_INFORMATION", _("Legal information and advice")
    LEGAL_REPRESENTATION = "LEGAL_REPRESENTATION", _("Legal representation")
    IMMIGRATION_HELP = "IMMIGRATION_HELP", _("Help with immigration status")
    # Social services
    CRISIS_COUNSELLING = "CRISIS_COUNSELLING", _("Crisis counselling")
    HELPLINE = "HELPLINE", _("Helpline")
    SAFE_ACCOMMODATION = "SAFE_ACCOMMODATION", _("Safe accommodation")
    MATERIAL_AID = "MATERIAL_AID", _("Material and financial aid")
    ID_DOCUMENTS = "ID_DOCUMENTS", _("Help with identity documents")
    PSYCHOSOCIAL_SUPPORT = "PSYCHOSOCIAL_SUPPORT", _("Psychosocial support")
    CHILDREN_SUPPORT = "CHILDREN_SUPPORT", _("Support for her children")
    ECONOMIC_EMPOWERMENT = "ECONOMIC_EMPOWERMENT", _("Economic empowerment")
    REHABILITATION = "REHABILITATION", _("Rehabilitation and reintegration")
    HOUSING_HELP = "HOUSING_HELP", _("Help finding housing")
    SOCIAL_INSURANCE_HELP = "SOCIAL_INSURANCE_HELP", _("Help with social insurance and benefits")


SECTOR_OF: dict[ServiceKind, Sector] = {
    **dict.fromkeys(
        [
            ServiceKind.FIRST_LINE_SUPPORT,
            ServiceKind.INJURY_CARE,
            ServiceKind.SEXUAL_ASSAULT_CARE,
            ServiceKind.MENTAL_HEALTH,
            ServiceKind.MEDICO_LEGAL,
            ServiceKind.DNA_TEST,
            ServiceKind.HEALTH_INSURANCE_HELP,
        ],
        Sector.HEALTH,
    ),
    **dict.fromkeys(
        [
            ServiceKind.POLICE_REPORT,
            ServiceKind.PROTECTION_ORDER,
            ServiceKind.COURT_ACCOMPANIMENT,
            ServiceKind.LEGAL_INFORMATION,
            ServiceKind.LEGAL_REPRESENTATION,
            ServiceKind.IMMIGRATION_HELP,
        ],
        Sector.JUSTICE,
    ),
}
"""The sector of each service; every service not listed here is a social service."""


def sector_of(kind: ServiceKind | str) -> Sector:
    return SECTOR_OF.get(ServiceKind(kind), Sector.SOCIAL)


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The services grouped by sector, in the shape Django's choice widgets render as <optgroup>s."""
    return [
        (str(sector.label), [(kind.value, str(kind.label)) for kind in kinds_in(sector)]) for sector in Sector
    ]


def kinds_in(sector: Sector) -> list[ServiceKind]:
    return [kind for kind in ServiceKind if sector_of(kind) == sector]
