"""Chiefs' indicators and the benchmark across municipalities (issue 5, points 4 and 5).

Chiefs' survey answers are the organisation's own statements (DESIGN.md §2): its top management and
competence admins see them in full, however few answered. Across organisations the benchmark rule applies:
a network figure needs at least `MIN_ORGANISATIONS` contributing organisations and never names one,
unless the organisation chose to be named (`NetworkMember.named_in_benchmarks`) — and then only in a
separate list with its own figure.

Rounds compared across a network ("latest round per organisation"): the organisation's own figures come
from the round shown; the network's from each member organisation's *latest closed* round that closed in
the same calendar year as the round shown (for the benchmark on a campaign: with the same framework key).
Open rounds of other organisations never count, since their figures still change.

The benchmark reads the rollup table in one grouped query over all member organisations, per organisation
and competence code (each organisation has its own framework rows, so competences are matched by code
within the same framework key). An organisation's whole-organisation figure is the root of its tree,
where the anonymity rules reduce to "at least k people with a target" (anonymity.decide_chain never hides
a root total of k or more), so these figures equal the dashboards' whole-organisation cells.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404

from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    Response,
    ResponseStatus,
    SurveyAnswer,
    SurveyItem,
)
from fagdigital.frameworks.models import Area, Competence, Framework, FrameworkStatus
from fagdigital.frameworks.selectors import published_framework
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, Role

from .models import Rollup, RollupSource
from .selectors import framework_columns, min_group

MIN_ORGANISATIONS = 5  # DESIGN.md §2: at least 5 organisations per figure across organisations
Z_95 = 1.959963984540054  # the standard normal quantile for a two-sided 95 % interval
INDICATOR_ROLES = (Role.TOP_MANAGEMENT, Role.COMPETENCE_ADMIN)
BENCHMARK_ROLES = (Role.TOP_MANAGEMENT, Role.COMPETENCE_ADMIN)


# --- Proportions with a Wilson score interval ---------------------------------------------------


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for `successes` out of `n`; None when nobody answered.

    Unlike "share ± 1.96 standard errors" it stays inside 0-100 % and is honest for the few
    respondents a chiefs' survey has (8 of 10 gives about 49-94 %).
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    share = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _percent(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


@dataclass(frozen=True)
class Proportion:
    """`yes` out of `n` answers on the scale ("ved ikke" is not counted in `n`)."""

    yes: int
    n: int

    @property
    def share(self) -> float | None:
        return self.yes / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.yes, self.n)

    @property
    def percent(self) -> int | None:
        return _percent(self.share)

    @property
    def low_percent(self) -> int | None:
        interval = self.interval
        return None if interval is None else _percent(interval[0])

    @property
    def high_percent(self) -> int | None:
        interval = self.interval
        return None if interval is None else _percent(interval[1])


# --- Networks the actor may compare with --------------------------------------------------------


def member_networks(*, organisation: Organisation) -> list[Network]:
    return list(Network.objects.filter(networkmember__organisation=organisation).distinct().order_by("name"))


def benchmark_networks(*, actor: Actor) -> list[Network]:
    """Networks the organisation is a member of (admins, top management) or coordinates (coordinators)."""
    networks: dict[int, Network] = {}
    if actor.has_role(*BENCHMARK_ROLES):
        networks.update((n.pk, n) for n in member_networks(organisation=actor.organisation))
    if actor.has_role(Role.NETWORK_COORDINATOR):
        networks.update((n.pk, n) for n in Network.objects.filter(coordinator=actor.organisation))
    return sorted(networks.values(), key=lambda n: (n.name, n.pk))


def _choose_network(networks: Sequence[Network], network_id: int | None) -> Network | None:
    if network_id is None:
        return networks[0] if networks else None
    chosen = next((n for n in networks if n.pk == network_id), None)
    if chosen is None:
        raise Http404
    return chosen


def _active_members(network: Network) -> list[NetworkMember]:
    return list(
        NetworkMember.objects.filter(network=network, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )


# --- Chiefs' indicators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    yes: int = 0  # "i høj grad" or "i meget høj grad"
    answered: int = 0  # an answer on the scale
    dont_know: int = 0

    @property
    def proportion(self) -> Proportion:
        return Proportion(self.yes, self.answered)


@dataclass(frozen=True)
class NetworkIndicator:
    """The network's figure for one statement; only with enough participating organisations."""

    organisations: int  # participating organisations (with answers on the scale to the statement)
    pooled: Proportion | None = None  # all respondents of the participating organisations together
    median: float | None = None  # the median of the organisations' own shares

    @property
    def too_few(self) -> bool:
        return self.organisations < MIN_ORGANISATIONS

    @property
    def median_percent(self) -> int | None:
        return _percent(self.median)


