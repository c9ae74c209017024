"""The receipt PDF speaks the supporter's language: the number, the name and the amount come back out of
the file, the amount formatted for the language, the dates in the organisation's calendar."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.utils import timezone

from haven.conftest import World
from haven.orgs.models import Calendar
from haven.orgs.roles import Role
from haven.supporters import actions
from haven.supporters.models import Donation, Receipt
from haven.supporters.receipts import format_amount, render_receipt
from haven.supporters.tests import walk
from haven.supporters.tests.helpers import api
from haven.web import calendars
from haven.web.tests.pdf_support import text_of


def _squeezed(text: str) -> str:
    # Babel puts (narrow) no-break spaces inside amounts; extraction may give them back as plain spaces.
    return re.sub(r"\s+", "", text)


def _money_receipt(world: World, name: str, language: str, amount: str, currency: str) -> Receipt:
    giver = walk.supporter(world.org, name=name, language=language)
    gift = actions.record_donation(
        supporter=giver,
        received_on=date(2025, 3, 21),
        kind=Donation.Kind.MONEY,
        amount=Decimal(amount),
        currency=currency,
        method=Donation.Method.BANK_TRANSFER,
        acting_user=None,
        at=timezone.now(),
    )
    return actions.issue_receipt(donation=gift, acting_user=None, at=timezone.now())


def test_a_french_receipt_downloaded_through_the_api(world: World) -> None:
    receipt = _money_receipt(world, "Élise Côté", "fr", "1250.50", "CAD")
    response = api(world, world.members[Role.FUNDRAISER], "GET", f"/receipts/{receipt.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert receipt.number in text and "Élise Côté" in text and world.org.name in text
    assert format_amount(Decimal("1250.50"), "CAD", "fr") == "1\u202f250,50\xa0$CA"
    assert _squeezed("1 250,50 $CA") in _squeezed(text)


def test_a_russian_receipt_in_a_solar_hijri_organisation(world: World) -> None:
    world.org.default_calendar = Calendar.SOLAR_HIJRI
    world.org.save(update_fields=["default_calendar"])
    receipt = _money_receipt(world, "Ольга Смирнова", "ru", "5000", "RUB")
    text = text_of(render_receipt(Receipt.objects.select_related("org").get(pk=receipt.pk)))
    assert receipt.number in text and "Ольга Смирнова" in text
    assert _squeezed(format_amount(Decimal("5000"), "RUB", "ru")) in _squeezed(text)
    assert "5000,00" in _squeezed(text)
    assert "1404" in text  # 21 March 2025 is 1 Farvardin 1404
    assert calendars.to_calendar(date(2025, 3, 21), Calendar.SOLAR_HIJRI) == (1404, 1, 1)


def test_an_in_kind_receipt_says_what_was_given(world: World) -> None:
    receipt = actions.issue_receipt(donation=walk.gift_in_kind(), acting_user=None, at=timezone.now())
    text = text_of(render_receipt(receipt))
    assert "12 × Winter coats" in text and "600,00" in _squeezed(text)
