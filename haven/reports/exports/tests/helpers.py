"""A small report over the registry for the export tests: beneficiaries registered, by area.

Registered by the ``beneficiary_report`` fixture and removed after, so no other test sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.utils.translation import gettext_lazy as _

from haven.benefits.models import Beneficiary
from haven.benefits.tests import factories
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Organisation
from haven.orgs.roles import Role
from haven.reports import indicators
from haven.reports.indicators import Report, Scope, count_indicator

INDICATOR = "testexports.registered"
REPORT = "testexports"


def _registered(scope: Scope) -> object:
    return Beneficiary.objects.filter(org=scope.org).filter(
        scope.moments("registered_at"), scope.in_area("area_id")
    )


@pytest.fixture
def beneficiary_report() -> Iterator[Report]:
    item = count_indicator(
        code=INDICATOR,
        name=_("Women registered"),
        definition=_("Women added to the registry in the period."),
        records=_registered,  # type: ignore[arg-type]
        dimensions={"area": "area_id"},
    )
    report = Report(
        code=REPORT,
        title=_("Registry figures"),
        description=_("Test report"),
        indicators=(INDICATOR,),
        readers=frozenset({Role.DATA_OFFICER, Role.PROGRAMME_OFFICER, Role.ORG_ADMIN}),
        record_readers=frozenset({Role.PROGRAMME_OFFICER}),
    )
    indicators.register(item)
    indicators.register_report(report)
    yield report
    indicators.REPORTS.pop(REPORT, None)
    indicators.INDICATORS.pop(INDICATOR, None)


def area(org: Organisation, name: str, at: datetime) -> Area:
    return org_actions.create_area(org=org, name=name, level=Area.Level.DISTRICT, acting_user=None, at=at)


def women(org: Organisation, where: Area, count: int, at: datetime, name: str = "Rokeya Khatun") -> None:
    for _index in range(count):
        factories.beneficiary(org, name=name, area=where, at=at)
