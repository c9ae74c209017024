"""A receipt as a PDF, in the supporter's language: the organisation, the receipt number, the dates in the
organisation's calendar, the name and the value as issued, and what was given in kind.

Amounts are formatted by Babel for the language (its separators and currency sign) and then written in
the language's digits, like every number Haven shows. The receipt number stays in ASCII digits: it is an
identifier people quote back on the phone or type into a search, not a quantity.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django.utils import timezone, translation

from haven.supporters.models import Donation, Receipt
from haven.web import calendars
from haven.web.pdf import render_pdf

TEMPLATE = "supporters/receipt_pdf.html"


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(translation.to_locale(language))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def format_amount(amount: Decimal, currency: str, language: str) -> str:
    """ "1 250,50 $CA" in French, "1 250,50 CA$" in Russian; digits of the language."""
    text = format_currency(amount, currency, locale=_locale(language), numbering_system="default")
    return calendars.localize_digits(text, language)


def receipt_context(receipt: Receipt, language: str) -> dict[str, Any]:
    """What the receipt says, worded and formatted in `language` (call it with that language active)."""
    donation: Donation = receipt.donation
    org = receipt.org
    calendar = org.default_calendar

    def day(value: Any) -> str:
        return calendars.format_date(value, calendar, language)

    issued_on = timezone.localdate(receipt.issued_at)
    amount = format_amount(receipt.amount, receipt.currency, language) if receipt.amount is not None else ""
    quantity = calendars.localize_digits(str(donation.quantity), language) if donation.quantity else ""
    return {
        "receipt": receipt,
        "organisation": org.name,
        "number": receipt.number,
        "issued_on": day(issued_on),
        "received_on": day(donation.received_on),
        "name": receipt.name_on_receipt,
        "amount": amount,
        "in_kind": donation.kind == Donation.Kind.IN_KIND,
        "description": donation.description,
        "quantity": quantity,
        "project": donation.project.name if donation.project else "",
        "replaces": receipt.replaces.number if receipt.replaces else "",
        "cancelled": receipt.status == Receipt.Status.CANCELLED,
    }


def render_receipt(receipt: Receipt) -> bytes:
    """The receipt's PDF in its supporter's language; raises `PdfUnavailable` when the server cannot."""
    language = receipt.donation.supporter.language
    with translation.override(language):
        context = receipt_context(receipt, language)
    return render_pdf(TEMPLATE, context, language=language)


def file_name(receipt: Receipt) -> str:
    # The number only: no donor's name in a file that lands in a downloads folder or a mail attachment.
    return f"receipt-{receipt.number}.pdf"
