"""The fields a template may name, and how a template's text is filled in.

Organisation-written text is never run through Django's template engine (that would let a template
reach any attribute of anything in its context). A placeholder is ``{{key}}`` or ``{{key?}}`` where the
key is one of the `CATALOGUE` below; anything else between ``{{`` and ``}}`` is refused when the template
is saved. Filling is one pass of a regular expression: a value that itself contains ``{{…}}`` is printed
as typed, never filled again.

Rules:

- every placeholder is **required** unless it ends with ``?`` (``{{survivor.phone?}}``); a required
  field without a value refuses the draft, naming each missing field and where to fix it. An optional
  field without a value prints nothing.
- fields are **read** from the case (her name and date of birth from her file, the case's code and
  opening date, the latest incident, the legal matter the draft is linked to, the lawyer drafting, the
  organisation, today's date) or **asked**: the lawyer types them on the draft form. Some asked fields are
  suggested from the linked legal matter (the court, the other party's name) and can be changed.
- an address is always asked, never read: her file may hold the shelter she stays in, and a shelter's
  address must never land in a court document that the other side will receive.
- dates are written in the template's language and the organisation's calendar; labels of recorded
  choices (the kind of violence, the kind of matter) in the template's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.cases.gbvims import ViolenceType
from haven.cases.models import Case, Incident
from haven.web import calendars

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.legal.models import Matter

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
KEY = re.compile(r"\s*([a-z_]+(?:\.[a-z_]+)*)(\?)?\s*")


@dataclass
class Source:
    """What a draft is filled from. Values are read lazily: only the fields a template names are read."""

    case: Case
    matter: Matter | None
    drafter: User
    language: str
    calendar: str
    today: date

    @cached_property
    def incident(self) -> Incident | None:
        return Incident.objects.filter(case=self.case).order_by("-occurred_on", "-recorded_at").first()

    def written_date(self, value: date | None) -> str:
        return "" if value is None else calendars.format_date(value, self.calendar, self.language)


Reader = Callable[[Source], str]


@dataclass(frozen=True)
class Field:
    """One key of the catalogue: its label, the group it is shown in, and how it gets its value.

    `read` is None for an asked field. `fix` says where to add a missing read value; `suggest` gives an
    asked field's starting value (from the linked legal matter); `long` asks for several lines."""

    key: str
    label: Promise
    group: Promise
    read: Reader | None = None
    fix: Promise | None = None
    suggest: Reader | None = None
    long: bool = False
    help: Promise | None = None

    @property
    def is_asked(self) -> bool:
        return self.read is None


def _incident_value(read: Callable[[Incident], str]) -> Reader:
    return lambda source: read(source.incident) if source.incident is not None else ""


def _matter_value(read: Callable[[Matter], str]) -> Reader:
    return lambda source: read(source.matter) if source.matter is not None else ""


def _drafter_name(source: Source) -> str:
    return str(source.drafter.get_full_name()).strip()


HER_FILE = gettext_lazy("Her file")
THE_CASE = gettext_lazy("The case")
THE_MATTER = gettext_lazy("The legal matter")
DRAFTING = gettext_lazy("Who drafts it, and when")
ASKED = gettext_lazy("Typed in when drafting")

ON_HER_FILE = gettext_lazy("add it on her file")
RECORD_INCIDENT = gettext_lazy("record an incident on her case")
ON_THE_MATTER = gettext_lazy("link the draft to a legal matter that has it")

