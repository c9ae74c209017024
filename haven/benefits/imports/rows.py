"""One row of a registry file: checked, normalised and blind-indexed, or refused with a reason per column.

Each problem is (column, message); the message never quotes the value, since many columns identify a
woman (`columns.IDENTIFYING`). Normalisation is the people app's: national IDs through
`normalise_identifier`, phones to E.164 through `normalise_phone`, blind indexes through the same
`identifier_index`/`blind_index` as `register_person`, so an imported woman is found by the same search.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from haven.orgs.models import Area, Organisation
from haven.people.models import HouseholdMember, Person
from haven.privacy.blind import NormalisationError, blind_index, normalise_identifier, normalise_phone

Problem = tuple[str, str]

NAME_MAX = 200
REGISTRY_NUMBER_MAX = 40
# Bangladesh's national ID: 10 digits (smart card), 13 (old card) or 17 (old card with the birth year).
BD_NID_LENGTHS = (10, 13, 17)
OTHER_NID_LENGTHS = range(5, 21)
# Excel stores numbers as doubles: past 15 digits the last ones are already lost in the file.
EXCEL_EXACT_DIGITS = 15
OLDEST_BIRTH = date(1900, 1, 1)
WALLET_PROVIDERS = {"bkash": "BKASH", "nagad": "NAGAD", "rocket": "ROCKET"}
NID_KIND = Person.IdKind.NATIONAL_ID.value

_YES = frozenset({"yes", "y", "true", "1", "হ্যাঁ"})
_NO = frozenset({"", "no", "n", "false", "0", "না"})
_SEX = {
    "female": "FEMALE",
    "f": "FEMALE",
    "male": "MALE",
    "m": "MALE",
    "other": "OTHER",
    "": "UNKNOWN",
    "unknown": "UNKNOWN",
    "not_known": "UNKNOWN",
}
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(slots=True)
class ParsedRow:
    row: int
    registry_number: str
    name: str
    latin_name: str
    sex: str
    born_on: date | None
    nid: str
    nid_index: str
    phone: str
    phone_index: str
    mobile_is_own: bool
    area_id: uuid.UUID
    household_key: str
    is_head: bool
    relationship: str
    marital_status: str
    land_decimals: Decimal | None
    monthly_income: int | None
    disabled_member: bool
    wallet_provider: str
    wallet_number: str


class AreaLookup:
    """The organisation's unions by official code and by name; a name two unions share is ambiguous."""

    AMBIGUOUS = uuid.UUID(int=0)

    def __init__(self, org: Organisation) -> None:
        unions = Area.objects.filter(org=org, level=Area.Level.LOCALITY).values_list("pk", "code", "name")
        self.by_code: dict[str, uuid.UUID] = {}
        self.by_name: dict[str, uuid.UUID] = {}
        for pk, code, name in unions:
            if code:
                self.by_code[code.strip().casefold()] = pk
            key = " ".join(name.split()).casefold()
            self.by_name[key] = self.AMBIGUOUS if key in self.by_name else pk

    def find(self, text: str) -> uuid.UUID | Problem:
        key = " ".join(text.split()).casefold()
        found = self.by_code.get(key) or self.by_name.get(key)
        if found is None:
            return ("union", _("No union of your organisation has this code or name."))
        if found == self.AMBIGUOUS:
            return ("union", _("Several unions have this name: write the union's official code instead."))
        return found


@dataclass(frozen=True)
class RowContext:
    org_id: uuid.UUID
    country: str
    areas: AreaLookup
    today: date


