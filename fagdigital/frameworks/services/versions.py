"""Framework versions: creating one from plain data, publishing, new versions, the bundled default.

Published versions are immutable: every edit locks the framework row and checks `is_editable`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.frameworks.formats import read_framework_json
from fagdigital.frameworks.formats.interchange import DEFAULT_LEVELS, CompetenceData, FrameworkData, LevelData
from fagdigital.frameworks.models import (
    LEVEL_COUNT,
    Area,
    Competence,
    Framework,
    FrameworkStatus,
    ITSystem,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)
from fagdigital.frameworks.selectors import framework_as_data
from fagdigital.tenancy.models import Organisation

DEFAULT_FRAMEWORK_JSON = Path(__file__).resolve().parents[1] / "data" / "default_framework.json"


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


def lock_editable(framework_id: int) -> Framework:
    """Lock the framework row for the rest of the transaction, so edits and publishing never interleave,
    and refuse published and retired versions."""
    framework = Framework.objects.select_for_update().get(pk=framework_id)
    ensure_editable(framework)
    return framework


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
        latest = Framework.objects.filter(organisation=organisation, key=data.key).aggregate(
            v=Max("version")
        )["v"]
        version = (latest or 0) + 1
    framework = Framework.objects.create(
        organisation=organisation,
        key=data.key,
        version=version,
        status=status,
        name_da=data.name.da,
        name_en=data.name.en,
        description_da=data.description.da,
        description_en=data.description.en,
        levels=[_level_json(level) for level in data.levels or DEFAULT_LEVELS],
        based_on=based_on,
        published_at=timezone.now() if status == FrameworkStatus.PUBLISHED else None,
    )
    by_code = _create_competences(framework, data)
    _create_descriptors_and_relations(framework, data, by_code)
    _create_it_systems_and_roles(framework, data, by_code)
    return framework


def _level_json(level: LevelData) -> dict[str, Any]:
    """A level as stored in `Framework.levels`; `moodle_values` only for frameworks from Moodle."""
    stored: dict[str, Any] = {
        "number": level.number,
        "name": {"da": level.name.da, "en": level.name.en},
        "digcomp_levels": list(level.digcomp_levels),
    }
    if level.moodle_values:
        stored["moodle_values"] = list(level.moodle_values)
    return stored


def _create_competences(framework: Framework, data: FrameworkData) -> dict[str, Competence]:
    """Areas, then competences one tree level at a time so each child can point at its saved parent."""
    organisation = framework.organisation
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
                kl_wheel=list(item.kl_wheel),
                it_system_categories=list(item.it_system_categories),
                position=index,
            )
            for area_row, parent, index, item in level_items
        )
        next_items: list[tuple[Area, Competence | None, int, CompetenceData]] = []
        for row, (area_row, _parent, _index, item) in zip(rows, level_items, strict=True):
            by_code[item.code] = row
            next_items += [(area_row, row, i, child) for i, child in enumerate(item.children)]
        level_items = next_items
    return by_code


def _create_descriptors_and_relations(
    framework: Framework, data: FrameworkData, by_code: dict[str, Competence]
) -> None:
    all_competences = data.all_competences()
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(
            organisation_id=framework.organisation_id,
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
            related_model(from_competence=by_code[item.code], to_competence=by_code[code])  # type: ignore[misc]
            for item in all_competences
            for code in item.related
            if code in by_code
        ),
        ignore_conflicts=True,
    )


def _create_it_systems_and_roles(
    framework: Framework, data: FrameworkData, by_code: dict[str, Competence]
) -> None:
    organisation = framework.organisation
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


def publication_problems(*, framework: Framework) -> list[str]:
    """What must be fixed before a version can be published (empty when it is ready)."""
    problems = []
    competences = list(
        Competence.objects.filter(framework=framework).prefetch_related("descriptors", "children")
    )
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
    """A draft copy of `framework` as the next version; when a draft already exists, that draft."""
    # Serialise concurrent requests on the source row, so the second one finds the first one's draft.
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
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
    data, problems = read_framework_json(DEFAULT_FRAMEWORK_JSON.read_bytes())
    if data is None:
        raise FrameworkInvalidError([str(p) for p in problems])
    existing = Framework.objects.filter(organisation=organisation, key=data.key).first()
    if existing is not None:
        return existing
    return framework_create_from_data(
        organisation=organisation, data=data, status=FrameworkStatus.PUBLISHED, version=1
    )
