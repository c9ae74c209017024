"""Who may open the programme's pages and endpoints: its team, and nobody else.

`staff_view` and `api_access` let a role in; here a member is let in when she is on the programme's team
(`models.on_team`): by her role (`PERPETRATOR_WORKER`), or because an organisation administrator added
her. The mark read by the generated permission walk names the roles that are on the team by role; a
member added to the team is a grant to a person, like a worker assigned to a case, and the walk's
personas are on no team but by role. Anyone else is refused: a page or endpoint that names a participant
answers 404, as if he did not exist (a member taken off the team finds his file gone); the others answer
403. A participant of another organisation is a 404 for everyone (`get_visible_or_404`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from haven.orgs.access import ViewAccess, ViewFunc, staff_view
from haven.orgs.api_access import api_access
from haven.orgs.roles import ALL_ROLES
from haven.perpetrators.models import TEAM_ROLES, on_team


def _mark(view: Any, object_kwargs: tuple[str, ...], methods: tuple[str, ...]) -> None:
    view.haven_access = ViewAccess(
        public=False, roles=TEAM_ROLES, object_kwargs=object_kwargs, methods=methods
    )


def programme_view(
    *, object_kwargs: tuple[str, ...] = (), methods: Collection[str] = ("GET",)
) -> Callable[[ViewFunc], ViewFunc]:
    """A staff page of the programme: signed in (as `staff_view` checks), and on the team."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def team_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not on_team(getattr(request, "membership", None)):
                raise Http404 if object_kwargs else PermissionDenied
            return view(request, *args, **kwargs)

        wrapped = staff_view(ALL_ROLES, object_kwargs=object_kwargs, methods=methods)(team_only)
        _mark(wrapped, object_kwargs, tuple(methods))
        return wrapped

    return decorate


def programme_api(
    *, object_kwargs: tuple[str, ...] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An API endpoint of the programme: a token of a member on the team."""

    def decorate(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(endpoint)
        def team_only(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not on_team(getattr(request, "membership", None)):
                if object_kwargs:
                    raise Http404
                raise HttpError(403, _("Only the perpetrator programme's team can do this."))
            return endpoint(request, *args, **kwargs)

        wrapped = api_access(ALL_ROLES, object_kwargs=object_kwargs)(team_only)
        _mark(wrapped, object_kwargs, ("GET",))
        return wrapped

    return decorate
