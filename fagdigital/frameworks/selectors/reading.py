"""Reading a framework: areas and competences in display order, levels, one competence's page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fagdigital.frameworks.digcomp import DIGCOMP_NAMES
from fagdigital.frameworks.kl_wheel import KlWheelRef, kl_wheel_ref
from fagdigital.frameworks.models import (
    LEVEL_COUNT,
    Area,
    Competence,
    Framework,
    ITSystem,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)


@dataclass(frozen=True)
class DigCompRef:
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.name else self.code


@dataclass(frozen=True)
class CompetenceNode:
    """A competence in display order, with what a reader needs to understand it."""

    competence: Competence
    depth: int
    is_first: bool
    is_last: bool
    digcomp: list[DigCompRef]
    it_systems: list[str]
    kl_wheel: list[KlWheelRef]


@dataclass(frozen=True)
class AreaNode:
    area: Area
    competences: list[CompetenceNode]
    is_first: bool
    is_last: bool


def digcomp_refs(codes: list[str]) -> list[DigCompRef]:
    return [DigCompRef(code, str(DIGCOMP_NAMES.get(code, ""))) for code in codes]


def it_system_labels(*, framework: Framework) -> dict[str, str]:
    """A readable label per IT system category: the names of the framework's systems in it."""
    names: dict[str, list[str]] = defaultdict(list)
    for system in ITSystem.objects.filter(framework=framework).order_by("name_da"):
        names[system.category].append(system.t("name"))
    return {category: ", ".join(items) for category, items in names.items()}


def framework_tree(*, framework: Framework) -> list[AreaNode]:
    """Areas in order, each with its competences depth first. Three queries however large the framework."""
    areas = list(Area.objects.filter(framework=framework).order_by("position", "code"))
    competences = Competence.objects.filter(framework=framework).order_by("position", "code")
    labels = it_system_labels(framework=framework)
    children: dict[tuple[int, int | None], list[Competence]] = defaultdict(list)
    for competence in competences:
        children[(competence.area_id, competence.parent_id)].append(competence)

    def walk(area_id: int, parent_id: int | None, depth: int) -> list[CompetenceNode]:
        siblings = children[(area_id, parent_id)]
        nodes = []
        for index, competence in enumerate(siblings):
            nodes.append(
                CompetenceNode(
                    competence=competence,
                    depth=depth,
                    is_first=index == 0,
                    is_last=index == len(siblings) - 1,
                    digcomp=digcomp_refs(competence.digcomp),
                    it_systems=[labels.get(c, c) for c in competence.it_system_categories],
                    kl_wheel=[kl_wheel_ref(code) for code in competence.kl_wheel],
                )
            )
            nodes += walk(area_id, competence.pk, depth + 1)
        return nodes

    return [
        AreaNode(
            area=area,
            competences=walk(area.pk, None, 0),
            is_first=index == 0,
            is_last=index == len(areas) - 1,
        )
        for index, area in enumerate(areas)
    ]


@dataclass(frozen=True)
class LevelRow:
    number: int
    name: str
    digcomp_levels: list[int]
    text: str = ""
    text_da: str = ""
    text_en: str = ""
    # The Moodle scale values this level stands for (a framework imported from Moodle; decision 0014).
    moodle_values: tuple[str, ...] = ()


def framework_levels(*, framework: Framework) -> list[LevelRow]:
    """The framework's proficiency levels with their names in the active language."""
    rows = []
    for number in range(1, LEVEL_COUNT + 1):
        level: dict[str, Any] = next((lv for lv in framework.levels if lv.get("number") == number), {})
        rows.append(
            LevelRow(
                number,
                framework.level_name(number),
                list(level.get("digcomp_levels", [])),
                moodle_values=tuple(level.get("moodle_values", [])),
            )
        )
    return rows


@dataclass(frozen=True)
class TargetRow:
    role_profile: RoleProfile
    level: int
    level_name: str
    criticality: str
    criticality_label: str


@dataclass(frozen=True)
class CompetencePage:
    competence: Competence
    digcomp: list[DigCompRef]
    it_systems: list[str]
    levels: list[LevelRow]
    kl_wheel: list[KlWheelRef]
    targets: list[TargetRow]
    children: list[Competence]
    related: list[Competence]


def competence_levels(*, framework: Framework, competence: Competence) -> list[LevelRow]:
    """The framework's levels, each with the competence's descriptor (in both languages) for it."""
    descriptors = {d.level: d for d in LevelDescriptor.objects.filter(competence=competence)}
    return [
        LevelRow(
            number=level.number,
            name=level.name,
            digcomp_levels=level.digcomp_levels,
            text=descriptors[level.number].t("text") if level.number in descriptors else "",
            text_da=descriptors[level.number].text_da if level.number in descriptors else "",
            text_en=descriptors[level.number].text_en if level.number in descriptors else "",
        )
        for level in framework_levels(framework=framework)
    ]


def competence_page(*, framework: Framework, competence: Competence) -> CompetencePage:
    """One competence with its four level descriptors and the role profiles that target it."""
    levels = competence_levels(framework=framework, competence=competence)
    targets = (
        RoleTarget.objects.filter(competence=competence)
        .select_related("role_profile")
        .order_by("role_profile__position", "role_profile__name_da")
    )
    labels = it_system_labels(framework=framework)
    return CompetencePage(
        competence=competence,
        digcomp=digcomp_refs(competence.digcomp),
        it_systems=[labels.get(c, c) for c in competence.it_system_categories],
        levels=levels,
        kl_wheel=[kl_wheel_ref(code) for code in competence.kl_wheel],
        targets=[
            TargetRow(
                role_profile=t.role_profile,
                level=t.level,
                level_name=framework.level_name(t.level),
                criticality=t.criticality,
                criticality_label=t.get_criticality_display(),
            )
            for t in targets
        ],
        children=list(competence.children.order_by("position", "code")),
        related=list(competence.related.order_by("code")),
    )


def role_profiles(*, framework: Framework) -> list[RoleProfile]:
    return list(RoleProfile.objects.filter(framework=framework).order_by("position", "name_da"))
