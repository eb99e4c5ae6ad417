"""Editing a draft.

Every edit locks the framework row (`lock_editable`) and is refused with FrameworkLockedError once the
version is published or retired. Codes are set at creation and never changed: they tie versions together
(differences, job function mappings, exports, carried-over levels) across versions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from django.db import transaction
from django.db.models import Max

from fagdigital.frameworks.digcomp import DIGCOMP_COMPETENCES
from fagdigital.frameworks.kl_wheel import KL_WHEEL_CODES
from fagdigital.frameworks.models import (
    LEVEL_COUNT,
    Area,
    Competence,
    CompetenceKind,
    Criticality,
    Framework,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)
from fagdigital.frameworks.selectors import descriptor_texts, previous_descriptors
from fagdigital.frameworks.services.versions import lock_editable


class MaterialChangeError(ValueError):
    """A competence marked as a material change although no level descriptor differs from the version
    before (or there is no version before with the competence)."""


@transaction.atomic
def role_target_set(
    *, role_profile: RoleProfile, competence: Competence, level: int | None, criticality: str | None
) -> RoleTarget | None:
    """Set (or with level None, remove) a role profile's target for one competence."""
    lock_editable(role_profile.framework_id)
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
    framework = lock_editable(framework.pk)
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
    framework = lock_editable(framework.pk)
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
    lock_editable(area.framework_id)
    texts = {"name_da": name_da, "name_en": name_en, "description_da": description_da}
    _apply_changes(area, {**texts, "description_en": description_en})
    return area


def _check_competence_fields(kind: str, digcomp: Iterable[str], kl_wheel: Iterable[str] = ()) -> None:
    if kind not in CompetenceKind.values:
        raise ValueError(f"unknown competence kind {kind!r}")
    unknown = set(digcomp) - set(DIGCOMP_COMPETENCES)
    if unknown:
        raise ValueError(f"unknown DigComp references {sorted(unknown)}")
    unknown_wheel = set(kl_wheel) - set(KL_WHEEL_CODES)
    if unknown_wheel:
        raise ValueError(f"unknown references to KL's competence wheel {sorted(unknown_wheel)}")


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
    kl_wheel: Sequence[str] = (),
    it_system_categories: Sequence[str] = (),
    parent: Competence | None = None,
    descriptors: Mapping[int, tuple[str, str]] | None = None,
) -> Competence:
    """A new competence, placed last in its area (or below `parent`, in the same area).

    `descriptors` maps levels to their (Danish, English) descriptor texts.
    """
    framework = lock_editable(area.framework_id)
    if parent is not None and parent.area_id != area.pk:
        raise ValueError("the parent competence is in another area")
    digcomp = _clean_codes(digcomp)
    wheel = _clean_codes(kl_wheel)
    _check_competence_fields(kind, digcomp, wheel)
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
        kl_wheel=wheel,
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
    kl_wheel: Sequence[str] | None = None,
    it_system_categories: Sequence[str] | None = None,
    descriptors: Mapping[int, tuple[str, str]] | None = None,
    material_change: bool | None = None,
) -> Competence:
    """Change a competence's texts and references and, with `descriptors`, its level descriptors.

    `material_change` marks (or unmarks) that a changed level descriptor changes what the level means, so
    people's current level is not carried over from the version before (selectors.material_changes). It can
    only be set while a descriptor differs from that version (MaterialChangeError otherwise), and it is
    cleared when the descriptors become the same again. Arguments left out (None) stay as they are. The code
    never changes.
    """
    lock_editable(competence.framework_id)
    cleaned_digcomp = None if digcomp is None else _clean_codes(digcomp)
    cleaned_wheel = None if kl_wheel is None else _clean_codes(kl_wheel)
    _check_competence_fields(kind or competence.kind, cleaned_digcomp or [], cleaned_wheel or [])
    texts = {"name_da": name_da, "name_en": name_en, "description_da": description_da}
    _apply_changes(
        competence,
        {
            **texts,
            "description_en": description_en,
            "kind": kind,
            "digcomp": cleaned_digcomp,
            "kl_wheel": cleaned_wheel,
            "it_system_categories": None
            if it_system_categories is None
            else _clean_codes(it_system_categories),
        },
    )
    for level, (text_da, text_en) in (descriptors or {}).items():
        descriptor_update(competence=competence, level=level, text_da=text_da, text_en=text_en)
    _mark_material_change(competence, material_change)
    return competence


def _mark_material_change(competence: Competence, requested: bool | None) -> None:
    previous = previous_descriptors(competence=competence)
    changed = previous is not None and previous != descriptor_texts(competence=competence)
    if requested and not changed:
        raise MaterialChangeError(
            f"competence {competence.code} has no level descriptor that differs from the version before"
        )
    marked = bool(requested) if requested is not None else competence.material_change and changed
    if marked != competence.material_change:
        competence.material_change = marked
        competence.save(update_fields=["material_change", "updated_at"])


@transaction.atomic
def descriptor_update(
    *, competence: Competence, level: int, text_da: str, text_en: str = ""
) -> LevelDescriptor | None:
    """Set what a person at `level` does; with both texts empty the descriptor is removed."""
    lock_editable(competence.framework_id)
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
    framework = lock_editable(framework.pk)
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
    lock_editable(role_profile.framework_id)
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
    lock_editable(item.framework_id)
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
