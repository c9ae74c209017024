"""Error pages speak the user's language and give nothing away."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def test_it_renders_the_server_error_page_in_the_active_language() -> None:
    with translation.override("fa"):
        page = render_to_string("500.html")
    assert 'dir="rtl"' in page and 'lang="fa"' in page
    assert "Something went wrong" not in page  # the Persian catalogue's text is shown instead


def test_it_renders_the_server_error_page_without_a_request() -> None:
    page = render_to_string("500.html")
    assert "Something went wrong" in page
