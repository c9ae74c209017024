"""Provider adapters: the bulk-disbursement file each mobile-wallet service takes, and the result file it
sends back.

One class per provider behind one small interface (`Adapter`), found through `adapter_for(provider)`.
The formats below are Haven's design of what each service's bulk upload plausibly looks like (header,
wallet number in the provider's own form, amount, our idempotency key as the reference, and a control
line); before a real roll-out each must be checked against the provider's current specification, and
only the adapter changes.

- bKash: an XLSX workbook; wallet numbers in the local form 01XXXXXXXXX; a TOTAL row (count and sum).
  Results: CSV `Reference,Wallet Number,Amount,Status,Error Code,TrxID`.
- Nagad: pipe-separated text with H (header), D (detail) and T (trailer) records; numbers as
  8801XXXXXXXXX; the trailer carries the count, the sum and the SHA-256 of the detail records.
  Results: `R|reference|SUCCESS/FAILED/PROCESSING|code|transaction|amount`, between H and T records.
- Rocket: CSV with numbers as +8801XXXXXXXXX and a CONTROL line. Results: CSV
  `REFERENCE,MOBILE,AMOUNT,RESULT,REASON,TXN_ID`, where RESULT 00 is paid, 09 still in progress and
  any other code a failure (REASON is the provider's wording, not read).

Each adapter can also write a result file (`render_results`): what the provider would send back. Tests
and the demo use it to play the provider's part; nothing in Haven sends it anywhere.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import ClassVar, Literal

import phonenumbers
from django.utils.translation import gettext as _
from openpyxl import Workbook

from haven.benefits.payments.models import Payment, Provider
from haven.privacy.blind import to_ascii_digits

Outcome = Literal["PAID", "FAILED", "PENDING"]
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WalletNumberError(ValueError):
    """Not a Bangladeshi mobile number a wallet can be opened on."""


@dataclass(frozen=True)
class FileLine:
    """One payment as it goes into a provider file."""

    wallet: str
    amount: Decimal
    reference: str


@dataclass(frozen=True)
class ResultLine:
    """One line of a provider's result file, already read into Haven's terms."""

    line_no: int
    reference: str
    outcome: Outcome
    amount: Decimal | None
    code: str = ""
    transaction: str = ""


@dataclass(frozen=True)
class Parsed:
    lines: list[ResultLine]
    problems: list[tuple[int, str]]


def mobile_digits(raw: str) -> str:
    """The ten national digits (1XXXXXXXXX) of a Bangladeshi mobile number in any usual spelling."""
    text = to_ascii_digits(raw or "").strip()
    try:
        number = phonenumbers.parse(text, "BD")
    except phonenumbers.NumberParseException:
        raise WalletNumberError(raw) from None
    mobile = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    if number.country_code != 880 or not phonenumbers.is_valid_number(number):
        raise WalletNumberError(raw)
    if phonenumbers.number_type(number) not in mobile:
        raise WalletNumberError(raw)
    return str(number.national_number)


def money_text(amount: Decimal) -> str:
    return f"{amount:.2f}"


def parse_amount(text: str) -> Decimal | None:
    try:
        amount = Decimal(to_ascii_digits(text.strip()).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


class Adapter:
    """What Haven needs from a provider: its wallet-number form, its file, and its result file."""

    provider: ClassVar[Provider]
    extension: ClassVar[str] = "csv"
    content_type: ClassVar[str] = CSV_TYPE
    # The provider's failure codes → Haven's reasons; an unknown code is OTHER.
    reasons: ClassVar[dict[str, Payment.Reason]] = {}

    def wallet(self, raw: str) -> str:
        """The wallet number in the form this provider's file wants."""
        raise NotImplementedError

    def write(self, *, reference: str, created_on: date, lines: Sequence[FileLine]) -> bytes:
        raise NotImplementedError

    def parse_results(self, content: bytes) -> Parsed:
        raise NotImplementedError

    def render_results(self, rows: Iterable[ResultLine]) -> bytes:
        raise NotImplementedError

    def reason(self, code: str) -> Payment.Reason:
        return self.reasons.get(code.strip().upper(), Payment.Reason.OTHER)

    def file_name(self, reference: str) -> str:
        return f"{reference}.{self.extension}"

    # --- shared helpers --------------------------------------------------------------------------

    @staticmethod
    def totals(lines: Sequence[FileLine]) -> tuple[int, Decimal]:
        return len(lines), sum((line.amount for line in lines), Decimal("0.00"))

    @staticmethod
    def text_rows(content: bytes, delimiter: str = ",") -> list[tuple[int, list[str]]]:
        """Numbered, non-blank rows of a text file; a byte-order mark and Windows line ends are fine."""
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(_("The file is not text in UTF-8.")) from None
        # newline="" hands line ends to the csv module, which reads a lone \r as one (as Excel may write).
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            return [(number, [c.strip() for c in row]) for number, row in enumerate(reader, 1) if any(row)]
        except csv.Error:
            raise ValueError(_("The file is not a readable list of lines and columns.")) from None

    @staticmethod
    def csv_bytes(rows: Iterable[Sequence[object]], delimiter: str = ",") -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")


