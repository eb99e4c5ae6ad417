"""What the framework views share: refusing edits of published versions with the way forward, and labels."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.models import Framework
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

ADMIN = Role.COMPETENCE_ADMIN


P = ParamSpec("P")


ActorView = Callable[Concatenate[HttpRequest, Actor, P], HttpResponse]


def locked_response(
    request: HttpRequest, framework: Framework, error: Exception | None = None
) -> HttpResponse:
    """The page that says a published (or retired) version cannot be changed, and offers a new version."""
    if error is None:
        error = locked_error(framework)
    context = {
        "framework": framework,
        "message": str(error or ""),
        "draft": selectors.draft_version(framework=framework),
    }
    return render(request, "frameworks/locked.html", context, status=409)


def refuses_locked(view: ActorView[P]) -> ActorView[P]:
    """Answer FrameworkLockedError from the view (or its services) with the locked page."""

    @wraps(view)
    def wrapped(request: HttpRequest, actor: Actor, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, actor, *args, **kwargs)
        except services.FrameworkLockedError as error:
            framework_id = cast(int, kwargs["framework_id"])
            framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
            return locked_response(request, framework, error)

    return cast(ActorView[P], wrapped)


def editable_framework(actor: Actor, framework_id: int) -> Framework:
    """The actor's framework version, refused (FrameworkLockedError) unless it is a draft."""
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    services.ensure_editable(framework)
    return framework


def edit_url(framework: Framework, anchor: str = "") -> str:
    url = reverse("frameworks:edit", args=[framework.pk])
    return f"{url}#{anchor}" if anchor else url


def version_label(framework: Framework) -> str:
    return _("%(name)s, version %(version)s (%(status)s)") % {
        "name": framework.t("name"),
        "version": framework.version,
        "status": framework.get_status_display(),
    }


def locked_error(framework: Framework) -> services.FrameworkLockedError | None:
    try:
        services.ensure_editable(framework)
    except services.FrameworkLockedError as error:
        return error
    return None
