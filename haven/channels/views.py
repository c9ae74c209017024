"""Channel set-up pages, for roles that manage the organisation or its sites. Thin: parse, verb, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haven.channels import actions
from haven.channels.forms import ChannelForm
from haven.channels.models import Channel
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form
from haven.orgs.roles import Role

CHANNEL_MANAGERS = Role.managing_sites()
FORM_METHODS = ("GET", "POST")


def _page(request: StaffRequest, message: str, **context: Any) -> FormPage:
    return FormPage("channels/channel_form.html", message, lambda _c: reverse("channels:list"), context)


@staff_view(CHANNEL_MANAGERS)
def channel_list(request: StaffRequest) -> HttpResponse:
    channels = Channel.objects.visible_to(request.user)
    return render(request, "channels/channel_list.html", {"channels": channels})


@staff_view(CHANNEL_MANAGERS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def channel_create(request: StaffRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)

    def save(data: dict[str, Any]) -> Channel:
        return actions.create_channel(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    return handle_form(request, form, save, _page(request, _("Channel saved."), title=_("New channel")))


@staff_view(CHANNEL_MANAGERS, object_kwargs=("channel_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def channel_edit(request: StaffRequest, channel_id: str) -> HttpResponse:
    channel = get_visible_or_404(Channel.objects.select_related("org"), request.user, "change", pk=channel_id)
    form = ChannelForm(request.POST or None, initial=ChannelForm.initial_for(channel))

    def save(data: dict[str, Any]) -> Channel:
        return actions.update_channel(
            channel=channel, changes=data, acting_user=request.user, at=timezone.now()
        )

    webhook_url = request.build_absolute_uri(reverse("channels:inbound", args=[channel.pk]))
    page = _page(request, _("Channel saved."), title=channel.name, channel=channel, webhook_url=webhook_url)
    return handle_form(request, form, save, page)
