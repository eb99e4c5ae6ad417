"""Access: every framework object a user names by id, within the actor's organisation (404 otherwise)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from fagdigital.frameworks.models import (
    Area,
    Competence,
    Framework,
    FrameworkImport,
    FrameworkStatus,
    RoleProfile,
)
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation, Role


def get_framework_for_user(*, actor: Actor, framework_id: int) -> Framework:
    framework = Framework.objects.filter(organisation=actor.organisation, pk=framework_id).first()
    if framework is None:
        raise Http404
    return framework


def visible_frameworks(*, actor: Actor) -> QuerySet[Framework]:
    """Competence admins see every version; everyone else the published and retired ones.

    A draft is work in progress: nobody is measured against it until it is published.
    """
    frameworks = Framework.objects.filter(organisation=actor.organisation)
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        frameworks = frameworks.exclude(status=FrameworkStatus.DRAFT)
    return frameworks


def get_visible_framework_for_user(*, actor: Actor, framework_id: int) -> Framework:
    framework = visible_frameworks(actor=actor).filter(pk=framework_id).first()
    if framework is None:
        raise Http404
    return framework


def get_area_for_user(*, actor: Actor, framework: Framework, area_id: int) -> Area:
    area = Area.objects.filter(organisation=actor.organisation, framework=framework, pk=area_id).first()
    if area is None:
        raise Http404
    return area


def get_competence_for_user(*, actor: Actor, framework: Framework, competence_id: int) -> Competence:
    competence = (
        Competence.objects.filter(organisation=actor.organisation, framework=framework, pk=competence_id)
        .select_related("area", "parent")
        .first()
    )
    if competence is None:
        raise Http404
    return competence


def get_role_profile_for_user(*, actor: Actor, framework: Framework, role_profile_id: int) -> RoleProfile:
    role_profile = RoleProfile.objects.filter(
        organisation=actor.organisation, framework=framework, pk=role_profile_id
    ).first()
    if role_profile is None:
        raise Http404
    return role_profile


def framework_imports_for_organisation(*, organisation: Organisation) -> QuerySet[FrameworkImport]:
    return FrameworkImport.objects.filter(organisation=organisation)


def get_framework_import_for_user(*, actor: Actor, framework_import_id: int) -> FrameworkImport:
    """One of the actor's organisation's framework imports; 404 otherwise."""
    framework_import = (
        framework_imports_for_organisation(organisation=actor.organisation)
        .select_related("framework")
        .filter(pk=framework_import_id)
        .first()
    )
    if framework_import is None:
        raise Http404
    return framework_import
