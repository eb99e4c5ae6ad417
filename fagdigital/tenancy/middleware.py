from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .actor import Actor
from .selectors import membership_for_user

SESSION_KEY = "fagdigital_organisation_id"


class CurrentOrganisationMiddleware:
    """Sets request.organisation and request.actor from the session's chosen organisation.

    Users without any membership get request.actor = None; views that need one refuse them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None  # type: ignore[attr-defined]
        request.actor = None  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            membership = membership_for_user(user=user, organisation_id=request.session.get(SESSION_KEY))
            if membership is not None:
                request.organisation = membership.organisation  # type: ignore[attr-defined]
                request.actor = Actor(  # type: ignore[attr-defined]
                    user=user, organisation=membership.organisation, roles=frozenset(membership.roles)
                )
        return self.get_response(request)
