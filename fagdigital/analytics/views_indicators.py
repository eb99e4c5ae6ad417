"""Chiefs' indicators and the benchmark across municipalities: thin views over analytics.indicators.

The small charts are inline SVG drawn from coordinates computed here (no script, no style attributes);
the tables next to them carry every number, so the charts are a visual aid only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fagdigital.privacy.rules import MIN_ORGANISATIONS, min_group
from fagdigital.privacy.texts import chiefs_notice
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, Role
from fagdigital.tenancy.selectors import network_membership
from fagdigital.tenancy.services import network_member_sharing_set

from . import benchmark as bench
from . import chiefs
from . import chiefs_comparisons as compare
from .networks import BENCHMARK_ROLES
from .selectors import DASHBOARD_ROLES

CURRENT = "current"


def _chosen_id(request: HttpRequest, name: str) -> int | None:
    """An id from the query string; anything that is not a whole number names nothing we show."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


class NetworkChoiceForm(forms.Form):
    """Which network to compare with (only shown when the organisation is in more than one)."""

    network = forms.ChoiceField(label=_("Netværk"), required=False)

    def __init__(self, *args: Any, networks: list[Network], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["network"]
        field.choices = [(str(n.pk), n.name) for n in networks]


class BenchmarkForm(NetworkChoiceForm):
    campaign = forms.ChoiceField(
        label=_("Grundlag"),
        required=False,
        help_text=_("Nuværende niveau bruger medarbejdernes seneste vurderinger."),
    )

    def __init__(self, *args: Any, campaigns: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["campaign"]
        field.choices = [(CURRENT, _("Nuværende niveau (seneste vurderinger)"))] + [
            (str(c.pk), c.name) for c in campaigns
        ]


# --- Chart geometry --------------------------------------------------------------------------------

# Indicators chart: one row per statement, share as a bar, the 95 % interval as a line with end caps.
CHART_LEFT = 40.0
CHART_WIDTH = 300.0
CHART_TOP = 30.0
CHART_ROW = 30.0


def _x(share: float) -> float:
    return round(CHART_LEFT + share * CHART_WIDTH, 1)


@dataclass(frozen=True)
class ChartRow:
    number: int
    mid: float  # the row's vertical centre
    top: float  # the bar's top edge
    bottom: float  # the bar's bottom edge
    bar_width: float
    low: float
    high: float
    network: str  # the points of a diamond at the network's pooled share, or ""

    @property
    def label_y(self) -> float:
        return self.mid + 4


@dataclass(frozen=True)
class Chart:
    rows: list[ChartRow]
    height: float
    width: float
    ticks: list[tuple[int, float]]  # (percent, x)
    bottom: float
    left: float = CHART_LEFT


def indicators_chart(items: list[chiefs.ItemIndicator]) -> Chart | None:
    rows: list[ChartRow] = []
    for number, item in enumerate(items, start=1):
        result = item.result
        interval = result.interval
        if result.share is None or interval is None:
            continue
        top = CHART_TOP + (len(rows)) * CHART_ROW + 6
        mid = top + 9
        network = ""
        pooled = item.network.pooled if item.network else None
        if pooled is not None and pooled.share is not None:
            x = _x(pooled.share)
            network = f"{x},{mid - 7} {x + 6},{mid} {x},{mid + 7} {x - 6},{mid}"
        rows.append(
            ChartRow(
                number=number,
                mid=mid,
                top=top + 3,
                bottom=top + 15,
                bar_width=round(result.share * CHART_WIDTH, 1),
                low=_x(interval[0]),
                high=_x(interval[1]),
                network=network,
            )
        )
    if not rows:
        return None
    bottom = CHART_TOP + len(rows) * CHART_ROW + 6
    return Chart(
        rows=rows,
        height=bottom + 4,
        width=CHART_LEFT + CHART_WIDTH + 24,
        ticks=[(p, _x(p / 100)) for p in (0, 25, 50, 75, 100)],
        bottom=bottom,
    )


# Perception against measurement: per focus area two bars on one 0-100 % axis, the chiefs' share above
# the measured share at target.
PAIR_ROW = 44.0


@dataclass(frozen=True)
class PairRow:
    label: str
    label_y: float
    perceived_top: float
    perceived_width: float | None  # None: no figure
    measured_top: float
    measured_width: float | None


@dataclass(frozen=True)
class PairChart:
    rows: list[PairRow]
    height: float
    width: float
    ticks: list[tuple[int, float]]
    bottom: float
    left: float = CHART_LEFT


def comparison_chart(areas: list[compare.AreaComparison]) -> PairChart | None:
    rows: list[PairRow] = []
    for area in areas:
        perceived, measured = area.perceived, area.measured
        if perceived is None and measured is None:
            continue
        top = CHART_TOP + len(rows) * PAIR_ROW + 4
        rows.append(
            PairRow(
                label=area.area.code,
                label_y=top + 18,
                perceived_top=top,
                perceived_width=None
                if perceived is None or perceived.share is None
                else round(perceived.share * CHART_WIDTH, 1),
                measured_top=top + 16,
                measured_width=None
                if measured is None or measured.share is None
                else round(measured.share * CHART_WIDTH, 1),
            )
        )
    if not rows:
        return None
    bottom = CHART_TOP + len(rows) * PAIR_ROW + 4
    return PairChart(
        rows=rows,
        height=bottom + 4,
        width=CHART_LEFT + CHART_WIDTH + 24,
        ticks=[(p, _x(p / 100)) for p in (0, 25, 50, 75, 100)],
        bottom=bottom,
    )


# Benchmark: a small box plot per row (0 to 100 %): the network's quartiles as a box, the median as a line,
# the organisation's own share as a dot.
BOX_LEFT = 6.0
BOX_WIDTH = 120.0


def _bx(share: float) -> float:
    return round(BOX_LEFT + share * BOX_WIDTH, 1)


@dataclass(frozen=True)
class BoxPlot:
    q1: float
    box_width: float
    median: float
    own: float | None
    end: float


@dataclass(frozen=True)
class RowView:
    row: bench.BenchmarkRow
    plot: BoxPlot | None


def _box(row: bench.BenchmarkRow) -> BoxPlot | None:
    if row.q1 is None or row.median is None or row.q3 is None:
        return None
    return BoxPlot(
        q1=_bx(row.q1),
        box_width=max(1.0, round((row.q3 - row.q1) * BOX_WIDTH, 1)),
        median=_bx(row.median),
        own=None if row.own is None else _bx(row.own),
        end=_bx(1.0),
    )


# --- Views -----------------------------------------------------------------------------------------


@actor_required(Role.TOP_MANAGEMENT, Role.COMPETENCE_ADMIN, Role.NETWORK_COORDINATOR)
def indicators(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The chiefs' indicators: the organisation's own statements, the network's figure and the trend
    (a network coordinator: the network's figures only)."""
    data = chiefs.chiefs_indicators(actor=actor, network_id=_chosen_id(request, "network"))
    comparisons = compare.chiefs_comparisons(actor=actor, indicators=data)
    form = NetworkChoiceForm(
        initial={"network": str(data.network.pk) if data.network else ""}, networks=data.networks
    )
    context = {
        "data": data,
        "comparisons": comparisons,
        "comparison_chart": comparison_chart(comparisons.areas),
        "form": form,
        "chart": indicators_chart(data.items),
        "min_organisations": MIN_ORGANISATIONS,
        "notice": chiefs_notice(k=data.k),
        "shows_dashboard_link": actor.has_role(*DASHBOARD_ROLES),
    }
    return render(request, "analytics/indicators.html", context)


@actor_required(Role.TOP_MANAGEMENT, Role.COMPETENCE_ADMIN, Role.NETWORK_COORDINATOR)
def benchmark(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The organisation against its network per focus area and competence (coordinators: the network)."""
    campaigns = bench.benchmark_campaigns(actor=actor) if actor.has_role(*BENCHMARK_ROLES) else []
    campaign_id = _chosen_id(request, "campaign") if request.GET.get("campaign") != CURRENT else None
    campaign = None
    if campaign_id is not None:
        campaign = next((c for c in campaigns if c.pk == campaign_id), None)
        if campaign is None:
            raise Http404
    data = bench.benchmark(actor=actor, campaign=campaign, network_id=_chosen_id(request, "network"))
    if not data.member_view:
        campaigns = []  # a coordinator compares current figures only
    form = BenchmarkForm(
        initial={
            "network": str(data.network.pk) if data.network else "",
            "campaign": str(data.campaign.pk) if data.campaign else CURRENT,
        },
        networks=data.networks,
        campaigns=campaigns,
    )
    areas = [
        {
            "area": area.area,
            "rows": [RowView(row=row, plot=_box(row)) for row in (area.total, *area.competences)],
        }
        for area in data.areas
    ]
    context = {
        "heading": _("Benchmark med andre kommuner")
        if data.member_view or data.network is None
        else _("Benchmark i netværket"),
        "data": data,
        "form": form,
        "campaigns": campaigns,
        "areas": areas,
        "k": min_group(actor.organisation),
        "min_organisations": MIN_ORGANISATIONS,
        "shows_dashboard_link": actor.has_role(*DASHBOARD_ROLES),
        "membership": network_membership(organisation=actor.organisation, network_id=data.network.pk)
        if data.network and actor.has_role(Role.COMPETENCE_ADMIN)
        else None,
    }
    return render(request, "analytics/benchmark.html", context)


@require_POST
@actor_required(Role.COMPETENCE_ADMIN)
def benchmark_naming(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The organisation's own choices in a network: contribute its figures at all, and be named."""
    raw = request.POST.get("network", "")
    membership = (
        network_membership(organisation=actor.organisation, network_id=int(raw)) if raw.isdigit() else None
    )
    if membership is None:
        raise Http404
    contributes = request.POST.get("contributes") == "on"
    named = request.POST.get("named") == "on"
    member = network_member_sharing_set(
        organisation=actor.organisation, network=membership.network, contributes=contributes, named=named
    )
    if not member.contributes_to_benchmarks:
        text = _("Jeres tal indgår ikke længere i netværkets tal, og jeres navn vises ikke.")
    elif member.named_in_benchmarks:
        text = _("Jeres tal indgår i netværkets tal, og de andre kommuner kan se jeres navn og tal.")
    else:
        text = _("Jeres tal indgår i netværkets tal uden jeres navn.")
    messages.success(request, text)
    return redirect(f"{reverse('analytics:benchmark')}?network={membership.network_id}")
