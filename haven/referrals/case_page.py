"""The referrals app's part of the case page: a "Referrals" panel (her referrals and releases, with the
Refer and Record-a-release links) and timeline events for every move of a referral, including the
receiver's answer (the loop-back). Registered from `ReferralsConfig.ready()`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.orgs.access import StaffRequest
from haven.referrals.models import Referral, ReferralTransition, Release


def target_name(referral: Referral) -> str:
    """Who the referral went to: a provider, a colleague or a site; staff and providers, never her."""
    if referral.provider is not None:
        return referral.provider.name
    if referral.target_membership is not None:
        user = referral.target_membership.user
        return user.get_full_name() or user.username
    return referral.target_site.name if referral.target_site is not None else ""


def _summary(transition: ReferralTransition) -> str:
    referral = transition.referral
    names = {"service": referral.get_service_display(), "target": target_name(referral)}
    texts = {
        Referral.Status.SENT: _("Referral for “%(service)s” sent to %(target)s"),
        Referral.Status.ACCEPTED: _("%(target)s accepted the referral for “%(service)s”"),
        Referral.Status.DECLINED: _("%(target)s declined the referral for “%(service)s”"),
        Referral.Status.WITHDRAWN: _("Referral for “%(service)s” to %(target)s withdrawn"),
        Referral.Status.COMPLETED: _("Referral for “%(service)s” to %(target)s completed"),
    }
    return texts[Referral.Status(transition.to_status)] % names


def referral_items(case: Case) -> Iterator[TimelineItem]:
    transitions = ReferralTransition.objects.filter(referral__case=case).select_related(
        "referral__provider", "referral__target_membership__user", "referral__target_site", "actor"
    )
    for transition in transitions.order_by("at"):
        yield TimelineItem(
            kind="referral",
            at=transition.at,
            summary=_summary(transition),
            template="referrals/_timeline_referral.html",
            obj=transition,
        )


def referrals_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    today = timezone.localdate()
    referrals = Referral.objects.filter(case=case).select_related(
        "provider", "target_membership__user", "target_site", "release"
    )
    releases = Release.objects.filter(person_id=case.survivor_id).select_related("recipient")
    return {
        "referrals": [(referral, target_name(referral)) for referral in referrals],
        "releases": [(release, release.state(today)) for release in releases],
    }


def register() -> None:
    register_timeline_source("referrals.transitions", referral_items)
    register_panel(CasePanel("referrals.referrals", 30, "referrals/_panel_referrals.html", referrals_panel))
