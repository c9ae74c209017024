"""Checking that text comes back out of a PDF, in scripts whose text layer is lossy.

A PDF gives each glyph one piece of text for the whole file (its ToUnicode entry), set by WeasyPrint the
first time the glyph is drawn. In Bengali and Devanagari a consonant drawn with a vowel sign is a cluster of
several glyphs, and only the last glyph of a cluster carries the cluster's text: a consonant first met in
such a cluster stands for nothing anywhere else in the document, and a vowel sign may stand for a consonant
it once followed (docs/decisions.md, "Known limit"). Comparing extracted text with the typed value would
fail on a correct PDF.

So the expected text is put through the same loss: shaped on its own with the same fonts, and its glyphs
read through the document's own ToUnicode map. If the PDF draws the value's glyphs, in order, the text
extracted from it contains the value "as the PDF spells it"; a value that is missing, misspelt or set
unshaped (other glyphs) is not found.
"""

from __future__ import annotations

import unicodedata

import weasyprint
from django.utils.html import escape
from pypdf.generic import (
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    StreamObject,
    TextStringObject,
)

from haven.web import pdf
from haven.web.tests.pdf_support import BFCHAR, _fonts, family_of, reader, text_of

Glyph = tuple[str, int]  # (font family, glyph id)


def _to_unicode(data: bytes) -> dict[Glyph, str]:
    mapping: dict[Glyph, str] = {}
    for font in _fonts(data):
        family = family_of(str(font["/BaseFont"]))
        to_unicode = font["/ToUnicode"].get_object()
        assert isinstance(to_unicode, StreamObject)
        cmap = to_unicode.get_data().decode("latin-1")
        for glyph, utf16 in BFCHAR.findall(cmap):
            mapping[(family, int(glyph, 16))] = bytes.fromhex(utf16).decode("utf-16-be")
    return mapping


def _drawn_glyphs(data: bytes) -> list[Glyph]:
    """Every glyph the pages draw, in the order of the content streams (Identity-H: two bytes a glyph)."""
    document = reader(data)
    glyphs: list[Glyph] = []
    for page in document.pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources["/Font"].get_object()
        assert isinstance(fonts, DictionaryObject)
        family = ""
        for operands, operator in ContentStream(page.get_contents(), document).operations:
            if operator == b"Tf":
                font = fonts[operands[0]].get_object()
                assert isinstance(font, DictionaryObject)
                family = family_of(str(font["/BaseFont"]))
            elif operator in (b"TJ", b"Tj"):
                parts = operands[0] if operator == b"TJ" else [operands[0]]
                for part in parts:
                    if isinstance(part, (TextStringObject, ByteStringObject)):
                        raw = part.original_bytes
                        glyphs.extend((family, int.from_bytes(raw[i : i + 2])) for i in range(0, len(raw), 2))
    return glyphs


def _shaped(text: str, language: str, heading: bool) -> list[Glyph]:
    """The glyphs `text` is drawn with, set on its own as `render_pdf` sets a document in `language`."""
    # On one long line, so that no space is lost where a line would wrap.
    page = "@page { size: 5000mm 50mm; } p, h1 { white-space: nowrap; }"
    direction = pdf.direction_of(language)
    html = f'<html lang="{language}" dir="{direction}"><body><p>{escape(text)}</p></body></html>'
    if heading:  # the same weight as the document's title, hence the same glyphs
        html = html.replace("<p>", "<h1>").replace("</p>", "</h1>")
    stylesheet = weasyprint.CSS(string=pdf.font_stylesheet(language) + page)
    return _drawn_glyphs(weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet]))


def _collapsed(text: str) -> str:
    # White space goes: the extractor breaks lines where they wrap, and adds a space where a mark is
    # pushed sideways (Bengali's chandrabindu). Zero-width (non-)joiners, which the text layer drops, are
    # format characters (Cf). The letters and their order are what is compared.
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def as_the_pdf_spells_it(document: bytes, text: str, language: str, heading: bool = False) -> str:
    """`text` as the document's text layer would give it back ("\ufffd" for a glyph it never draws)."""
    layer = _to_unicode(document)
    texts = [layer.get(glyph, "\ufffd") for glyph in _shaped(text, language, heading)]
    if pdf.direction_of(language) == "rtl":
        # Right-to-left lines are drawn from their left end; the extractor gives them back in reading
        # order, glyph by glyph (a ligature's text stays whole).
        texts.reverse()
    return "".join(texts)


def comes_back(document: bytes, text: str, language: str, heading: bool = False) -> bool:
    """Whether the text extracted from `document` contains `text` as the document spells it (`heading`:
    set as the document's title is)."""
    spelt = as_the_pdf_spells_it(document, text, language, heading)
    return _collapsed(spelt) in _collapsed(text_of(document))


def line_starts(document: bytes) -> list[float]:
    """Where each line of the first page starts, from the page's left edge, as a share of its width."""
    page = reader(document).pages[0]
    width = float(page.mediabox.width)
    scale = 1.0
    starts = []
    for operands, operator in ContentStream(page.get_contents(), reader(document)).operations:
        if operator == b"cm":
            scale *= float(operands[0])
        elif operator == b"Tm":
            starts.append(float(operands[4]) * scale / width)
    return starts
