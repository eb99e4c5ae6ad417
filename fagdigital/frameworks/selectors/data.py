"""A framework version as plain data (formats.interchange), for exports, copies and differences."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch

from fagdigital.frameworks.formats.interchange import (
    AreaData,
    CompetenceData,
    DescriptorData,
    FrameworkData,
    ITSystemData,
    LevelData,
    RoleProfileData,
    TargetData,
    Text,
)
from fagdigital.frameworks.models import (
    Area,
    Competence,
    Framework,
    ITSystem,
    RoleProfile,
    RoleTarget,
)


def framework_as_data(*, framework: Framework) -> FrameworkData:
    """Everything in one framework version as plain data, in display order. A fixed number of queries."""
    competences = list(
        Competence.objects.filter(framework=framework)
        .prefetch_related("descriptors", Prefetch("related", queryset=Competence.objects.only("code")))
        .order_by("position", "code")
    )
    children: dict[int | None, list[Competence]] = defaultdict(list)
    for competence in competences:
        children[competence.parent_id].append(competence)

    def competence_data(competence: Competence) -> CompetenceData:
        return CompetenceData(
            code=competence.code,
            name=Text(competence.name_da, competence.name_en),
            description=Text(competence.description_da, competence.description_en),
            kind=competence.kind,
            digcomp=tuple(competence.digcomp),
            kl_wheel=tuple(competence.kl_wheel),
            it_system_categories=tuple(competence.it_system_categories),
            descriptors=tuple(
                DescriptorData(d.level, Text(d.text_da, d.text_en))
                for d in sorted(competence.descriptors.all(), key=lambda d: d.level)
            ),
            children=tuple(competence_data(child) for child in children[competence.pk]),
            related=tuple(sorted(r.code for r in competence.related.all())),
        )

    areas = tuple(
        AreaData(
            code=area.code,
            name=Text(area.name_da, area.name_en),
            description=Text(area.description_da, area.description_en),
            competences=tuple(competence_data(c) for c in children[None] if c.area_id == area.pk),
        )
        for area in Area.objects.filter(framework=framework).order_by("position", "code")
    )
    it_systems = tuple(
        ITSystemData(
            code=s.code,
            category=s.category,
            name=Text(s.name_da, s.name_en),
            vendor=s.vendor,
            job_functions=tuple(s.job_function_names),
        )
        for s in ITSystem.objects.filter(framework=framework).order_by("code")
    )
    targets = RoleTarget.objects.filter(role_profile__framework=framework).select_related("competence")
    targets_by_role: dict[int, list[RoleTarget]] = defaultdict(list)
    for target in targets.order_by("competence__position", "competence__code"):
        targets_by_role[target.role_profile_id].append(target)
    role_profiles = tuple(
        RoleProfileData(
            code=role.code,
            name=Text(role.name_da, role.name_en),
            description=Text(role.description_da, role.description_en),
            job_function_names=tuple(role.job_function_names),
            targets=tuple(
                TargetData(t.competence.code, t.level, t.criticality) for t in targets_by_role[role.pk]
            ),
        )
        for role in RoleProfile.objects.filter(framework=framework).order_by("position", "code")
    )
    return FrameworkData(
        key=framework.key,
        version=framework.version,
        name=Text(framework.name_da, framework.name_en),
        description=Text(framework.description_da, framework.description_en),
        levels=tuple(
            LevelData(
                number=int(level["number"]),
                name=Text(level["name"].get("da", ""), level["name"].get("en", "")),
                digcomp_levels=tuple(level.get("digcomp_levels", ())),
                moodle_values=tuple(level.get("moodle_values", ())),
            )
            for level in framework.levels
        ),
        areas=areas,
        it_systems=it_systems,
        role_profiles=role_profiles,
    )
