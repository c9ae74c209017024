"""The default two-level taxonomy of what contacts are about, seeded into an organisation on first use.

After seeding it is the organisation's data (`ContactCategory` rows): renamed, extended or retired there,
never here. Names are stored in the organisation's default language at seeding time.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.hotline.models import ContactCategory
from haven.orgs.models import Organisation

INFORMATION_CODE = "information-general"
"""The category the one-click close gives an information-only contact."""

DEFAULT_TAXONOMY: list[tuple[str, Promise, list[tuple[str, Promise]]]] = [
    (
        "violence",
        _("Violence reported"),
        [
            ("violence-physical", _("Physical violence")),
            ("violence-sexual", _("Sexual violence")),
            ("violence-psychological", _("Psychological or emotional abuse")),
            ("violence-economic", _("Economic abuse or denial of resources")),
            ("violence-forced-marriage", _("Forced or child marriage")),
            ("violence-online", _("Online or technology-facilitated abuse")),
        ],
    ),
    (
        "information",
        _("Information request"),
        [
            (INFORMATION_CODE, _("General information")),
            ("information-legal", _("Legal rights and procedures")),
            ("information-shelter", _("Shelter and safe accommodation")),
            ("information-health", _("Health services")),
            ("information-benefits", _("Benefits and financial support")),
        ],
    ),
    (
        "support",
        _("Support"),
        [
            ("support-counselling", _("Emotional support and counselling")),
            ("support-safety-planning", _("Safety planning")),
            ("support-referral", _("Referral to a service")),
            ("support-case-follow-up", _("Follow-up on an existing case")),
        ],
    ),
    (
        "emergency",
        _("Emergency"),
        [
            ("emergency-immediate-danger", _("Immediate danger")),
            ("emergency-medical", _("Medical emergency")),
        ],
    ),
    (
        "other",
        _("Other"),
        [
            ("other-not-gbv", _("Not related to violence")),
            ("other-prank", _("Prank or misuse of the line")),
        ],
    ),
]


def ensure_default_taxonomy(org: Organisation) -> None:
    """Seed the default taxonomy unless the organisation already has one (idempotent, safe to race)."""
    if ContactCategory.objects.filter(org=org).exists():
        return
    try:
        with transaction.atomic(), translation.override(org.default_language):
            for position, (code, name, children) in enumerate(DEFAULT_TAXONOMY):
                parent = ContactCategory.objects.create(org=org, code=code, name=str(name), position=position)
                ContactCategory.objects.bulk_create(
                    ContactCategory(org=org, parent=parent, code=c, name=str(n), position=i)
                    for i, (c, n) in enumerate(children)
                )
    except IntegrityError:
        pass  # another request seeded it at the same moment


def grouped_categories(org: Organisation) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active second-level categories grouped under their first level, for a grouped choice field."""
    ensure_default_taxonomy(org)
    rows = ContactCategory.objects.filter(org=org, is_active=True, parent__isnull=False).select_related(
        "parent"
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in sorted(rows, key=lambda r: (r.parent.position if r.parent else 0, r.position)):
        groups.setdefault(row.parent.name if row.parent else "", []).append((str(row.pk), row.name))
    return list(groups.items())
