"""The tables beside the heatmap for one unit: level distribution, ranked gaps, trend and calibration.

All of them sum the same published blocks as the heatmap (levels.py), so they can be combined with it and
with each other without revealing anything a block does not: a block has one role profile, so its level
distribution and its share at target come from the same people against the same target.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from fagdigital.analytics.models import Rollup, RollupSource
from fagdigital.assessments.models import Campaign
from fagdigital.frameworks.models import Area, Competence, Criticality
from fagdigital.orgs.models import OrgUnit
from fagdigital.privacy.rules import min_group
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation

from .heatmap import framework_columns
from .levels import Basis, Filters, LevelData, basis_for, load_level, measures
from .scope import dashboard_campaigns

CRITICALITY_WEIGHT: dict[str, int] = {
    Criticality.CRITICAL: 3,
    Criticality.IMPORTANT: 2,
    Criticality.USEFUL: 1,
}


def _view(
    actor: Actor, unit: OrgUnit | None, filters: Filters, source: str | None = None
) -> tuple[Basis, list[Competence], LevelData]:
    basis = basis_for(organisation=actor.organisation, campaign=filters.campaign)
    if basis.framework is None:
        return basis, [], LevelData(path="")
    competences = [
        c for area in framework_columns(basis.framework, filters.area_code) for c in area.competences
    ]
    level = load_level(
        organisation=actor.organisation,
        basis=basis,
        source=source or filters.source,
        path=unit.path if unit else "",
        competence_ids=[c.pk for c in competences],
    )
    return basis, competences, level


@dataclass
class Distribution:
    competence: Competence
    people: int | None  # people with a level; None when there is no published figure here
    levels: list[int] | None  # people at level 1..4

    @property
    def hidden(self) -> bool:
        return self.people is None


def distributions(*, actor: Actor, unit: OrgUnit | None, filters: Filters) -> list[Distribution]:
    """People per level for each competence in the unit (everyone with a level, target or not)."""
    basis, competences, level = _view(actor, unit, filters)
    result = []
    for competence in competences:
        figure = measures(level, basis, competence_id=competence.pk, role=filters.role)
        shown = figure.people > 0
        result.append(
            Distribution(
                competence=competence,
                people=figure.people if shown else None,
                levels=list(figure.levels) if shown else None,
            )
        )
    return result


@dataclass
class Gap:
    competence: Competence
    area: Area
    people_below: int  # with a target, below it
    people: int  # with a target
    gap_levels: int  # summed levels missing
    weight: int
    score: int  # gap_levels times criticality weight


def top_gaps(*, actor: Actor, unit: OrgUnit | None, filters: Filters, limit: int = 10) -> list[Gap]:
    """The gaps that matter most: levels missing times criticality (the highest of the roles present)."""
    basis, competences, level = _view(actor, unit, filters)
    if basis.framework is None:
        return []
    area_of = {
        c.pk: columns.area
        for columns in framework_columns(basis.framework, filters.area_code)
        for c in columns.competences
    }
    present = level.roles() if filters.role is None else {filters.role}
    gaps = []
    for competence in competences:
        figure = measures(level, basis, competence_id=competence.pk, role=filters.role)
        if figure.below <= 0:
            continue
        weight = max(
            (
                CRITICALITY_WEIGHT.get(target.criticality, 1)
                for (code, competence_id), target in basis.targets.items()
                if competence_id == competence.pk and code in present
            ),
            default=1,
        )
        gaps.append(
            Gap(
                competence=competence,
                area=area_of[competence.pk],
                people_below=figure.below,
                people=figure.with_target,
                gap_levels=figure.gap_sum,
                weight=weight,
                score=figure.gap_sum * weight,
            )
        )
    gaps.sort(key=lambda g: (-g.score, g.area.position, g.competence.position))
    return gaps[:limit]


@dataclass
class TrendPoint:
    label: str
    campaign: Campaign | None
    share: int | None
    people: int | None

    @property
    def hidden(self) -> bool:
        return self.people is None


@dataclass
class TrendRow:
    competence: Competence
    points: list[TrendPoint]


def trend(
    *, actor: Actor, unit: OrgUnit | None, filters: Filters, competence_ids: Sequence[int] | None = None
) -> list[TrendRow]:
    """Share at or above target per closed round on the same framework key, oldest first.

    Each round against its own version's targets: the figures as they were published.
    """
    basis = basis_for(organisation=actor.organisation, campaign=filters.campaign)
    framework = basis.framework
    if framework is None:
        return []
    campaigns = [c for c in reversed(dashboard_campaigns(actor=actor)) if c.framework.key == framework.key]
    competences = [c for area in framework_columns(framework, filters.area_code) for c in area.competences]
    if competence_ids is not None:
        competences = [c for c in competences if c.pk in competence_ids]
    by_code: dict[str, list[TrendPoint]] = defaultdict(list)
    for campaign in campaigns:
        round_basis = basis_for(organisation=actor.organisation, campaign=campaign)
        same = {
            c.code: c
            for c in Competence.objects.filter(
                framework=campaign.framework, code__in=[x.code for x in competences]
            )
        }
        level = load_level(
            organisation=actor.organisation,
            basis=round_basis,
            source=filters.source,
            path=unit.path if unit else "",
            competence_ids=[c.pk for c in same.values()],
        )
        for competence in competences:
            match = same.get(competence.code)
            figure = (
                measures(level, round_basis, competence_id=match.pk, role=filters.role) if match else None
            )
            people = figure.with_target if figure and figure.with_target else None
            by_code[competence.code].append(
                TrendPoint(
                    label=campaign.name,
                    campaign=campaign,
                    share=round(100 * figure.at_target / people) if figure and people else None,
                    people=people,
                )
            )
    return [TrendRow(competence=c, points=by_code[c.code]) for c in competences if by_code[c.code]]


@dataclass
class CalibrationRow:
    competence: Competence
    self_mean: float | None
    test_mean: float | None
    leader_mean: float | None

    @property
    def flagged(self) -> bool:
        """Self-assessment on average a level or more from the test or the leaders' rating."""
        return self.self_mean is not None and any(
            other is not None and abs(other - self.self_mean) >= 1
            for other in (self.test_mean, self.leader_mean)
        )