def _header_problem(number: int, expected: Sequence[str]) -> tuple[int, str]:
    return number, _("Line %(line)s: the columns should be %(columns)s.") % {
        "line": number,
        "columns": ", ".join(expected),
    }


def _amount_problem(number: int) -> tuple[int, str]:
    return number, _("Line %(line)s: the amount is not a number.") % {"line": number}


def _status_problem(number: int, status: str) -> tuple[int, str]:
    return number, _("Line %(line)s: the status “%(status)s” is not one this provider uses.") % {
        "line": number,
        "status": status,
    }


class BkashAdapter(Adapter):
    provider = Provider.BKASH
    extension = "xlsx"
    content_type = XLSX_TYPE
    reasons: ClassVar[dict[str, Payment.Reason]] = {
        "E1001": Payment.Reason.WALLET_NOT_FOUND,
        "E1002": Payment.Reason.NAME_MISMATCH,
        "E1003": Payment.Reason.LIMIT_EXCEEDED,
        "E1004": Payment.Reason.WALLET_BLOCKED,
        "E9000": Payment.Reason.TEMPORARY,
    }
    HEADER = ("SL", "Wallet Number", "Amount", "Reference")
    RESULT_HEADER = ("Reference", "Wallet Number", "Amount", "Status", "Error Code", "TrxID")
    STATUSES: ClassVar[dict[str, Outcome]] = {"COMPLETED": "PAID", "FAILED": "FAILED", "PENDING": "PENDING"}

    def wallet(self, raw: str) -> str:
        return "0" + mobile_digits(raw)

    def write(self, *, reference: str, created_on: date, lines: Sequence[FileLine]) -> bytes:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Disbursement"
        sheet.append(["Batch", reference, "Date", created_on.isoformat()])
        sheet.append(list(self.HEADER))
        for serial, line in enumerate(lines, 1):
            # Text cells: a wallet number's leading zero and an amount's cents must survive Excel.
            sheet.append([serial, line.wallet, money_text(line.amount), line.reference])
        count, total = self.totals(lines)
        sheet.append(["TOTAL", count, money_text(total), ""])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def parse_results(self, content: bytes) -> Parsed:
        if zipfile.is_zipfile(io.BytesIO(content)):
            return Parsed([], [(1, _("Send bKash's result file as CSV, as bKash exports it."))])
        rows = self.text_rows(content)
        if not rows or tuple(rows[0][1]) != self.RESULT_HEADER:
            return Parsed([], [_header_problem(rows[0][0] if rows else 1, self.RESULT_HEADER)])
        lines: list[ResultLine] = []
        problems: list[tuple[int, str]] = []
        for number, cells in rows[1:]:
            if len(cells) != len(self.RESULT_HEADER):
                problems.append(_header_problem(number, self.RESULT_HEADER))
                continue
            reference, _wallet, amount_text, status, code, transaction = cells
            amount = parse_amount(amount_text)
            outcome = self.STATUSES.get(status.upper())
            if amount is None:
                problems.append(_amount_problem(number))
            elif outcome is None:
                problems.append(_status_problem(number, status))
            else:
                lines.append(ResultLine(number, reference, outcome, amount, code, transaction))
        return Parsed(lines, problems)

    def render_results(self, rows: Iterable[ResultLine]) -> bytes:
        label = {"PAID": "Completed", "FAILED": "Failed", "PENDING": "Pending"}
        body = [
            (r.reference, "", money_text(r.amount or Decimal(0)), label[r.outcome], r.code, r.transaction)
            for r in rows
        ]
        return self.csv_bytes([self.RESULT_HEADER, *body])