CATALOGUE_FIELDS: tuple[Field, ...] = (
    Field(
        "survivor.name",
        gettext_lazy("Her name"),
        HER_FILE,
        read=lambda source: str(source.case.survivor.name).strip(),
        fix=ON_HER_FILE,
    ),
    Field(
        "survivor.date_of_birth",
        gettext_lazy("Her date of birth"),
        HER_FILE,
        read=lambda source: source.written_date(source.case.survivor.born_on),
        fix=ON_HER_FILE,
    ),
    Field(
        "survivor.address",
        gettext_lazy("Her address for service"),
        ASKED,
        help=gettext_lazy(
            "Where papers may be sent to her safely: her lawyer's or the organisation's public office, "
            "never the shelter or a place she hides."
        ),
    ),
    Field("survivor.phone", gettext_lazy("A phone number where she can safely be reached"), ASKED),
    Field(
        "case.code",
        gettext_lazy("The case's code"),
        THE_CASE,
        read=lambda source: source.case.survivor.survivor_code,
    ),
    Field(
        "case.opened_on",
        gettext_lazy("The date the case was opened"),
        THE_CASE,
        read=lambda source: source.written_date(source.case.opened_at.date()),
    ),
    Field(
        "incident.date",
        gettext_lazy("The date of the latest incident"),
        THE_CASE,
        read=lambda source: source.written_date(source.incident.occurred_on if source.incident else None),
        fix=RECORD_INCIDENT,
    ),
    Field(
        "incident.type",
        gettext_lazy("The kind of violence in the latest incident"),
        THE_CASE,
        read=_incident_value(lambda incident: str(ViolenceType(incident.violence_type).label)),
        fix=RECORD_INCIDENT,
    ),
    Field(
        "incident.place",
        gettext_lazy("The kind of place of the latest incident"),
        THE_CASE,
        read=_incident_value(lambda incident: str(incident.get_place_type_display())),
        fix=RECORD_INCIDENT,
    ),
    Field(
        "matter.reference",
        gettext_lazy("The legal matter's reference"),
        THE_MATTER,
        read=_matter_value(lambda matter: matter.reference),
        fix=ON_THE_MATTER,
    ),
    Field(
        "matter.kind",
        gettext_lazy("The kind of legal matter"),
        THE_MATTER,
        read=_matter_value(lambda matter: str(matter.get_kind_display())),
        fix=ON_THE_MATTER,
    ),
    Field(
        "matter.court",
        gettext_lazy("The matter's court"),
        THE_MATTER,
        read=_matter_value(lambda matter: matter.court),
        fix=ON_THE_MATTER,
    ),
    Field(
        "matter.court_number",
        gettext_lazy("The court's file number"),
        THE_MATTER,
        read=_matter_value(lambda matter: matter.court_number),
        fix=ON_THE_MATTER,
    ),
    Field(
        "matter.opposing_party",
        gettext_lazy("The other party's name, as on the matter"),
        THE_MATTER,
        read=_matter_value(lambda matter: str(matter.opposing_party_name)),
        fix=ON_THE_MATTER,
    ),
    Field(
        "drafter.name",
        gettext_lazy("The name of the person drafting"),
        DRAFTING,
        read=_drafter_name,
        fix=gettext_lazy("ask your administrator to add your name to your account"),
    ),
    Field(
        "organisation.name",
        gettext_lazy("The organisation's name"),
        DRAFTING,
        read=lambda source: source.case.org.name,
    ),
    Field(
        "today",
        gettext_lazy("Today's date"),
        DRAFTING,
        read=lambda source: source.written_date(source.today),
    ),
    Field(
        "court.name",
        gettext_lazy("The court or authority it is addressed to"),
        ASKED,
        suggest=_matter_value(lambda matter: matter.court),
    ),
    Field("police.station", gettext_lazy("The police station it is addressed to"), ASKED),
    Field(
        "respondent.name",
        gettext_lazy("The name of the man (or person) she complains of"),
        ASKED,
        suggest=_matter_value(lambda matter: str(matter.opposing_party_name)),
    ),
    Field(
        "respondent.address",
        gettext_lazy("His address, as far as it is known"),
        ASKED,
    ),
    Field(
        "law.basis",
        gettext_lazy("The law relied on (statute and sections)"),
        ASKED,
    ),
    Field("facts", gettext_lazy("What happened, in order"), ASKED, long=True),
    Field("relief", gettext_lazy("What she asks the court to order"), ASKED, long=True),
    Field("children", gettext_lazy("The children concerned"), ASKED, long=True),
    Field("claim.amount", gettext_lazy("The amount claimed"), ASKED),
    Field("signed.place", gettext_lazy("The place where it is signed"), ASKED),
)


CATALOGUE: dict[str, Field] = {field.key: field for field in CATALOGUE_FIELDS}


GROUPS = (HER_FILE, THE_CASE, THE_MATTER, DRAFTING, ASKED)


def grouped_catalogue() -> list[tuple[str, list[Field]]]:
    """The catalogue by group (what is read, then what is typed in), for the help beside the form."""
    return [(str(group), [field for field in CATALOGUE.values() if field.group is group]) for group in GROUPS]


# --- reading a template's placeholders -----------------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    key: str
    required: bool


