"""Demo supporters of the Quebec shelter (the seed service says the public can donate): a neighbour who
gives online, a bakery that brings bread, a foundation funding a youth project (a restricted fund), and a
donor who gives anonymously and reads her receipts in Arabic; gifts in money and in kind; receipts.

All names are invented. Called from `demo.load_demo` for an organisation it has just created; the other
demo organisations get no supporters.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from haven.orgs.models import Organisation
from haven.supporters import actions
from haven.supporters.models import Donation, Supporter


def load_demo_supporters(org: Organisation, at: datetime) -> None:
    if org.country != "CA":
        return
    today = timezone.localdate(at)
    neighbour = actions.create_supporter(
        org=org,
        kind=Supporter.Kind.INDIVIDUAL,
        name="Geneviève Tremblay",
        language="fr",
        email="genevieve.tremblay@example.org",
        address="450 rue Fictive, Montréal (Québec)",
        may_contact=True,
        acting_user=None,
        at=at,
    )
    bakery = actions.create_supporter(
        org=org,
        kind=Supporter.Kind.COMPANY,
        name="Boulangerie du Plateau (démo)",
        language="fr",
        phone="+1 514 555 0177",
        acting_user=None,
        at=at,
    )
    foundation = actions.create_supporter(
        org=org,
        kind=Supporter.Kind.FOUNDATION,
        name="Fondation Lumière pour les familles (démo)",
        language="en",
        email="grants@example.org",
        may_contact=True,
        acting_user=None,
        at=at,
    )
    anonymous = actions.create_supporter(
        org=org,
        kind=Supporter.Kind.INDIVIDUAL,
        name="ليلى حداد",
        language="ar",
        acting_user=None,
        at=at,
    )
    youth = actions.create_donor_project(
        supporter=foundation,
        name="Programme jeunesse (démo)",
        purpose="Activités et aide aux devoirs pour les enfants hébergés avec leur mère.",
        amount_pledged=Decimal("25000"),
        currency="CAD",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=305),
        acting_user=None,
        at=at,
    )
    money = Donation.Kind.MONEY
    gifts = [
        actions.record_donation(
            supporter=neighbour,
            received_on=today - timedelta(days=12),
            kind=money,
            amount=Decimal("150"),
            currency="CAD",
            method=Donation.Method.ONLINE,
            acting_user=None,
            at=at,
        ),
        actions.record_donation(
            supporter=foundation,
            received_on=today - timedelta(days=20),
            kind=money,
            amount=Decimal("10000"),
            currency="CAD",
            method=Donation.Method.BANK_TRANSFER,
            project=youth,
            acting_user=None,
            at=at,
        ),
        actions.record_donation(
            supporter=anonymous,
            received_on=today - timedelta(days=3),
            kind=money,
            amount=Decimal("75"),
            currency="CAD",
            method=Donation.Method.CASH,
            is_anonymous=True,
            acting_user=None,
            at=at,
        ),
    ]
    actions.record_donation(
        supporter=bakery,
        received_on=today - timedelta(days=5),
        kind=Donation.Kind.IN_KIND,
        description="Pains et viennoiseries pour la semaine",
        quantity=40,
        estimated_value=Decimal("120"),
        currency="CAD",
        acting_user=None,
        at=at,
    )
    for gift in gifts:
        actions.issue_receipt(donation=gift, acting_user=None, at=at)
