"""Forms for templates and drafts. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haven.documents.catalogue import Field
from haven.documents.models import DocumentKind
from haven.legal.models import Matter


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=settings.LANGUAGES,
        help_text=_("The document is printed in this language's script and direction."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 24, "dir": "auto"}),
        help_text=_(
            "Write the document as it should be printed. Put a field between double braces where it "
            "goes, e.g. {{survivor.name}}; add a question mark for a field that may stay empty, "
            "e.g. {{survivor.phone?}}."
        ),
    )


class TemplateRevisionForm(forms.Form):
    """A new version of a template: its kind and language stay; its title and text change."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = TemplateForm.base_fields["body"]


def asked_field_name(key: str) -> str:
    """The form field of an asked catalogue key ("survivor.address" → "ask-survivor-address")."""
    return "ask-" + key.replace(".", "-").replace("_", "-")


class DraftStartForm(forms.Form):
    """The asked fields of one template, and the legal matter to link the draft to (if any).

    Every input is optional here: the verb lists everything missing at once (typed fields and fields that
    come from her file alike), so nobody fixes one refusal only to meet the next."""

    matter = forms.ModelChoiceField(
        label=_("Legal matter"),
        queryset=Matter.objects.none(),
        required=False,
        empty_label=_("Not linked to a legal matter"),
        help_text=_("Linking fills in the matter's details (its court, the other party)."),
    )

    def __init__(
        self,
        *args: Any,
        asked: list[tuple[Field, bool]],
        matters: QuerySet[Any],
        document_language: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters  # type: ignore[attr-defined]
        if not matters.exists():
            del self.fields["matter"]
        self.asked_keys: dict[str, str] = {}
        for field, required in asked:
            name = asked_field_name(field.key)
            self.asked_keys[name] = field.key
            label = str(field.label) if required else _("%(label)s (optional)") % {"label": field.label}
            widget_attrs = {"lang": document_language, "dir": "auto"}
            widget = (
                forms.Textarea(attrs={**widget_attrs, "rows": 6})
                if field.long
                else forms.TextInput(attrs=widget_attrs)
            )
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=4000, widget=widget, help_text=str(field.help or "")
            )

    def values(self) -> dict[str, str]:
        """The typed values by catalogue key (empty ones left out)."""
        return {
            key: self.cleaned_data[name].strip()
            for name, key in self.asked_keys.items()
            if self.cleaned_data.get(name, "").strip()
        }


class DraftTextForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the document"), widget=forms.Textarea(attrs={"rows": 30, "dir": "auto"})
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
