"""Per-request user preferences (language, calendar) and the second-factor gate."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from haven.accounts.totp import needs_second_factor

# Pages a signed-in user may open before completing the second factor.
_OPEN_BEFORE_SECOND_FACTOR = (
    "accounts:login",
    "accounts:logout",
    "accounts:totp_setup",
    "accounts:totp_verify",
    "web:set_language",
)


def calendar_for(request: HttpRequest) -> str:
    user = request.user
    if user.is_authenticated and user.calendar:
        return user.calendar
    org = getattr(request, "org", None)
    return org.default_calendar if org is not None else "GREGORIAN"


class UserPreferencesMiddleware:
    """Activates the signed-in user's language over the browser's, and picks their calendar."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        request.calendar = calendar_for(request)  # type: ignore[attr-defined]
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until a user who needs an authenticator code has given one, every page leads to that step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in _OPEN_BEFORE_SECOND_FACTOR}
        return self._open_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = needs_second_factor(request)
        if (
            step is not None
            and request.path not in self.open_paths()
            and not request.path.startswith(("/static/", "/api/"))
        ):
            return HttpResponseRedirect(reverse(step))
        return self.get_response(request)
