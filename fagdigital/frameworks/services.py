"""Writes of competence frameworks. Published versions are immutable: every edit checks `is_editable`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.tenancy.models import Organisation

from .interchange import DEFAULT_LEVELS, CompetenceData, FrameworkData
from fagdigital.orgs.models import JobFunction

from .models import (
    LEVEL_COUNT,
    Area,
    Competence,
    Criticality,
    Framework,
    FrameworkStatus,
    ITSystem,
    JobFunctionMapping,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)

DEFAULT_FRAMEWORK_JSON = Path(__file__).parent / "data" / "default_framework.json"


class FrameworkLockedError(Exception):
    """Raised on any attempt to change a published or retired framework version."""


class FrameworkInvalidError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def ensure_editable(framework: Framework) -> None:
    if not framework.is_editable:
        raise FrameworkLockedError(
            _(
                "Version %(version)s af »%(name)s« er udgivet og kan ikke ændres. "
                "Opret en ny version for at redigere."
            )
            % {"version": framework.version, "name": framework.name_da}
        )


@transaction.atomic
def framework_create_from_data(
    *,
    organisation: Organisation,
    data: FrameworkData,
    status: FrameworkStatus = FrameworkStatus.DRAFT,
    version: int | None = None,
    based_on: Framework | None = None,
) -> Framework:
    """Create one framework version with everything in `data`, in a fixed number of bulk inserts per level."""
    if version is None:
        latest = Framework.objects.filter(organisation=organisation, key=data.key).aggregate(v=Max("version"))["v"]
        version = (latest or 0) + 1
    levels = data.levels or DEFAULT_LEVELS
    framework = Framework.objects.create(
        organisation=organisation,
        key=data.key,
        version=version,
        status=status,
        name_da=data.name.da,
        name_en=data.name.en,
        description_da=data.description.da,
        description_en=data.description.en,
        levels=[
            {"number": lv.number, "name": {"da": lv.name.da, "en": lv.name.en}, "digcomp_levels": list(lv.digcomp_levels)}
            for lv in levels
        ],
        based_on=based_on,
        published_at=timezone.now() if status == FrameworkStatus.PUBLISHED else None,
    )
    areas = Area.objects.bulk_create(
        Area(
            organisation=organisation,
            framework=framework,
            code=area.code,
            name_da=area.name.da,
            name_en=area.name.en,
            description_da=area.description.da,
            description_en=area.description.en,
            position=index,
        )
        for index, area in enumerate(data.areas)
    )
    # Competences are created one tree level at a time so each child can point at its saved parent.
    by_code: dict[str, Competence] = {}
    level_items: list[tuple[Area, Competence | None, int, CompetenceData]] = [
        (area_row, None, index, item)
        for area_row, area in zip(areas, data.areas, strict=True)
        for index, item in enumerate(area.competences)
    ]
    while level_items:
        rows = Competence.objects.bulk_create(
            Competence(
                organisation=organisation,
                framework=framework,
                area=area_row,
                parent=parent,
                code=item.code,
                name_da=item.name.da,
                name_en=item.name.en,
                description_da=item.description.da,
                description_en=item.description.en,
                kind=item.kind,
                digcomp=list(item.digcomp),
                it_system_categories=list(item.it_system_categories),
                position=index,
            )
            for area_row, parent, index, item in level_items
        )
        next_items = []
        for row, (area_row, _parent, _index, item) in zip(rows, level_items, strict=True):
            by_code[item.code] = row
            next_items += [(area_row, row, i, child) for i, child in enumerate(item.children)]
        level_items = next_items
    all_competences = data.all_competences()
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(
            organisation=organisation,
            competence=by_code[item.code],
            level=descriptor.level,
            text_da=descriptor.text.da,
            text_en=descriptor.text.en,
        )
        for item in all_competences
        for descriptor in item.descriptors
    )
    related_model = Competence.related.through
    related_model.objects.bulk_create(
        (
            related_model(from_competence=by_code[item.code], to_competence=by_code[code])
            for item in all_competences
            for code in item.related
            if code in by_code
        ),
        ignore_conflicts=True,
    )
    ITSystem.objects.bulk_create(
        ITSystem(
            organisation=organisation,
            framework=framework,
            code=system.code,
            category=system.category,
            name_da=system.name.da,
            name_en=system.name.en,
            vendor=system.vendor,
            job_function_names=list(system.job_functions),
        )
        for system in data.it_systems
    )
    roles = RoleProfile.objects.bulk_create(
        RoleProfile(
            organisation=organisation,
            framework=framework,
            code=role.code,
            name_da=role.name.da,
            name_en=role.name.en,
            description_da=role.description.da,
            description_en=role.description.en,
            job_function_names=list(role.job_function_names),
            position=index,
        )
        for index, role in enumerate(data.role_profiles)
    )
    RoleTarget.objects.bulk_create(
        RoleTarget(
            organisation=organisation,
            role_profile=role_row,
            competence=by_code[target.competence],
            level=target.level,
            criticality=target.criticality,
        )
        for role_row, role in zip(roles, data.role_profiles, strict=True)
        for target in role.targets
    )
    return framework


def publication_problems(*, framework: Framework) -> list[str]:
    """What must be fixed before a version can be published (empty when it is ready)."""
    problems = []
    competences = list(Competence.objects.filter(framework=framework).prefetch_related("descriptors", "children"))
    if not competences:
        problems.append(_("Rammen har ingen kompetencer."))
    for competence in competences:
        if competence.children.all():
            continue  # only the competences people are assessed in need level descriptors
        levels = {d.level for d in competence.descriptors.all() if d.text_da.strip()}
        missing = [str(n) for n in range(1, LEVEL_COUNT + 1) if n not in levels]
        if missing:
            problems.append(
                _("Kompetence %(code)s mangler en dansk beskrivelse af niveau %(levels)s.")
                % {"code": competence.code, "levels": ", ".join(missing)}
            )
    return problems


@transaction.atomic
def framework_publish(*, framework: Framework) -> Framework:
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    ensure_editable(framework)
    problems = publication_problems(framework=framework)
    if problems:
        raise FrameworkInvalidError(problems)
    # Only one version of a framework is in use: publishing retires the one before it.
    Framework.objects.filter(
        organisation=framework.organisation, key=framework.key, status=FrameworkStatus.PUBLISHED
    ).update(status=FrameworkStatus.RETIRED)
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at", "updated_at"])
    return framework


@transaction.atomic
def framework_new_version(*, framework: Framework) -> Framework:
    """A draft copy of `framework` as the next version. Refused when a draft already exists."""
    from .selectors import framework_as_data

    existing = Framework.objects.filter(
        organisation=framework.organisation, key=framework.key, status=FrameworkStatus.DRAFT
    ).first()
    if existing is not None:
        return existing
    data = framework_as_data(framework=framework)
    return framework_create_from_data(
        organisation=framework.organisation,
        data=dataclasses.replace(data, version=0),
        status=FrameworkStatus.DRAFT,
        based_on=framework,
    )


@transaction.atomic
def default_framework_install(*, organisation: Organisation) -> Framework:
    """Install the bundled "Digital faglighed i velfærden" as a published framework. Idempotent."""
    from .json_format import read_framework_json

    data, problems = read_framework_json(DEFAULT_FRAMEWORK_JSON.read_bytes())
    if data is None:
        raise FrameworkInvalidError([str(p) for p in problems])
    existing = Framework.objects.filter(organisation=organisation, key=data.key).first()
    if existing is not None:
        return existing
    return framework_create_from_data(
        organisation=organisation, data=data, status=FrameworkStatus.PUBLISHED, version=1
    )


def role_target_set(
    *, role_profile: RoleProfile, competence: Competence, level: int | None, criticality: str | None
) -> RoleTarget | None:
    """Set (or with level None, remove) a role profile's target for one competence."""
    ensure_editable(role_profile.framework)
    if competence.framework_id != role_profile.framework_id:
        raise ValueError("competence and role profile belong to different frameworks")
    if level is None:
        RoleTarget.objects.filter(role_profile=role_profile, competence=competence).delete()
        return None
    if not 1 <= level <= LEVEL_COUNT or criticality not in Criticality.values:
        raise ValueError("invalid level or criticality")
    target, _created = RoleTarget.objects.update_or_create(
        role_profile=role_profile,
        competence=competence,
        defaults={"organisation": role_profile.organisation, "level": level, "criticality": criticality},
    )
    return target


