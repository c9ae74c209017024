"""Date pickers keep their prefilled value in every language (the browser only reads ISO 8601)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django import forms
from django.utils import translation

from haven.web.widgets import DateInput, DateTimeInput


class _When(forms.Form):
    on = forms.DateField(widget=DateInput())
    at = forms.DateTimeField(widget=DateTimeInput())


@pytest.mark.parametrize("language", ["en", "fr", "bn", "ru", "fa", "ar"])
def test_it_writes_iso_values_whatever_the_language(language: str) -> None:
    with translation.override(language):
        html = str(_When(initial={"on": date(2026, 11, 22), "at": datetime(2026, 11, 22, 9, 5)}))
    assert 'type="date"' in html and 'value="2026-11-22"' in html
    assert 'type="datetime-local"' in html and 'value="2026-11-22T09:05"' in html


@pytest.mark.parametrize("language", ["fr", "bn", "ru"])
def test_it_reads_back_what_the_picker_sends(language: str) -> None:
    with translation.override(language):
        form = _When({"on": "2026-11-22", "at": "2026-11-22T09:05"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == date(2026, 11, 22)
