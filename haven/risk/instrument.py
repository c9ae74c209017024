"""Risk instruments as versioned data: the JSON files in `haven/risk/instruments/` and their loader.

An instrument file (`<id>-<version>.json`) holds the items, their answer types, the levels (lowest first),
the rules that give a level, the source and the licence note. The files are the single source of the
texts: `instrument_texts.py` is generated from them so that makemessages finds every text, and pages
translate a text at display time with `gettext(text)`. A new version is a new file beside the old one, so
an assessment stays readable (and re-scorable) under the version it was asked with.

Pure Python, no Django: the loader refuses a malformed file with `InstrumentError` naming the file and
what is wrong, so a bad file stops the app at start-up rather than mid-screen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INSTRUMENT_DIR = Path(__file__).resolve().parent / "instruments"

YES_NO = "yes_no"
YES_NO_UNKNOWN = "yes_no_unknown"
NUMBER = "number"
JUDGEMENT = "judgement"
CALENDAR = "calendar"
ANSWER_TYPES = frozenset({YES_NO, YES_NO_UNKNOWN, NUMBER, JUDGEMENT, CALENDAR})

YES = "yes"
NO = "no"
UNKNOWN = "unknown"
DECLINED = "declined"
CHOICES: Mapping[str, tuple[str, ...]] = {YES_NO: (YES, NO), YES_NO_UNKNOWN: (YES, NO, UNKNOWN, DECLINED)}

CONDITIONS = frozenset({"any_yes", "count_yes", "score_at_least", "number_at_least", "judgement"})
ORG_SHEET = "org_sheet"
SHEET_EXPLAIN = "The weighted score reaches the cut-off of the organisation's scoring sheet for this level."


class InstrumentError(ValueError):
    """A malformed instrument file or scoring sheet; the message says which and what to fix."""


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    answer: str
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class Level:
    code: str
    label: str


@dataclass(frozen=True)
class Rule:
    """When `when` holds, the result is at least `level`; a judgement rule takes its level from the answer."""

    id: str
    explain: str
    when: Mapping[str, Any]
    level: str = ""


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    description: str
    subject: str
    source: str
    licence: str
    items: tuple[Item, ...]
    levels: tuple[Level, ...]
    default_level: str
    score_items: tuple[str, ...]
    rules: tuple[Rule, ...]
    # "fixed": every yes counts 1; ORG_SHEET: weights and cut-offs come from the organisation's sheet.
    weights_from: str = "fixed"
    notice: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.id}-{self.version}"

    @property
    def needs_org_sheet(self) -> bool:
        return self.weights_from == ORG_SHEET

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)

    def rank(self, level: str) -> int:
        return [entry.code for entry in self.levels].index(level)

    def level_label(self, code: str) -> str:
        return next((entry.label for entry in self.levels if entry.code == code), code)

    def texts(self) -> list[str]:
        """Every text a person reads, for translation."""
        texts = [self.title, self.description, self.notice]
        texts += [text for item in self.items for text in (item.text, item.help)]
        texts += [level.label for level in self.levels] + [rule.explain for rule in self.rules]
        return [text for text in texts if text]


def _require(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is str and not value):
        raise InstrumentError(f"{where}: '{key}' is missing or not a {kind.__name__}")
    return value


def _parse_item(data: Any, where: str) -> Item:
    if not isinstance(data, dict):
        raise InstrumentError(f"{where}: an item must be an object")
    item = Item(
        id=_require(data, "id", str, where),
        text=_require(data, "text", str, where),
        answer=_require(data, "answer", str, where),
        required=bool(data.get("required", True)),
        help=str(data.get("help", "")),
    )
    if item.answer not in ANSWER_TYPES:
        raise InstrumentError(f"{where}: item {item.id} has an unknown answer type '{item.answer}'")
    return item


def _parse_level(data: Any, where: str) -> Level:
    if not isinstance(data, dict):
        raise InstrumentError(f"{where}: a level must be an object")
    return Level(_require(data, "code", str, where), _require(data, "label", str, where))


def _parse_rule(data: Any, levels: tuple[Level, ...], items: Mapping[str, Item], where: str) -> Rule:
    if not isinstance(data, dict):
        raise InstrumentError(f"{where}: a rule must be an object")
    rule = Rule(
        id=_require(data, "id", str, where),
        explain=_require(data, "explain", str, where),
        when=_require(data, "when", dict, where),
        level=str(data.get("level", "")),
    )
    check_condition(rule, items, {level.code for level in levels}, where)
    return rule


_NAMED_ITEM_TYPES: Mapping[str, tuple[str, ...]] = {
    "any_yes": (YES_NO, YES_NO_UNKNOWN),
    "count_yes": (YES_NO, YES_NO_UNKNOWN),
    "number_at_least": (NUMBER,),
    "judgement": (JUDGEMENT,),
}


def check_condition(rule: Rule, items: Mapping[str, Item], levels: set[str], where: str) -> None:
    """A rule names exactly one known condition, over items of the right answer type, and a known level."""
    kinds = set(rule.when) & CONDITIONS
    if len(kinds) != 1:
        raise InstrumentError(f"{where}: rule {rule.id} needs exactly one of {sorted(CONDITIONS)}")
    kind = kinds.pop()
    if kind != "judgement" and rule.level not in levels:
        raise InstrumentError(f"{where}: rule {rule.id} gives an unknown level '{rule.level}'")
    named = rule.when[kind]
    wanted = _NAMED_ITEM_TYPES.get(kind, ())
    for item_id in [named] if isinstance(named, str) else (named if isinstance(named, list) else []):
        if item_id not in items or items[item_id].answer not in wanted:
            raise InstrumentError(f"{where}: rule {rule.id} names '{item_id}', not a {'/'.join(wanted)} item")
    number = {"count_yes": "at_least", "number_at_least": "at_least", "score_at_least": "score_at_least"}
    if kind in number and not isinstance(rule.when.get(number[kind]), int):
        raise InstrumentError(f"{where}: rule {rule.id} needs a whole number '{number[kind]}'")


def parse_instrument(data: Any, where: str = "instrument") -> Instrument:
    """Check and build an instrument from a decoded JSON document."""
    if not isinstance(data, dict):
        raise InstrumentError(f"{where}: the file must hold one JSON object")
    for key in ("id", "version", "title", "description", "subject", "source", "licence", "default_level"):
        _require(data, key, str, where)
    raw_items = _require(data, "items", list, where)
    items = {item.id: item for item in (_parse_item(entry, where) for entry in raw_items)}
    if len(items) != len(raw_items):
        raise InstrumentError(f"{where}: two items share an id")
    levels = tuple(_parse_level(entry, where) for entry in _require(data, "levels", list, where))
    if not levels:
        raise InstrumentError(f"{where}: 'levels' is empty")
    if data["default_level"] not in {level.code for level in levels}:
        raise InstrumentError(f"{where}: default_level '{data['default_level']}' is not one of the levels")
    score = _require(data, "score", dict, where)
    score_items = tuple(_require(score, "count_yes", list, where))
    if any(items.get(item_id) is None or items[item_id].answer == NUMBER for item_id in score_items):
        raise InstrumentError(f"{where}: score.count_yes names an unknown or non-yes/no item")
    return Instrument(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data["description"],
        subject=data["subject"],
        source=data["source"],
        licence=data["licence"],
        items=tuple(items.values()),
        levels=levels,
        default_level=data["default_level"],
        score_items=score_items,
        rules=tuple(_parse_rule(entry, levels, items, where) for entry in data.get("rules", [])),
        weights_from=str(score.get("weights_from", "fixed")),
        notice=str(data.get("notice", "")),
        raw=data,
    )


def load_file(path: Path) -> Instrument:
    """One instrument file; its name must be `<id>-<version>.json` as declared inside it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InstrumentError(f"{path.name}: cannot be read as JSON ({exc})") from exc
    instrument = parse_instrument(data, path.name)
    if path.name != f"{instrument.key}.json":
        raise InstrumentError(f"{path.name}: must be named {instrument.key}.json")
    return instrument


