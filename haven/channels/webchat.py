"""The survivor webchat: a public page per organisation whose messages enter the same inbound pipeline.

Haven is its own "provider" here. Her browser holds a random session token in a signed, HttpOnly,
browser-session cookie (no database session, no account); the signature is what a webhook signature is
for the other providers: a request without a valid one starts a new, empty conversation. The page loads
no third-party script and nothing that tracks her.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haven.channels import intake, queries
from haven.channels.models import Channel
from haven.channels.providers import RawRequest, sender_index
from haven.channels.queries import Line
from haven.orgs.access import public_view
from haven.orgs.models import Organisation

COOKIE = "haven_chat"
MAX_LENGTH = 2000
MESSAGE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def _channel(org_slug: str) -> Channel:
    org = get_object_or_404(Organisation, slug=org_slug)
    channel: Channel | None = (
        Channel.objects.filter(org=org, kind=Channel.Kind.WEBCHAT, is_active=True)
        .select_related("org")
        .first()
    )
    if channel is None:
        raise Http404
    return channel


def _session(request: HttpRequest, channel: Channel) -> str | None:
    try:
        return request.get_signed_cookie(COOKIE, salt=f"webchat:{channel.pk}")
    except (KeyError, signing.BadSignature):
        return None


def conversation(channel: Channel, session: str) -> list[Line]:
    """Her messages and the hotline's replies in this browser session, oldest first."""
    return queries.conversation(channel, sender_index(channel, session))


@public_view
@require_http_methods(["GET", "POST"])
def chat(request: HttpRequest, org_slug: str) -> HttpResponse:
    channel = _channel(org_slug)
    session = _session(request, channel)
    error = ""
    if request.method == "POST":
        text = request.POST.get("text", "").strip()
        if not text or len(text) > MAX_LENGTH:
            error = _("Write a message of up to %(count)s characters.") % {"count": MAX_LENGTH}
        else:
            return _receive(request, channel, session or secrets.token_urlsafe(24), text)
    context = {
        "channel": channel,
        "lines": conversation(channel, session) if session else [],
        "message_id": uuid.uuid4(),
        "error": error,
    }
    return render(request, "channels/webchat.html", context, status=422 if error else 200)


def _receive(request: HttpRequest, channel: Channel, session: str, text: str) -> HttpResponse:
    # The form's one-time id makes a double submit (or a reload re-posting it) one message, not two.
    # Only the shape the page gives it: a NUL, which PostgreSQL refuses, would send the message to the spool,
    # and that file would then stop every replay behind it.
    given = request.POST.get("message_id", "")
    message_id = given if MESSAGE_ID.fullmatch(given) else uuid.uuid4().hex
    body = json.dumps({"session": session, "id": message_id, "text": text}).encode()
    intake.receive(
        channel, RawRequest(request.build_absolute_uri(), body, "application/json"), at=timezone.now()
    )
    response = HttpResponseRedirect(reverse("chat:page", args=[channel.org.slug]))
    response.set_signed_cookie(
        COOKIE,
        session,
        salt=f"webchat:{channel.pk}",
        httponly=True,
        samesite="Strict",
        secure=request.is_secure(),
    )
    return response
