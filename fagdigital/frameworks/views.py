"""Frameworks: browse (everyone), "my role" (employees), and the editor (competence admins).

Views only parse input and call services (writes) and selectors (reads). Every write is a POST through a
service that refuses published and retired versions with FrameworkLockedError; the views answer that with
the way forward: create a new version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fagdigital.core.htmx import render_page_or_partial
from fagdigital.orgs import selectors as org_selectors
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from . import selectors, services
from .forms import (
    LEVEL_CHOICES,
    AreaForm,
    BilingualForm,
    CompareForm,
    CompetenceForm,
    FrameworkForm,
    JobFunctionMappingForm,
    MoveForm,
    RoleProfileForm,
    TargetCellForm,
)
from .models import Area, Competence, Criticality, Framework, RoleProfile

ADMIN = Role.COMPETENCE_ADMIN
P = ParamSpec("P")
ActorView = Callable[Concatenate[HttpRequest, Actor, P], HttpResponse]


# --- Refusing edits of published versions -----------------------------------------------------------------


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


# --- Browse ------------------------------------------------------------------------------------------------


def render_list(
    request: HttpRequest,
    actor: Actor,
    *,
    refused: Framework | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "families": selectors.framework_families(actor=actor),
        "refused": refused,
        "problems": problems or [],
        "is_admin": actor.has_role(ADMIN),
    }
    return render(request, "frameworks/list.html", context, status=status)


@actor_required()
def framework_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_list(request, actor)


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
    context = {
        "framework": framework,
        "tree": selectors.framework_tree(framework=framework),
        "levels": selectors.framework_levels(framework=framework),
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
    }
    return render(request, "frameworks/diff.html", context)


def version_label(framework: Framework) -> str:
    return _("%(name)s, version %(version)s (%(status)s)") % {
        "name": framework.t("name"),
        "version": framework.version,
        "status": framework.get_status_display(),
    }


# --- Versions: publish and new version --------------------------------------------------------------------


@require_POST
@actor_required(ADMIN)
@refuses_locked
def framework_publish(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    try:
        services.framework_publish(framework=framework)
    except services.FrameworkInvalidError as invalid:
        return render_list(request, actor, refused=framework, problems=invalid.problems, status=422)
    messages.success(
        request,
        _("Version %(version)s af »%(name)s« er udgivet. En tidligere udgivet version er nu udgået.")
        % {"version": framework.version, "name": framework.t("name")},
    )
    return redirect("frameworks:list")


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


# --- Editor ------------------------------------------------------------------------------------------------


@actor_required(ADMIN)
@refuses_locked
def framework_edit(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    form = FrameworkForm(request.POST or None, initial=BilingualForm.texts_of(framework))
    if request.method == "POST" and form.is_valid():
        services.framework_update(framework=framework, **form.cleaned_data)
        messages.success(request, _("Rammens navn og beskrivelse er gemt."))
        return redirect(edit_url(framework))
    context = {
        "framework": framework,
        "form": form,
        "tree": selectors.framework_tree(framework=framework),
        "role_profiles": selectors.role_profiles(framework=framework),
        "problems": services.publication_problems(framework=framework),
        "based_on": framework.based_on,
    }
    return render(request, "frameworks/edit.html", context)


def render_item_form(
    request: HttpRequest,
    framework: Framework,
    form: BilingualForm,
    *,
    heading: str,
    submit: str,
    cancel_anchor: str = "",
) -> HttpResponse:
    context = {
        "framework": framework,
        "form": form,
        "heading": heading,
        "submit": submit,
        "cancel_url": edit_url(framework, cancel_anchor),
    }
    return render(request, "frameworks/item_form.html", context)


@actor_required(ADMIN)
@refuses_locked
def area_create(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    form = AreaForm(
        request.POST or None, existing_codes=selectors.area_codes(framework=framework), creating=True
    )
    if request.method == "POST" and form.is_valid():
        area = services.area_create(framework=framework, **form.cleaned_data)
        messages.success(request, _("Fokusområdet »%(name)s« er oprettet.") % {"name": area.name_da})
        return redirect(edit_url(framework, f"area-{area.pk}"))
    return render_item_form(
        request, framework, form, heading=_("Nyt fokusområde"), submit=_("Opret fokusområde")
    )


@actor_required(ADMIN)
@refuses_locked
def area_edit(request: HttpRequest, actor: Actor, framework_id: int, area_id: int) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    area = selectors.get_area_for_user(actor=actor, framework=framework, area_id=area_id)
    form = AreaForm(
        request.POST or None, initial=BilingualForm.texts_of(area), existing_codes=set(), creating=False
    )
    if request.method == "POST" and form.is_valid():
        services.area_update(area=area, **form.cleaned_data)
        messages.success(request, _("Fokusområdet »%(name)s« er gemt.") % {"name": area.name_da})
        return redirect(edit_url(framework, f"area-{area.pk}"))
    return render_item_form(
        request,
        framework,
        form,
        heading=_("Redigér fokusområdet %(code)s") % {"code": area.code},
        submit=_("Gem fokusområdet"),
        cancel_anchor=f"area-{area.pk}",
    )


def competence_form(
    request: HttpRequest, framework: Framework, competence: Competence | None
) -> CompetenceForm:
    levels = (
        selectors.competence_levels(framework=framework, competence=competence)
        if competence
        else selectors.framework_levels(framework=framework)
    )
    labels = selectors.it_system_labels(framework=framework)
    current: list[str] = [str(c) for c in competence.it_system_categories] if competence else []

    def label(category: str) -> str:
        return labels.get(category) or category

    categories = sorted({*labels, *current}, key=lambda category: label(category).casefold())
    it_choices = [(category, label(category)) for category in categories]
    return CompetenceForm(
        request.POST or None,
        initial=CompetenceForm.initial_for(competence, levels) if competence else {"kind": "integrated"},
        levels=levels,
        it_system_choices=it_choices,
        existing_codes=set() if competence else selectors.competence_codes(framework=framework),
        creating=competence is None,
    )


def competence_fields(form: CompetenceForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name_da": data["name_da"],
        "name_en": data["name_en"],
        "description_da": data["description_da"],
        "description_en": data["description_en"],
        "kind": data["kind"],
        "digcomp": data["digcomp"],
        "it_system_categories": data["it_system_categories"],
        "descriptors": form.descriptor_texts(),
    }


@actor_required(ADMIN)
@refuses_locked
def competence_create(request: HttpRequest, actor: Actor, framework_id: int, area_id: int) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    area = selectors.get_area_for_user(actor=actor, framework=framework, area_id=area_id)
    form = competence_form(request, framework, None)
    if request.method == "POST" and form.is_valid():
        competence = services.competence_create(
            area=area, code=form.cleaned_data["code"], **competence_fields(form)
        )
        messages.success(request, _("Kompetencen %(code)s er oprettet.") % {"code": competence.code})
        return redirect(edit_url(framework, f"competence-{competence.pk}"))
    return render_item_form(
        request,
        framework,
        form,
        heading=_("Ny kompetence i %(area)s") % {"area": area.t("name")},
        submit=_("Opret kompetence"),
        cancel_anchor=f"area-{area.pk}",
    )


@actor_required(ADMIN)
@refuses_locked
def competence_edit(
    request: HttpRequest, actor: Actor, framework_id: int, competence_id: int
) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    competence = selectors.get_competence_for_user(
        actor=actor, framework=framework, competence_id=competence_id
    )
    form = competence_form(request, framework, competence)
    if request.method == "POST" and form.is_valid():
        services.competence_update(competence=competence, **competence_fields(form))
        messages.success(request, _("Kompetencen %(code)s er gemt.") % {"code": competence.code})
        return redirect(edit_url(framework, f"competence-{competence.pk}"))
    return render_item_form(
        request,
        framework,
        form,
        heading=_("Redigér kompetencen %(code)s") % {"code": competence.code},
        submit=_("Gem kompetencen"),
        cancel_anchor=f"competence-{competence.pk}",
    )


@actor_required(ADMIN)
@refuses_locked
def role_profile_create(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    form = RoleProfileForm(
        request.POST or None, existing_codes=selectors.role_profile_codes(framework=framework), creating=True
    )
    if request.method == "POST" and form.is_valid():
        role_profile = services.role_profile_create(framework=framework, **form.cleaned_data)
        messages.success(request, _("Rolleprofilen »%(name)s« er oprettet.") % {"name": role_profile.name_da})
        return redirect(edit_url(framework, f"role-{role_profile.pk}"))
    return render_item_form(
        request,
        framework,
        form,
        heading=_("Ny rolleprofil"),
        submit=_("Opret rolleprofil"),
        cancel_anchor="role-profiles",
    )


@actor_required(ADMIN)
@refuses_locked
def role_profile_edit(
    request: HttpRequest, actor: Actor, framework_id: int, role_profile_id: int
) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    role_profile = selectors.get_role_profile_for_user(
        actor=actor, framework=framework, role_profile_id=role_profile_id
    )
    form = RoleProfileForm(
        request.POST or None,
        initial=RoleProfileForm.initial_for(role_profile),
        existing_codes=set(),
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        services.role_profile_update(role_profile=role_profile, **form.cleaned_data)
        messages.success(request, _("Rolleprofilen »%(name)s« er gemt.") % {"name": role_profile.name_da})
        return redirect(edit_url(framework, f"role-{role_profile.pk}"))
    return render_item_form(
        request,
        framework,
        form,
        heading=_("Redigér rolleprofilen »%(name)s«") % {"name": role_profile.name_da},
        submit=_("Gem rolleprofilen"),
        cancel_anchor=f"role-{role_profile.pk}",
    )


def move(
    request: HttpRequest, framework: Framework, item: Area | Competence | RoleProfile, anchor: str
) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vælg, om punktet skal flyttes op eller ned."))
    elif not services.item_move(item=item, direction=form.cleaned_data["direction"]):
        messages.info(request, _("Punktet står allerede yderst og kan ikke flyttes længere."))
    return redirect(edit_url(framework, anchor))


@require_POST
@actor_required(ADMIN)
@refuses_locked
def area_move(request: HttpRequest, actor: Actor, framework_id: int, area_id: int) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    area = selectors.get_area_for_user(actor=actor, framework=framework, area_id=area_id)
    return move(request, framework, area, f"area-{area.pk}")


@require_POST
@actor_required(ADMIN)
@refuses_locked
def competence_move(
    request: HttpRequest, actor: Actor, framework_id: int, competence_id: int
) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    competence = selectors.get_competence_for_user(
        actor=actor, framework=framework, competence_id=competence_id
    )
    return move(request, framework, competence, f"competence-{competence.pk}")


@require_POST
@actor_required(ADMIN)
@refuses_locked
def role_profile_move(
    request: HttpRequest, actor: Actor, framework_id: int, role_profile_id: int
) -> HttpResponse:
    framework = editable_framework(actor, framework_id)
    role_profile = selectors.get_role_profile_for_user(
        actor=actor, framework=framework, role_profile_id=role_profile_id
    )
    return move(request, framework, role_profile, f"role-{role_profile.pk}")


# --- The target grid ---------------------------------------------------------------------------------------


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


def locked_error(framework: Framework) -> services.FrameworkLockedError | None:
    try:
        services.ensure_editable(framework)
    except services.FrameworkLockedError as error:
        return error
    return None


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


# --- Job functions → role profiles -------------------------------------------------------------------------


@actor_required(ADMIN)
def job_functions(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    rows = selectors.job_function_rows(organisation=actor.organisation, framework=framework)
    roles = selectors.role_profiles(framework=framework)
    form = JobFunctionMappingForm(request.POST or None, rows=rows, role_profiles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.job_function_mappings_set(
                organisation=actor.organisation, framework=framework, mappings=form.changed_mappings()
            )
        except ValueError:
            messages.error(
                request,
                _("Listen er ændret, mens du arbejdede. Intet er gemt. Se den nye liste, og gem igen."),
            )
        else:
            messages.success(
                request,
                ngettext("%(count)s tilknytning er gemt.", "%(count)s tilknytninger er gemt.", changed)
                % {"count": changed},
            )
        return redirect("frameworks:job_functions", framework.pk)
    context = {
        "framework": framework,
        "form": form,
        "entries": form.entries(),
        "unmapped": sum(1 for row in rows if row.mapped_code is None),
    }
    return render(request, "frameworks/job_functions.html", context)
