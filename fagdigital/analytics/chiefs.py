"""Chiefs' indicators: the chiefs' survey answers of the organisation, its network and over time.

The survey asks the organisation's top management (often four or five people), so the anonymity rule
applies to it as to everything else (DESIGN.md §2, docs/decisions/0010): a round's answers are shown
only once it is closed and at least k chiefs answered, and the chiefs read that before they answer. Across
organisations the network's figure needs at least 5 contributing organisations besides the reader's own.
On top of that (decision 0017): the top and digitalisation chiefs' own figures (comparable with IT i
Praksis) are shown only when they and the other respondents are each at least k, or the others none.
Shares are given both of those who took a position and of all answers ("ved ikke" included).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    RespondentType,
    Response,
    ResponseStatus,
    SurveyAnswer,
    SurveyItem,
)
from fagdigital.privacy.benchmark import enough_organisations, network_spread
from fagdigital.privacy.rules import MIN_ORGANISATIONS, min_group, split_shown
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, Organisation, Role

from .networks import active_members, choose_network, member_networks

Z_95 = 1.959963984540054  # the standard normal quantile for a two-sided 95 % interval
INDICATOR_ROLES = (Role.TOP_MANAGEMENT, Role.COMPETENCE_ADMIN)
__all__ = ["MIN_ORGANISATIONS"]


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


# --- Chiefs' indicators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    yes: int = 0  # "i høj grad" or "i meget høj grad"
    answered: int = 0  # an answer on the scale
    dont_know: int = 0

    @property
    def proportion(self) -> Proportion:
        """The share of those who took a position ("ved ikke" left out)."""
        return Proportion(self.yes, self.answered)

    @property
    def all_answers(self) -> Proportion:
        """The share of all answers, "ved ikke" included: published surveys often report shares this way."""
        return Proportion(self.yes, self.answered + self.dont_know)


@dataclass(frozen=True)
class NetworkIndicator:
    """The network's figure for one statement: only with enough organisations besides the reader's own."""

    organisations: int  # contributing organisations with answers on the scale (never the reader's own)
    pooled: Proportion | None = None  # all their respondents together, of those who took a position
    median: float | None = None  # the middle of their own shares (a mean of three, never one's value)
    pooled_all: Proportion | None = None  # the same of all answers, "ved ikke" included
    median_all: float | None = None

    @property
    def too_few(self) -> bool:
        return not enough_organisations(self.organisations)

    @property
    def median_percent(self) -> int | None:
        return _percent(self.median)

    @property
    def median_all_percent(self) -> int | None:
        return _percent(self.median_all)


@dataclass
class ItemIndicator:
    code: str
    item: SurveyItem
    tally: Tally | None  # None: fewer than k answered, so the answers are not shown
    network: NetworkIndicator | None = None
    # The top and digitalisation chiefs' answers alone (as IT i Praksis asks), when that is safe to show.
    comparable: Tally | None = None

    @property
    def result(self) -> Proportion:
        return self.tally.proportion if self.tally else Proportion(0, 0)

    @property
    def result_all(self) -> Proportion:
        return self.tally.all_answers if self.tally else Proportion(0, 0)


@dataclass(frozen=True)
class RoundPoint:
    campaign: Campaign
    tally: Tally | None  # None: not part of the round, or fewer than k answered
    asked: bool = True

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
    campaign: Campaign | None  # the round shown: the latest closed one
    respondents: int
    k: int
    items: list[ItemIndicator]
    rounds: list[Campaign]  # every round with the chiefs' survey, oldest first
    trend: list[TrendRow]
    newer_open: Campaign | None = None  # a round still open that is newer than the one shown
    networks: list[Network] = field(default_factory=list)
    network: Network | None = None
    period: int | None = None  # the calendar year the network's rounds are taken from

    coordinator_view: bool = False  # a network coordinator: the network's figures only
    # Respondents who answered as top or digitalisation chiefs in the round shown, when their own figures
    # are shown (ItemIndicator.comparable); None when they are not (see privacy.rules.split_shown).
    comparable_respondents: int | None = None

    @property
    def too_few(self) -> bool:
        """The round shown had fewer than k respondents: its answers are not shown."""
        return self.campaign is not None and self.respondents < self.k

    @property
    def network_compared(self) -> bool:
        return any(item.network is not None and not item.network.too_few for item in self.items)


def _chiefs_rounds(organisation: Organisation) -> list[Campaign]:
    # instruments is a JSON list; filtering in Python keeps this working on SQLite (the demo) too.
    campaigns = Campaign.objects.filter(organisation=organisation).exclude(status=CampaignStatus.DRAFT)
    return [c for c in campaigns.order_by("closes_on", "opens_on", "pk") if c.uses(Instrument.CHIEFS)]


def _respondents(campaign_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Response.objects.filter(
            campaign_id__in=list(campaign_ids), instrument=Instrument.CHIEFS, status=ResponseStatus.SUBMITTED
        )
        .values_list("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )


def _tallies(
    campaign_ids: Iterable[int], *, respondent_types: Sequence[str] | None = None
) -> dict[tuple[int, str], Tally]:
    """Submitted chiefs' answers per (campaign, statement code), in one grouped query; only those of the
    given respondent types when they are given."""
    answers = SurveyAnswer.objects.filter(
        item__campaign_id__in=list(campaign_ids),
        response__instrument=Instrument.CHIEFS,
        response__status=ResponseStatus.SUBMITTED,
    )
    if respondent_types is not None:
        answers = answers.filter(response__respondent_type__in=list(respondent_types))
    rows = answers.values("item__campaign_id", "item__code").annotate(
        yes=Count("pk", filter=Q(value__gte=4)),
        answered=Count("value"),
        dont_know=Count("pk", filter=Q(value__isnull=True)),
    )
    return {
        (row["item__campaign_id"], row["item__code"]): Tally(row["yes"], row["answered"], row["dont_know"])
        for row in rows
    }


# The respondent types IT i Praksis asks: its figures are the top and digitalisation chiefs' answers.
COMPARABLE_TYPES = (RespondentType.TOP, RespondentType.DIGITAL)


def _respondent_groups(campaign_id: int) -> tuple[int, int]:
    """(respondents who answered as top or digitalisation chiefs, all other respondents) of a round."""
    types = list(
        Response.objects.filter(
            campaign_id=campaign_id, instrument=Instrument.CHIEFS, status=ResponseStatus.SUBMITTED
        ).values_list("respondent_type", flat=True)
    )
    comparable = sum(1 for value in types if value in COMPARABLE_TYPES)
    return comparable, len(types) - comparable


def _network_indicators(
    network: Network, year: int, codes: Sequence[str], reader: Organisation | None
) -> dict[str, NetworkIndicator]:
    """Per statement code: the pooled share and the middle of the contributing organisations' shares.

    The reader's own organisation is never among them (its figure is on the page already), nor is an
    organisation that chose not to contribute; each counts with its latest closed round in the year.
    """
    members = [
        m.organisation_id
        for m in active_members(network)
        if m.contributes_to_benchmarks and (reader is None or m.organisation_id != reader.pk)
    ]
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
        spread = network_spread([t.yes / t.answered for t in per_organisation])
        spread_all = network_spread([t.yes / (t.answered + t.dont_know) for t in per_organisation])
        if spread is None or spread_all is None:
            result[code] = NetworkIndicator(organisations=len(per_organisation))
            continue
        yes = sum(t.yes for t in per_organisation)
        answered = sum(t.answered for t in per_organisation)
        result[code] = NetworkIndicator(
            organisations=len(per_organisation),
            pooled=Proportion(yes, answered),
            median=spread.median,
            pooled_all=Proportion(yes, answered + sum(t.dont_know for t in per_organisation)),
            median_all=spread_all.median,
        )
    return result


def chiefs_indicators(*, actor: Actor, network_id: int | None = None) -> ChiefsIndicators:
    """Per chiefs' survey statement: the share answering 4 or 5 with a Wilson 95 % interval, the network's
    figure (with at least 5 other contributing organisations) and the trend across closed rounds.

    A round's answers are shown only when it is closed and at least k chiefs answered (privacy.rules);
    chiefs are told so before they answer (privacy.texts.chiefs_notice).
    """
    if actor.has_role(*INDICATOR_ROLES):
        return _member_indicators(actor, network_id)
    if actor.has_role(Role.NETWORK_COORDINATOR):
        return _coordinator_indicators(actor, network_id)
    raise PermissionDenied


def _coordinator_indicators(actor: Actor, network_id: int | None) -> ChiefsIndicators:
    """A coordinator sees the network's figures only: for the current year's statements, by code."""
    networks = list(Network.objects.filter(coordinator=actor.organisation).order_by("name"))
    network = choose_network(networks, network_id)
    k = min_group(actor.organisation)
    result = ChiefsIndicators(
        campaign=None, respondents=0, k=k, items=[], rounds=[], trend=[], networks=networks, network=network
    )
    result.coordinator_view = True
    if network is None:
        return result
    members = [m.organisation_id for m in active_members(network)]
    latest = (
        Campaign.objects.filter(organisation_id__in=members, status=CampaignStatus.CLOSED)
        .order_by("-closes_on", "-pk")
        .first()
    )
    if latest is None:
        return result
    result.period = latest.closes_on.year
    items = list(
        SurveyItem.objects.filter(
            campaign__organisation_id__in=members,
            campaign__status=CampaignStatus.CLOSED,
            campaign__closes_on__year=result.period,
        ).order_by("position", "pk")
    )
    wording: dict[str, SurveyItem] = {}
    for item in items:
        wording.setdefault(item.code, item)
    networked = _network_indicators(network, result.period, list(wording), None)
    result.items = [
        ItemIndicator(code=code, item=item, tally=None, network=networked.get(code))
        for code, item in wording.items()
    ]
    return result


def _member_indicators(actor: Actor, network_id: int | None) -> ChiefsIndicators:
    organisation = actor.organisation
    networks = member_networks(organisation=organisation)
    network = choose_network(networks, network_id)
    k = min_group(organisation)
    rounds = _chiefs_rounds(organisation)
    closed = [c for c in rounds if c.status == CampaignStatus.CLOSED]
    shown = closed[-1] if closed else None
    result = ChiefsIndicators(
        campaign=shown,
        respondents=0,
        k=k,
        items=[],
        rounds=closed,
        trend=[],
        networks=networks,
        network=network,
    )
    if rounds and rounds[-1] is not shown:
        result.newer_open = rounds[-1]
    if shown is None:
        return result
    result.period = shown.closes_on.year
    respondents = _respondents(c.pk for c in closed)
    tallies = {
        key: tally for key, tally in _tallies(c.pk for c in closed).items() if respondents.get(key[0], 0) >= k
    }
    result.respondents = respondents.get(shown.pk, 0)
    items = list(SurveyItem.objects.filter(campaign__in=closed).order_by("position", "pk"))
    by_round: dict[int, list[SurveyItem]] = defaultdict(list)
    for item in items:
        by_round[item.campaign_id].append(item)
    shown_items = by_round.get(shown.pk, [])
    networked = (
        _network_indicators(network, result.period, [i.code for i in shown_items], organisation)
        if network
        else {}
    )
    comparable, others = _respondent_groups(shown.pk)
    comparable_tallies: dict[tuple[int, str], Tally] = {}
    if not result.too_few and split_shown(comparable, others, k):
        result.comparable_respondents = comparable
        comparable_tallies = _tallies([shown.pk], respondent_types=COMPARABLE_TYPES)
    result.items = [
        ItemIndicator(
            code=item.code,
            item=item,
            tally=tallies.get((shown.pk, item.code), Tally()) if not result.too_few else None,
            network=networked.get(item.code),
            comparable=comparable_tallies.get((shown.pk, item.code), Tally())
            if result.comparable_respondents is not None
            else None,
        )
        for item in shown_items
    ]
    # Trend rows: the shown round's statements first, then those only older rounds had.
    wording: dict[str, SurveyItem] = {}
    order: list[str] = [item.code for item in shown_items]
    for campaign in closed:
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
                    tally=tallies.get((c.pk, code), Tally() if respondents.get(c.pk, 0) >= k else None)
                    if (c.pk, code) in asked
                    else None,
                    asked=(c.pk, code) in asked,
                )
                for c in closed
            ],
        )
        for code in order
    ]
    return result
