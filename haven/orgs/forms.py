"""Forms for the organisation set-up pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area, Calendar, Organisation, Site
from haven.orgs.roles import Role


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Site.Kind.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_confidential = forms.BooleanField(
        label=_("Confidential location"),
        required=False,
        help_text=_("Only roles that need it see the address. Always on for shelters."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.TypedChoiceField(label=_("Level"), choices=Area.Level.choices, coerce=int)
    parent = forms.ModelChoiceField(label=_("Belongs to"), queryset=Area.objects.none(), required=False)
    code = forms.CharField(label=_("Official code"), max_length=40, required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]


class StaffCreateForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("First password"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=_("At least 10 characters. Give it to the person privately."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(org=org, is_active=True)  # type: ignore[attr-defined]
        self.fields["language"].initial = org.default_language


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(org=org)  # type: ignore[attr-defined]


class OrganisationSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    default_language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
    default_calendar = forms.ChoiceField(label=_("Default calendar"), choices=Calendar.choices)
    totp_required_roles = forms.MultipleChoiceField(
        label=_("Roles that must use an authenticator app"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    case_plans_need_approval = forms.BooleanField(
        label=_("Case plans need a manager's approval"),
        required=False,
        help_text=_("A worker submits the plan; a centre or shelter manager approves it or sends it back."),
    )


@dataclass(frozen=True)
class FormPage:
    """How a form page renders and where it goes once its verb succeeds."""

    template: str
    success_message: str
    next_url: Callable[[Any], str]
    context: dict[str, Any] = field(default_factory=dict)


INLINE_CHECK = "_validate"
"""The POST field an htmx form sends on each change to have its input checked without being saved."""


def handle_form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    page: FormPage,
    check: Callable[[dict[str, Any]], Any] | None = None,
) -> HttpResponse:
    """The one shape of every form page: on a valid POST call the verb, else (re)show the form.

    Errors the verb raises land next to their fields; a re-shown form with errors answers 422. Inline
    checks (see `check_inline`) run `check`, the verb's checks without the write, when there is one.
    """
    if getattr(request, "htmx", False) and request.POST.get(INLINE_CHECK):
        # Never a write on an inline check, even on a page whose verb has no checking twin.
        return check_inline(request, form, check or _form_only)
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            add_verb_errors(form, exc)
        except (DataError, OverflowError):
            add_verb_errors(form, out_of_range())
        else:
            messages.success(request, page.success_message)
            return HttpResponseRedirect(page.next_url(result))
    status = 422 if form.is_bound and form.errors else 200
    return render(request, page.template, {"form": form, **page.context}, status=status)


def _form_only(_data: dict[str, Any]) -> None:
    """The inline check of a form whose verb has no checking twin: the form's own validation only."""


def check_inline(
    request: HttpRequest, form: forms.BaseForm, check: Callable[[dict[str, Any]], Any]
) -> HttpResponse:
    """Judge what has been typed so far and answer with the error messages only.

    The answer replaces each field's error slot out of band and never the inputs themselves, so a
    person who keeps typing while the answer travels loses nothing. Fields not filled in yet are not
    judged: nobody wants "required" shouted at a field they have not reached.
    """
    if form.is_valid():
        try:
            check(form.cleaned_data)
        except ValidationError as exc:
            add_verb_errors(form, exc)
    filled = {name for name in request.POST if name != INLINE_CHECK and request.POST.get(name, "").strip()}
    for name in [name for name in form.errors if name != NON_FIELD_ERRORS and name not in filled]:
        del form.errors[name]
    return render(request, "web/_form_errors.html", {"form": form})


def out_of_range() -> ValidationError:
    """What a page says when the database (or date arithmetic) could not take a value that no check
    caught: a number too large for its column, say. The verb's transaction was rolled back, so nothing
    was kept, and the person corrects the form instead of meeting a server error (the API's twin is
    `haven.api.on_out_of_range`)."""
    return ValidationError(_("A value is too large or out of range: check the numbers and dates you typed."))


def add_verb_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a verb's ValidationError on the form, by field where it names one of the form's fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def run_and_redirect(request: HttpRequest, run: Callable[[], Any], done: str, next_url: str) -> HttpResponse:
    """Run a verb posted from a button or a small form inside a page; say what happened, or why it was
    refused, on the page the person goes back to."""
    try:
        run()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (DataError, OverflowError):
        messages.error(request, " ".join(out_of_range().messages))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(next_url)


def posted_data(request: HttpRequest) -> Any:
    """The posted data, even when empty (an empty POST must be judged, not shown as a fresh form)."""
    return request.POST if request.method == "POST" else None


def run_posted_form(
    request: HttpRequest, form: forms.Form, run: Callable[[dict[str, Any]], Any], done: str, url: str
) -> HttpResponse:
    """A small posted form inside a page: refuse it with its own messages, or run the verb and say what
    happened (`run_and_redirect`)."""
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return HttpResponseRedirect(url)
    return run_and_redirect(request, lambda: run(form.cleaned_data), done, url)
