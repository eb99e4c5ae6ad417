"""View guards: login, a current organisation and the right roles, checked in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .actor import Actor
from .models import Role

P = ParamSpec("P")
ActorView = Callable[Concatenate[HttpRequest, Actor, P], HttpResponse]


def actor_required(
    *roles: Role,
) -> Callable[[ActorView[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """Decorate a view taking (request, actor, ...): anonymous users go to login, others need a role."""

    def decorator(view: ActorView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor: Actor | None = getattr(request, "actor", None)
            if actor is None or (roles and not actor.has_role(*roles)):
                raise PermissionDenied
            return view(request, actor, *args, **kwargs)

        return cast(Callable[Concatenate[HttpRequest, P], HttpResponse], wrapped)

    return decorator