@dataclass
class ItemIndicator:
    code: str
    item: SurveyItem
    tally: Tally
    network: NetworkIndicator | None = None

    @property
    def result(self) -> Proportion:
        return self.tally.proportion


@dataclass(frozen=True)
class RoundPoint:
    campaign: Campaign
    tally: Tally | None  # None: the statement was not part of the round

    @property
    def result(self) -> Proportion | None:
        return None if self.tally is None else self.tally.proportion


@dataclass
class TrendRow:
    code: str
    item: SurveyItem  # the statement as worded in the newest round that had it
    points: list[RoundPoint]


@dataclass
class ChiefsIndicators:
    campaign: Campaign | None  # the round shown: the latest closed one, else the latest open one
    respondents: int
    items: list[ItemIndicator]
    rounds: list[Campaign]  # every round with the chiefs' survey, oldest first
    trend: list[TrendRow]
    newer_open: Campaign | None = None  # a round still open that is newer than the one shown
    networks: list[Network] = field(default_factory=list)
    network: Network | None = None
    period: int | None = None  # the calendar year the network's rounds are taken from

    @property
    def network_compared(self) -> bool:
        return any(item.network is not None and not item.network.too_few for item in self.items)


def _chiefs_rounds(organisation: Organisation) -> list[Campaign]:
    # instruments is a JSON list; filtering in Python keeps this working on SQLite (the demo) too.
    campaigns = Campaign.objects.filter(organisation=organisation).exclude(status=CampaignStatus.DRAFT)
    return [c for c in campaigns.order_by("closes_on", "opens_on", "pk") if c.uses(Instrument.CHIEFS)]


def _tallies(campaign_ids: Iterable[int]) -> dict[tuple[int, str], Tally]:
    """Submitted chiefs' answers per (campaign, statement code), in one grouped query."""
    rows = (
        SurveyAnswer.objects.filter(
            item__campaign_id__in=list(campaign_ids),
            response__instrument=Instrument.CHIEFS,
            response__status=ResponseStatus.SUBMITTED,
        )
        .values("item__campaign_id", "item__code")
        .annotate(
            yes=Count("pk", filter=Q(value__gte=4)),
            answered=Count("value"),
            dont_know=Count("pk", filter=Q(value__isnull=True)),
        )
    )
    return {
        (row["item__campaign_id"], row["item__code"]): Tally(row["yes"], row["answered"], row["dont_know"])
        for row in rows
    }


def _network_indicators(network: Network, year: int, codes: Sequence[str]) -> dict[str, NetworkIndicator]:
    """Per statement code: the network's pooled share and median over its participating organisations."""
    members = [m.organisation_id for m in _active_members(network)]
    candidates = [
        c
        for c in Campaign.objects.filter(
            organisation_id__in=members, status=CampaignStatus.CLOSED, closes_on__year=year
        ).order_by("closes_on", "pk")
        if c.uses(Instrument.CHIEFS)
    ]
    tallies = _tallies(c.pk for c in candidates)
    answered_rounds = {campaign_id for (campaign_id, _code), t in tallies.items() if t.answered}
    latest: dict[int, int] = {}  # organisation → its latest closed round in the year with answers
    for campaign in candidates:
        if campaign.pk in answered_rounds:
            latest[campaign.organisation_id] = campaign.pk
    result = {}
    for code in codes:
        per_organisation = [
            tally
            for campaign_id in latest.values()
            if (tally := tallies.get((campaign_id, code))) is not None and tally.answered
        ]
        if len(per_organisation) < MIN_ORGANISATIONS:
            result[code] = NetworkIndicator(organisations=len(per_organisation))
            continue
        result[code] = NetworkIndicator(
            organisations=len(per_organisation),
            pooled=Proportion(
                sum(t.yes for t in per_organisation), sum(t.answered for t in per_organisation)
            ),
            median=statistics.median(t.yes / t.answered for t in per_organisation),
        )
    return result


