"""View guards: login, a current organisation and the right roles, checked in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, resolve, reverse

from .actor import Actor
from .models import Role

P = ParamSpec("P")
ActorView = Callable[Concatenate[HttpRequest, Actor, P], HttpResponse]
# Set on every view `actor_required` guards: the roles it admits (empty: any member of an organisation).
REQUIRED_ROLES_ATTRIBUTE = "fagdigital_required_roles"


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

        setattr(wrapped, REQUIRED_ROLES_ATTRIBUTE, frozenset(str(role) for role in roles))
        return cast(Callable[Concatenate[HttpRequest, P], HttpResponse], wrapped)

    return decorator


def url_for_actor(actor: Actor | None, url_name: str, *args: Any) -> str:
    """The URL of a named page if the actor's roles admit them to it, else "".

    Menus and home pages build their links with it, so they never offer a page that would refuse the
    reader: the rule is read from the view's own `actor_required`, not repeated here. Views without
    the guard are taken to be open.
    """
    if actor is None:
        return ""
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return ""
    required: frozenset[str] | None = getattr(resolve(url).func, REQUIRED_ROLES_ATTRIBUTE, None)
    if required and not actor.has_role(*required):
        return ""
    return url
