"""The framework as plain data: what every import and export format converts to and from.

`FrameworkData` mirrors the fagdigital JSON format (docs/framework-format.md). Services build database rows
from it (`services.framework_create_from_data`) and selectors read rows back into it
(`selectors.framework_as_data`), so a round trip through any format is: rows → data → format → data → rows.
This module imports nothing from fagdigital: every other part of the formats package may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Text:
    da: str
    en: str = ""


@dataclass(frozen=True)
class LevelData:
    number: int
    name: Text
    digcomp_levels: tuple[int, ...] = ()
    # The values of a Moodle scale that correspond to this level, lowest first (decision 0014). Empty for a
    # framework that never came from Moodle; a level may have none (a two-value scale fills two of four).
    moodle_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class DescriptorData:
    level: int
    text: Text


@dataclass(frozen=True)
class CompetenceData:
    code: str
    name: Text
    description: Text = Text("")
    kind: str = "integrated"
    digcomp: tuple[str, ...] = ()
    # References to KL's digital competence wheel (frameworks.kl_wheel): dimensions or `dimension.part`.
    kl_wheel: tuple[str, ...] = ()
    it_system_categories: tuple[str, ...] = ()
    descriptors: tuple[DescriptorData, ...] = ()
    # Sub-competences (Moodle frameworks can be deep trees) and cross-references by code.
    children: tuple[CompetenceData, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaData:
    code: str
    name: Text
    description: Text = Text("")
    competences: tuple[CompetenceData, ...] = ()


@dataclass(frozen=True)
class ITSystemData:
    code: str
    category: str
    name: Text
    vendor: str = ""
    job_functions: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetData:
    competence: str
    level: int
    criticality: str


@dataclass(frozen=True)
class RoleProfileData:
    code: str
    name: Text
    description: Text = Text("")
    job_function_names: tuple[str, ...] = ()
    targets: tuple[TargetData, ...] = ()


@dataclass(frozen=True)
class FrameworkData:
    key: str
    name: Text
    description: Text = Text("")
    levels: tuple[LevelData, ...] = ()
    areas: tuple[AreaData, ...] = ()
    it_systems: tuple[ITSystemData, ...] = ()
    role_profiles: tuple[RoleProfileData, ...] = ()
    version: int = 1
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def all_competences(self) -> list[CompetenceData]:
        found: list[CompetenceData] = []

        def walk(items: tuple[CompetenceData, ...]) -> None:
            for item in items:
                found.append(item)
                walk(item.children)

        for area in self.areas:
            walk(area.competences)
        return found


DEFAULT_LEVELS = (
    LevelData(1, Text("Begynder", "Beginner"), (1, 2)),
    LevelData(2, Text("Selvstændig", "Independent"), (3, 4)),
    LevelData(3, Text("Erfaren", "Experienced"), (5, 6)),
    LevelData(4, Text("Ekspert", "Expert"), (7, 8)),
)