def text(cell: Any) -> str:
    """A cell as trimmed text; an integral Excel number without its ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    return " ".join(str(cell).split())


class RowParser:
    """Parses rows of one file; collects problems instead of stopping at the first, so one pass over the
    file lists everything to fix."""

    def __init__(self, context: RowContext) -> None:
        self.context = context
        self.problems: list[Problem] = []

    def parse(self, row: int, cells: dict[str, Any]) -> ParsedRow | list[Problem]:
        self.problems = []

        def get(key: str) -> str:
            return text(cells.get(key))

        nid, nid_index = self._nid(cells.get("nid"))
        phone, phone_index = self._phone("mobile", get("mobile"))
        household_key = get("household_key")
        is_head = self._yes_no("head", get("head"))
        if is_head and not household_key:
            self._refuse("head", _("A head of household needs a household key in the same row."))
        wallet_provider, wallet_number = self._wallet(get("wallet_provider"), get("wallet_number"))
        parsed = ParsedRow(
            row=row,
            registry_number=self._registry_number(get("registry_number")),
            name=self._name(get("name")),
            latin_name=self._limited("latin_name", get("latin_name")),
            sex=self._choice("sex", get("sex"), _SEX, _("Write female, male or other.")),
            born_on=self._birth(cells.get("born_on")),
            nid=nid,
            nid_index=nid_index,
            phone=phone,
            phone_index=phone_index,
            mobile_is_own=self._yes_no("mobile_is_own", get("mobile_is_own")),
            area_id=self._area(get("union")),
            household_key=household_key,
            is_head=is_head,
            relationship=self._relationship(get("relationship")),
            marital_status=self._marital(get("marital_status")),
            land_decimals=self._land(get("land_decimals")),
            monthly_income=self._income(get("monthly_income")),
            disabled_member=self._yes_no("disabled_member", get("disabled_member")),
            wallet_provider=wallet_provider,
            wallet_number=wallet_number,
        )
        return self.problems or parsed

    def _refuse(self, column: str, message: str) -> None:
        self.problems.append((column, message))

    def _required(self, column: str, value: str) -> str:
        if not value:
            self._refuse(column, _("This column cannot be empty."))
        return value

    def _limited(self, column: str, value: str, limit: int = NAME_MAX) -> str:
        if len(value) > limit:
            self._refuse(column, _("Too long: at most %(limit)s characters.") % {"limit": limit})
        return value

    def _registry_number(self, value: str) -> str:
        return self._limited("registry_number", self._required("registry_number", value), REGISTRY_NUMBER_MAX)

    def _name(self, value: str) -> str:
        return self._limited("name", self._required("name", value))

    def _choice(self, column: str, value: str, choices: dict[str, str], message: str) -> str:
        code = choices.get(value.casefold().replace(" ", "_"))
        if code is None:
            self._refuse(column, message)
            return ""
        return code

    def _yes_no(self, column: str, value: str) -> bool:
        folded = value.casefold()
        if folded in _YES:
            return True
        if folded not in _NO:
            self._refuse(column, _("Write yes or no."))
        return False

    def _birth(self, cell: Any) -> date | None:
        if isinstance(cell, datetime):
            born: date | None = cell.date()
        elif isinstance(cell, date):
            born = cell
        else:
            born = self._parse_date(text(cell))
        if born is not None and born > self.context.today:
            self._refuse("born_on", _("The date of birth cannot be in the future."))
        elif born is not None and born < OLDEST_BIRTH:
            self._refuse("born_on", _("The date of birth is before 1900: check the year."))
        return born

    def _parse_date(self, value: str) -> date | None:
        if not value:
            return None
        iso, day_first = _ISO.match(value), _DAY_FIRST.match(value)
        try:
            if iso:
                return date(int(iso[1]), int(iso[2]), int(iso[3]))
            if day_first:
                return date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
        except ValueError:
            self._refuse("born_on", _("This date does not exist in the calendar."))
            return None
        self._refuse("born_on", _("Write the date as YYYY-MM-DD or DD/MM/YYYY."))
        return None

    def _nid(self, cell: Any) -> tuple[str, str]:
        if isinstance(cell, float) and abs(cell) >= 10**EXCEL_EXACT_DIGITS:
            self._refuse(
                "nid",
                _("Excel stored this ID as a number and lost its last digits: format the column as text."),
            )
            return "", ""
        raw = text(cell)
        if not raw:
            return "", ""
        try:
            digits = normalise_identifier(raw)
        except NormalisationError:
            digits = ""
        lengths = BD_NID_LENGTHS if self.context.country.upper() == "BD" else OTHER_NID_LENGTHS
        if not digits.isdigit() or len(digits) not in lengths:
            message = (
                _("A Bangladesh national ID has 10, 13 or 17 digits.")
                if self.context.country.upper() == "BD"
                else _("A national ID has 5 to 20 digits.")
            )
            self._refuse("nid", message)
            return "", ""
        return digits, blind_index(self.context.org_id, f"id:{NID_KIND}", digits)

    def _phone(self, column: str, value: str) -> tuple[str, str]:
        if not value:
            return "", ""
        try:
            normalised = normalise_phone(value, self.context.country)
        except NormalisationError:
            self._refuse(column, _("This is not a phone number Haven can read."))
            return "", ""
        return normalised, blind_index(self.context.org_id, "phone", normalised)

    def _area(self, value: str) -> uuid.UUID:
        if not self._required("union", value):
            return AreaLookup.AMBIGUOUS
        found = self.context.areas.find(value)
        if isinstance(found, tuple):
            self.problems.append(found)
            return AreaLookup.AMBIGUOUS
        return found

    def _relationship(self, value: str) -> str:
        if not value:
            return HouseholdMember.Relationship.OTHER_RELATIVE.value
        choices = {code.casefold(): code for code in HouseholdMember.Relationship.values}
        return self._choice(
            "relationship",
            value,
            choices,
            _("Write child, partner, parent, sibling, other_relative or other."),
        )

    def _marital(self, value: str) -> str:
        if not value:
            return Person.MaritalStatus.NOT_KNOWN.value
        choices = {code.casefold(): code for code in Person.MaritalStatus.values}
        return self._choice(
            "marital_status",
            value,
            choices,
            _("Write single, married, separated, divorced, widowed, abandoned, other or not_known."),
        )

    def _land(self, value: str) -> Decimal | None:
        if not value:
            return None
        try:
            land = Decimal(value)
        except InvalidOperation:
            land = Decimal(-1)
        if not land.is_finite() or land < 0 or land >= 10**6 or land != land.quantize(Decimal("0.01")):
            self._refuse("land_decimals", _("Write the land in decimals: a number from 0, e.g. 12.5."))
            return None
        return land

    def _income(self, value: str) -> int | None:
        if not value:
            return None
        if not value.isdigit() or int(value) >= 2**31:
            self._refuse("monthly_income", _("Write the income as a whole number of taka, 0 or more."))
            return None
        return int(value)

    def _wallet(self, provider: str, number: str) -> tuple[str, str]:
        if not provider and not number:
            return "", ""
        code = WALLET_PROVIDERS.get(provider.casefold())
        if code is None:
            self._refuse("wallet_provider", _("Write bkash, nagad or rocket, with the wallet's number."))
        if not number:
            self._refuse("wallet_number", _("Give the wallet's number with its provider."))
            return code or "", ""
        normalised, _index = self._phone("wallet_number", number)
        return code or "", normalised
