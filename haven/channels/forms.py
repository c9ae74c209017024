"""The channel settings form. It parses the schedule and lists; the verbs in actions.py decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.channels import hours
from haven.channels.models import Channel

WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
SECRET_HELP = _("Stored encrypted and never shown again. Leave empty to keep the one already saved.")


def _secret(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=SECRET_HELP,
    )


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Channel.Kind.choices)
    provider = forms.ChoiceField(label=_("Provider"), choices=Channel.Provider.choices)
    address = forms.CharField(
        label=_("Public number or bot name"),
        max_length=120,
        required=False,
        help_text=_("e.g. +8801711000000"),
    )
    provider_account = forms.CharField(
        label=_("Provider account"),
        max_length=120,
        required=False,
        help_text=_("Twilio: the Account SID. Meta: the WhatsApp phone number ID."),
    )
    webhook_secret = _secret(_("Webhook secret (Twilio auth token, Meta app secret, Telegram secret token)"))
    verify_token = _secret(_("Meta verify token"))
    api_token = _secret(_("Sending token (Meta access token, Telegram bot token)"))
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="UTC")
    always_open = forms.BooleanField(label=_("Open around the clock"), required=False, initial=True)
    holidays = forms.CharField(
        label=_("Holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One date per line, like 2026-03-26. Ignored when open around the clock."),
    )
    approved_templates = forms.CharField(
        label=_("Approved WhatsApp templates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One template name per line, as approved by Meta."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in enumerate(WEEKDAYS):
            self.fields[f"hours_{day}"] = forms.CharField(
                label=label, required=False, max_length=200, help_text=_("e.g. 09:00-13:00, 14:00-17:00")
            )
        for code, language in settings.LANGUAGES:
            self.fields[f"closed_{code}"] = forms.CharField(
                label=_("Message outside hours (%(language)s)") % {"language": language},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def initial_for(channel: Channel) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(channel, name)
            for name in (
                "name",
                "kind",
                "provider",
                "address",
                "provider_account",
                "time_zone",
                "always_open",
            )
        }
        initial["is_active"] = channel.is_active
        initial["holidays"] = "\n".join(channel.holidays)
        initial["approved_templates"] = "\n".join(channel.approved_templates)
        initial.update({f"hours_{d}": hours.format_day(i) for d, i in channel.weekly_hours.items()})
        initial.update({f"closed_{code}": text for code, text in channel.closed_messages.items()})
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weekly = {}
        for day in range(7):
            try:
                weekly[str(day)] = hours.parse_day(data.pop(f"hours_{day}", "") or "")
            except ValidationError as exc:
                self.add_error(f"hours_{day}", exc)
        data["weekly_hours"] = {day: intervals for day, intervals in weekly.items() if intervals}
        try:
            data["holidays"] = hours.parse_holidays(data.get("holidays") or "")
        except ValidationError as exc:
            self.add_error("holidays", exc.message_dict["holidays"])
        data["approved_templates"] = (data.get("approved_templates") or "").split()
        data["closed_messages"] = {
            code: data.pop(f"closed_{code}", "") or "" for code, _name in settings.LANGUAGES
        }
        return data
