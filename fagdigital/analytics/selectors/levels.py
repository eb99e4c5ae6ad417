"""The published block figures in view: which round and framework version, and their sums per part.

Every figure of the dashboards is a sum of published block rows (analytics.models.Rollup), so this module
never decides anything about anonymity: the privacy package did, when the round was published. It only
chooses the rows (round, source, the unit's path range) and adds them up per part of the unit:

- a child unit's part: the blocks formed inside that child's subtree;
- `DIRECT`: blocks of people placed directly in the unit;
- `ACROSS`: blocks formed in the unit from people its child units passed up (too few in any one of them).

"Current level" is the latest closed round's published figures, read against the published framework
version: competences matched by code (unless the new version marks a change as material) and targets from
the new version. It changes only when a round closes or a version is published — never when one person
moves or answers, which is what would let someone read that person's levels off the difference.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Sum
from django.db.models.functions import Substr

from fagdigital.analytics.models import Rollup, RollupSource, RollupVersion
from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument
from fagdigital.frameworks.models import Competence, Framework, RoleTarget
from fagdigital.frameworks.selectors import material_changes, published_framework
from fagdigital.orgs.models import PATH_STEP
from fagdigital.privacy.models import PartitionCell
from fagdigital.privacy.rules import min_group
from fagdigital.tenancy.models import Organisation

DIRECT = "*direct"
ACROSS = "*across"
LEVELS = (1, 2, 3, 4)
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Filters:
    campaign: Campaign | None = None  # None: current level (the latest closed round, current targets)
    source: str = RollupSource.ESTIMATE
    area_code: str = ""
    role_profile_code: str | None = None  # None: all role profiles
    rows: str = "units"  # "units" or "roles"

    @property
    def role(self) -> str | None:
        return self.role_profile_code


@dataclass(frozen=True)
class Target:
    level: int
    criticality: str


@dataclass
class Basis:
    """What a view shows: the round whose figures are read, and the version whose competences and
    targets they are read against."""

    framework: Framework | None
    campaign: Campaign | None  # None: no closed round with results yet
    current: bool
    # In-view competence id → the same competence's id in the round's version (by code).
    competence_ids: dict[int, int] = field(default_factory=dict)
    targets: dict[tuple[str, int], Target] = field(default_factory=dict)  # (role code, in-view id)

    def target(self, role: str, competence_id: int) -> int | None:
        found = self.targets.get((role, competence_id))
        return found.level if found else None


def _targets(framework: Framework) -> dict[tuple[str, int], Target]:
    return {
        (role, competence_id): Target(level, criticality)
        for role, competence_id, level, criticality in RoleTarget.objects.filter(
            role_profile__framework=framework
        ).values_list("role_profile__code", "competence_id", "level", "criticality")
    }


def latest_round(*, organisation: Organisation, framework_key: str) -> Campaign | None:
    """The newest closed round with person results on the framework: the basis of "current level"."""
    campaigns = (
        Campaign.objects.filter(
            organisation=organisation, status=CampaignStatus.CLOSED, framework__key=framework_key
        )
        .select_related("framework")
        .order_by("-closes_on", "-pk")
    )
    return next((c for c in campaigns if set(c.instruments) - {Instrument.CHIEFS}), None)


def basis_for(*, organisation: Organisation, campaign: Campaign | None) -> Basis:
    if campaign is not None:
        ids = dict(Competence.objects.filter(framework=campaign.framework).values_list("pk", "pk"))
        return Basis(
            framework=campaign.framework,
            campaign=campaign,
            current=False,
            competence_ids=ids,
            targets=_targets(campaign.framework),
        )
    framework = published_framework(organisation=organisation)
    if framework is None:
        return Basis(framework=None, campaign=None, current=True)
    basis_round = latest_round(organisation=organisation, framework_key=framework.key)
    result = Basis(framework=framework, campaign=basis_round, current=True, targets=_targets(framework))
    if basis_round is None:
        return result
    in_view = dict(Competence.objects.filter(framework=framework).values_list("code", "pk"))
    measured = dict(Competence.objects.filter(framework=basis_round.framework).values_list("code", "pk"))
    # A competence HR marked as materially changed starts afresh: its old levels do not carry over.
    material = material_changes(framework) if basis_round.framework_id != framework.pk else set()
    result.competence_ids = {
        pk: measured[code] for code, pk in in_view.items() if code in measured and code not in material
    }
    return result


# --- Sums of block rows -------------------------------------------------------------------------

Counts = list[int]  # people, level 1, level 2, level 3, level 4


def _empty() -> Counts:
    return [0, 0, 0, 0, 0]


@dataclass
class LevelData:
    """Sums of published rows below one unit: part → role code → in-view competence id → counts."""

    path: str
    parts: dict[str, dict[str, dict[int, Counts]]] = field(default_factory=dict)

    def counts(self, *, competence_id: int, part: str | None = None, role: str | None = None) -> Counts:
        result = _empty()
        for key, by_role in self.parts.items():
            if part is not None and key != part:
                continue
            for code, by_competence in by_role.items():
                if role is not None and code != role:
                    continue
                found = by_competence.get(competence_id)
                if found:
                    for index, value in enumerate(found):
                        result[index] += value
        return result

    def by_role(self, *, competence_id: int, part: str | None = None) -> dict[str, Counts]:
        result: dict[str, Counts] = defaultdict(_empty)
        for key, by_role in self.parts.items():
            if part is not None and key != part:
                continue
            for code, by_competence in by_role.items():
                found = by_competence.get(competence_id)
                if found:
                    for index, value in enumerate(found):
                        result[code][index] += value
        return dict(result)

    def roles(self) -> set[str]:
        return {code for by_role in self.parts.values() for code in by_role}


def _version(organisation: Organisation) -> int:
    return RollupVersion.objects.filter(pk=organisation.pk).values_list("version", flat=True).first() or 0


def load_level(
    *, organisation: Organisation, basis: Basis, source: str, path: str, competence_ids: Iterable[int]
) -> LevelData:
    """One grouped query: the published rows below `path`, summed per part, role and competence.

    Cached under the organisation's rollup version (bumped by every publication), so a cached figure is
    never stale; the whole organisation's level is shared by every HR and top-management view.
    """
    level = LevelData(path=path)
    if basis.campaign is None:
        return level
    wanted = sorted({basis.competence_ids[i] for i in competence_ids if i in basis.competence_ids})
    back = {measured: in_view for in_view, measured in basis.competence_ids.items()}
    k = min_group(organisation)
    digest = hashlib.sha256(",".join(map(str, wanted)).encode()).hexdigest()[:16]
    key = (
        ":".join(
            map(
                str,
                (
                    "analytics:level",
                    organisation.pk,
                    _version(organisation),
                    basis.campaign.pk,
                    source,
                    k,
                    path,
                ),
            )
        )
        + f":{digest}"
    )
    cached = cache.get(key)
    if cached is None:
        rows = Rollup.objects.filter(
            organisation=organisation,
            campaign=basis.campaign,
            source=source,
            competence_id__in=wanted,
            # The organisation may have raised k after publishing: smaller blocks are then left out.
            people__gte=k,
        )
        if path:
            rows = rows.filter(unit_path__startswith=path)
        grouped = (
            rows.annotate(part=Substr("unit_path", 1, len(path) + PATH_STEP))
            .values("part", "direct_only", "role_profile_code", "competence_id")
            .annotate(
                s_people=Sum("people"),
                s_1=Sum("level_1"),
                s_2=Sum("level_2"),
                s_3=Sum("level_3"),
                s_4=Sum("level_4"),
            )
        )
        cached = [
            (
                row["part"],
                row["direct_only"],
                row["role_profile_code"],
                row["competence_id"],
                [row["s_people"] or 0, row["s_1"] or 0, row["s_2"] or 0, row["s_3"] or 0, row["s_4"] or 0],
            )
            for row in grouped
        ]
        cache.set(key, cached, timeout=CACHE_SECONDS)
    for prefix, direct_only, role, measured, counts in cached:
        if measured not in back:
            continue
        part = (DIRECT if direct_only else ACROSS) if prefix == path else prefix
        by_competence = level.parts.setdefault(part, {}).setdefault(role, {})
        # Blocks formed in a child unit directly and from its children's people share the child's part.
        summed = by_competence.setdefault(back[measured], _empty())
        for index, value in enumerate(counts):
            summed[index] += value
    return level


# --- Measures against targets ---------------------------------------------------------------------


@dataclass
class Measures:
    people: int = 0  # with a level
    with_target: int = 0  # with a level and a target
    at_target: int = 0
    gap_sum: int = 0  # levels missing up to the target, summed
    levels: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    def add(self, counts: Counts, target: int | None) -> None:
        self.people += counts[0]
        for index in range(4):
            self.levels[index] += counts[index + 1]
        if target is None:
            return
        self.with_target += counts[0]
        self.at_target += sum(counts[n] for n in LEVELS if n >= target)
        self.gap_sum += sum((target - n) * counts[n] for n in LEVELS if n < target)

    @property
    def below(self) -> int:
        return self.with_target - self.at_target


def measures(
    level: LevelData, basis: Basis, *, competence_id: int, part: str | None = None, role: str | None = None
) -> Measures:
    """People, levels and the share at target, each block against its own role profile's target."""
    result = Measures()
    for code, counts in level.by_role(competence_id=competence_id, part=part).items():
        if role is None or code == role:
            result.add(counts, basis.target(code, competence_id))
    return result


