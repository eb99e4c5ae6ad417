"""Versions of a framework: the published one, the list grouped by key, the draft, the codes in a version."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from fagdigital.frameworks.models import (
    Area,
    Competence,
    Framework,
    FrameworkStatus,
    RoleProfile,
)
from fagdigital.frameworks.selectors.access import visible_frameworks
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation


def frameworks_for_organisation(*, organisation: Organisation) -> QuerySet[Framework]:
    return Framework.objects.filter(organisation=organisation).order_by("key", "-version")


def published_framework(*, organisation: Organisation, key: str | None = None) -> Framework | None:
    """The newest published version (of `key`, or of any framework when there is only one key)."""
    frameworks = Framework.objects.filter(organisation=organisation, status=FrameworkStatus.PUBLISHED)
    if key is not None:
        frameworks = frameworks.filter(key=key)
    return frameworks.order_by("-published_at", "-version").first()


@dataclass(frozen=True)
class FrameworkFamily:
    """All visible versions of one framework (one key), newest first."""

    key: str
    versions: list[Framework]

    @property
    def newest(self) -> Framework:
        return self.versions[0]

    @property
    def draft(self) -> Framework | None:
        return next((v for v in self.versions if v.status == FrameworkStatus.DRAFT), None)

    @property
    def published(self) -> Framework | None:
        return next((v for v in self.versions if v.status == FrameworkStatus.PUBLISHED), None)


def framework_families(*, actor: Actor) -> list[FrameworkFamily]:
    """The frameworks the actor may see, grouped by key, each version with its number of competences.

    One query however many versions there are.
    """
    frameworks = (
        visible_frameworks(actor=actor)
        .select_related("based_on")
        .annotate(competence_count=Count("competences"))
        .order_by("key", "-version")
    )
    families: dict[str, list[Framework]] = defaultdict(list)
    for framework in frameworks:
        families[framework.key].append(framework)
    return [FrameworkFamily(key=key, versions=versions) for key, versions in families.items()]


def draft_version(*, framework: Framework) -> Framework | None:
    """The draft of the same framework (key), if one exists: there is at most one."""
    return Framework.objects.filter(
        organisation_id=framework.organisation_id, key=framework.key, status=FrameworkStatus.DRAFT
    ).first()


def area_codes(*, framework: Framework) -> set[str]:
    return set(Area.objects.filter(framework=framework).values_list("code", flat=True))


def competence_codes(*, framework: Framework) -> set[str]:
    return set(Competence.objects.filter(framework=framework).values_list("code", flat=True))


def role_profile_codes(*, framework: Framework) -> set[str]:
    return set(RoleProfile.objects.filter(framework=framework).values_list("code", flat=True))


def other_versions(*, actor: Actor, framework: Framework) -> list[Framework]:
    """What a version can be compared with: the actor's other visible versions, same framework first."""
    others = visible_frameworks(actor=actor).exclude(pk=framework.pk)
    return sorted(others, key=lambda f: (f.key != framework.key, f.key, -f.version))
