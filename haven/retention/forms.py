from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.retention.models import MIN_KEEP_DAYS, RetentionPolicy
from haven.retention.record_types import record_type_choices


class RetentionPolicyForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Kind of record"), choices=record_type_choices)
    keep_days = forms.IntegerField(
        label=_("Keep for (days after closing)"),
        min_value=MIN_KEEP_DAYS,
        max_value=36500,
        error_messages={"min_value": _("Keep records at least %(limit_value)s days.")},
    )
    mode = forms.ChoiceField(label=_("What the purge does"), choices=RetentionPolicy.Mode.choices)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
