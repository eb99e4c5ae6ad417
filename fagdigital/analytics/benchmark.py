"""The benchmark across municipalities: each organisation's share at target against its network.

Figures come from published block rows only (so each organisation's figure is already a sum over groups
of at least its own k people), and the rules for figures across organisations are the privacy package's
(privacy.benchmark): at least 5 contributing organisations besides the reader's own, no quantile that
is one member's value, organisations named only by their own choice and left out of the spread, and no
figures at all from an organisation that chose not to contribute.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404

from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument
from fagdigital.frameworks.models import Area, Competence, Framework, FrameworkStatus, RoleTarget
from fagdigital.frameworks.selectors import published_framework
from fagdigital.privacy.benchmark import enough_organisations, network_spread
from fagdigital.privacy.rules import MIN_ORGANISATIONS, min_group
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, Organisation, Role

from .models import Rollup, RollupSource
from .networks import BENCHMARK_ROLES, active_members, benchmark_networks, choose_network
from .selectors import framework_columns

__all__ = ["MIN_ORGANISATIONS"]


def _percent(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


class Position:
    BELOW = "below"  # under the lower quartile
    BETWEEN = "between"  # from the lower to the upper quartile
    ABOVE = "above"  # over the upper quartile


@dataclass(frozen=True)
class OrgFigure:
    """One organisation's whole-organisation figure: people with a target, of them at or above it.

    A sum of the organisation's published blocks (so never about fewer than its k people). For a focus
    area the counts are person-targets summed over the area's competences.
    """

    with_target: int
    at_target: int

    @property
    def hidden(self) -> bool:
        return False

    @property
    def share(self) -> float | None:
        return self.at_target / self.with_target if self.with_target else None


@dataclass(frozen=True)
class NamedFigure:
    organisation: Organisation
    share: float | None
    hidden: bool  # the organisation has figures, but for fewer than k people

    @property
    def percent(self) -> int | None:
        return _percent(self.share)


@dataclass
class BenchmarkRow:
    code: str
    subject: Area | Competence
    is_area: bool
    own: float | None = None
    own_people: int | None = None
    own_hidden: bool = False  # the organisation has figures, but for fewer than k people
    organisations: int = 0  # organisations in the network figure (never the reader's own, never named ones)
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    named: list[NamedFigure] = field(default_factory=list)

    @property
    def too_few(self) -> bool:
        return not enough_organisations(self.organisations)

    @property
    def position(self) -> str:
        if self.own is None or self.q1 is None or self.q3 is None:
            return ""
        if self.own < self.q1:
            return Position.BELOW
        if self.own > self.q3:
            return Position.ABOVE
        return Position.BETWEEN

    @property
    def own_percent(self) -> int | None:
        return _percent(self.own)

    @property
    def q1_percent(self) -> int | None:
        return _percent(self.q1)

    @property
    def median_percent(self) -> int | None:
        return _percent(self.median)

    @property
    def q3_percent(self) -> int | None:
        return _percent(self.q3)


@dataclass
class BenchmarkArea:
    area: Area
    total: BenchmarkRow
    competences: list[BenchmarkRow]


@dataclass
class Benchmark:
    networks: list[Network]
    network: Network | None
    member_view: bool  # the actor's organisation is a member: its own figures are shown
    campaign: Campaign | None  # None: current level (each organisation's latest closed round)
    framework: Framework | None
    k: int
    areas: list[BenchmarkArea] = field(default_factory=list)
    named: list[Organisation] = field(default_factory=list)  # chose to be named (never the actor's own)
    members: int = 0  # active member organisations of the network
    contributing: int = 0  # of them, contributing to the network's figures
    period: int | None = None  # the calendar year of the compared campaigns (benchmark on a campaign)


def benchmark_campaigns(*, actor: Actor) -> list[Campaign]:
    """The organisation's closed campaigns with person instruments, newest first (a benchmark basis)."""
    campaigns = (
        Campaign.objects.filter(organisation=actor.organisation, status=CampaignStatus.CLOSED)
        .select_related("framework")
        .order_by("-closes_on", "-pk")
    )
    return [c for c in campaigns if set(c.instruments) - {Instrument.CHIEFS}]


