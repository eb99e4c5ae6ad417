"""Browsing frameworks (everyone in the organisation): the list, a version, a competence, the differences
between versions, and "my role"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.forms import (
    CompareForm,
)
from fagdigital.frameworks.models import Framework
from fagdigital.frameworks.views.common import ADMIN, version_label
from fagdigital.orgs import selectors as org_selectors
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor


@actor_required()
def framework_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    context = {"families": selectors.framework_families(actor=actor), "is_admin": actor.has_role(ADMIN)}
    return render(request, "frameworks/list.html", context)


@require_POST
@actor_required(ADMIN)
def install_default(request: HttpRequest, actor: Actor) -> HttpResponse:
    framework = services.default_framework_install(organisation=actor.organisation)
    messages.success(
        request,
        _("Standardrammen »%(name)s« er installeret og udgivet.") % {"name": framework.t("name")},
    )
    return redirect("frameworks:list")


@actor_required()
def framework_detail(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = selectors.get_visible_framework_for_user(actor=actor, framework_id=framework_id)
    levels = selectors.framework_levels(framework=framework)
    context = {
        "framework": framework,
        "tree": selectors.framework_tree(framework=framework),
        "levels": levels,
        "has_moodle_values": any(level.moodle_values for level in levels),
        "role_profiles": selectors.role_profiles(framework=framework),
        "is_admin": actor.has_role(ADMIN),
    }
    return render(request, "frameworks/detail.html", context)


@actor_required()
def competence_detail(
    request: HttpRequest, actor: Actor, framework_id: int, competence_id: int
) -> HttpResponse:
    framework = selectors.get_visible_framework_for_user(actor=actor, framework_id=framework_id)
    competence = selectors.get_competence_for_user(
        actor=actor, framework=framework, competence_id=competence_id
    )
    context = {
        "framework": framework,
        "page": selectors.competence_page(framework=framework, competence=competence),
        "is_admin": actor.has_role(ADMIN),
    }
    return render(request, "frameworks/competence.html", context)


@actor_required()
def my_role(request: HttpRequest, actor: Actor) -> HttpResponse:
    person = org_selectors.person_for_actor(actor=actor)
    framework = selectors.published_framework(organisation=actor.organisation) if person else None
    role = selectors.my_role(person=person, framework=framework) if person and framework else None
    context = {"person": person, "framework": framework, "role": role}
    return render(request, "frameworks/my_role.html", context)


@actor_required()
def framework_diff(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = selectors.get_visible_framework_for_user(actor=actor, framework_id=framework_id)
    others = selectors.other_versions(actor=actor, framework=framework)
    choices = [(other.pk, version_label(other)) for other in others]
    form = CompareForm(request.GET if "mod" in request.GET else None, choices=choices)
    other: Framework | None = None
    if form.is_bound:
        if form.is_valid():
            other = next(o for o in others if o.pk == form.cleaned_data["mod"])
    elif framework.based_on_id is not None:
        other = next((o for o in others if o.pk == framework.based_on_id), None)
        if other is not None:
            form = CompareForm(initial={"mod": other.pk}, choices=choices)
    old, new = (other, framework) if other is not None else (None, framework)
    if other is not None and other.key == framework.key and other.version > framework.version:
        old, new = framework, other
    changes = selectors.framework_differences(old=old, new=new) if old is not None else None
    context = {
        "framework": framework,
        "form": form,
        "old": old,
        "new": new,
        "changes": changes,
        "counts": selectors.change_counts(changes or []),
        "material": selectors.material_change_competences(framework=new) if changes else [],
    }
    return render(request, "frameworks/diff.html", context)
