"""The browser's date and time pickers, shared by every form.

An `<input type="date">` only accepts an ISO 8601 value (2026-11-22). Django writes a field's value in the
active language's first input format, so a French or Bengali page would send the picker "22/11/2026",
which it silently shows as empty: a prefilled date is lost and the form comes back "required". These
widgets always write ISO values; the picker itself shows the date the way the browser's locale does, and
the forms still read any format the language accepts.
"""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