class NagadAdapter(Adapter):
    provider = Provider.NAGAD
    extension = "txt"
    content_type = "text/plain; charset=utf-8"
    reasons: ClassVar[dict[str, Payment.Reason]] = {
        "NG-404": Payment.Reason.WALLET_NOT_FOUND,
        "NG-409": Payment.Reason.NAME_MISMATCH,
        "NG-429": Payment.Reason.LIMIT_EXCEEDED,
        "NG-423": Payment.Reason.WALLET_BLOCKED,
        "NG-503": Payment.Reason.TEMPORARY,
    }
    STATUSES: ClassVar[dict[str, Outcome]] = {"SUCCESS": "PAID", "FAILED": "FAILED", "PROCESSING": "PENDING"}

    def wallet(self, raw: str) -> str:
        return "880" + mobile_digits(raw)

    def write(self, *, reference: str, created_on: date, lines: Sequence[FileLine]) -> bytes:
        count, total = self.totals(lines)
        details = [
            ("D", serial, line.wallet, money_text(line.amount), line.reference)
            for serial, line in enumerate(lines, 1)
        ]
        detail_bytes = self.csv_bytes(details, delimiter="|")
        digest = hashlib.sha256(detail_bytes).hexdigest()
        header = self.csv_bytes(
            [("H", reference, created_on.strftime("%Y%m%d"), count, money_text(total))], "|"
        )
        trailer = self.csv_bytes([("T", count, money_text(total), digest)], delimiter="|")
        return header + detail_bytes + trailer

    def parse_results(self, content: bytes) -> Parsed:
        lines: list[ResultLine] = []
        problems: list[tuple[int, str]] = []
        for number, cells in self.text_rows(content, delimiter="|"):
            if cells[0] in {"H", "T"}:
                continue
            if cells[0] != "R" or len(cells) != 6:
                problems.append(
                    (
                        number,
                        _("Line %(line)s: a Nagad result line starts with R and has 6 fields.")
                        % {"line": number},
                    )
                )
                continue
            _kind, reference, status, code, transaction, amount_text = cells
            amount = parse_amount(amount_text)
            outcome = self.STATUSES.get(status.upper())
            if amount is None:
                problems.append(_amount_problem(number))
            elif outcome is None:
                problems.append(_status_problem(number, status))
            else:
                lines.append(ResultLine(number, reference, outcome, amount, code, transaction))
        return Parsed(lines, problems)

    def render_results(self, rows: Iterable[ResultLine]) -> bytes:
        label = {"PAID": "SUCCESS", "FAILED": "FAILED", "PENDING": "PROCESSING"}
        body = [
            ("R", r.reference, label[r.outcome], r.code, r.transaction, money_text(r.amount or Decimal(0)))
            for r in rows
        ]
        return self.csv_bytes([("H", "RESULT"), *body, ("T", len(body))], delimiter="|")


class RocketAdapter(Adapter):
    provider = Provider.ROCKET
    reasons: ClassVar[dict[str, Payment.Reason]] = {
        "14": Payment.Reason.WALLET_NOT_FOUND,
        "05": Payment.Reason.NAME_MISMATCH,
        "61": Payment.Reason.LIMIT_EXCEEDED,
        "62": Payment.Reason.WALLET_BLOCKED,
        "91": Payment.Reason.TEMPORARY,
    }
    HEADER = ("MOBILE", "AMOUNT", "REFERENCE")
    RESULT_HEADER = ("REFERENCE", "MOBILE", "AMOUNT", "RESULT", "REASON", "TXN_ID")
    PAID_CODE, PENDING_CODE = "00", "09"

    def wallet(self, raw: str) -> str:
        return "+880" + mobile_digits(raw)

    def write(self, *, reference: str, created_on: date, lines: Sequence[FileLine]) -> bytes:
        count, total = self.totals(lines)
        body = [(line.wallet, money_text(line.amount), line.reference) for line in lines]
        return self.csv_bytes([self.HEADER, *body, ("CONTROL", count, money_text(total))])

    def parse_results(self, content: bytes) -> Parsed:
        rows = self.text_rows(content)
        if not rows or tuple(rows[0][1]) != self.RESULT_HEADER:
            return Parsed([], [_header_problem(rows[0][0] if rows else 1, self.RESULT_HEADER)])
        lines: list[ResultLine] = []
        problems: list[tuple[int, str]] = []
        for number, cells in rows[1:]:
            if len(cells) != len(self.RESULT_HEADER):
                problems.append(_header_problem(number, self.RESULT_HEADER))
                continue
            reference, _mobile, amount_text, result, _reason_text, transaction = cells
            amount = parse_amount(amount_text)
            if amount is None:
                problems.append(_amount_problem(number))
                continue
            outcome: Outcome = (
                "PAID" if result == self.PAID_CODE else "PENDING" if result == self.PENDING_CODE else "FAILED"
            )
            code = "" if outcome == "PAID" else result
            lines.append(ResultLine(number, reference, outcome, amount, code, transaction))
        return Parsed(lines, problems)

    def render_results(self, rows: Iterable[ResultLine]) -> bytes:
        def result(row: ResultLine) -> str:
            return {"PAID": self.PAID_CODE, "PENDING": self.PENDING_CODE}.get(row.outcome, row.code or "99")

        body = [
            (r.reference, "", money_text(r.amount or Decimal(0)), result(r), "", r.transaction) for r in rows
        ]
        return self.csv_bytes([self.RESULT_HEADER, *body])


ADAPTERS: dict[str, Adapter] = {
    adapter.provider.value: adapter for adapter in (BkashAdapter(), NagadAdapter(), RocketAdapter())
}


def adapter_for(provider: str) -> Adapter:
    """The adapter of a provider code ("BKASH"); a KeyError for a provider Haven has no adapter for."""
    return ADAPTERS[provider]
