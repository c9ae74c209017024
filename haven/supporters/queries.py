"""Reads of the supporters app: finding supporters, fund balances, totals per year and currency.

Every read starts from a model's `visible_to`, so a role outside `SUPPORTER_ROLES` finds nothing, and the
figures (`TOTALS_READERS`, the "totals" action) carry sums and counts, never a supporter's details.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from haven.orgs.models import membership_of
from haven.privacy.blind import NormalisationError
from haven.supporters import lookup
from haven.supporters.models import Donation, DonorProject, Supporter, SupporterNameToken

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _cents(value: Decimal | None) -> Decimal:
    """A sum as an amount with two decimals, whatever the database gives back (SQLite drops them)."""
    return (value or ZERO).quantize(CENT)


def find_supporters(user: Any, text: str = "", kind: str = "") -> QuerySet[Supporter]:
    """Supporters matching `text`: an e-mail address or a phone number exactly (blind indexes), else every
    word of the name (blind-indexed words). Empty text: all of them, newest first."""
    supporters: QuerySet[Supporter] = Supporter.objects.visible_to(user).order_by("-created_at")
    if kind:
        supporters = supporters.filter(kind=kind)
    text = text.strip()
    membership = membership_of(user)
    if not text or membership is None:
        return supporters
    org = membership.org
    if "@" in text:
        try:
            return supporters.filter(email_index=lookup.email_index(org.pk, text))
        except NormalisationError:
            return supporters.none()
    if sum(ch.isdigit() for ch in text) >= 6:
        try:
            return supporters.filter(phone_index=lookup.phone_index_of(org.pk, text, org.country))
        except NormalisationError:
            pass
    tokens = lookup.name_tokens(org.pk, text)
    if not tokens:
        return supporters.none()
    for token in tokens:
        matching = SupporterNameToken.objects.filter(org_id=org.pk, token=token).values("supporter_id")
        supporters = supporters.filter(pk__in=matching)
    return supporters


@dataclass(frozen=True)
class Balance:
    project: DonorProject
    received: Decimal
    in_kind: Decimal
    gifts: int

    @property
    def pledged(self) -> Decimal:
        return self.project.amount_pledged

    @property
    def remaining(self) -> Decimal:
        """What the donor pledged and has not given yet (negative: they gave more than pledged)."""
        return self.pledged - self.received


def _money(kind: str, field: str) -> Sum:
    return Sum(field, filter=Q(donations__kind=kind), default=ZERO)


def project_balances(user: Any, action: str = "view") -> list[Balance]:
    """Each restricted fund with what was pledged, received in money, given in kind (estimated) and what
    remains. `action="totals"` lets the figures' readers see them (project names and sums only)."""
    projects = (
        DonorProject.objects.visible_to(user, action)
        .select_related("supporter")
        .annotate(
            received=_money(Donation.Kind.MONEY, "donations__amount"),
            in_kind=_money(Donation.Kind.IN_KIND, "donations__estimated_value"),
            gifts=Count("donations"),
        )
    )
    return [Balance(p, _cents(p.received), _cents(p.in_kind), p.gifts) for p in projects]


def balance_of(project: DonorProject) -> Balance:
    sums = project.donations.aggregate(
        received=Sum("amount", filter=Q(kind=Donation.Kind.MONEY), default=ZERO),
        in_kind=Sum("estimated_value", filter=Q(kind=Donation.Kind.IN_KIND), default=ZERO),
        gifts=Count("id"),
    )
    return Balance(project, _cents(sums["received"]), _cents(sums["in_kind"]), sums["gifts"])


@dataclass(frozen=True)
class Total:
    year: int
    currency: str
    money: Decimal
    in_kind: Decimal
    gifts: int
    donors: int


def years_with_gifts(user: Any) -> list[int]:
    donations = Donation.objects.visible_to(user, "totals")
    years = donations.annotate(year=ExtractYear("received_on")).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def totals(user: Any, year: int | None = None) -> list[Total]:
    """Per year and currency: money received, in-kind gifts at their estimated value, the number of gifts
    and of distinct donors. In-kind gifts without a value are counted as gifts, not in any currency."""
    donations = Donation.objects.visible_to(user, "totals").annotate(year=ExtractYear("received_on"))
    if year is not None:
        donations = donations.filter(year=year)
    rows = (
        donations.values("year", "currency")
        .annotate(
            money=Sum("amount", filter=Q(kind=Donation.Kind.MONEY), default=ZERO),
            in_kind=Sum("estimated_value", filter=Q(kind=Donation.Kind.IN_KIND), default=ZERO),
            gifts=Count("id"),
            donors=Count("supporter", distinct=True),
        )
        .order_by("-year", "currency")
    )
    return [
        Total(
            row["year"],
            row["currency"],
            _cents(row["money"]),
            _cents(row["in_kind"]),
            row["gifts"],
            row["donors"],
        )
        for row in rows
    ]


def thank_you_list(user: Any, year: int) -> list[Supporter]:
    """Supporters who gave in `year` and may be named publicly for at least one of that year's gifts
    (a gift marked anonymous is never a reason to name its donor)."""
    named = Donation.objects.visible_to(user).filter(received_on__year=year, is_anonymous=False)
    supporters = Supporter.objects.visible_to(user).filter(pk__in=named.values("supporter_id"))
    return sorted(supporters, key=lambda supporter: supporter.name.casefold())
