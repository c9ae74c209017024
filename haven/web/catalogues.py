"""Translation catalogues: compiled with Babel (no gettext needed at run time) and checked for drift.

The check proves three things: every language has a catalogue that msgfmt accepts, every message is
translated (no empty or fuzzy entry), and the catalogues hold exactly the messages the code uses today
(`makemessages` is run on a scratch copy of the package and its message ids are compared).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
DOMAIN = "django"


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def target_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def read_catalogue(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language.replace("-", "_"))


def compile_all() -> list[Path]:
    written = []
    for language in target_languages():
        po = catalogue_path(language)
        if not po.exists():
            continue
        catalog = read_catalogue(po, language)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(po.with_suffix(".mo"))
    return written


def _message_keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    keys = set()
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        keys.add((msgid, message.context))
    return keys


def untranslated(catalog: Catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(str(message.id if isinstance(message.id, str) else message.id[0]))
    return missing


def msgfmt_errors(path: Path) -> str:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return "msgfmt is not installed (apt-get install gettext)"
    result = subprocess.run(  # noqa: S603 - the system's msgfmt on our own file
        [msgfmt, "--check-format", "-o", os.devnull, str(path)], capture_output=True, text=True, check=False
    )
    return result.stderr.strip() if result.returncode else ""


def extracted_message_keys() -> set[tuple[str, str | None]]:
    """Run makemessages on a scratch copy of the package and return the message ids it finds."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "haven"
        shutil.copytree(
            settings.BASE_DIR, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "tests")
        )
        (copy / "locale").mkdir()
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-wrap", "--no-location"],
            cwd=copy,
            capture_output=True,
            text=True,
            check=True,
        )
        return _message_keys(read_catalogue(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po", "fr"))


def problems() -> list[str]:
    found: list[str] = []
    wanted = extracted_message_keys()
    for language in target_languages():
        path = catalogue_path(language)
        if not path.exists():
            found.append(f"{language}: no catalogue at {path.relative_to(LOCALE_DIR.parent)}")
            continue
        if error := msgfmt_errors(path):
            found.append(f"{language}: msgfmt rejects the catalogue: {error}")
        catalog = read_catalogue(path, language)
        have = _message_keys(catalog)
        if stale := have - wanted:
            found.append(f"{language}: {len(stale)} messages no longer used, e.g. {sorted(stale)[0][0]!r}")
        if new := wanted - have:
            found.append(f"{language}: {len(new)} messages missing, e.g. {sorted(new)[0][0]!r}")
        if missing := untranslated(catalog):
            found.append(f"{language}: {len(missing)} untranslated, e.g. {missing[0]!r}")
    return found
