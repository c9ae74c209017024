"""Forms for releases and referrals. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import grouped_choices
from haven.cases.models import Case
from haven.directory.models import Provider
from haven.orgs.models import Membership, Organisation, Site
from haven.orgs.roles import Role
from haven.people.models import Person
from haven.referrals.models import Referral, Release
from haven.web.widgets import DateInput

DATE_WIDGET = DateInput()


class ProviderField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ReleaseField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("%(provider)s · until %(day)s · %(scope)s")
            % {
                "provider": obj.recipient.name,
                "day": obj.expires_on.isoformat(),
                "scope": ", ".join(obj.scope),
            }
        )


class MemberField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name() or obj.user.username} ({obj.get_role_display()})"


def _providers(org: Organisation) -> Any:
    return Provider.objects.filter(org=org, is_active=True).order_by("name")


class ReleaseForm(forms.Form):
    recipient = ProviderField(label=_("Who may receive her data"), queryset=Provider.objects.none())
    scope = forms.MultipleChoiceField(
        label=_("What she agrees to share"),
        choices=Release.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("For what purpose"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("For example: so the legal-aid office can prepare her protection-order application."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_WIDGET)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE_WIDGET)
    consent_method = forms.ChoiceField(
        label=_("How she consented"), choices=Release.ConsentMethod.choices, widget=forms.RadioSelect
    )
    witness = forms.CharField(
        label=_("Witness (member of staff)"),
        max_length=200,
        required=False,
        help_text=_("Required when she agreed aloud."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = _providers(person.org)  # type: ignore[attr-defined]


def usable_releases(person: Person) -> Any:
    """Her releases that can still be used: not revoked and not past their expiry."""
    return (
        Release.objects.filter(person=person, revoked_at__isnull=True, expires_on__gte=timezone.localdate())
        .select_related("recipient")
        .order_by("recipient__name", "-expires_on")
    )


class ReferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Refer to"),
        choices=Referral.Kind.choices,
        widget=forms.RadioSelect,
        initial=Referral.Kind.EXTERNAL,
    )
    service = forms.ChoiceField(label=_("Service she needs"), choices=grouped_choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Referral.Urgency.choices)
    needs = forms.CharField(
        label=_("What she needs from them"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Without a release this goes out without her identity: do not write her name or phone."),
    )
    provider = ProviderField(
        label=_("Provider (external referral)"), queryset=Provider.objects.none(), required=False
    )
    release = ReleaseField(
        label=_("Her release (external referral)"),
        queryset=Release.objects.none(),
        required=False,
        empty_label=_("No release: send without her identity"),
    )
    contact_back = forms.CharField(
        label=_("How the provider can reach you"),
        max_length=300,
        required=False,
        help_text=_("Your work phone or email, never hers."),
    )
    target_membership = MemberField(
        label=_("Colleague (internal referral)"), queryset=Membership.objects.none(), required=False
    )
    target_site = forms.ModelChoiceField(
        label=_("Site (internal referral)"), queryset=Site.objects.none(), required=False
    )

    def __init__(self, *args: Any, case: Case, sender: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _providers(case.org)  # type: ignore[attr-defined]
        self.fields["release"].queryset = usable_releases(case.survivor)  # type: ignore[attr-defined]
        colleagues = (
            Membership.objects.filter(org_id=case.org_id, is_active=True)
            .exclude(pk=sender.pk)
            .select_related("user")
            .order_by("user__username")
        )
        self.fields["target_membership"].queryset = colleagues.filter(  # type: ignore[attr-defined]
            role__in=[role.value for role in Role.working_with_survivors()]
        )
        self.fields["target_site"].queryset = Site.objects.filter(org_id=case.org_id, is_active=True)  # type: ignore[attr-defined]


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            ("ACCEPTED", _("They accepted")),
            ("DECLINED", _("They declined")),
            ("COMPLETED", _("She received the service")),
            ("WITHDRAWN", _("Withdraw the referral")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
