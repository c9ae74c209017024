"""The example templates shipped with Haven, written for this project (not copied from any real form).

Each example is a folder named by its key, holding `meta.json` (its kind of document) and one text file
per language, `<language>.txt`: the first line is the title, then a blank line, then the body with its
placeholders (see `haven/documents/catalogue.py`). They are deliberately generic, for any jurisdiction:
the court, the police station, the law relied on and the orders asked for are typed in when drafting.

To add a language, add a text file; to add an example, add a folder. `install_examples` (a verb, a button
on the templates page and the `install_document_examples` command) adds them to an organisation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Example:
    key: str
    kind: str
    language: str
    title: str
    body: str


def _read(folder: Path, text_file: Path) -> Example:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    title, separator, body = text_file.read_text(encoding="utf-8").partition("\n\n")
    if not separator or not title.strip() or "\n" in title.strip():
        raise ValueError(f"{text_file}: the first line is the title, then a blank line, then the body")
    return Example(folder.name, meta["kind"], text_file.stem, title.strip(), body.strip())


@cache
def examples() -> tuple[Example, ...]:
    """Every example in every language, by key then language."""
    found: list[Example] = []
    for folder in sorted(path for path in HERE.iterdir() if (path / "meta.json").is_file()):
        found.extend(_read(folder, text_file) for text_file in sorted(folder.glob("*.txt")))
    return tuple(found)
