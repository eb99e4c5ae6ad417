"""Reads of analytics: the gap heatmap and its companions, every figure under the anonymity rules.

Every figure comes from the rollup table (never from answers), one grouped query per level of the tree
from the organisation down to the unit in view; anonymity.decide_chain then decides what may be shown.
Pages, exports and the JSON API all read through these functions, so the rules apply to all of them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _

from fagdigital.assessments.models import Campaign, CampaignStatus
from fagdigital.frameworks.models import Area, Competence, Criticality, Framework, RoleProfile, RoleTarget
from fagdigital.frameworks.selectors import published_framework
from fagdigital.orgs.models import PATH_STEP, OrgUnit
from fagdigital.orgs.selectors import scope_for_actor
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation, Role

from .anonymity import ALL, DIRECT, Block, Decided, Status, decide_chain
from .models import Rollup, RollupSource, RollupVersion

CRITICALITY_WEIGHT: dict[str, int] = {
    Criticality.CRITICAL: 3,
    Criticality.IMPORTANT: 2,
    Criticality.USEFUL: 1,
}
SUMMED = ("people", "level_1", "level_2", "level_3", "level_4", "with_target", "at_target", "gap_sum")
DASHBOARD_ROLES = (Role.LEADER, Role.COMPETENCE_ADMIN, Role.TOP_MANAGEMENT)


def min_group(organisation: Organisation) -> int:
    """k: the installation's minimum, raised (never lowered) by the organisation's own setting."""
    return max(settings.ANONYMITY_MIN_GROUP, organisation.min_group_size)


# --- What the actor may look at ------------------------------------------------------------------


def dashboard_roots(*, actor: Actor) -> list[OrgUnit] | None:
    """None for the whole organisation (admins, top management); else the units a leader leads."""
    scope = scope_for_actor(actor=actor)
    if scope.whole_organisation:
        return None
    if not actor.has_role(Role.LEADER) or not scope.subtree_paths:
        raise Http404
    return list(
        OrgUnit.objects.filter(organisation=actor.organisation, path__in=scope.subtree_paths).order_by("path")
    )


def get_dashboard_unit_for_user(*, actor: Actor, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.filter(organisation=actor.organisation, pk=unit_id).first()
    if unit is None or not scope_for_actor(actor=actor).contains(unit):
        raise Http404
    return unit


def dashboard_campaigns(*, actor: Actor) -> list[Campaign]:
    """Campaigns with results: open and closed ones, newest first."""
    return list(
        Campaign.objects.filter(organisation=actor.organisation)
        .exclude(status=CampaignStatus.DRAFT)
        .select_related("framework")
        .order_by("-closes_on", "-pk")
    )


def get_dashboard_campaign_for_user(*, actor: Actor, campaign_id: int) -> Campaign:
    campaign = next((c for c in dashboard_campaigns(actor=actor) if c.pk == campaign_id), None)
    if campaign is None:
        raise Http404
    return campaign


# --- Filters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    campaign: Campaign | None = None  # None: people's current estimates
    source: str = RollupSource.ESTIMATE
    area_code: str = ""
    role_profile_code: str | None = None  # None: all role profiles
    rows: str = "units"  # "units" or "roles"

    def framework(self, organisation: Organisation) -> Framework | None:
        return self.campaign.framework if self.campaign else published_framework(organisation=organisation)


def _rollups(organisation: Organisation, filters: Filters) -> QuerySet[Rollup]:
    rows = Rollup.objects.filter(organisation=organisation, source=filters.source)
    if filters.campaign is None:
        return rows.filter(campaign__isnull=True)
    return rows.filter(campaign=filters.campaign)


# --- Blocks along the chain ----------------------------------------------------------------------

Counts = dict[str, int]  # SUMMED field → value


@dataclass
class LevelData:
    """Summed counts of one level: part key → role code → competence id → counts."""

    path: str
    parts: dict[str, dict[str, dict[int, Counts]]] = field(default_factory=dict)

    def total(self, code: str, competence_id: int) -> Counts:
        result: Counts = defaultdict(int)
        for by_code in self.parts.values():
            for role, by_competence in by_code.items():
                if code in (ALL, role):
                    for name, value in by_competence.get(competence_id, {}).items():
                        result[name] += value
        return dict(result)

    def part(self, key: str, code: str, competence_id: int) -> Counts:
        result: Counts = defaultdict(int)
        for role, by_competence in self.parts.get(key, {}).items():
            if code in (ALL, role):
                for name, value in by_competence.get(competence_id, {}).items():
                    result[name] += value
        return dict(result)

    def codes(self) -> set[str]:
        return {code for by_code in self.parts.values() for code in by_code}


def chain_paths(unit: OrgUnit | None) -> list[str]:
    """ "" (the organisation) and every ancestor's path down to the unit."""
    if unit is None:
        return [""]
    return [unit.path[:end] for end in range(0, len(unit.path) + 1, PATH_STEP)]


