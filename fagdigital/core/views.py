from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import status as system_status

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home page. Its content comes from settings.HOME_CONTEXT_PROVIDERS (the portal app):
    core is the lowest app and cannot import the apps whose data the page shows."""
    actor = getattr(request, "actor", None)
    if actor is None:
        return render(request, "core/no_organisation.html", status=403)
    context: dict[str, Any] = {}
    for path in settings.HOME_CONTEXT_PROVIDERS:
        context.update(import_string(path)(actor=actor, today=timezone.localdate()))
    return render(request, "core/home.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise. For load balancers; reveals nothing else."""
    if not system_status.database_ok():
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@never_cache
def status_page(request: HttpRequest) -> HttpResponse:
    """ "Driftsstatus" for people: the database, the task queue and the version. 503 when the database
    does not answer, so a monitor can watch this page too."""
    report = system_status.system_status()
    return render(request, "core/status.html", {"report": report}, status=200 if report.database_ok else 503)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # The template gets a request context but no view data: it must render even when much is broken.
    return render(request, "500.html", status=500)
