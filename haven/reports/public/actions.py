"""The one write of the public figures page: an org admin publishes it, changes it, or takes it down."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haven.orgs.models import Organisation
from haven.privacy import audit
from haven.reports.indicators import INDICATORS
from haven.reports.public.models import PublicPage

CONFIGURE = audit.register_action(
    "report_public.configure", "The public figures page was published, changed or taken down"
)
MAX_INDICATORS = 12
_FIELDS = ("is_published", "indicators", "period_kind")


def configure_public_page(
    *,
    org: Organisation,
    is_published: bool,
    indicators: Sequence[str],
    period_kind: str,
    acting_user: Any,
    at: datetime,
) -> PublicPage:
    """Save the page's settings; a published page needs at least one known headline indicator."""
    codes = list(dict.fromkeys(indicators))
    _check(is_published, codes, period_kind)
    with transaction.atomic():
        page = PublicPage.objects.select_for_update().filter(org=org).first()
        if page is None:
            page = PublicPage(org=org, updated_at=at)
        before = {} if page._state.adding else {name: getattr(page, name) for name in _FIELDS}
        page.is_published, page.indicators, page.period_kind = is_published, codes, period_kind
        page.updated_at, page.updated_by = at, acting_user
        page.save()
        changed = [name for name in _FIELDS if before.get(name, object()) != getattr(page, name)]
        audit.record(action=CONFIGURE, actor=acting_user, org=org, obj=page, at=at, fields=changed)
    return page


def _check(is_published: bool, codes: list[str], period_kind: str) -> None:
    unknown = [code for code in codes if code not in INDICATORS]
    if unknown:
        raise ValidationError(
            {"indicators": _("There is no indicator “%(code)s”.") % {"code": unknown[0][:60]}}
        )
    if len(codes) > MAX_INDICATORS:
        raise ValidationError(
            {"indicators": _("Choose at most %(count)s headline figures.") % {"count": MAX_INDICATORS}}
        )
    if is_published and not codes:
        raise ValidationError({"indicators": _("Choose at least one headline figure to publish.")})
    if period_kind not in PublicPage.PeriodKind.values:
        raise ValidationError({"period_kind": _("Choose the period the figures cover.")})