def chiefs_indicators(*, actor: Actor, network_id: int | None = None) -> ChiefsIndicators:
    """Per chiefs' survey statement: the share answering 4 or 5 with a Wilson 95 % interval, the network's
    figure (when at least 5 organisations take part) and the trend across rounds."""
    if not actor.has_role(*INDICATOR_ROLES):
        raise PermissionDenied
    organisation = actor.organisation
    networks = member_networks(organisation=organisation)
    network = _choose_network(networks, network_id)
    rounds = _chiefs_rounds(organisation)
    closed = [c for c in rounds if c.status == CampaignStatus.CLOSED]
    shown = closed[-1] if closed else (rounds[-1] if rounds else None)
    result = ChiefsIndicators(
        campaign=shown,
        respondents=0,
        items=[],
        rounds=rounds,
        trend=[],
        networks=networks,
        network=network,
    )
    if shown is None:
        return result
    if rounds[-1] is not shown:
        result.newer_open = rounds[-1]
    result.period = shown.closes_on.year
    tallies = _tallies(c.pk for c in rounds)
    result.respondents = Response.objects.filter(
        campaign=shown, instrument=Instrument.CHIEFS, status=ResponseStatus.SUBMITTED
    ).count()
    items = list(SurveyItem.objects.filter(campaign__in=rounds).order_by("position", "pk"))
    by_round: dict[int, list[SurveyItem]] = defaultdict(list)
    for item in items:
        by_round[item.campaign_id].append(item)
    shown_items = by_round.get(shown.pk, [])
    networked = _network_indicators(network, result.period, [i.code for i in shown_items]) if network else {}
    result.items = [
        ItemIndicator(
            code=item.code,
            item=item,
            tally=tallies.get((shown.pk, item.code), Tally()),
            network=networked.get(item.code),
        )
        for item in shown_items
    ]
    # Trend rows: the shown round's statements first, then those only older or newer rounds had.
    wording: dict[str, SurveyItem] = {}
    order: list[str] = [item.code for item in shown_items]
    for campaign in rounds:
        for item in by_round.get(campaign.pk, []):
            wording[item.code] = item
            if item.code not in order:
                order.append(item.code)
    for item in shown_items:
        wording[item.code] = item
    asked = {(item.campaign_id, item.code) for item in items}
    result.trend = [
        TrendRow(
            code=code,
            item=wording[code],
            points=[
                RoundPoint(
                    campaign=c,
                    tally=tallies.get((c.pk, code), Tally()) if (c.pk, code) in asked else None,
                )
                for c in rounds
            ],
        )
        for code in order
    ]
    return result


# --- Benchmark across municipalities ---------------------------------------------------------------


class Position:
    BELOW = "below"  # under the lower quartile
    BETWEEN = "between"  # from the lower to the upper quartile
    ABOVE = "above"  # over the upper quartile


@dataclass(frozen=True)
class OrgFigure:
    """One organisation's whole-organisation figure: people with a target, of them at or above it.

    For a focus area the counts are person-targets summed over the organisation's shown competences.
    """

    with_target: int
    at_target: int
    shown: bool

    @property
    def hidden(self) -> bool:
        """The organisation has figures here, but none that may be shown (fewer than k people)."""
        return not self.shown and self.with_target > 0

    @property
    def share(self) -> float | None:
        return self.at_target / self.with_target if self.shown and self.with_target else None


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
    organisations: int = 0  # organisations contributing to the network figure
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    named: list[NamedFigure] = field(default_factory=list)

    @property
    def too_few(self) -> bool:
        return self.organisations < MIN_ORGANISATIONS

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
    campaign: Campaign | None  # None: current estimates
    framework: Framework | None
    k: int
    areas: list[BenchmarkArea] = field(default_factory=list)
    named: list[Organisation] = field(default_factory=list)  # chose to be named (never the actor's own)
    members: int = 0  # active member organisations of the network
    period: int | None = None  # the calendar year of the compared campaigns (benchmark on a campaign)


def benchmark_campaigns(*, actor: Actor) -> list[Campaign]:
    """The organisation's closed campaigns with person instruments, newest first (a benchmark basis)."""
    campaigns = (
        Campaign.objects.filter(organisation=actor.organisation, status=CampaignStatus.CLOSED)
        .select_related("framework")
        .order_by("-closes_on", "-pk")
    )
    return [c for c in campaigns if set(c.instruments) - {Instrument.CHIEFS}]


def _quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """Q1, median, Q3 with linear interpolation between the sorted values (Excel's KVARTIL.MEDTAG)."""
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


Key = tuple[str, str]  # ("area" | "competence", code)


def _figures(rows: Iterable[dict[str, Any]], k_of: dict[int, int]) -> dict[int, dict[Key, OrgFigure]]:
    """Per organisation: competence figures by code, and focus-area figures over its *visible*
    competences only — a hidden competence is never in an area figure, so the area figure minus the
    shown competences cannot reveal it."""
    competences: dict[int, dict[str, tuple[str, int, int]]] = defaultdict(dict)
    for row in rows:
        with_target, at_target = int(row["s_with"] or 0), int(row["s_at"] or 0)
        competences[row["organisation_id"]][row["competence__code"]] = (
            row["competence__area__code"],
            with_target,
            at_target,
        )
    result: dict[int, dict[Key, OrgFigure]] = {}
    for organisation_id, by_code in competences.items():
        k = k_of[organisation_id]
        figures: dict[Key, OrgFigure] = {}
        area_sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # with, at, hidden people
        for code, (area, with_target, at_target) in by_code.items():
            figure = OrgFigure(with_target, at_target, shown=with_target >= k)
            figures[("competence", code)] = figure
            sums = area_sums[area]
            if figure.shown:
                sums[0] += with_target
                sums[1] += at_target
            elif figure.hidden:
                sums[2] += with_target
        for area, (with_target, at_target, hidden) in area_sums.items():
            if with_target:
                figures[("area", area)] = OrgFigure(with_target, at_target, shown=True)
            elif hidden:
                figures[("area", area)] = OrgFigure(hidden, 0, shown=False)
        result[organisation_id] = figures
    return result


