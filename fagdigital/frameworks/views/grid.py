"""The target grid (competence admins): role profiles by competences, one cell saved at a time."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.core.htmx import render_page_or_partial
from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.forms import (
    LEVEL_CHOICES,
    TargetCellForm,
)
from fagdigital.frameworks.models import Criticality, Framework
from fagdigital.frameworks.views.common import ADMIN, locked_error
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor


def grid_context(framework: Framework) -> dict[str, Any]:
    return {
        "framework": framework,
        # Lazy: an HTMX request for one cell never builds the whole grid.
        "grid": SimpleLazyObject(lambda: selectors.target_grid(framework=framework)),
        "levels": SimpleLazyObject(lambda: selectors.framework_levels(framework=framework)),
        "draft": SimpleLazyObject(lambda: selectors.draft_version(framework=framework)),
        "level_choices": LEVEL_CHOICES,
        "criticality_choices": Criticality.choices,
    }


@actor_required(ADMIN)
def target_grid(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    context = grid_context(framework)
    if not framework.is_editable:
        context["locked_message"] = str(locked_error(framework))
    return render(request, "frameworks/target_grid.html", context)


def target_message(cell: selectors.GridCell, framework: Framework) -> str:
    names = {
        "role": cell.role_profile.t("name"),
        "competence": f"{cell.competence.code} {cell.competence.t('name')}",
    }
    if cell.target is None:
        return _("Gemt: %(role)s har intet målniveau i %(competence)s.") % names
    return _(
        "Gemt: %(role)s skal være på niveau %(level)s (%(level_name)s) i %(competence)s, %(criticality)s."
    ) % {
        **names,
        "level": cell.target.level,
        "level_name": framework.level_name(cell.target.level),
        "criticality": cell.target.get_criticality_display().lower(),
    }


@require_POST
@actor_required(ADMIN)
def target_set(
    request: HttpRequest, actor: Actor, framework_id: int, role_profile_id: int, competence_id: int
) -> HttpResponse:
    """Save one cell of the grid. HTMX gets the cell back; without JavaScript, the whole grid."""
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    role_profile = selectors.get_role_profile_for_user(
        actor=actor, framework=framework, role_profile_id=role_profile_id
    )
    competence = selectors.get_competence_for_user(
        actor=actor, framework=framework, competence_id=competence_id
    )
    form = TargetCellForm(request.POST)
    error, status = "", 200
    if not form.is_valid():
        error = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        status = 422
    else:
        try:
            services.role_target_set(
                role_profile=role_profile,
                competence=competence,
                level=form.cleaned_data["level"],
                criticality=form.cleaned_data["criticality"] or None,
            )
        except services.FrameworkLockedError as locked:
            error, status = str(locked), 409
    cell = selectors.target_cell(role_profile=role_profile, competence=competence)
    message = "" if error else target_message(cell, framework)
    context = {
        **grid_context(framework),
        "cell": cell,
        "posted_key": cell.key,
        "saved": not error,
        "error": error,
        "status_message": message,
    }
    if status == 409:
        context["locked_message"] = error
    response = render_page_or_partial(
        request,
        page_template="frameworks/target_grid.html",
        partial_template="frameworks/_target_cell.html",
        context=context,
        status=status,
    )
    if message:
        response["HX-Trigger"] = json.dumps({"fagdigital:status": {"message": message}})
    return response
