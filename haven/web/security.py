"""Security headers that Django does not set itself: Content-Security-Policy and Permissions-Policy.

Django's SecurityMiddleware already sends Referrer-Policy, Cross-Origin-Opener-Policy and (with TLS)
Strict-Transport-Security, and XFrameOptionsMiddleware sends X-Frame-Options; their values are settings
(see haven/settings.py and docs/security.md). Django 5.2 has no CSP support, hence this middleware.

Why so strict: a page of Haven may show a survivor's file. With no inline script, no inline style and
nothing from another origin, text that slips into a page unescaped cannot run, cannot restyle the page
into a fake sign-in form, and cannot send anything anywhere (connect-src, form-action, img-src).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # data: for the small SVG/PNG pictures browsers and Django's admin inline as data URLs.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# No page of Haven uses these powerful features; an injected script or a framed page gets none of them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "display-capture",
        "browsing-topics",
    )
)


class SecurityHeadersMiddleware:
    """Adds CSP and Permissions-Policy to every response: pages, API answers, error pages, files.

    A view that needs a different policy may set the header itself; it is then left as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