def load_levels(
    *, organisation: Organisation, filters: Filters, chain: Sequence[str], competence_ids: Iterable[int]
) -> list[LevelData]:
    """One grouped query per level: sums per part (child subtree or the unit's own people).

    Levels are cached under the organisation's rollup version, which every change bumps: the levels
    above a unit (the whole municipality first of all) are shared by every view below them.
    """
    ids = sorted(set(competence_ids))
    version = RollupVersion.objects.filter(pk=organisation.pk).values_list("version", flat=True).first() or 0
    campaign_key = filters.campaign.pk if filters.campaign else "current"
    ids_key = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
    levels = []
    for path in chain:
        key = f"analytics:level:{organisation.pk}:{version}:{campaign_key}:{filters.source}:{path}:{ids_key}"
        cached = cache.get(key)
        if cached is not None:
            levels.append(cached)
            continue
        rows = _rollups(organisation, filters).filter(competence_id__in=ids)
        if path:
            rows = rows.filter(unit_path__startswith=path)
        grouped = (
            rows.annotate(part=Substr("unit_path", 1, len(path) + PATH_STEP))
            .values("part", "role_profile_code", "competence_id")
            .annotate(**{f"s_{name}": Sum(name) for name in SUMMED})
        )
        level = LevelData(path=path)
        for row in grouped:
            part = DIRECT if row["part"] == path else row["part"]
            counts = {name: row[f"s_{name}"] or 0 for name in SUMMED}
            level.parts.setdefault(part, {}).setdefault(row["role_profile_code"], {})[
                row["competence_id"]
            ] = counts
        cache.set(key, level, timeout=3600)
        levels.append(level)
    return levels


def decide(levels: Sequence[LevelData], competence_id: int, measure: str, k: int) -> list[Decided]:
    """Anonymity decisions along the chain for one competence, on one measure (group sizes)."""
    blocks = []
    for level in levels:
        codes = level.codes()
        total = {ALL: level.total(ALL, competence_id).get(measure, 0)}
        total.update({code: level.total(code, competence_id).get(measure, 0) for code in codes})
        parts = {}
        for key in level.parts:
            counts = {ALL: level.part(key, ALL, competence_id).get(measure, 0)}
            counts.update({code: level.part(key, code, competence_id).get(measure, 0) for code in codes})
            parts[key] = counts
        blocks.append(Block(total=total, parts=parts))
    keys = [level.path for level in levels]
    return decide_chain(blocks, keys, k)


# --- The heatmap ---------------------------------------------------------------------------------


@dataclass
class HeatCell:
    competence: Competence
    people: int | None  # people with a target for the competence; None when hidden
    at_target: int | None
    hidden: bool
    reason: str = ""

    @property
    def share(self) -> int | None:
        if self.hidden or not self.people or self.at_target is None:
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


@dataclass
class AreaColumns:
    area: Area
    competences: list[Competence]


@dataclass
class Heatmap:
    unit: OrgUnit | None
    filters: Filters
    framework: Framework | None
    areas: list[AreaColumns]
    rows: list[HeatRow]
    k: int
    refused: str = ""
    role_profiles: list[RoleProfile] = field(default_factory=list)

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


def _cell(competence: Competence, counts: Counts, status: Status | None) -> HeatCell:
    hidden = status is not None and status.hidden
    return HeatCell(
        competence=competence,
        people=None if hidden else counts.get("with_target", 0),
        at_target=None if hidden else counts.get("at_target", 0),
        hidden=hidden,
        reason=status.reason if status and hidden else "",
    )


