"""Provider webhooks skip the middleware that serves people.

A webhook is a provider's server posting an event: it carries no session, cookie, language choice or
CSRF token, and is authenticated by the provider's signature on the raw body (`webhooks.inbound`). The
middleware after this one (sessions, language, CSRF, sign-in, second factor, the active organisation,
messages, htmx, sign-in lockout) has nothing to do for it, yet cost a third of the acknowledgement's
time. The middleware before it still runs: security headers, the HTTPS redirect and HSTS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse

from haven.channels import webhooks


def webhook_prefix() -> str:
    """Where the webhook URLs start, read from the URLconf: moving them cannot leave this shortcut behind."""
    example = uuid.UUID(int=0)
    return reverse("channels:inbound", args=[example]).removesuffix(f"{example}/")


class WebhookMiddleware:
    """Answers a request for a provider webhook URL with its view, directly; anything else goes on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = webhook_prefix()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.prefix):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if match.func is webhooks.inbound:
                response: HttpResponse = match.func(request, *match.args, **match.kwargs)
                return response
        return self.get_response(request)
