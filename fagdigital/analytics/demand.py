"""Published round figures for developing people (decision 0018): a unit's levels per role profile and
competence (team plans and team recommendations), and each municipality's people below target
(education providers' and coordinators' demand).

Both are sums of published block rows (analytics.models.Rollup, decision 0010) of the "current level"
basis — the latest closed round, read against the published framework version — so, like every other
figure, nothing here is about fewer people than a block. The rules across organisations (at least 5
municipalities, never one member's value) are applied by the caller through privacy.benchmark.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument
from fagdigital.frameworks.models import Competence, Framework, FrameworkStatus, RoleTarget
from fagdigital.orgs.models import OrgUnit
from fagdigital.orgs.selectors import scope_for_actor
from fagdigital.privacy.rules import min_group
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation

from .models import Rollup, RollupSource
from .selectors.levels import Basis, basis_for, load_level

# --- A unit's published levels ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleLevels:
    """People of one role profile with a level in one competence, per level (sums of whole blocks)."""

    role_code: str
    target: int | None
    criticality: str
    levels: tuple[int, int, int, int]  # people at level 1..4

    @property
    def people(self) -> int:
        return sum(self.levels)

    @property
    def below(self) -> int:
        if self.target is None:
            return 0
        return sum(self.levels[n - 1] for n in range(1, self.target))


@dataclass
class UnitLevels:
    """A unit's published current levels: per in-view competence, one entry per role profile present."""

    basis: Basis
    competences: list[Competence] = field(default_factory=list)
    by_competence: dict[int, list[RoleLevels]] = field(default_factory=dict)

    @property
    def round_name(self) -> str:
        return self.basis.campaign.name if self.basis.campaign is not None else ""


def unit_levels(*, actor: Actor, unit: OrgUnit | None) -> UnitLevels:
    """The published current levels of the unit's subtree (None: the whole organisation).

    The actor must see the unit (a leader their own subtrees, HR and top management everything).
    """
    scope = scope_for_actor(actor=actor)
    if (unit is None and not scope.whole_organisation) or (unit is not None and not scope.contains(unit)):
        return UnitLevels(basis=Basis(framework=None, campaign=None, current=True))
    basis = basis_for(organisation=actor.organisation, campaign=None)
    result = UnitLevels(basis=basis)
    if basis.framework is None or basis.campaign is None:
        return result
    competences = list(
        Competence.objects.filter(framework=basis.framework, parent__isnull=True)
        .select_related("area")
        .order_by("area__position", "position", "code")
    )
    result.competences = competences
    level = load_level(
        organisation=actor.organisation,
        basis=basis,
        source=RollupSource.ESTIMATE,
        path=unit.path if unit is not None else "",
        competence_ids=[c.pk for c in competences],
    )
    for competence in competences:
        rows = []
        for role, counts in sorted(level.by_role(competence_id=competence.pk).items()):
            target = basis.targets.get((role, competence.pk))
            rows.append(
                RoleLevels(
                    role_code=role,
                    target=target.level if target else None,
                    criticality=target.criticality if target else "",
                    levels=(counts[1], counts[2], counts[3], counts[4]),
                )
            )
        if rows:
            result.by_competence[competence.pk] = rows
    return result


# --- Each municipality's people below target (for demand across municipalities) ----------------------


@dataclass(frozen=True)
class MunicipalityFigure:
    """One municipality's published figure for one role profile and competence: people with a target
    and, of them, below it. A sum of the municipality's own published blocks (each at least its k)."""

    organisation_id: int
    with_target: int
    below: int


Key = tuple[str, str]  # (role profile code, competence code)


def _latest_rounds(organisation_ids: Sequence[int], framework_key: str) -> dict[int, Campaign]:
    latest: dict[int, Campaign] = {}
    campaigns = Campaign.objects.filter(
        organisation_id__in=organisation_ids, status=CampaignStatus.CLOSED, framework__key=framework_key
    ).order_by("closes_on", "pk")
    for campaign in campaigns:
        if set(campaign.instruments) - {Instrument.CHIEFS}:
            latest[campaign.organisation_id] = campaign
    return latest


def municipality_figures(
    *, organisations: Sequence[Organisation], framework_key: str
) -> dict[Key, list[MunicipalityFigure]]:
    """Per (role profile, competence code): each municipality's published people with a target and
    below it, from its latest closed round read against its own published framework's targets.

    A municipality without a closed round or a published version contributes nothing; blocks smaller
    than the municipality's k today (it raised k since) are left out, as everywhere else.
    """
    ids = [o.pk for o in organisations]
    rounds = _latest_rounds(ids, framework_key)
    published = {
        f.organisation_id: f.pk
        for f in Framework.objects.filter(
            organisation_id__in=list(rounds), status=FrameworkStatus.PUBLISHED, key=framework_key
        ).order_by("published_at", "version")
    }
    rounds = {org: c for org, c in rounds.items() if org in published}
    if not rounds:
        return {}
    targets = {
        (framework_id, role, code): level
        for framework_id, role, code, level in RoleTarget.objects.filter(
            role_profile__framework_id__in=set(published.values())
        ).values_list("role_profile__framework_id", "role_profile__code", "competence__code", "level")
    }
    k_of = {o.pk: min_group(o) for o in organisations}
    big_enough = Q(pk__in=[])
    for organisation_id, campaign in rounds.items():
        big_enough |= Q(campaign_id=campaign.pk, people__gte=k_of[organisation_id])
    rows = (
        Rollup.objects.filter(big_enough, source=RollupSource.ESTIMATE)
        .values("organisation_id", "role_profile_code", "competence__code")
        .annotate(s_1=Sum("level_1"), s_2=Sum("level_2"), s_3=Sum("level_3"), s_4=Sum("level_4"))
    )
    result: dict[Key, list[MunicipalityFigure]] = defaultdict(list)
    for row in rows:
        organisation_id = row["organisation_id"]
        code = row["competence__code"]
        role = row["role_profile_code"]
        target = targets.get((published[organisation_id], role, code))
        if target is None:
            continue
        levels = [row["s_1"] or 0, row["s_2"] or 0, row["s_3"] or 0, row["s_4"] or 0]
        result[(role, code)].append(
            MunicipalityFigure(
                organisation_id=organisation_id,
                with_target=sum(levels),
                below=sum(levels[n - 1] for n in range(1, target)),
            )
        )
    return dict(result)
