"""Reads of analytics: published round figures arranged for the dashboards, exports and the API.

Every figure is a sum of published block rows (docs/decisions/0010-publication-blocks.md): pages,
partials, exports and the JSON API all read through these functions.
"""

from fagdigital.privacy.release import Missing

from .details import (
    CRITICALITY_WEIGHT,
    CalibrationRow,
    Distribution,
    Gap,
    TrendPoint,
    TrendRow,
    calibration,
    distributions,
    top_gaps,
    trend,
)
from .heatmap import AreaColumns, HeatCell, Heatmap, HeatRow, framework_columns, heatmap
from .levels import Basis, Coverage, Filters, basis_for, latest_round
from .scope import (
    DASHBOARD_ROLES,
    dashboard_campaigns,
    dashboard_roots,
    get_dashboard_campaign_for_user,
    get_dashboard_unit_for_user,
)

__all__ = [
    "CRITICALITY_WEIGHT",
    "DASHBOARD_ROLES",
    "AreaColumns",
    "Basis",
    "CalibrationRow",
    "Coverage",
    "Distribution",
    "Filters",
    "Gap",
    "HeatCell",
    "HeatRow",
    "Heatmap",
    "Missing",
    "TrendPoint",
    "TrendRow",
    "basis_for",
    "calibration",
    "dashboard_campaigns",
    "dashboard_roots",
    "distributions",
    "framework_columns",
    "get_dashboard_campaign_for_user",
    "get_dashboard_unit_for_user",
    "heatmap",
    "latest_round",
    "top_gaps",
    "trend",
]
