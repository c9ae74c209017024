"""Who may open which page. Every staff-UI view is wrapped by `staff_view` or marked `public_view`.

The marks are read back by the generated permission tests (haven/web/tests/test_view_permissions.py),
which refuse any URL whose view carries neither, so a new page cannot skip the access rule.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import ALL_ROLES, Role

if TYPE_CHECKING:
    from haven.accounts.models import User

ViewFunc = Callable[..., HttpResponse]
M = TypeVar("M", bound=Model)


class StaffRequest(HttpRequest):
    """The request a `staff_view` receives: signed in, acting under an active membership."""

    user: User
    org: Organisation
    membership: Membership
    calendar: str
    htmx: HtmxDetails


@dataclass(frozen=True)
class ViewAccess:
    """What the permission tests need to know about a view."""

    public: bool
    roles: frozenset[Role]
    # URL keyword arguments that name an object: an outsider must get 404 for them.
    object_kwargs: tuple[str, ...] = ()
    methods: tuple[str, ...] = ("GET",)


def public_view(view: ViewFunc) -> ViewFunc:
    view.haven_access = ViewAccess(public=True, roles=ALL_ROLES)  # type: ignore[attr-defined]
    return view


def _explain_ended_session(request: HttpRequest) -> None:
    """A session cookie without a session means it timed out: say so, rather than leave people guessing."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        messages.info(
            request,
            _("You were signed out after %(minutes)s minutes without activity. Sign in again to go on.")
            % {"minutes": settings.SESSION_IDLE_MINUTES},
        )


def staff_view(
    roles: Iterable[Role] = ALL_ROLES,
    *,
    object_kwargs: tuple[str, ...] = (),
    methods: Collection[str] = ("GET",),
) -> Callable[[ViewFunc], ViewFunc]:
    """Signed-in staff with an active membership in one of `roles`; others are sent to sign in or refused."""
    allowed = frozenset(roles)

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                _explain_ended_session(request)
                return redirect_to_login(request.get_full_path())
            membership: Membership | None = getattr(request, "membership", None)
            if membership is None or membership.role_enum not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.haven_access = ViewAccess(  # type: ignore[attr-defined]
            public=False, roles=allowed, object_kwargs=object_kwargs, methods=tuple(methods)
        )
        return wrapper

    return decorate


def get_visible_or_404(queryset: QuerySet[M], user: Any, action: str = "view", **lookup: Any) -> M:
    """Fetch one object through the model's access rule: outside the user's scope it does not exist."""
    try:
        obj: M = queryset.visible_to(user, action).get(**lookup)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:  # ValidationError: a malformed UUID
        raise Http404 from exc
    return obj