class Library:
    """Every version of every instrument of a directory; the newest version is the one to ask."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self._by_key = {instrument.key: instrument for instrument in instruments}

    @classmethod
    def from_directory(cls, directory: Path = INSTRUMENT_DIR) -> Library:
        return cls(load_file(path) for path in sorted(directory.glob("*.json")))

    def get(self, instrument_id: str, version: str | None = None) -> Instrument:
        """That version, or the newest one; KeyError when there is none."""
        if version is not None:
            return self._by_key[f"{instrument_id}-{version}"]
        versions = [i for i in self._by_key.values() if i.id == instrument_id]
        if not versions:
            raise KeyError(instrument_id)
        return max(versions, key=lambda instrument: _version_key(instrument.version))

    def current(self) -> list[Instrument]:
        ids = sorted({instrument.id for instrument in self._by_key.values()})
        return [self.get(instrument_id) for instrument_id in ids]

    def all(self) -> list[Instrument]:
        return list(self._by_key.values())


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


_library: Library | None = None


def library() -> Library:
    """The shipped instruments, loaded once."""
    global _library
    if _library is None:
        _library = Library.from_directory()
    return _library


def texts_module_source(instruments: Iterable[Instrument]) -> str:
    """The source of `instrument_texts.py`: every text, marked for makemessages."""
    texts = sorted({SHEET_EXPLAIN, *(text for instrument in instruments for text in instrument.texts())})
    lines = [
        "# ruff: noqa: E501",
        '"""Generated from haven/risk/instruments/*.json by `python -m haven.risk.instrument`: do not edit.',
        "",
        "Marks every text of the instrument files for makemessages; pages translate them with gettext(text).",
        '"""',
        "",
        "from django.utils.translation import gettext_noop",
        "",
        "# fmt: off",
        "TEXTS = (",
        *[f"    gettext_noop({json.dumps(text, ensure_ascii=False)})," for text in texts],
        ")",
        "# fmt: on",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "instrument_texts.py"
    target.write_text(texts_module_source(Library.from_directory().all()), encoding="utf-8")