def heatmap(*, actor: Actor, unit: OrgUnit | None, filters: Filters) -> Heatmap:
    """Share at or above target per competence for the unit's parts (or role profiles), and the unit."""
    organisation = actor.organisation
    k = min_group(organisation)
    framework = filters.framework(organisation)
    if framework is None:
        return Heatmap(unit=unit, filters=filters, framework=None, areas=[], rows=[], k=k)
    areas = framework_columns(framework, filters.area_code)
    role_profiles = list(framework.role_profiles.order_by("position", "code"))
    result = Heatmap(
        unit=unit,
        filters=filters,
        framework=framework,
        areas=areas,
        rows=[],
        k=k,
        role_profiles=role_profiles,
    )
    competences = result.competences
    chain = chain_paths(unit)
    levels = load_levels(
        organisation=organisation, filters=filters, chain=chain, competence_ids=[c.pk for c in competences]
    )
    last = levels[-1]
    code = ALL if filters.role_profile_code is None else filters.role_profile_code
    if code != ALL:
        filtered = max((last.total(code, c.pk).get("people", 0) for c in competences), default=0)
        if 0 < filtered < k:
            result.refused = _(
                "Filteret giver færre end %(k)s personer, så der vises ingen tal. "
                "Vælg en bredere rolleprofil eller en større enhed."
            ) % {"k": k}
            return result
    decisions = {c.pk: decide(levels, c.pk, "with_target", k)[-1] for c in competences}

    unit_label = unit.name if unit else organisation.name
    total_cells = [_cell(c, last.total(code, c.pk), decisions[c.pk].total.get(code)) for c in competences]
    result.rows.append(
        HeatRow(key="total", label=unit_label, unit=unit, is_total=True, drillable=False, cells=total_cells)
    )
    if filters.rows == "roles":
        names = {rp.code: rp.t("name") for rp in role_profiles}
        for role in sorted(last.codes(), key=lambda c: (c == "", names.get(c, c))):
            cells = [_cell(c, last.total(role, c.pk), decisions[c.pk].total.get(role)) for c in competences]
            label = names.get(role) or _("Uden rolleprofil")
            result.rows.append(
                HeatRow(key=role or "-", label=label, unit=None, is_total=False, drillable=False, cells=cells)
            )
        return result

    # Every child unit is a row, also those without answers (their zeros hide nobody).
    children = OrgUnit.objects.filter(organisation=organisation, parent=unit)
    units = {u.path: u for u in children}
    child_paths = sorted(set(units) | {key for key in last.parts if key != DIRECT})
    with_children = set(
        OrgUnit.objects.filter(organisation=organisation, parent__path__in=child_paths).values_list(
            "parent__path", flat=True
        )
    )
    for path in child_paths:
        child = units.get(path)
        cells = [
            _cell(c, last.part(path, code, c.pk), decisions[c.pk].parts.get(path, {}).get(code))
            for c in competences
        ]
        result.rows.append(
            HeatRow(
                key=path,
                label=child.name if child else path,
                unit=child,
                is_total=False,
                drillable=path in with_children,
                cells=cells,
            )
        )
    if DIRECT in last.parts and unit is not None:
        cells = [
            _cell(c, last.part(DIRECT, code, c.pk), decisions[c.pk].parts[DIRECT].get(code))
            for c in competences
        ]
        label = _("Placeret direkte i %(unit)s") % {"unit": unit.name}
        result.rows.append(
            HeatRow(key="direct", label=label, unit=None, is_total=False, drillable=False, cells=cells)
        )
    return result


# --- Distribution, ranked gaps, trend and calibration for one unit ------------------------------


@dataclass
class Distribution:
    competence: Competence
    people: int | None
    levels: list[int] | None  # people at level 1..4; None when hidden
    hidden: bool
    reason: str = ""


def _unit_total_decisions(
    actor: Actor, unit: OrgUnit | None, filters: Filters, competences: Sequence[Competence], measure: str
) -> tuple[LevelData, dict[int, Status]]:
    k = min_group(actor.organisation)
    levels = load_levels(
        organisation=actor.organisation,
        filters=filters,
        chain=chain_paths(unit),
        competence_ids=[c.pk for c in competences],
    )
    code = ALL if filters.role_profile_code is None else filters.role_profile_code
    statuses = {c.pk: decide(levels, c.pk, measure, k)[-1].total.get(code, Status(0)) for c in competences}
    return levels[-1], statuses


def distributions(*, actor: Actor, unit: OrgUnit | None, filters: Filters) -> list[Distribution]:
    """People per level for each competence in the unit (all people with a level, target or not)."""
    framework = filters.framework(actor.organisation)
    if framework is None:
        return []
    competences = [c for area in framework_columns(framework, filters.area_code) for c in area.competences]
    last, statuses = _unit_total_decisions(actor, unit, filters, competences, "people")
    code = ALL if filters.role_profile_code is None else filters.role_profile_code
    result = []
    for competence in competences:
        counts = last.total(code, competence.pk)
        status = statuses[competence.pk]
        hidden = status.hidden
        result.append(
            Distribution(
                competence=competence,
                people=None if hidden else counts.get("people", 0),
                levels=None if hidden else [counts.get(f"level_{n}", 0) for n in range(1, 5)],
                hidden=hidden,
                reason=status.reason if hidden else "",
            )
        )
    return result


@dataclass
class Gap:
    competence: Competence
    area: Area
    people_below: int  # with a target, below it
    people: int
    gap_levels: int  # summed levels missing
    weight: int
    score: int  # gap_levels times criticality weight


