"""View-side reads for the gap dashboard: what the page and the JSON API show, built from the selectors.

Every figure here comes from a visible cell of `selectors` (never from rollups or answers directly); this
module only arranges them: which heatmap the actor's scope calls for, the breadcrumbs, the bar widths of
the distribution and the JSON form of the heatmap.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.http import urlencode

from fagdigital.orgs.models import OrgUnit
from fagdigital.orgs.selectors import scope_for_actor, unit_ancestors
from fagdigital.privacy import texts
from fagdigital.tenancy.actor import Actor

from . import selectors
from .forms import FilterForm
from .selectors import Distribution, Filters, Heatmap, HeatRow

FILTER_FIELDS = ("campaign", "source", "area", "role_profile", "rows")
BAR_STEP = 5  # bar segment widths are classes w-0 … w-100 in steps of 5 (no inline styles under the CSP)


def filter_query(form: FilterForm) -> str:
    """The chosen filters as a query string ("?…" or ""), to carry them along links and exports."""
    data: Mapping[str, Any] = form.data or {}
    pairs = [(name, str(data.get(name))) for name in FILTER_FIELDS if data.get(name)]
    return "?" + urlencode(pairs) if pairs else ""


def leader_overview(*, actor: Actor, roots: list[OrgUnit], filters: Filters) -> Heatmap:
    """One row per unit the leader leads: each unit's own total.

    No total across the units is shown: the page is about each unit the leader leads, and each of
    them is a sum of published blocks already.
    """
    filters = dataclasses.replace(filters, rows="units")
    rows: list[HeatRow] = []
    first: Heatmap | None = None
    for root in roots:
        view = selectors.heatmap(actor=actor, unit=root, filters=filters)
        if first is None:
            first = view
        if view.rows:
            total = view.rows[0]
            rows.append(
                HeatRow(
                    key=root.path,
                    label=root.name,
                    unit=root,
                    is_total=False,
                    drillable=True,
                    cells=total.cells,
                    coverage=total.coverage,
                )
            )
    if first is None:  # dashboard_roots never returns an empty list, but stay safe
        return selectors.heatmap(actor=actor, unit=None, filters=filters)
    return dataclasses.replace(first, unit=None, rows=rows)


def dashboard_heatmap(
    *, actor: Actor, unit: OrgUnit | None, roots: list[OrgUnit] | None, filters: Filters
) -> Heatmap:
    """The heatmap the page shows: a unit's, the whole organisation's, or a leader's units side by side."""
    if unit is None and roots is not None:
        if len(roots) > 1:
            return leader_overview(actor=actor, roots=roots, filters=filters)
        unit = roots[0]
    return without_lone_direct_row(selectors.heatmap(actor=actor, unit=unit, filters=filters))


def without_lone_direct_row(view: Heatmap) -> Heatmap:
    """A unit without child units has its people placed directly in it: that row would repeat the total."""
    rest = view.rows[1:]
    if len(rest) == 1 and rest[0].key == "direct":
        return dataclasses.replace(view, rows=view.rows[:1])
    return view


@dataclass(frozen=True)
class Crumb:
    label: str
    unit: OrgUnit | None


def breadcrumbs(*, actor: Actor, unit: OrgUnit | None, roots: list[OrgUnit] | None) -> list[Crumb]:
    """The way from the dashboard's start down to the unit, through units the actor may open only.

    A leader of a single unit starts at that unit (the dashboard shows it), so it is not repeated.
    """
    if unit is None:
        return []
    scope = scope_for_actor(actor=actor)
    ancestors = unit_ancestors(unit=unit, scope=scope)
    if roots is not None and len(roots) == 1:
        start = roots[0].path
        ancestors = [a for a in ancestors if a.path.startswith(start) and a.path != start]
    return [Crumb(label=a.name, unit=a) for a in ancestors]


def has_figures(heatmap: Heatmap) -> bool:
    """Whether any cell holds a figure or a reason for its absence (else the page says there is nothing)."""
    return any(cell.hidden or cell.people for row in heatmap.rows for cell in row.cells)


# --- Distribution bars ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarSegment:
    level: int
    people: int
    percent: int  # exact share, rounded
    width: int  # the share rounded to BAR_STEP so the segments add up to 100


@dataclass(frozen=True)
class DistributionRow:
    distribution: Distribution
    segments: list[BarSegment]


def bar_widths(counts: list[int], step: int = BAR_STEP) -> list[int]:
    """Shares of the total in steps of `step`, adding up to 100 (largest remainders get the rest)."""
    total = sum(counts)
    if total <= 0:
        return [0 for _count in counts]
    units = 100 // step
    exact = [count * units / total for count in counts]
    floors = [int(value) for value in exact]
    rest = units - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (exact[i] - floors[i], counts[i]), reverse=True)
    for index in order[:rest]:
        floors[index] += 1
    return [value * step for value in floors]


def distribution_rows(distributions: list[Distribution]) -> list[DistributionRow]:
    rows = []
    for item in distributions:
        segments: list[BarSegment] = []
        if not item.hidden and item.levels and item.people:
            widths = bar_widths(item.levels)
            segments = [
                BarSegment(
                    level=number,
                    people=count,
                    percent=round(100 * count / item.people),
                    width=width,
                )
                for number, (count, width) in enumerate(zip(item.levels, widths, strict=True), start=1)
            ]
        rows.append(DistributionRow(distribution=item, segments=segments))
    return rows


# --- The JSON form of the heatmap -------------------------------------------------------------------


def reason_text(missing: str, k: int) -> str:
    return texts.missing_reason(missing, k)


def heatmap_json(heatmap: Heatmap) -> dict[str, Any]:
    """Exactly the figures the page shows: hidden cells carry no numbers, only why they are hidden."""
    filters = heatmap.filters
    unit = heatmap.unit
    return {
        "unit": {"id": unit.pk, "name": unit.name} if unit else None,
        "filters": {
            "campaign": filters.campaign.pk if filters.campaign else None,
            "source": filters.source,
            "area": filters.area_code or None,
            "role_profile": filters.role_profile_code,
            "rows": filters.rows,
        },
        "k": heatmap.k,
        "basis": {
            "campaign": heatmap.basis.campaign.pk if heatmap.basis.campaign else None,
            "framework_version": heatmap.framework.version if heatmap.framework else None,
            "current": heatmap.basis.current,
        },
        "competences": [
            {
                "code": competence.code,
                "name": competence.t("name"),
                "area": column.area.code,
                "area_name": column.area.t("name"),
            }
            for column in heatmap.areas
            for competence in column.competences
        ],
        "rows": [
            {
                "label": row.label,
                "unit_id": row.unit.pk if row.unit else None,
                "total": row.is_total,
                "participants": row.coverage.participants,
                "participants_in_figures": row.coverage.covered,
                "cells": [
                    {
                        "competence": cell.competence.code,
                        "people": cell.people,
                        "at_target": cell.at_target,
                        "share": cell.share,
                        "missing": cell.missing or None,
                        "missing_text": reason_text(cell.missing, heatmap.k) or None,
                    }
                    for cell in row.cells
                ],
            }
            for row in heatmap.rows
        ],
    }
