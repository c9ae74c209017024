"""Documents as PDF: a Django template rendered by WeasyPrint, set in the Noto family of the document's
script so Bengali, Devanagari, Gurmukhi and Arabic-script text is shaped (conjuncts, joining, right to
left) exactly as on screen.

Shared by every document Haven prints (safety plans now; legal documents drafted from templates later).
Three promises hold for every PDF:

- no network: the renderer may read Haven's own static files and nothing else, so a document can neither
  leak that it was opened nor depend on a server being reachable;
- nothing in the file's metadata identifies her: a generic title, no author, no keywords;
- when the server lacks WeasyPrint, Pango or the Noto fonts, `PdfUnavailable` says so in the user's
  language (pages show it as a message), never a server error or a PDF in the wrong glyphs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

LATIN = "Noto Sans"
"""Latin, Cyrillic and Greek (English, French, Spanish, Russian, Kazakh...)."""

SCRIPT_FAMILIES: dict[str, str] = {
    "bn": "Noto Sans Bengali",
    "hi": "Noto Sans Devanagari",
    "pa": "Noto Sans Gurmukhi",
    "ar": "Noto Naskh Arabic",
    "fa": "Noto Naskh Arabic",
    "ur": "Noto Nastaliq Urdu",
}
"""The family a language's own script is set in; languages not listed are written in `LATIN`."""

FALLBACK_FAMILIES = ("Noto Sans Bengali", "Noto Sans Devanagari", "Noto Sans Gurmukhi", "Noto Naskh Arabic")
"""After the document's own families: a name or a word in another script is still set in Noto."""

RIGHT_TO_LEFT = frozenset({"ar", "fa", "ur", "he"})

STATIC_HOST = "haven.invalid"
"""The base URL's host. `.invalid` never resolves, and the fetcher answers it from the static files."""


class PdfUnavailable(Exception):
    """This server cannot make PDFs (WeasyPrint, Pango or the Noto fonts are missing)."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            _(
                "PDF printing is not available on this server: ask your administrator to run the setup "
                "(Noto fonts and Pango are missing)."
            )
        )


def families_for(language: str) -> list[str]:
    """The font stack of a document in `language`: its script's Noto family first, then the others."""
    primary = SCRIPT_FAMILIES.get(language, LATIN)
    stack = [primary, LATIN, *FALLBACK_FAMILIES]
    return list(dict.fromkeys(stack))


def direction_of(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def font_stylesheet(language: str) -> str:
    """The print stylesheet part that names the fonts; layout belongs to the templates."""
    stack = ", ".join(f'"{family}"' for family in families_for(language))
    # Nastaliq climbs and descends far more than Naskh: lines need more room or they overlap.
    line_height = "2.2" if language == "ur" else "1.5"
    return f"html {{ font-family: {stack}, sans-serif; line-height: {line_height}; }}"


@functools.cache
def _weasyprint() -> Any:
    """The WeasyPrint module; importing it loads Pango, so a missing library shows up here."""
    try:
        import weasyprint  # imported here: a missing Pango must be explained, not crash start-up
    except (ImportError, OSError) as error:
        raise PdfUnavailable(f"weasyprint: {type(error).__name__}") from None
    return weasyprint


@functools.cache
def installed_family(family: str) -> str | None:
    """The family fontconfig gives for `family`: the same name when the font is installed, another
    (its fallback) when it is not, None when fontconfig finds nothing at all.

    Uses the fontconfig bindings WeasyPrint itself loads (pinned in requirements.lock), so the answer is
    the one the renderer will get. Cached for the process: installing fonts is followed by a restart."""
    from weasyprint.text.ffi import ffi, fontconfig  # only once `_weasyprint()` worked

    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcConfigSubstitute(ffi.NULL, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(ffi.NULL, pattern, result)
        if match == ffi.NULL:
            return None
        try:
            name = ffi.new("FcChar8 **")
            if fontconfig.FcPatternGetString(match, b"family", 0, name) != fontconfig.FcResultMatch:
                return None
            return str(ffi.string(name[0]).decode())
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)


def check_available(language: str) -> None:
    """Raise `PdfUnavailable` unless a document in `language` can be set in its Noto fonts."""
    _weasyprint()
    needed = dict.fromkeys([SCRIPT_FAMILIES.get(language, LATIN), LATIN])
    missing = [family for family in needed if installed_family(family) != family]
    if missing:
        raise PdfUnavailable("fonts: " + ", ".join(missing))


def _static_fetcher() -> Any:
    """A URL fetcher that refuses the network: it answers only Haven's own static files."""
    weasyprint = _weasyprint()

    class StaticOnlyFetcher(weasyprint.URLFetcher):  # type: ignore[misc,name-defined]
        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            parts = urlsplit(url)
            static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
            if parts.scheme != "https" or parts.hostname != STATIC_HOST:
                raise ValueError("Haven's PDFs load nothing from outside")
            if not parts.path.startswith(static_prefix):
                raise ValueError("Haven's PDFs load only static files")
            found = finders.find(parts.path.removeprefix(static_prefix))
            if not isinstance(found, str):
                raise ValueError("No such static file")
            return weasyprint.urls.URLFetcherResponse(url, Path(found).read_bytes())

    return StaticOnlyFetcher(fail_on_errors=False)


def render_pdf(template_name: str, context: Mapping[str, Any], *, language: str) -> bytes:
    """The template rendered in `language` (its words, its direction, its script's fonts) as PDF bytes.

    The template should extend "web/pdf_base.html", which sets `<html lang dir>` and the generic title.
    Raises `PdfUnavailable` when the server cannot make it."""
    check_available(language)
    weasyprint = _weasyprint()
    with translation.override(language):
        html = render_to_string(
            template_name,
            {**context, "pdf_language": language, "pdf_direction": direction_of(language)},
        )
    document = weasyprint.HTML(string=html, base_url=f"https://{STATIC_HOST}/", url_fetcher=_static_fetcher())
    fonts = weasyprint.CSS(string=font_stylesheet(language))
    return bytes(document.write_pdf(stylesheets=[fonts], custom_metadata=False))
