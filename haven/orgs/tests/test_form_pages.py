"""The shape every form page shares (`orgs.forms.handle_form`, `run_and_redirect`): a value the database
cannot take is the person's to correct, not a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import DataError
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import translation

from haven.orgs.forms import FormPage, handle_form, run_and_redirect


class AmountForm(forms.Form):
    amount = forms.IntegerField()


def _request(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/somewhere/", data)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _numeric_overflow(_data: dict[str, Any]) -> None:
    raise DataError("numeric field overflow")  # what PostgreSQL says of a too large amount


def _date_overflow(_data: dict[str, Any]) -> None:
    raise OverflowError("date value out of range")  # what date arithmetic says past 9999


@pytest.mark.parametrize("save", [_numeric_overflow, _date_overflow])
def test_a_value_the_database_cannot_take_is_a_form_error(save: Any) -> None:
    request = _request({"amount": "10"})
    page = FormPage(template="web/form.html", success_message="Saved.", next_url=lambda _result: "/done/")
    with translation.override("en"):
        response = handle_form(request, AmountForm(request.POST), save, page)
    assert response.status_code == 422
    assert b"A value is too large or out of range" in response.content


def test_a_button_whose_verb_meets_such_a_value_says_so_on_the_page_it_returns_to() -> None:
    request = _request({})
    with translation.override("en"):
        response = run_and_redirect(request, lambda: _numeric_overflow({}), "Done.", "/back/")
        said = [str(message) for message in get_messages(request)]
    assert response.status_code == 302
    assert response["Location"] == "/back/"
    assert said == ["A value is too large or out of range: check the numbers and dates you typed."]
