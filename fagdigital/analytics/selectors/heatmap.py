"""The gap heatmap: share at or above target per competence, for a unit's parts or its role profiles.

Each cell is a sum of published blocks (privacy.blocks), so there is nothing to hide at read time: a cell
either has published blocks inside it (and shows their figures, saying how many of the unit's
participants they cover) or it has none, and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fagdigital.frameworks.models import Area, Competence, Framework, RoleProfile
from fagdigital.orgs.models import OrgUnit
from fagdigital.privacy.release import Missing
from fagdigital.privacy.rules import min_group
from fagdigital.tenancy.actor import Actor

from .levels import (
    ACROSS,
    DIRECT,
    Basis,
    Coverage,
    CoverageData,
    Filters,
    LevelData,
    basis_for,
    load_coverage,
    load_level,
    measures,
)


@dataclass
class HeatCell:
    competence: Competence
    people: int | None  # people with a level and a target; None when there is no figure
    at_target: int | None
    missing: str = ""

    @property
    def hidden(self) -> bool:
        return self.missing in (Missing.GROUPED, Missing.FEW)

    @property
    def share(self) -> int | None:
        if self.people is None or not self.people or self.at_target is None:
            return None
        return round(100 * self.at_target / self.people)

    @property
    def band(self) -> str:
        """A colour band for the share (with the number always printed next to it)."""
        share = self.share
        if share is None:
            return "none"
        return "low" if share < 50 else "mid" if share < 75 else "high"


@dataclass
class HeatRow:
    key: str
    label: str
    unit: OrgUnit | None
    is_total: bool
    drillable: bool
    cells: list[HeatCell]
    coverage: Coverage = field(default_factory=Coverage)


@dataclass
class AreaColumns:
    area: Area
    competences: list[Competence]


@dataclass
class Heatmap:
    unit: OrgUnit | None
    filters: Filters
    basis: Basis
    areas: list[AreaColumns]
    rows: list[HeatRow]
    k: int
    role_profiles: list[RoleProfile] = field(default_factory=list)

    @property
    def framework(self) -> Framework | None:
        return self.basis.framework

    @property
    def competences(self) -> list[Competence]:
        return [c for area in self.areas for c in area.competences]


def framework_columns(framework: Framework, area_code: str = "") -> list[AreaColumns]:
    areas = list(framework.areas.order_by("position", "code"))
    competences = list(
        Competence.objects.filter(framework=framework, parent__isnull=True).order_by("position", "code")
    )
    result = []
    for area in areas:
        if area_code and area.code != area_code:
            continue
        columns = [c for c in competences if c.area_id == area.pk]
        if columns:
            result.append(AreaColumns(area=area, competences=columns))
    return result


def cell_for(
    competence: Competence,
    level: LevelData,
    coverage: CoverageData,
    basis: Basis,
    *,
    part: str | None,
    role: str | None,
) -> HeatCell:
    figure = measures(level, basis, competence_id=competence.pk, part=part, role=role)
    if figure.with_target:
        return HeatCell(competence=competence, people=figure.with_target, at_target=figure.at_target)
    targeted = [
        code
        for code in coverage.roles()
        if (role is None or code == role) and basis.target(code, competence.pk) is not None
    ]
    if part is None:
        participants = sum(coverage.total(role=code).participants for code in targeted)
        covered = sum(coverage.total(role=code).covered for code in targeted)
    else:
        participants = sum(coverage.get(part=part, role=code).participants for code in targeted)
        covered = sum(coverage.get(part=part, role=code).covered for code in targeted)
    if not participants:
        missing = Missing.NOBODY
    elif not covered:
        missing = Missing.GROUPED
    else:
        missing = Missing.FEW
    return HeatCell(competence=competence, people=None, at_target=None, missing=missing)


def heatmap(*, actor: Actor, unit: OrgUnit | None, filters: Filters) -> Heatmap:
    """Share at or above target per competence for the unit and its parts (or its role profiles)."""
    organisation = actor.organisation
    basis = basis_for(organisation=organisation, campaign=filters.campaign)
    result = Heatmap(unit=unit, filters=filters, basis=basis, areas=[], rows=[], k=min_group(organisation))
    framework = basis.framework
    if framework is None:
        return result
    result.areas = framework_columns(framework, filters.area_code)
    result.role_profiles = list(framework.role_profiles.order_by("position", "code"))
    if basis.campaign is None:
        return result
    competences = result.competences
    path = unit.path if unit else ""
    level = load_level(
        organisation=organisation,
        basis=basis,
        source=filters.source,
        path=path,
        competence_ids=[c.pk for c in competences],
    )
    coverage = load_coverage(campaign=basis.campaign, path=path, k=result.k)
    role = filters.role

    def row_cells(part: str | None, row_role: str | None) -> list[HeatCell]:
        return [cell_for(c, level, coverage, basis, part=part, role=row_role) for c in competences]

    result.rows.append(
        HeatRow(
            key="total",
            label=unit.name if unit else organisation.name,
            unit=unit,
            is_total=True,
            drillable=False,
            cells=row_cells(None, role),
            coverage=coverage.total(role=role),
        )
    )
    if filters.rows == "roles":
        names = {rp.code: rp.t("name") for rp in result.role_profiles}
        codes = coverage.roles() if role is None else {role} & coverage.roles()
        for code in sorted(codes, key=lambda c: (c == "", names.get(c, c))):
            result.rows.append(
                HeatRow(
                    key=code or "-",
                    label=names.get(code) or _("Uden rolleprofil"),
                    unit=None,
                    is_total=False,
                    drillable=False,
                    cells=row_cells(None, code),
                    coverage=coverage.total(role=code),
                )
            )
        return result
    result.rows.extend(_unit_rows(unit, organisation.pk, coverage, role, row_cells))
    return result


def _unit_rows(
    unit: OrgUnit | None,
    organisation_id: int,
    coverage: CoverageData,
    role: str | None,
    row_cells: Callable[[str | None, str | None], list[HeatCell]],
) -> list[HeatRow]:
    """Every child unit (also those without participants), then the direct and across-units parts."""
    children = list(OrgUnit.objects.filter(organisation_id=organisation_id, parent=unit).order_by("path"))
    with_children = set(
        OrgUnit.objects.filter(organisation_id=organisation_id, parent__in=children).values_list(
            "parent_id", flat=True
        )
    )
    rows = [
        HeatRow(
            key=child.path,
            label=child.name,
            unit=child,
            is_total=False,
            drillable=child.pk in with_children,
            cells=row_cells(child.path, role),
            coverage=coverage.get(part=child.path, role=role),
        )
        for child in children
    ]
    if unit is not None and coverage.get(part=DIRECT, role=role).participants:
        rows.append(
            HeatRow(
                key="direct",
                label=_("Placeret direkte i %(unit)s") % {"unit": unit.name},
                unit=None,
                is_total=False,
                drillable=False,
                cells=row_cells(DIRECT, role),
                coverage=coverage.get(part=DIRECT, role=role),
            )
        )
    if coverage.get(part=ACROSS, role=role).participants:
        rows.append(
            HeatRow(
                key="across",
                label=_("Samlet på tværs af underenhederne"),
                unit=None,
                is_total=False,
                drillable=False,
                cells=row_cells(ACROSS, role),
                coverage=coverage.get(part=ACROSS, role=role),
            )
        )
    return rows
