"""What changed between two versions, and which changed competences HR marked as material changes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from fagdigital.frameworks.formats.interchange import FrameworkData
from fagdigital.frameworks.models import Competence, Framework, FrameworkStatus, LevelDescriptor
from fagdigital.frameworks.selectors.data import framework_as_data

COMPETENCE_PREFIX = "Kompetence "
DESCRIPTOR_FIELDS = ("niveau ", "level ")


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    what: str  # e.g. "Kompetence DS3"
    field: str = ""
    before: str = ""
    after: str = ""
    # A changed level descriptor of a competence that HR marked as a material change in the newer version.
    material: bool = False


def framework_differences(*, old: Framework, new: Framework) -> list[Change]:
    """What changed from one version to another, item by item and field by field.

    The descriptor changes of competences the newer version marks as material changes are marked too.
    """
    changes = data_differences(framework_as_data(framework=old), framework_as_data(framework=new))
    material = {COMPETENCE_PREFIX + code for code in material_changes(new)}
    return [
        replace(change, material=True)
        if change.kind == "changed" and change.what in material and change.field.startswith(DESCRIPTOR_FIELDS)
        else change
        for change in changes
    ]


def _levels_text(data: FrameworkData) -> str:
    return "; ".join(
        f"{lv.number} {lv.name.da}/{lv.name.en} {lv.digcomp_levels}"
        + (f" Moodle: {', '.join(lv.moodle_values)}" if lv.moodle_values else "")
        for lv in data.levels
    )


def _flatten(data: FrameworkData) -> dict[str, dict[str, str]]:
    items: dict[str, dict[str, str]] = {
        "Ramme": {
            "navn": data.name.da,
            "name (en)": data.name.en,
            "beskrivelse": data.description.da,
            "description (en)": data.description.en,
            "niveauer": _levels_text(data),
        }
    }
    for area in data.areas:
        items[f"Fokusområde {area.code}"] = {
            "navn": area.name.da,
            "name (en)": area.name.en,
            "beskrivelse": area.description.da,
            "description (en)": area.description.en,
        }
    for competence in data.all_competences():
        fields = {
            "navn": competence.name.da,
            "name (en)": competence.name.en,
            "beskrivelse": competence.description.da,
            "description (en)": competence.description.en,
            "type": competence.kind,
            "DigComp": ", ".join(competence.digcomp),
            "KL's kompetencehjul": ", ".join(competence.kl_wheel),
            "it-systemer": ", ".join(competence.it_system_categories),
            "relaterede": ", ".join(competence.related),
        }
        for descriptor in competence.descriptors:
            fields[f"niveau {descriptor.level}"] = descriptor.text.da
            fields[f"level {descriptor.level} (en)"] = descriptor.text.en
        items[COMPETENCE_PREFIX + competence.code] = fields
    for system in data.it_systems:
        items[f"It-system {system.code}"] = {
            "navn": system.name.da,
            "kategori": system.category,
            "leverandør": system.vendor,
            "stillinger": ", ".join(system.job_functions),
        }
    for role in data.role_profiles:
        fields = {"navn": role.name.da, "name (en)": role.name.en, "beskrivelse": role.description.da}
        for target in role.targets:
            fields[f"mål {target.competence}"] = f"{target.level} ({target.criticality})"
        items[f"Rolleprofil {role.code}"] = fields
    return items


def data_differences(old: FrameworkData, new: FrameworkData) -> list[Change]:
    before, after = _flatten(old), _flatten(new)
    changes: list[Change] = []
    for what in after:
        if what not in before:
            changes.append(Change("added", what))
            continue
        for name in sorted(set(before[what]) | set(after[what])):
            old_value, new_value = before[what].get(name, ""), after[what].get(name, "")
            if old_value != new_value:
                changes.append(Change("changed", what, name, old_value, new_value))
    changes += [Change("removed", what) for what in before if what not in after]
    return changes


def change_counts(changes: list[Change]) -> dict[str, int]:
    """How many items were added and removed, and how many fields changed."""
    counts = {"added": 0, "removed": 0, "changed": 0}
    for change in changes:
        counts[change.kind] += 1
    return counts


# --- Material changes ---------------------------------------------------------------------------------------
# A competence keeps its code from version to version, and so (elsewhere) people's current level in it. When a
# level descriptor changed so much that a level no longer means the same, HR marks the competence in the new
# version as a material change, and the level is not carried over.


def material_changes(framework: Framework) -> set[str]:
    """The codes of the competences this version marks as materially changed since the version before it."""
    return set(
        Competence.objects.filter(framework=framework, material_change=True).values_list("code", flat=True)
    )


def material_change_competences(*, framework: Framework) -> list[Competence]:
    """The competences this version marks as material changes, in display order."""
    return list(
        Competence.objects.filter(framework=framework, material_change=True).order_by("position", "code")
    )


def previous_descriptors(*, competence: Competence) -> dict[int, tuple[str, str]] | None:
    """The (Danish, English) level descriptors of the same competence (by code) in the version this one is
    based on; None when there is no such version or it has no competence with this code."""
    framework = competence.framework
    if framework.based_on_id is None:
        return None
    previous = Competence.objects.filter(framework_id=framework.based_on_id, code=competence.code).first()
    if previous is None:
        return None
    return descriptor_texts(competence=previous)


def descriptor_texts(*, competence: Competence) -> dict[int, tuple[str, str]]:
    """The competence's level descriptors as (Danish, English), by level, trimmed; empty ones left out."""
    return {
        descriptor.level: (descriptor.text_da.strip(), descriptor.text_en.strip())
        for descriptor in LevelDescriptor.objects.filter(competence=competence)
        if descriptor.text_da.strip() or descriptor.text_en.strip()
    }


@dataclass(frozen=True)
class PublicationPreview:
    """What publishing a draft changes: which version stops being the one in force, how the draft differs
    from it, and which competences are marked as material changes."""

    current: Framework | None  # the published version that will retire
    compared_with: Framework | None  # the version the counts compare with: the current one, else the base
    counts: dict[str, int]
    material: list[Competence]


def publication_preview(*, framework: Framework) -> PublicationPreview:
    current = (
        Framework.objects.filter(
            organisation_id=framework.organisation_id, key=framework.key, status=FrameworkStatus.PUBLISHED
        )
        .exclude(pk=framework.pk)
        .order_by("-version")
        .first()
    )
    compared_with = current or framework.based_on
    changes = framework_differences(old=compared_with, new=framework) if compared_with else []
    return PublicationPreview(
        current=current,
        compared_with=compared_with,
        counts=change_counts(changes),
        material=material_change_competences(framework=framework),
    )
