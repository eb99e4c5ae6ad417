"""The target grid: role profiles by competences, with their target levels."""

from __future__ import annotations

from dataclasses import dataclass

from fagdigital.frameworks.models import (
    Area,
    Competence,
    Criticality,
    Framework,
    RoleProfile,
    RoleTarget,
)
from fagdigital.frameworks.selectors.reading import CompetenceNode, framework_tree, role_profiles


@dataclass(frozen=True)
class GridCell:
    role_profile: RoleProfile
    competence: Competence
    target: RoleTarget | None

    @property
    def key(self) -> str:
        return f"{self.role_profile.pk}-{self.competence.pk}"

    @property
    def level_value(self) -> str:
        """The level as the grid's select value: "" for no target."""
        return str(self.target.level) if self.target else ""

    @property
    def criticality_value(self) -> str:
        """The criticality as the grid's select value; a new target starts as "vigtig"."""
        return self.target.criticality if self.target else str(Criticality.IMPORTANT)


@dataclass(frozen=True)
class GridRow:
    node: CompetenceNode
    cells: list[GridCell]


@dataclass(frozen=True)
class GridArea:
    area: Area
    rows: list[GridRow]


@dataclass(frozen=True)
class TargetGrid:
    role_profiles: list[RoleProfile]
    areas: list[GridArea]


def target_grid(*, framework: Framework) -> TargetGrid:
    """Every competence (rows, grouped by area) against every role profile (columns), with the targets.

    A fixed number of queries however many competences and role profiles there are.
    """
    roles = role_profiles(framework=framework)
    targets = {
        (t.role_profile_id, t.competence_id): t
        for t in RoleTarget.objects.filter(role_profile__framework=framework)
    }
    return TargetGrid(
        role_profiles=roles,
        areas=[
            GridArea(
                area=area.area,
                rows=[
                    GridRow(
                        node=node,
                        cells=[
                            GridCell(role, node.competence, targets.get((role.pk, node.competence.pk)))
                            for role in roles
                        ],
                    )
                    for node in area.competences
                ],
            )
            for area in framework_tree(framework=framework)
        ],
    )


def target_cell(*, role_profile: RoleProfile, competence: Competence) -> GridCell:
    target = RoleTarget.objects.filter(role_profile=role_profile, competence=competence).first()
    return GridCell(role_profile, competence, target)
