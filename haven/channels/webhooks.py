"""Inbound webhooks: one URL per channel, answering each provider in its own dialect.

The order is fixed: find the channel, verify the signature on the raw request, and only then parse. A
request that fails verification is refused with 403 and leaves nothing behind. A verified one is stored
(or spooled) and acknowledged; the work happens in a task.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from xml.sax.saxutils import escape

from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from haven.channels import hours, intake
from haven.channels.models import Channel
from haven.channels.providers import VERIFIERS, RawRequest, verify_meta_challenge
from haven.orgs.access import public_view


def _channel(channel_id: uuid.UUID) -> Channel:
    try:
        channel = intake.webhook_channel(channel_id)
    except DatabaseError:
        raise _Unavailable from None
    if channel is None or channel.provider not in VERIFIERS:
        raise Http404
    return channel


def _verified_channel(channel: Channel, verifies: Callable[[Channel], bool]) -> Channel | None:
    """The channel whose secrets verify the request, or None to refuse it.

    `channel` may be this process's copy, read before an administrator in another process gave the channel
    a new secret. The provider signs with the new one from that moment, so before refusing, the channel is
    read again and tried once more: without that, every message of the next seconds would be refused with
    403, and providers such as Twilio do not send a refused message again. A forged request costs that one
    read; one signed with the old secret is still taken until the copy is renewed.
    """
    if verifies(channel):
        return channel
    try:
        current = intake.webhook_channel(channel.pk, fresh=True)
    except DatabaseError:
        return None
    if current is None or current.provider != channel.provider or not verifies(current):
        return None
    return current


class _Unavailable(Exception):
    """Neither the database nor a recent copy of the channel: the provider should retry later."""


@public_view
@csrf_exempt
def inbound(request: HttpRequest, channel_id: uuid.UUID) -> HttpResponse:
    try:
        channel = _channel(channel_id)
    except _Unavailable:
        return HttpResponse(status=503, headers={"Retry-After": "30"})
    if request.method == "GET" and channel.provider == Channel.Provider.META:
        query = request.GET.dict()
        challenged = _verified_channel(channel, lambda it: verify_meta_challenge(it, query) is not None)
        if challenged is None:
            return HttpResponseForbidden()
        return HttpResponse(verify_meta_challenge(challenged, query), content_type="text/plain")
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    raw = RawRequest(request.build_absolute_uri(), request.body, request.content_type or "")
    verified = _verified_channel(channel, lambda it: VERIFIERS[it.provider](it, raw, request.headers))
    if verified is None:
        return HttpResponseForbidden()
    channel = verified
    at = timezone.now()
    intake.receive(channel, raw, at=at)
    return _acknowledge(channel, raw, at)


def _acknowledge(channel: Channel, raw: RawRequest, at: datetime) -> HttpResponse:
    """The provider's own way of saying "received".

    Messages outside hours are told so by the processing task, at most once a night (see
    `intake._answer_outside_hours`); only a call must hear it now, in the call itself.
    """
    if channel.provider == Channel.Provider.TWILIO:
        return HttpResponse(_twiml(channel, raw, at), content_type="text/xml")
    if channel.provider == Channel.Provider.TELEGRAM:
        return JsonResponse({})
    return HttpResponse("OK", content_type="text/plain")


def _twiml(channel: Channel, raw: RawRequest, at: datetime) -> str:
    fields = dict(raw.form())
    if "CallSid" not in fields:
        return "<Response/>"
    if fields.get("CallStatus", "ringing") not in {"ringing", "in-progress"}:
        return "<Response/>"  # a status callback: nothing to say
    # Her language is not known yet (the call says nothing of it): the organisation's is used.
    closed = (
        "" if hours.is_open(channel, at) else hours.closed_message(channel, "", channel.org.default_language)
    )
    if closed:
        return f"<Response><Say>{escape(closed)}</Say><Hangup/></Response>"
    # The caller waits in the channel's queue; the hotline's queue board answers from there.
    return f"<Response><Enqueue>{channel.pk}</Enqueue></Response>"
