"""Instrument files: the shipped ones load, versions sit side by side, a malformed file is refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from haven.risk.instrument import (
    INSTRUMENT_DIR,
    InstrumentError,
    Library,
    library,
    load_file,
    texts_module_source,
)

SHIPPED = json.loads((INSTRUMENT_DIR / "lap-1.json").read_text(encoding="utf-8"))


def test_it_ships_the_four_instruments_with_source_and_licence() -> None:
    counts = {i.id: sum(item.id in i.score_items for item in i.items) for i in library().current()}
    assert counts == {"lap": 11, "dash": 24, "da": 20, "odara": 13}
    assert all(i.source and i.licence for i in library().all())


def test_the_texts_module_is_up_to_date() -> None:
    module = Path(__file__).resolve().parents[1] / "instrument_texts.py"
    expected = texts_module_source(library().all())
    assert module.read_text(encoding="utf-8") == expected, "run: python -m haven.risk.instrument"


def write(directory: Path, data: Any, name: str = "lap-1.json") -> Path:
    path = directory / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_it_asks_the_newest_version_and_keeps_the_old(tmp_path: Path) -> None:
    write(tmp_path, SHIPPED)
    write(tmp_path, SHIPPED | {"version": "2"}, "lap-2.json")
    versions = Library.from_directory(tmp_path)
    assert versions.get("lap").version == "2"
    assert versions.get("lap", "1").version == "1"
    with pytest.raises(KeyError):
        versions.get("lap", "3")


def broken(change: str) -> Any:
    data = copy.deepcopy(SHIPPED)
    if change == "no source":
        del data["source"]
    elif change == "answer type":
        data["items"][0]["answer"] = "free_text"
    elif change == "rule item":
        data["rules"][0]["when"] = {"any_yes": ["q99"]}
    elif change == "rule level":
        data["rules"][0]["level"] = "VERY_HIGH"
    elif change == "two conditions":
        data["rules"][1]["when"]["any_yes"] = ["q1"]
    elif change == "threshold":
        data["rules"][1]["when"]["at_least"] = "four"
    elif change == "duplicate item":
        data["items"].append(data["items"][0])
    elif change == "default level":
        data["default_level"] = "MAYBE"
    return data


@pytest.mark.parametrize(
    "change",
    [
        "no source",
        "answer type",
        "rule item",
        "rule level",
        "two conditions",
        "threshold",
        "duplicate item",
        "default level",
    ],
)
def test_it_refuses_a_malformed_file_and_names_it(tmp_path: Path, change: str) -> None:
    with pytest.raises(InstrumentError, match=r"^lap-1\.json: "):
        load_file(write(tmp_path, broken(change)))


def test_it_refuses_a_file_named_for_another_version(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match=r"must be named lap-1\.json"):
        load_file(write(tmp_path, SHIPPED, "lap-2.json"))


def test_it_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "lap-1.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InstrumentError, match="cannot be read as JSON"):
        load_file(path)
