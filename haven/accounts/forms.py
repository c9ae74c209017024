"""Forms for signing in, the authenticator step, preferences and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Calendar


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not right. After %(limit)s wrong tries the account is locked "
            "for a while."
        ),
        "inactive": _("This account is switched off. Ask your organisation's administrator."),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        # An admin switches staff off through their memberships; with none left, there is nothing to open.
        if not user.memberships.filter(is_active=True).exists():
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    calendar = forms.ChoiceField(label=_("Calendar"), choices=Calendar.choices)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
