"""The One Stop Centre progress report, monthly ("2025-03") or half-yearly ("2025-H1"): the period decides.

What it counts, for the organisation's own records:

* ``osc.women_assisted`` - distinct survivors with a case open at some moment of the period, or a service
  (of any status) running in the period;
* ``osc.women_by_service`` - distinct survivors who received a service we provided that ran in the
  period, by kind of service (a woman with two kinds counts under each, once in the total);
* ``osc.stays`` - stays at the organisation's facilities that overlap the period;
* ``osc.referrals`` - referrals the organisation sent in the period, by service and kind.

"By district" is the area of the site where she was assisted (the case's sites; a stay's facility), as
the One Stop Centres report per centre and each centre serves its district. A woman assisted at two sites
counts in each area, once in the total.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case, CaseService
from haven.orgs.roles import Role
from haven.referrals.models import Referral
from haven.reports.domains.gbvims import SERVICE_KIND, shared_dimension
from haven.reports.indicators import AREA, Report, Scope, count_indicator, register, register_report
from haven.shelters.models import Stay

REFERRAL_KIND = "referral_kind"

shared_dimension(REFERRAL_KIND, _("within the organisation or outside"), Referral.Kind.choices)


def _moment(scope: Scope, end: bool) -> datetime:
    day = scope.period.end if end else scope.period.start
    return timezone.make_aware(datetime.combine(day, time.min))


def _services_running(scope: Scope) -> Q:
    """Services that started before the period ended and had not ended before it began."""
    return Q(started_on__lt=scope.period.end) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=scope.period.start)
    )


def _women_assisted(scope: Scope) -> QuerySet[Case]:
    open_in_period = Q(opened_at__lt=_moment(scope, end=True)) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=_moment(scope, end=False))
    )
    served = CaseService.objects.filter(_services_running(scope), org=scope.org).values("case_id")
    return Case.objects.filter(open_in_period | Q(pk__in=served), scope.in_area("sites__area"), org=scope.org)


def _services_provided(scope: Scope) -> QuerySet[CaseService]:
    return CaseService.objects.filter(
        _services_running(scope),
        scope.in_area("case__sites__area"),
        org=scope.org,
        status=CaseService.Status.PROVIDED,
    )


def _stays(scope: Scope) -> QuerySet[Stay]:
    overlapping = Q(arrived_at__lt=_moment(scope, end=True)) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=_moment(scope, end=False))
    )
    return Stay.objects.filter(overlapping, scope.in_area("facility__site__area"), org=scope.org)


def _referrals(scope: Scope) -> QuerySet[Referral]:
    return Referral.objects.filter(
        scope.moments("sent_at"), scope.in_area("case__sites__area"), org=scope.org
    )


WOMEN_ASSISTED = register(
    count_indicator(
        code="osc.women_assisted",
        name=_("Women assisted"),
        definition=_(
            "Women with a case open during the period or a service running in it, each counted once."
        ),
        records=_women_assisted,
        dimensions={AREA: "sites__area"},
        distinct="survivor",
    )
)

WOMEN_BY_SERVICE = register(
    count_indicator(
        code="osc.women_by_service",
        name=_("Women who received each service"),
        definition=_(
            "Women who received a service we provided during the period, by service; a woman who "
            "received several services is counted under each and once in the total."
        ),
        records=_services_provided,
        dimensions={SERVICE_KIND: "kind", AREA: "case__sites__area"},
        distinct="case__survivor",
    )
)

STAYS = register(
    count_indicator(
        code="osc.stays",
        name=_("Stays"),
        definition=_("Stays at the organisation's shelters and centres during the period (any part of it)."),
        records=_stays,
        dimensions={AREA: "facility__site__area"},
    )
)

REFERRALS = register(
    count_indicator(
        code="osc.referrals",
        name=_("Referrals made"),
        definition=_("Referrals sent in the period, within the organisation or to other providers."),
        records=_referrals,
        dimensions={SERVICE_KIND: "service", REFERRAL_KIND: "kind", AREA: "case__sites__area"},
        distinct="pk",  # a case with two sites in the chosen area joins twice; the referral counts once
    )
)

OSC_REPORT = register_report(
    Report(
        code="osc",
        title=_("One Stop Centre progress report"),
        description=_(
            "Women assisted, the services they received, stays and referrals: monthly when the period "
            "is a month, half-yearly when it is a half year."
        ),
        indicators=(WOMEN_ASSISTED.code, WOMEN_BY_SERVICE.code, STAYS.code, REFERRALS.code),
        readers=frozenset({Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.DATA_OFFICER}),
        record_readers=frozenset({Role.CENTRE_MANAGER}),
    )
)