@transaction.atomic
def job_function_mappings_set(
    *, organisation: Organisation, framework: Framework, mappings: dict[int, str | None]
) -> int:
    """Map job functions (by id) to role profile codes of the framework; None removes a mapping.

    Every id must be the organisation's job function and every code one of the framework's role profiles.
    Returns the number of mappings changed.
    """
    valid_codes = set(RoleProfile.objects.filter(framework=framework).values_list("code", flat=True))
    own_ids = set(JobFunction.objects.filter(organisation=organisation, pk__in=mappings).values_list("pk", flat=True))
    unknown_ids = set(mappings) - own_ids
    unknown_codes = {code for code in mappings.values() if code is not None} - valid_codes
    if unknown_ids or unknown_codes:
        raise ValueError(f"unknown job functions {sorted(unknown_ids)} or role profiles {sorted(unknown_codes)}")
    existing = {
        m.job_function_id: m
        for m in JobFunctionMapping.objects.filter(organisation=organisation, framework_key=framework.key)
    }
    changed = 0
    for job_function_id, code in mappings.items():
        current = existing.get(job_function_id)
        if code is None:
            if current is not None:
                current.delete()
                changed += 1
        elif current is None:
            JobFunctionMapping.objects.create(
                organisation=organisation,
                job_function_id=job_function_id,
                framework_key=framework.key,
                role_profile_code=code,
            )
            changed += 1
        elif current.role_profile_code != code:
            current.role_profile_code = code
            current.save(update_fields=["role_profile_code", "updated_at"])
            changed += 1
    return changed


def job_functions_map_by_suggestion(*, organisation: Organisation, framework: Framework) -> int:
    """Map every unmapped job function that has a confident suggestion (used when setting up a municipality)."""
    from .selectors import job_function_rows

    suggestions = {
        row.job_function.pk: row.suggested_code
        for row in job_function_rows(organisation=organisation, framework=framework)
        if row.mapped_code is None and row.suggested_code is not None
    }
    return job_function_mappings_set(organisation=organisation, framework=framework, mappings=suggestions)
