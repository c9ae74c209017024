"""The API twin of `staff_view`: a role check that also marks the endpoint for the permission tests."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from haven.orgs.access import ViewAccess
from haven.orgs.roles import ALL_ROLES, Role


def api_access(
    roles: Iterable[Role] = ALL_ROLES, *, object_kwargs: tuple[str, ...] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    allowed = frozenset(roles)

    def decorate(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(endpoint)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            membership = getattr(request, "membership", None)
            if membership is None or membership.role_enum not in allowed:
                raise HttpError(403, _("Your role in this organisation cannot do this."))
            return endpoint(request, *args, **kwargs)

        wrapper.haven_access = ViewAccess(public=False, roles=allowed, object_kwargs=object_kwargs)  # type: ignore[attr-defined]
        return wrapper

    return decorate