def _fill_row(
    row: BenchmarkRow,
    key: Key,
    figures: dict[int, dict[Key, OrgFigure]],
    own_id: int | None,
    named: Sequence[Organisation],
) -> None:
    shares = [f.share for by_key in figures.values() if (f := by_key.get(key)) and f.share is not None]
    row.organisations = len(shares)
    if len(shares) >= MIN_ORGANISATIONS:
        row.q1, row.median, row.q3 = _quartiles(shares)
    if own_id is not None:
        own = figures.get(own_id, {}).get(key)
        if own is not None:
            row.own, row.own_hidden = own.share, own.hidden
            row.own_people = own.with_target if own.shown and not row.is_area else None
    for organisation in named:
        figure = figures.get(organisation.pk, {}).get(key)
        row.named.append(
            NamedFigure(
                organisation=organisation,
                share=figure.share if figure else None,
                hidden=bool(figure and figure.hidden),
            )
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
    target and the network's quartiles over member organisations with figures (at least 5 of them).

    A network coordinator (of a network their organisation coordinates, but is not a member of) gets the
    network figures only — never one organisation's, and not the named list either.
    """
    if not actor.has_role(*BENCHMARK_ROLES, Role.NETWORK_COORDINATOR):
        raise PermissionDenied
    organisation = actor.organisation
    if campaign is not None and campaign.organisation_id != organisation.pk:
        raise Http404
    networks = benchmark_networks(actor=actor)
    network = _choose_network(networks, network_id)
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
    members = _active_members(network)
    member_ids = [m.organisation_id for m in members]
    result.members = len(members)
    result.member_view = organisation.pk in member_ids and actor.has_role(*BENCHMARK_ROLES)
    if result.member_view:
        result.campaign = campaign
        framework = campaign.framework if campaign else published_framework(organisation=organisation)
        # Only organisations that chose to be named, and never in the coordinator's view.
        result.named = [
            m.organisation for m in members if m.named_in_benchmarks and m.organisation_id != organisation.pk
        ]
    else:
        framework = _coordinator_framework(member_ids)
    result.framework = framework
    if framework is None:
        return result

    rollups = Rollup.objects.filter(
        organisation_id__in=member_ids,
        source=RollupSource.ESTIMATE,
        competence__parent__isnull=True,
        competence__framework__key=framework.key,
    )
    if result.campaign is None:
        # Current estimates on each organisation's published version (as the dashboards show them).
        rollups = rollups.filter(
            campaign__isnull=True, competence__framework__status=FrameworkStatus.PUBLISHED
        )
    else:
        result.period = result.campaign.closes_on.year
        latest: dict[int, int] = {}
        for other in Campaign.objects.filter(
            organisation_id__in=member_ids,
            status=CampaignStatus.CLOSED,
            closes_on__year=result.period,
            framework__key=framework.key,
        ).order_by("closes_on", "pk"):
            if set(other.instruments) - {Instrument.CHIEFS}:
                latest[other.organisation_id] = other.pk
        latest[organisation.pk] = result.campaign.pk  # the organisation's own chosen campaign
        rollups = rollups.filter(campaign_id__in=list(latest.values()))
    # One grouped query for every member organisation (never one per organisation).
    rows = rollups.values("organisation_id", "competence__area__code", "competence__code").annotate(
        s_with=Sum("with_target"), s_at=Sum("at_target")
    )
    k_of = {m.organisation_id: min_group(m.organisation) for m in members}
    figures = _figures(rows, k_of)
    own_id = organisation.pk if result.member_view else None
    for columns in framework_columns(framework):
        total = BenchmarkRow(code=columns.area.code, subject=columns.area, is_area=True)
        _fill_row(total, ("area", columns.area.code), figures, own_id, result.named)
        rows_for_area = []
        for competence in columns.competences:
            row = BenchmarkRow(code=competence.code, subject=competence, is_area=False)
            _fill_row(row, ("competence", competence.code), figures, own_id, result.named)
            rows_for_area.append(row)
        result.areas.append(BenchmarkArea(area=columns.area, total=total, competences=rows_for_area))
    return result