# --- Who the figures cover --------------------------------------------------------------------------


@dataclass
class Coverage:
    """Participants of a part, and how many of them are in blocks formed inside it (so in its figures)."""

    participants: int = 0
    covered: int = 0

    @property
    def partial(self) -> bool:
        return self.covered < self.participants


@dataclass
class CoverageData:
    path: str
    # part → role code → Coverage
    parts: dict[str, dict[str, Coverage]] = field(default_factory=dict)

    def get(self, *, part: str | None = None, role: str | None = None) -> Coverage:
        result = Coverage()
        for key, by_role in self.parts.items():
            if part is not None and key != part:
                continue
            for code, coverage in by_role.items():
                if role is None or code == role:
                    result.participants += coverage.participants
                    result.covered += coverage.covered
        return result

    def total(self, *, role: str | None = None) -> Coverage:
        """The whole unit: its participants once (people pooled across child units are also in their
        own child's part), and everyone in a block formed anywhere inside it."""
        result = Coverage()
        for key, by_role in self.parts.items():
            for code, coverage in by_role.items():
                if role is not None and code != role:
                    continue
                if key != ACROSS:
                    result.participants += coverage.participants
                result.covered += coverage.covered
        return result

    def roles(self) -> set[str]:
        return {code for by_role in self.parts.values() for code in by_role}


