"""The retention page: an org admin sets, per kind of record, how long it is kept and what the purge does."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haven.orgs.access import StaffRequest, staff_view
from haven.orgs.forms import FormPage, handle_form
from haven.orgs.roles import Role
from haven.retention import actions
from haven.retention.forms import RetentionPolicyForm
from haven.retention.models import RetentionPolicy
from haven.retention.record_types import RECORD_TYPES

FORM_METHODS = ("GET", "POST")


@staff_view(Role.managing_org(), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def policies(request: StaffRequest) -> HttpResponse:
    form = RetentionPolicyForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return actions.set_retention_policy(
            org=request.org, acting_user=request.user, at=timezone.now(), **data
        )

    rows = [
        {"policy": policy, "label": RECORD_TYPES[policy.record_type].label}
        for policy in RetentionPolicy.objects.filter(org=request.org, record_type__in=RECORD_TYPES)
    ]
    page = FormPage(
        "retention/policies.html",
        _("Retention policy saved."),
        lambda _result: reverse("retention:policies"),
        {"policies": rows},
    )
    return handle_form(request, form, save, page, check=_check)


def _check(data: dict[str, Any]) -> None:
    actions.check_policy(record_type=data["record_type"], keep_days=data["keep_days"], mode=data["mode"])
