"""PDFs from templates: shaped in the Noto family of each script, offline, anonymous, and explained when
the server cannot make them."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from pypdf.generic import DictionaryObject

from haven.web import pdf
from haven.web.tests.pdf_support import font_families, glyph_texts, reader, text_of

DOCUMENT = """{% extends "web/pdf_base.html" %}{% load i18n %}{% block content %}
<h1>{% translate "Notes" %}</h1><p class="text">{{ text }}</p>{{ extra|safe }}{% endblock %}"""


def _templates() -> list[dict[str, Any]]:
    engine: dict[str, Any] = dict(settings.TEMPLATES[0])
    options = dict(engine["OPTIONS"])
    options["loaders"] = [
        ("django.template.loaders.locmem.Loader", {"test/document.html": DOCUMENT}),
        "django.template.loaders.app_directories.Loader",
    ]
    return [engine | {"APP_DIRS": False, "OPTIONS": options}]


@pytest.fixture(autouse=True)
def _document_template() -> Iterator[None]:
    with override_settings(TEMPLATES=_templates()):
        yield


@pytest.fixture
def _fresh_checks() -> Iterator[None]:
    """The availability checks are cached per process; a test that fakes a broken server clears them."""
    cached = (pdf._weasyprint, pdf.installed_family)
    for check in cached:
        check.cache_clear()
    yield
    for check in cached:
        check.cache_clear()


def render(text: str, language: str, extra: str = "") -> bytes:
    return pdf.render_pdf("test/document.html", {"text": text, "extra": extra}, language=language)


# Text that survives extraction from a PDF whatever the script: Bengali and Devanagari words with no vowel
# sign drawn before its consonant (see docs/decisions.md, "Known limit").
WRITTEN = {
    "bn": ("ক্ষমা স্ত্রী ঢাকা রাস্তা", "Noto Sans Bengali"),
    "hi": ("सुरक्षा श्री दुकान रास्ता", "Noto Sans Devanagari"),
    "pa": ("ਸੁਰੱਖਿਅਤ ਥਾਂ ਭੈਣ ਦਾ ਘਰ", "Noto Sans Gurmukhi"),
    "ar": ("مكان آمن: بيت أختي", "Noto Naskh Arabic"),
    "fa": ("خانه خواهرم امن است", "Noto Naskh Arabic"),
    "ru": ("Безопасное место: дом сестры", "Noto Sans"),
    "ur": ("محفوظ", "Noto Nastaliq Urdu"),
}


@pytest.mark.parametrize("language", sorted(WRITTEN))
def test_each_script_is_set_in_its_noto_family(language: str) -> None:
    text, family = WRITTEN[language]
    document = render(text, language)
    assert family in font_families(document)
    assert all(name.startswith("Noto ") for name in font_families(document)), font_families(document)


@pytest.mark.parametrize("language", ["bn", "hi", "pa", "ar", "fa", "ru"])
def test_the_text_comes_back_out_of_the_pdf(language: str) -> None:
    text, _family = WRITTEN[language]
    assert text in text_of(render(text, language))


def test_bengali_and_devanagari_conjuncts_are_shaped_into_one_glyph() -> None:
    # Without shaping, ক + ্ + ষ would be three glyphs side by side (a visible virama); shaped, it is one
    # glyph standing for all three characters.
    bengali = glyph_texts(render("ক্ষমা রাস্তা", "bn"))["Noto Sans Bengali"]
    assert "ক্ষ" in bengali and "স্ত" in bengali
    devanagari = glyph_texts(render("क्षमा", "hi"))["Noto Sans Devanagari"]
    assert "क्ष" in devanagari and "्" not in devanagari


def test_arabic_letters_take_their_joining_forms() -> None:
    # ب alone, at the start, in the middle and at the end of a word: four different glyphs when shaped,
    # one glyph four times when not.
    glyphs = glyph_texts(render("باب كتب صبر", "ar"))["Noto Naskh Arabic"]
    assert glyphs.count("ب") >= 3


def test_right_to_left_languages_are_marked_rtl() -> None:
    assert [pdf.direction_of(code) for code in ("ar", "fa", "ur", "bn", "ru")] == [
        "rtl",
        "rtl",
        "rtl",
        "ltr",
        "ltr",
    ]
    catalog = reader(render("مكان آمن", "ar")).trailer["/Root"].get_object()
    assert isinstance(catalog, DictionaryObject) and str(catalog["/Lang"]) == "ar"
    assert "Noto Naskh Arabic" in pdf.font_stylesheet("ar").split(",")[0]
    assert pdf.font_stylesheet("ur").startswith('html { font-family: "Noto Nastaliq Urdu"')


def test_nothing_in_the_metadata_names_her_or_the_document() -> None:
    metadata = reader(render("Synthetic Survivor, 12 Hidden Lane", "en")).metadata
    assert metadata is not None
    assert metadata.title == "Notes"
    assert metadata.author is None and metadata.subject is None and metadata.keywords is None
    assert "Survivor" not in str(dict(metadata))


def test_it_never_goes_to_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*_args: Any) -> None:
        raise AssertionError("the PDF renderer tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    outside = (
        '<img src="https://tracker.example/pixel.png"><link rel="stylesheet" href="http://cdn.example/a.css">'
    )
    document = render("Offline", "en", extra=outside)
    assert "Offline" in text_of(document)


def test_the_fetcher_serves_only_havens_static_files() -> None:
    fetcher = pdf._static_fetcher()
    for refused in (
        "http://example.org/a.css",
        "https://example.org/static/risk/print.css",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match="Haven's PDFs"):
            fetcher.fetch(refused)
    with pytest.raises(ValueError, match="static"):
        fetcher.fetch(f"https://{pdf.STATIC_HOST}/media/secret.txt")
    served = fetcher.fetch(f"https://{pdf.STATIC_HOST}/static/risk/print.css")
    assert b"safety-plan" in served.read()


@pytest.mark.usefixtures("_fresh_checks")
def test_without_weasyprint_it_says_so_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now raises ImportError
    with pytest.raises(pdf.PdfUnavailable, match="PDF printing is not available on this server") as raised:
        render("Anything", "en")
    assert "Pango are missing" in str(raised.value)


@pytest.mark.usefixtures("_fresh_checks")
def test_without_the_noto_fonts_it_says_so_rather_than_print_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "installed_family", lambda family: "DejaVu Sans")
    with pytest.raises(pdf.PdfUnavailable, match="ask your administrator") as raised:
        render("ক্ষমা", "bn")
    assert raised.value.detail == "fonts: Noto Sans Bengali, Noto Sans"


def test_the_installed_families_are_the_ones_asked_for() -> None:
    for family in ("Noto Sans", "Noto Sans Bengali", "Noto Naskh Arabic", "Noto Nastaliq Urdu"):
        assert pdf.installed_family(family) == family
    assert pdf.installed_family("No Such Family Anywhere") != "No Such Family Anywhere"