Key = tuple[str, str]  # ("area" | "competence", code)


def _basis_rounds(member_ids: Sequence[int], framework_key: str, year: int | None) -> dict[int, Campaign]:
    """Each organisation's latest closed round with person results on the key (in the year, if given)."""
    campaigns = Campaign.objects.filter(
        organisation_id__in=member_ids, status=CampaignStatus.CLOSED, framework__key=framework_key
    ).select_related("framework")
    if year is not None:
        campaigns = campaigns.filter(closes_on__year=year)
    latest: dict[int, Campaign] = {}
    for campaign in campaigns.order_by("closes_on", "pk"):
        if set(campaign.instruments) - {Instrument.CHIEFS}:
            latest[campaign.organisation_id] = campaign
    return latest


def _figures(
    rounds: dict[int, Campaign], views: dict[int, int], k_of: dict[int, int]
) -> dict[int, dict[Key, OrgFigure]]:
    """Per organisation: figures by competence and focus-area code, from its published block rows read
    against the targets of the version in view for it (`views`: organisation → framework id)."""
    targets: dict[tuple[int, str, str], int] = {
        (framework_id, role, code): level
        for framework_id, role, code, level in RoleTarget.objects.filter(
            role_profile__framework_id__in=set(views.values())
        ).values_list("role_profile__framework_id", "role_profile__code", "competence__code", "level")
    }
    in_view = set(
        Competence.objects.filter(framework_id__in=set(views.values()), parent__isnull=True).values_list(
            "framework_id", "code"
        )
    )
    # Rows were published with each organisation's k; one that raised k since counts larger blocks only.
    big_enough = Q(pk__in=[])
    for organisation_id, campaign in rounds.items():
        big_enough |= Q(campaign_id=campaign.pk, people__gte=k_of[organisation_id])
    rows = (
        Rollup.objects.filter(big_enough, source=RollupSource.ESTIMATE, competence__parent__isnull=True)
        .values("organisation_id", "role_profile_code", "competence__code", "competence__area__code")
        .annotate(
            s_people=Sum("people"),
            s_1=Sum("level_1"),
            s_2=Sum("level_2"),
            s_3=Sum("level_3"),
            s_4=Sum("level_4"),
        )
    )
    sums: dict[int, dict[Key, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in rows:
        organisation_id = row["organisation_id"]
        framework_id = views[organisation_id]
        code = row["competence__code"]
        target = targets.get((framework_id, row["role_profile_code"], code))
        if (framework_id, code) not in in_view or target is None:
            continue
        levels = [row["s_1"] or 0, row["s_2"] or 0, row["s_3"] or 0, row["s_4"] or 0]
        at = sum(levels[n - 1] for n in range(target, 5))
        for key in (("competence", code), ("area", row["competence__area__code"])):
            sums[organisation_id][key][0] += row["s_people"] or 0
            sums[organisation_id][key][1] += at
    return {
        organisation_id: {key: OrgFigure(with_target=w, at_target=a) for key, (w, a) in by_key.items() if w}
        for organisation_id, by_key in sums.items()
    }


def _fill_row(
    row: BenchmarkRow,
    key: Key,
    *,
    figures: dict[int, dict[Key, OrgFigure]],
    own_id: int | None,
    named: Sequence[Organisation],
    contributing: Sequence[int],
) -> None:
    named_ids = {o.pk for o in named}
    shares = [
        share
        for organisation_id in contributing
        if organisation_id != own_id and organisation_id not in named_ids
        if (figure := figures.get(organisation_id, {}).get(key)) and (share := figure.share) is not None
    ]
    row.organisations = len(shares)
    spread = network_spread(shares)
    if spread is not None:
        row.q1, row.median, row.q3 = spread.q1, spread.median, spread.q3
    if own_id is not None:
        own = figures.get(own_id, {}).get(key)
        if own is not None:
            row.own = own.share
            row.own_people = own.with_target if not row.is_area else None
    for organisation in named:
        figure = figures.get(organisation.pk, {}).get(key)
        row.named.append(
            NamedFigure(organisation=organisation, share=figure.share if figure else None, hidden=False)
        )


def _coordinator_framework(member_ids: Sequence[int]) -> Framework | None:
    """For a coordinator: the framework key most members have published; labels from its newest copy."""
    published = list(
        Framework.objects.filter(organisation_id__in=member_ids, status=FrameworkStatus.PUBLISHED).order_by(
            "-published_at", "-pk"
        )
    )
    if not published:
        return None
    key = Counter(f.key for f in published).most_common(1)[0][0]
    return next(f for f in published if f.key == key)


def benchmark(*, actor: Actor, campaign: Campaign | None = None, network_id: int | None = None) -> Benchmark:
    """The organisation against its network: per focus area and competence, its own share at or above
    target and the spread (lower quartile, middle, upper quartile) over the other contributing members.

    The spread needs at least 5 organisations besides the reader's own, leaves out the organisations
    shown by name, and is never one organisation's own value (privacy.benchmark). A network coordinator
    (not a member) gets the network's spread only — never one organisation's figure or name.
    """
    if not actor.has_role(*BENCHMARK_ROLES, Role.NETWORK_COORDINATOR):
        raise PermissionDenied
    organisation = actor.organisation
    if campaign is not None and campaign.organisation_id != organisation.pk:
        raise Http404
    networks = benchmark_networks(actor=actor)
    network = choose_network(networks, network_id)
    result = Benchmark(
        networks=networks,
        network=network,
        member_view=False,
        campaign=None,
        framework=None,
        k=min_group(organisation),
    )
    if network is None:
        return result
    members = active_members(network)
    member_ids = [m.organisation_id for m in members]
    contributing = [m.organisation_id for m in members if m.contributes_to_benchmarks]
    result.members = len(members)
    result.contributing = len(contributing)
    result.member_view = organisation.pk in member_ids and actor.has_role(*BENCHMARK_ROLES)
    if result.member_view:
        result.campaign = campaign
        framework = campaign.framework if campaign else published_framework(organisation=organisation)
        result.named = [
            m.organisation
            for m in members
            if m.named_in_benchmarks and m.contributes_to_benchmarks and m.organisation_id != organisation.pk
        ]
    else:
        framework = _coordinator_framework(member_ids)
    result.framework = framework
    if framework is None:
        return result
    year = campaign.closes_on.year if campaign else None
    result.period = year
    rounds = _basis_rounds(member_ids, framework.key, year)
    if campaign is not None:
        rounds[organisation.pk] = campaign  # the organisation's own chosen round
    if campaign is None:
        # Current level: each organisation's latest round read against its own published version.
        published = {
            f.organisation_id: f.pk
            for f in Framework.objects.filter(
                organisation_id__in=member_ids, status=FrameworkStatus.PUBLISHED, key=framework.key
            ).order_by("published_at", "version")
        }
        views = {org: published[org] for org in rounds if org in published}
        rounds = {org: c for org, c in rounds.items() if org in views}
    else:
        views = {org: c.framework_id for org, c in rounds.items()}
    k_of = {m.organisation_id: min_group(m.organisation) for m in members}
    figures = _figures(rounds, views, k_of)
    own_id = organisation.pk if result.member_view else None

    def fill(row: BenchmarkRow, key: Key) -> None:
        _fill_row(row, key, figures=figures, own_id=own_id, named=result.named, contributing=contributing)

    for columns in framework_columns(framework):
        total = BenchmarkRow(code=columns.area.code, subject=columns.area, is_area=True)
        fill(total, ("area", columns.area.code))
        rows_for_area = []
        for competence in columns.competences:
            row = BenchmarkRow(code=competence.code, subject=competence, is_area=False)
            fill(row, ("competence", competence.code))
            rows_for_area.append(row)
        result.areas.append(BenchmarkArea(area=columns.area, total=total, competences=rows_for_area))
    return result
