"""The draft editor (competence admins): the framework's texts, focus areas, competences and role profiles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.forms import (
    AreaForm,
    BilingualForm,
    CompetenceForm,
    FrameworkForm,
    MoveForm,
    RoleProfileForm,
)
from fagdigital.frameworks.models import Area, Competence, Framework, RoleProfile
from fagdigital.frameworks.views.common import ADMIN, edit_url, editable_framework, refuses_locked
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor


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
    previous = selectors.previous_descriptors(competence=competence) if competence else None
    return CompetenceForm(
        request.POST or None,
        initial=CompetenceForm.initial_for(competence, levels) if competence else {"kind": "integrated"},
        levels=levels,
        it_system_choices=it_choices,
        existing_codes=set() if competence else selectors.competence_codes(framework=framework),
        creating=competence is None,
        previous_descriptors=previous,
        previous_version=framework.based_on.version if previous is not None and framework.based_on else None,
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
        "kl_wheel": data["kl_wheel"],
        "it_system_categories": data["it_system_categories"],
        "descriptors": form.descriptor_texts(),
    }


def competence_update_fields(form: CompetenceForm) -> dict[str, Any]:
    """What an edit changes: the fields of a new competence and, where it applies, the material change."""
    fields = competence_fields(form)
    if form.material_change_field() is not None:
        fields["material_change"] = bool(form.cleaned_data["material_change"])
    return fields


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
        services.competence_update(competence=competence, **competence_update_fields(form))
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
