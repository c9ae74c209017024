"""Forms of the training centres; the verbs in actions.py judge what the forms cannot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area, Organisation, Site
from haven.training.models import Course
from haven.web.widgets import DateInput


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(org=org, is_active=True)  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]


class CourseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Course.Kind.choices)
    title = forms.CharField(label=_("Trade or title"), max_length=200)
    weeks = forms.IntegerField(label=_("Length in weeks"), initial=12, min_value=1, max_value=104)
    pass_mark = forms.IntegerField(label=_("Pass mark (out of 100)"), initial=50, min_value=0, max_value=100)
    min_attendance = forms.IntegerField(
        label=_("Attendance needed for a certificate (%)"), initial=75, min_value=0, max_value=100
    )
    places = forms.IntegerField(label=_("Places per batch"), initial=25, min_value=1, max_value=500)


class BatchForm(forms.Form):
    code = forms.CharField(label=_("Batch"), max_length=30, help_text=_("e.g. 2026-2"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    places = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, max_value=500, help_text=_("Empty: the course's.")
    )


class EnrolForm(forms.Form):
    registry_number = forms.CharField(
        label=_("Registry number"), max_length=40, help_text=_("As on her registry entry, e.g. R-000123.")
    )


class MoveForm(forms.Form):
    verb = forms.ChoiceField(
        choices=[("start", _("Start")), ("complete", _("Complete")), ("cancel", _("Cancel"))]
    )


class ExamForm(forms.Form):
    score = forms.IntegerField(label=_("Exam mark (out of 100)"), min_value=0, max_value=100)


class CertificateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the certificate"), choices=settings.LANGUAGES)


class RegisterDayForm(forms.Form):
    on = forms.DateField(label=_("Day"), widget=DateInput)
