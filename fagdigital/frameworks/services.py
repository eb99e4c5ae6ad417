"""Writes of competence frameworks. Published versions are immutable: every edit checks `is_editable`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.orgs.models import JobFunction
from fagdigital.tenancy.models import Organisation

from .digcomp import DIGCOMP_COMPETENCES
from .interchange import DEFAULT_LEVELS, CompetenceData, FrameworkData
from .json_format import read_framework_file, read_framework_json
from .models import (
    LEVEL_COUNT,
    Area,
    Competence,
    CompetenceKind,
    Criticality,
    Framework,
    FrameworkImport,
    FrameworkImportStatus,
    FrameworkStatus,
    ITSystem,
    JobFunctionMapping,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)
from .selectors import framework_as_data, job_function_rows

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


def _lock_editable(framework_id: int) -> Framework:
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
            {
                "number": lv.number,
                "name": {"da": lv.name.da, "en": lv.name.en},
                "digcomp_levels": list(lv.digcomp_levels),
            }
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
        next_items: list[tuple[Area, Competence | None, int, CompetenceData]] = []
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
            related_model(from_competence=by_code[item.code], to_competence=by_code[code])  # type: ignore[misc]
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


@transaction.atomic
def role_target_set(
    *, role_profile: RoleProfile, competence: Competence, level: int | None, criticality: str | None
) -> RoleTarget | None:
    """Set (or with level None, remove) a role profile's target for one competence."""
    _lock_editable(role_profile.framework_id)
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
        defaults={
            "organisation_id": role_profile.organisation_id,
            "level": level,
            "criticality": criticality,
        },
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
    own_ids = set(
        JobFunction.objects.filter(organisation=organisation, pk__in=mappings).values_list("pk", flat=True)
    )
    unknown_ids = set(mappings) - own_ids
    unknown_codes = {code for code in mappings.values() if code is not None} - valid_codes
    if unknown_ids or unknown_codes:
        raise ValueError(
            f"unknown job functions {sorted(unknown_ids)} or role profiles {sorted(unknown_codes)}"
        )
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
    """Map every unmapped job function that has a confident suggestion (when setting up a municipality)."""
    suggestions: dict[int, str | None] = {
        row.job_function.pk: row.suggested_code
        for row in job_function_rows(organisation=organisation, framework=framework)
        if row.mapped_code is None and row.suggested_code is not None
    }
    return job_function_mappings_set(organisation=organisation, framework=framework, mappings=suggestions)


# --- Editing a draft -------------------------------------------------------------------------------------
# Every edit locks the framework row (`_lock_editable`) and is refused with FrameworkLockedError once the
# version is published or retired. Codes are set at creation and never changed: they tie versions together
# (differences, job function mappings, exports) across versions.


def _clean_codes(values: Iterable[str]) -> list[str]:
    """Trimmed, without blanks and duplicates, in the order given."""
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


def _apply_changes(item: Framework | Area | Competence | RoleProfile, changes: Mapping[str, object]) -> None:
    """Set the given fields (None means: leave as it is) and save only those. Texts are trimmed."""
    fields = []
    for name, value in changes.items():
        if value is None:
            continue
        setattr(item, name, value.strip() if isinstance(value, str) else value)
        fields.append(name)
    if fields:
        item.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def framework_update(
    *,
    framework: Framework,
    name_da: str | None = None,
    name_en: str | None = None,
    description_da: str | None = None,
    description_en: str | None = None,
) -> Framework:
    """Change the framework version's own texts; arguments left out (None) stay as they are."""
    framework = _lock_editable(framework.pk)
    texts = {"name_da": name_da, "name_en": name_en, "description_da": description_da}
    _apply_changes(framework, {**texts, "description_en": description_en})
    return framework


