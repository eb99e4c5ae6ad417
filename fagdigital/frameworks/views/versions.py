"""Versions (competence admins): publishing after a confirmation that says what changes, and new versions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.views.common import ADMIN, editable_framework, refuses_locked
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor

CONFIRM = "udgiv"


@require_http_methods(["GET", "POST"])
@actor_required(ADMIN)
@refuses_locked
def framework_publish(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    """Publishing asks first: the page says what changes, and only its confirming POST publishes."""
    framework = editable_framework(actor, framework_id)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if request.POST.get("confirm") != CONFIRM:
            return redirect("frameworks:publish", framework.pk)
        try:
            services.framework_publish(framework=framework)
        except services.FrameworkInvalidError as invalid:
            problems, status = invalid.problems, 422
        else:
            messages.success(
                request,
                _("Version %(version)s af »%(name)s« er udgivet. En tidligere udgivet version er nu udgået.")
                % {"version": framework.version, "name": framework.t("name")},
            )
            return redirect("frameworks:list")
    else:
        problems = services.publication_problems(framework=framework)
    context = {
        "framework": framework,
        "preview": selectors.publication_preview(framework=framework),
        "problems": problems,
        "confirm": CONFIRM,
    }
    return render(request, "frameworks/publish_confirm.html", context, status=status)


@require_POST
@actor_required(ADMIN)
def framework_new_version(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    existing = selectors.draft_version(framework=framework)
    draft = services.framework_new_version(framework=framework)
    if existing is not None:
        messages.info(
            request,
            _("Der findes allerede en kladde af rammen: version %(version)s. Du kan redigere den her.")
            % {"version": draft.version},
        )
    else:
        messages.success(
            request,
            _(
                "Version %(version)s er oprettet som kladde ud fra version %(based_on)s. "
                "Redigér den, og udgiv den, når den er klar."
            )
            % {"version": draft.version, "based_on": framework.version},
        )
    return redirect("frameworks:edit", draft.pk)