def _mean(levels: Sequence[int]) -> float | None:
    people = sum(levels)
    return sum(n * count for n, count in enumerate(levels, start=1)) / people if people else None


def calibration(*, actor: Actor, unit: OrgUnit | None, filters: Filters) -> list[CalibrationRow]:
    """Mean level per source for each competence, over the blocks published for both sources compared.

    Comparing means over different sets of people would mislead, so a block counts only where the
    self-assessment and the other source are both published for it.
    """
    basis = basis_for(organisation=actor.organisation, campaign=filters.campaign)
    if basis.framework is None or basis.campaign is None:
        return []
    competences = [
        c for area in framework_columns(basis.framework, filters.area_code) for c in area.competences
    ]
    blocks = block_levels(
        organisation=actor.organisation,
        basis=basis,
        path=unit.path if unit else "",
        role=filters.role,
        competence_ids=[c.pk for c in competences],
    )
    rows = []
    for competence in competences:
        own = blocks.get((RollupSource.SELF, competence.pk), {})
        means: dict[str, tuple[float | None, float | None]] = {}
        for other in (RollupSource.TEST, RollupSource.LEADER):
            theirs = blocks.get((other, competence.pk), {})
            common = sorted(set(own) & set(theirs))
            means[other] = (
                _mean([sum(own[b][i] for b in common) for i in range(4)]),
                _mean([sum(theirs[b][i] for b in common) for i in range(4)]),
            )
        self_mean = means[RollupSource.TEST][0] or means[RollupSource.LEADER][0]
        row = CalibrationRow(
            competence=competence,
            self_mean=self_mean,
            test_mean=means[RollupSource.TEST][1],
            leader_mean=means[RollupSource.LEADER][1],
        )
        if row.test_mean is not None or row.leader_mean is not None:
            rows.append(row)
    return rows


def block_levels(
    *, organisation: Organisation, basis: Basis, path: str, role: str | None, competence_ids: Sequence[int]
) -> dict[tuple[str, int], dict[int, list[int]]]:
    """(source, in-view competence id) → block → people at levels 1..4, for the single sources."""
    back = {measured: in_view for in_view, measured in basis.competence_ids.items()}
    wanted = [basis.competence_ids[i] for i in competence_ids if i in basis.competence_ids]
    rows = Rollup.objects.filter(
        organisation=organisation,
        campaign=basis.campaign,
        source__in=[RollupSource.SELF, RollupSource.TEST, RollupSource.LEADER],
        competence_id__in=wanted,
        people__gte=min_group(organisation),
    )
    if path:
        rows = rows.filter(unit_path__startswith=path)
    if role is not None:
        rows = rows.filter(role_profile_code=role)
    result: dict[tuple[str, int], dict[int, list[int]]] = defaultdict(dict)
    for source, block, competence_id, *levels in rows.values_list(
        "source", "block", "competence_id", "level_1", "level_2", "level_3", "level_4"
    ):
        result[(source, back[competence_id])][block] = list(levels)
    return result