@transaction.atomic
def area_create(
    *,
    framework: Framework,
    code: str,
    name_da: str,
    name_en: str = "",
    description_da: str = "",
    description_en: str = "",
) -> Area:
    """A new focus area, placed last."""
    framework = _lock_editable(framework.pk)
    last = Area.objects.filter(framework=framework).aggregate(p=Max("position"))["p"]
    return Area.objects.create(
        organisation_id=framework.organisation_id,
        framework=framework,
        code=code.strip(),
        name_da=name_da.strip(),
        name_en=name_en.strip(),
        description_da=description_da.strip(),
        description_en=description_en.strip(),
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def area_update(
    *,
    area: Area,
    name_da: str | None = None,
    name_en: str | None = None,
    description_da: str | None = None,
    description_en: str | None = None,
) -> Area:
    """Change an area's texts; arguments left out (None) stay as they are. The code never changes."""
    _lock_editable(area.framework_id)
    texts = {"name_da": name_da, "name_en": name_en, "description_da": description_da}
    _apply_changes(area, {**texts, "description_en": description_en})
    return area


def _check_competence_fields(kind: str, digcomp: Iterable[str]) -> None:
    if kind not in CompetenceKind.values:
        raise ValueError(f"unknown competence kind {kind!r}")
    unknown = set(digcomp) - set(DIGCOMP_COMPETENCES)
    if unknown:
        raise ValueError(f"unknown DigComp references {sorted(unknown)}")


@transaction.atomic
def competence_create(
    *,
    area: Area,
    code: str,
    name_da: str,
    name_en: str = "",
    description_da: str = "",
    description_en: str = "",
    kind: str = CompetenceKind.INTEGRATED,
    digcomp: Sequence[str] = (),
    it_system_categories: Sequence[str] = (),
    parent: Competence | None = None,
    descriptors: Mapping[int, tuple[str, str]] | None = None,
) -> Competence:
    """A new competence, placed last in its area (or below `parent`, in the same area).

    `descriptors` maps levels to their (Danish, English) descriptor texts.
    """
    framework = _lock_editable(area.framework_id)
    if parent is not None and parent.area_id != area.pk:
        raise ValueError("the parent competence is in another area")
    digcomp = _clean_codes(digcomp)
    _check_competence_fields(kind, digcomp)
    siblings = Competence.objects.filter(framework=framework, area=area, parent=parent)
    last = siblings.aggregate(p=Max("position"))["p"]
    competence = Competence.objects.create(
        organisation_id=framework.organisation_id,
        framework=framework,
        area=area,
        parent=parent,
        code=code.strip(),
        name_da=name_da.strip(),
        name_en=name_en.strip(),
        description_da=description_da.strip(),
        description_en=description_en.strip(),
        kind=kind,
        digcomp=digcomp,
        it_system_categories=_clean_codes(it_system_categories),
        position=0 if last is None else last + 1,
    )
    for level, (text_da, text_en) in (descriptors or {}).items():
        descriptor_update(competence=competence, level=level, text_da=text_da, text_en=text_en)
    return competence


@transaction.atomic
def competence_update(
    *,
    competence: Competence,
    name_da: str | None = None,
    name_en: str | None = None,
    description_da: str | None = None,
    description_en: str | None = None,
    kind: str | None = None,
    digcomp: Sequence[str] | None = None,
    it_system_categories: Sequence[str] | None = None,
    descriptors: Mapping[int, tuple[str, str]] | None = None,
) -> Competence:
    """Change a competence's texts and references and, with `descriptors`, its level descriptors.

    Arguments left out (None) stay as they are. The code never changes.
    """
    _lock_editable(competence.framework_id)
    cleaned_digcomp = None if digcomp is None else _clean_codes(digcomp)
    _check_competence_fields(kind or competence.kind, cleaned_digcomp or [])
    texts = {"name_da": name_da, "name_en": name_en, "description_da": description_da}
    _apply_changes(
        competence,
        {
            **texts,
            "description_en": description_en,
            "kind": kind,
            "digcomp": cleaned_digcomp,
            "it_system_categories": None
            if it_system_categories is None
            else _clean_codes(it_system_categories),
        },
    )
    for level, (text_da, text_en) in (descriptors or {}).items():
        descriptor_update(competence=competence, level=level, text_da=text_da, text_en=text_en)
    return competence


@transaction.atomic
def descriptor_update(
    *, competence: Competence, level: int, text_da: str, text_en: str = ""
) -> LevelDescriptor | None:
    """Set what a person at `level` does; with both texts empty the descriptor is removed."""
    _lock_editable(competence.framework_id)
    if not 1 <= level <= LEVEL_COUNT:
        raise ValueError(f"level must be 1 to {LEVEL_COUNT}")
    text_da, text_en = text_da.strip(), text_en.strip()
    if not text_da and not text_en:
        LevelDescriptor.objects.filter(competence=competence, level=level).delete()
        return None
    descriptor, _created = LevelDescriptor.objects.update_or_create(
        competence=competence,
        level=level,
        defaults={"organisation_id": competence.organisation_id, "text_da": text_da, "text_en": text_en},
    )
    return descriptor


@transaction.atomic
def role_profile_create(
    *,
    framework: Framework,
    code: str,
    name_da: str,
    name_en: str = "",
    description_da: str = "",
    description_en: str = "",
    job_function_names: Sequence[str] = (),
) -> RoleProfile:
    """A new role profile, placed last."""
    framework = _lock_editable(framework.pk)
    last = RoleProfile.objects.filter(framework=framework).aggregate(p=Max("position"))["p"]
    return RoleProfile.objects.create(
        organisation_id=framework.organisation_id,
        framework=framework,
        code=code.strip(),
        name_da=name_da.strip(),
        name_en=name_en.strip(),
        description_da=description_da.strip(),
        description_en=description_en.strip(),
        job_function_names=_clean_codes(job_function_names),
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def role_profile_update(
    *,
    role_profile: RoleProfile,
    name_da: str | None = None,
    name_en: str | None = None,
    description_da: str | None = None,
    description_en: str | None = None,
    job_function_names: Sequence[str] | None = None,
) -> RoleProfile:
    """Change a role profile's texts; arguments left out (None) stay as they are. The code never changes."""
    _lock_editable(role_profile.framework_id)
    texts = {"name_da": name_da, "name_en": name_en, "description_da": description_da}
    names = None if job_function_names is None else _clean_codes(job_function_names)
    _apply_changes(role_profile, {**texts, "description_en": description_en, "job_function_names": names})
    return role_profile


MoveDirection = Literal["up", "down"]


@transaction.atomic
def item_move(*, item: Area | Competence | RoleProfile, direction: MoveDirection) -> bool:
    """Move an area, competence or role profile one place up or down among its siblings.

    Siblings are renumbered 0, 1, 2, ... in their shown order, so equal or missing positions (from imports)
    are straightened out on the way. Returns False when the item is already first (or last).
    """
    _lock_editable(item.framework_id)
    siblings: list[Area] | list[Competence] | list[RoleProfile]
    if isinstance(item, Area):
        siblings = list(Area.objects.filter(framework_id=item.framework_id).order_by("position", "code"))
    elif isinstance(item, Competence):
        siblings = list(
            Competence.objects.filter(
                framework_id=item.framework_id, area_id=item.area_id, parent_id=item.parent_id
            ).order_by("position", "code")
        )
    else:
        siblings = list(
            RoleProfile.objects.filter(framework_id=item.framework_id).order_by("position", "name_da")
        )
    order = [sibling.pk for sibling in siblings]
    index = order.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        return False
    order[index], order[other] = order[other], order[index]
    current = {sibling.pk: sibling.position for sibling in siblings}
    model = type(item)
    for position, pk in enumerate(order):
        if current[pk] != position:
            model.objects.filter(pk=pk).update(position=position)
    return True


# --- Framework import: added for views_io.py and the import_framework command (docs/framework-format.md).
# Imports are all-or-nothing: a file is checked and kept as a FrameworkImport with its problems and a
# summary; only a valid one can be applied, which creates a new DRAFT version (or framework) atomically.


MAX_STORED_PROBLEMS = 500


@dataclasses.dataclass(frozen=True)
class FrameworkImportCheck:
    data: FrameworkData | None
    problems: list[dict[str, str]]  # [{"location": "Linje 7" or "$.areas[0].code", "message": "..."}]
    summary: dict[str, object]  # counts, key, name, what the import becomes, and "warnings" like problems
    warnings: list[dict[str, str]] = dataclasses.field(default_factory=list)


class FrameworkImportError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def framework_import_check(
    *, organisation: Organisation, content: bytes, file_format: str
) -> FrameworkImportCheck:
    """Read and validate a framework file for `organisation`. Writes nothing."""
    result = read_framework_file(content, file_format)
    problems = [{"location": p.location, "message": p.message} for p in result.problems]
    warnings = [{"location": w.location, "message": w.message} for w in result.warnings][:MAX_STORED_PROBLEMS]
    summary: dict[str, object] = {"warnings": warnings}
    data = result.data
    if data is not None:
        competences = data.all_competences()
        latest = (
            Framework.objects.filter(organisation=organisation, key=data.key).order_by("-version").first()
        )
        summary.update(
            key=data.key,
            name=data.name.da,
            areas=len(data.areas),
            competences=len(competences),
            descriptors=sum(len(item.descriptors) for item in competences),
            role_profiles=len(data.role_profiles),
            it_systems=len(data.it_systems),
            version=(latest.version + 1) if latest else 1,
            existing_framework_id=latest.pk if latest else None,
            existing_name=latest.name_da if latest else "",
        )
        draft = Framework.objects.filter(
            organisation=organisation, key=data.key, status=FrameworkStatus.DRAFT
        ).first()
        if draft is not None:
            problems.append(
                {
                    "location": _("Rammen"),
                    "message": _(
                        "Der findes allerede en kladde (version %(version)s) af rammen »%(name)s«, og en "
                        "ramme kan kun have én kladde ad gangen. Udgiv kladden, eller ret i den i stedet for "
                        "at indlæse filen."
                    )
                    % {"version": draft.version, "name": draft.name_da},
                }
            )
    return FrameworkImportCheck(
        data=data if not problems else None,
        problems=problems[:MAX_STORED_PROBLEMS],
        summary=summary,
        warnings=warnings,
    )


def framework_import_create(
    *,
    organisation: Organisation,
    uploaded_by: User | None,
    filename: str,
    file_format: str,
    content: bytes,
) -> FrameworkImport:
    """Check an uploaded framework file and keep it, valid or not, for the preview."""
    check = framework_import_check(organisation=organisation, content=content, file_format=file_format)
    return FrameworkImport.objects.create(
        organisation=organisation,
        uploaded_by=uploaded_by,
        filename=filename[-255:],
        file_format=file_format,
        content=content,
        status=FrameworkImportStatus.INVALID if check.problems else FrameworkImportStatus.VALID,
        problems=check.problems,
        summary=check.summary,
    )


@transaction.atomic
def framework_import_apply(*, framework_import: FrameworkImport) -> Framework:
    """Create the imported framework as a DRAFT (a new version when the key exists). Idempotent.

    The file is checked again, since the organisation's frameworks may have changed since the preview.
    Raises FrameworkImportError (nothing written) when it cannot be applied.
    """
    locked = FrameworkImport.objects.select_for_update().get(pk=framework_import.pk)
    if locked.status == FrameworkImportStatus.APPLIED:
        if locked.framework is not None:
            return locked.framework
        raise FrameworkImportError(
            [_("Filen er allerede indlæst, men rammen er slettet siden. Indlæs filen igen.")]
        )
    if locked.status != FrameworkImportStatus.VALID:
        raise FrameworkImportError(
            [_("Filen har fejl og kan ikke indlæses. Ret fejlene, og indlæs filen igen.")]
        )
    organisation = locked.organisation
    check = framework_import_check(
        organisation=organisation, content=bytes(locked.content), file_format=locked.file_format
    )
    if check.data is None:
        raise FrameworkImportError([str(p["message"]) for p in check.problems])
    latest = (
        Framework.objects.filter(organisation=organisation, key=check.data.key).order_by("-version").first()
    )
    try:
        with transaction.atomic():
            framework = framework_create_from_data(
                organisation=organisation, data=check.data, status=FrameworkStatus.DRAFT, based_on=latest
            )
    except IntegrityError as error:  # another draft or version appeared at the same moment
        raise FrameworkImportError(
            [_("Rammen blev ændret, mens filen blev indlæst. Åbn forhåndsvisningen igen, og prøv igen.")]
        ) from error
    locked.framework = framework
    locked.status = FrameworkImportStatus.APPLIED
    locked.save(update_fields=["framework", "status", "updated_at"])
    return framework


@dataclass(frozen=True)
class OnboardingResult:
    framework: Framework
    job_functions_mapped: int


def organisation_onboard(*, organisation: Organisation) -> OnboardingResult:
    """Set up a municipality to use fagdigital: the default framework, job functions mapped by name.

    Idempotent: an organisation that has the framework keeps it, and only unmapped job functions with a
    confident suggestion are mapped (run it again after the first people import).
    """
    framework = default_framework_install(organisation=organisation)
    mapped = job_functions_map_by_suggestion(organisation=organisation, framework=framework)
    return OnboardingResult(framework=framework, job_functions_mapped=mapped)
