"""Reading the PDFs Haven makes, for tests: their text, the fonts embedded, and what each glyph stands for."""

from __future__ import annotations

import io
import re
from collections import defaultdict

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

BFCHAR = re.compile(r"<([0-9a-fA-F]{4})> <([0-9a-fA-F]*)>")


def reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(data).pages)


def _fonts(data: bytes) -> list[DictionaryObject]:
    found: list[DictionaryObject] = []
    for page in reader(data).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources.get("/Font", DictionaryObject()).get_object()
        found.extend(font.get_object() for font in fonts.values())
    return found


def family_of(base_font: str) -> str:
    """ "/ABCDEF+Noto-Sans-Bengali-Bold" → "Noto Sans Bengali Bold" (the subset tag dropped)."""
    return base_font.lstrip("/").split("+", 1)[-1].replace("-", " ")


def font_families(data: bytes) -> set[str]:
    return {family_of(str(font["/BaseFont"])) for font in _fonts(data)}


def glyph_texts(data: bytes) -> dict[str, list[str]]:
    """Per embedded font, the text each glyph stands for (its ToUnicode entry), one item per glyph.

    Shaping shows here: a conjunct drawn as one glyph stands for several characters, and an Arabic
    letter joined to its neighbours is drawn with several glyphs (its contextual forms)."""
    texts: dict[str, list[str]] = defaultdict(list)
    for font in _fonts(data):
        to_unicode = font["/ToUnicode"].get_object()
        assert isinstance(to_unicode, StreamObject)
        cmap = to_unicode.get_data().decode("latin-1")
        for _glyph, utf16 in BFCHAR.findall(cmap):
            texts[family_of(str(font["/BaseFont"]))].append(bytes.fromhex(utf16).decode("utf-16-be"))
    return texts