def _part(path: str, unit_path: str) -> str:
    return unit_path[: len(path) + PATH_STEP]


def load_coverage(*, campaign: Campaign | None, path: str, k: int) -> CoverageData:
    """Participants below `path` per part and role, and those in blocks formed inside the part.

    Participant numbers are the round's structure (who was asked, where), not anyone's answers. A block
    smaller than the organisation's k today (it raised k after the round) covers nobody, as its figures
    are left out too.
    """
    data = CoverageData(path=path)
    if campaign is None:
        return data
    key = f"analytics:coverage:{campaign.pk}:{k}"
    cached = cache.get(key)
    if cached is None:
        cells = list(
            PartitionCell.objects.filter(
                partition__key=f"campaign:{campaign.pk}", partition__organisation_id=campaign.organisation_id
            ).values_list("unit_path", "role_code", "people", "block", "home_path", "direct_only")
        )
        sizes: dict[int, int] = defaultdict(int)
        for _path, _role, people, block, _home, _direct in cells:
            sizes[block] += people
        cached = [
            (unit_path, role, people, block if block and sizes[block] >= k else 0, home_path, direct_only)
            for unit_path, role, people, block, home_path, direct_only in cells
        ]
        cache.set(key, cached, timeout=CACHE_SECONDS)
    cached = [cell for cell in cached if cell[0].startswith(path)]
    for unit_path, role, people, block, home_path, direct_only in cached:
        part = DIRECT if unit_path == path else _part(path, unit_path)
        entry = data.parts.setdefault(part, {}).setdefault(role, Coverage())
        entry.participants += people
        inside = block > 0 and home_path.startswith(path) and len(home_path) >= len(path)
        if not inside:
            continue
        home_part = (DIRECT if direct_only else ACROSS) if home_path == path else _part(path, home_path)
        if home_part == ACROSS:
            across = data.parts.setdefault(ACROSS, {}).setdefault(role, Coverage())
            across.participants += people
            across.covered += people
        elif home_part == part:
            entry.covered += people
    return data