def top_gaps(*, actor: Actor, unit: OrgUnit | None, filters: Filters, limit: int = 10) -> list[Gap]:
    """The gaps that matter most: levels missing times criticality (only competences shown for the unit)."""
    framework = filters.framework(actor.organisation)
    if framework is None:
        return []
    columns = framework_columns(framework, filters.area_code)
    competences = [c for area in columns for c in area.competences]
    area_of = {c.pk: area.area for area in columns for c in area.competences}
    last, statuses = _unit_total_decisions(actor, unit, filters, competences, "with_target")
    present = last.codes() if filters.role_profile_code is None else {filters.role_profile_code}
    weights: dict[int, int] = defaultdict(int)
    for target in RoleTarget.objects.filter(
        role_profile__framework=framework, role_profile__code__in=present, competence__in=competences
    ):
        weights[target.competence_id] = max(
            weights[target.competence_id], CRITICALITY_WEIGHT.get(target.criticality, 1)
        )
    code = ALL if filters.role_profile_code is None else filters.role_profile_code
    gaps = []
    for competence in competences:
        if statuses[competence.pk].hidden:
            continue
        counts = last.total(code, competence.pk)
        people = counts.get("with_target", 0)
        below = people - counts.get("at_target", 0)
        if below <= 0:
            continue
        weight = weights.get(competence.pk, 1)
        gaps.append(
            Gap(
                competence=competence,
                area=area_of[competence.pk],
                people_below=below,
                people=people,
                gap_levels=counts.get("gap_sum", 0),
                weight=weight,
                score=counts.get("gap_sum", 0) * weight,
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
    hidden: bool


@dataclass
class TrendRow:
    competence: Competence
    points: list[TrendPoint]


def trend(
    *, actor: Actor, unit: OrgUnit | None, filters: Filters, competence_ids: Sequence[int] | None = None
) -> list[TrendRow]:
    """Share at or above target per closed campaign on the same framework key, oldest first."""
    framework = filters.framework(actor.organisation)
    if framework is None:
        return []
    campaigns = [
        c
        for c in reversed(dashboard_campaigns(actor=actor))
        if c.status == CampaignStatus.CLOSED and c.framework.key == framework.key
    ]
    competences = [c for area in framework_columns(framework, filters.area_code) for c in area.competences]
    if competence_ids is not None:
        competences = [c for c in competences if c.pk in competence_ids]
    by_code: dict[str, list[TrendPoint]] = defaultdict(list)
    for campaign in campaigns:
        campaign_filters = Filters(
            campaign=campaign,
            source=filters.source,
            area_code=filters.area_code,
            role_profile_code=filters.role_profile_code,
        )
        # Each campaign has its own framework version: match competences by code.
        same = {
            c.code: c
            for c in Competence.objects.filter(
                framework=campaign.framework, code__in=[x.code for x in competences]
            )
        }
        last, statuses = _unit_total_decisions(
            actor, unit, campaign_filters, list(same.values()), "with_target"
        )
        code = ALL if filters.role_profile_code is None else filters.role_profile_code
        for competence in competences:
            match = same.get(competence.code)
            counts = last.total(code, match.pk) if match else {}
            hidden = match is None or statuses[match.pk].hidden
            people = counts.get("with_target", 0)
            share = None if hidden or not people else round(100 * counts.get("at_target", 0) / people)
            by_code[competence.code].append(
                TrendPoint(
                    label=campaign.name,
                    campaign=campaign,
                    share=share,
                    people=None if hidden else people,
                    hidden=hidden,
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


def calibration(*, actor: Actor, unit: OrgUnit | None, filters: Filters) -> list[CalibrationRow]:
    """Mean level per source for each competence: self-assessment against test and leader rating."""
    framework = filters.framework(actor.organisation)
    if framework is None:
        return []
    competences = [c for area in framework_columns(framework, filters.area_code) for c in area.competences]
    means: dict[str, dict[int, float | None]] = {}
    for source in (RollupSource.SELF, RollupSource.TEST, RollupSource.LEADER):
        source_filters = Filters(
            campaign=filters.campaign,
            source=source,
            area_code=filters.area_code,
            role_profile_code=filters.role_profile_code,
        )
        last, statuses = _unit_total_decisions(actor, unit, source_filters, competences, "people")
        code = ALL if filters.role_profile_code is None else filters.role_profile_code
        means[source] = {}
        for competence in competences:
            counts = last.total(code, competence.pk)
            people = counts.get("people", 0)
            hidden = statuses[competence.pk].hidden or not people
            means[source][competence.pk] = (
                None if hidden else sum(n * counts.get(f"level_{n}", 0) for n in range(1, 5)) / people
            )
    return [
        CalibrationRow(
            competence=c,
            self_mean=means[RollupSource.SELF][c.pk],
            test_mean=means[RollupSource.TEST][c.pk],
            leader_mean=means[RollupSource.LEADER][c.pk],
        )
        for c in competences
        if any(means[s][c.pk] is not None for s in means)
    ]