def placeholders(body: str) -> list[Placeholder]:
    """The catalogue fields a body names, once each, in order of first use. A field written both with and
    without ``?`` is required. Unknown or malformed placeholders are left out (see `unknown_placeholders`)."""
    found: dict[str, bool] = {}
    for match in PLACEHOLDER.finditer(body):
        parsed = KEY.fullmatch(match.group(1))
        if parsed is None or parsed.group(1) not in CATALOGUE:
            continue
        key, required = parsed.group(1), parsed.group(2) is None
        found[key] = found.get(key, False) or required
    return [Placeholder(key, required) for key, required in found.items()]


def unknown_placeholders(body: str) -> list[str]:
    """Every ``{{…}}`` that is not a catalogue key (as written), and a ``{{`` never closed."""
    unknown = [
        match.group(0)
        for match in PLACEHOLDER.finditer(body)
        if (parsed := KEY.fullmatch(match.group(1))) is None or parsed.group(1) not in CATALOGUE
    ]
    rest = PLACEHOLDER.sub("", body)
    if "{{" in rest or "}}" in rest:
        unknown.append("{{" if "{{" in rest else "}}")
    return list(dict.fromkeys(unknown))


def check_body(body: str) -> None:
    """Refuse a template body that names anything outside the catalogue, listing what it names."""
    unknown = unknown_placeholders(body)
    if unknown:
        raise ValidationError(
            {
                "body": _(
                    "These placeholders are not fields Haven knows: %(unknown)s. Use the fields listed "
                    "beside the form, written like {{survivor.name}}."
                )
                % {"unknown": ", ".join(unknown)}
            }
        )


def asked_fields(body: str) -> list[tuple[Field, bool]]:
    """The asked fields a body names, with whether each is required, in order of first use."""
    return [(CATALOGUE[p.key], p.required) for p in placeholders(body) if CATALOGUE[p.key].is_asked]


def suggestions(body: str, source: Source) -> dict[str, str]:
    """Starting values of the asked fields that can be suggested (from the linked legal matter)."""
    suggested = {}
    for field, _required in asked_fields(body):
        if field.suggest is not None:
            suggested[field.key] = field.suggest(source)
    return {key: value for key, value in suggested.items() if value}


# --- filling -------------------------------------------------------------------------------------------


class MissingFields(ValidationError):
    """Required fields without a value; `error_dict` maps each key to "label — where to fix it"."""


def missing_message(field: Field) -> str:
    fix = field.fix if not field.is_asked else gettext_lazy("fill it in on the draft form")
    return _("%(label)s — %(fix)s") % {"label": field.label, "fix": fix}


def resolve(body: str, source: Source, asked: Mapping[str, str]) -> dict[str, str]:
    """The value of every field the body names, read from `source` (in the template's language) or taken
    from `asked`; raises `MissingFields` listing every required field left without a value."""
    values: dict[str, str] = {}
    missing: list[Field] = []
    with translation.override(source.language):
        for placeholder in placeholders(body):
            field = CATALOGUE[placeholder.key]
            value = (asked.get(field.key) or "") if field.read is None else field.read(source)
            values[field.key] = value.strip()
            if placeholder.required and not values[field.key]:
                missing.append(field)
    if missing:
        raise MissingFields({field.key: missing_message(field) for field in missing})
    return values


def missing_from_case(body: str, source: Source) -> list[str]:
    """What the draft would be refused for whatever is typed in: required fields read from the case that
    have no value (shown before the lawyer starts typing)."""
    with translation.override(source.language):
        empty = [
            CATALOGUE[p.key]
            for p in placeholders(body)
            if p.required and (read := CATALOGUE[p.key].read) is not None and not read(source).strip()
        ]
    return [missing_message(field) for field in empty]


def fill(body: str, values: Mapping[str, str]) -> str:
    """The body with each known placeholder replaced by its value, in one pass (values are never filled
    again). Unknown placeholders cannot be here: bodies are checked when saved."""

    def replace(match: re.Match[str]) -> str:
        parsed = KEY.fullmatch(match.group(1))
        if parsed is None or parsed.group(1) not in CATALOGUE:
            return match.group(0)
        return values.get(parsed.group(1), "")

    return PLACEHOLDER.sub(replace, body)


def missing_summary(error: ValidationError) -> str:
    """One sentence listing what is missing, for a page's message."""
    texts: Iterable[str] = error.messages
    return _("This document cannot be drafted yet. Missing: %(fields)s.") % {"fields": "; ".join(texts)}
