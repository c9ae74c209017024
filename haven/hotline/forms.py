"""Hotline forms. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.hotline.actions import CALLBACK_OUTCOMES
from haven.hotline.models import Callback, Contact, ContactAgent, ContactCategory
from haven.hotline.taxonomy import grouped_categories
from haven.orgs.models import Membership, Organisation
from haven.web.widgets import DateTimeInput

_LANGUAGE_CHOICES = [("", _("Not known")), *settings.LANGUAGES]


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Channel"), choices=Contact.Kind.choices, initial=Contact.Kind.WALK_IN)
    language = forms.ChoiceField(label=_("Language"), choices=_LANGUAGE_CHOICES, required=False)


class WrapUpForm(forms.Form):
    caller_type = forms.ChoiceField(label=_("Who contacted us"), choices=Contact.CallerType.choices)
    categories = forms.MultipleChoiceField(
        label=_("What it was about"), required=False, widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Contact.Outcome.choices)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Encrypted. Only what the next person needs to know."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=_LANGUAGE_CHOICES, required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["categories"].choices = grouped_categories(org)  # type: ignore[attr-defined]

    def clean_categories(self) -> list[ContactCategory]:
        ids = self.cleaned_data["categories"]
        return list(ContactCategory.objects.filter(org=self.org, pk__in=ids))


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(label=_("To"), queryset=Membership.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of transfer"), choices=ContactAgent.Transfer.choices, widget=forms.RadioSelect
    )
    briefing = forms.CharField(
        label=_("Briefing (warm transfer)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted. What your colleague needs before she speaks to her."),
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(org=org, is_active=True)
            .select_related("user")
            .order_by("user__first_name")
        )
        self.fields["to"].label_from_instance = lambda m: f"{m.user.get_full_name()} · {m.get_role_display()}"  # type: ignore[attr-defined]


class AvailabilityForm(forms.Form):
    is_available = forms.BooleanField(label=_("Available for contacts"), required=False)
    max_chats = forms.IntegerField(label=_("Chats at once"), min_value=1, max_value=20, required=False)


class ServiceLevelForm(forms.Form):
    answer_seconds = forms.IntegerField(label=_("Answer within (seconds)"), min_value=1, max_value=3600)
    answer_percent = forms.IntegerField(label=_("Share answered in time (%)"), min_value=1, max_value=100)
    abandon_percent = forms.IntegerField(
        label=_("Highest acceptable abandonment (%)"), min_value=0, max_value=100
    )


class PersonLookupForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class CallbackForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Callback.Channel.choices)
    due_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    purpose = forms.CharField(
        label=_("What it is about"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Encrypted. Never say it aloud if someone else may answer."),
    )


class ReplyForm(forms.Form):
    """A reply in a chat: free text, or (WhatsApp outside its 24-hour window) one of the approved templates.

    Outside the window the text box is hidden rather than removed: text posted anyway still reaches the
    verb, which refuses it and says why.
    """

    text = forms.CharField(
        label=_("Message"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    template = forms.ChoiceField(label=_("Approved WhatsApp templates"), required=False)

    def __init__(self, *args: Any, templates: list[str], window_open: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "—"), *((name, name) for name in templates)]  # type: ignore[attr-defined]
        if window_open:
            del self.fields["template"]
        else:
            self.fields["text"].widget = forms.HiddenInput()


class CallbackResultForm(forms.Form):
    """How a callback went. Posted empty (the list's one-button "Done") it records that she was reached."""

    reached = forms.ChoiceField(
        label=_("Did she answer?"),
        choices=[("yes", _("Yes, we spoke")), ("no", _("No answer"))],
        required=False,
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    minutes = forms.IntegerField(label=_("Length of the call (minutes)"), min_value=0, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted. Shown on the contact's page only, never in lists."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcomes = [(o.value, o.label) for o in Contact.Outcome if o in CALLBACK_OUTCOMES]
        self.fields["outcome"].choices = [("", "—"), *outcomes]  # type: ignore[attr-defined]

    def clean_reached(self) -> bool:
        return bool(self.cleaned_data["reached"] != "no")
