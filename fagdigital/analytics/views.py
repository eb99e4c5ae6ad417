"""The gap dashboard (pages and HTMX partials) and the same heatmap as JSON.

Views only read the filters (FilterForm) and call the selectors; every figure shown comes from the
selectors' visible cells, so pages, partials and the API are under the same anonymity rules.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments.models import CampaignStatus
from fagdigital.core.htmx import render_page_or_partial
from fagdigital.orgs.models import OrgUnit
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from . import selectors, selectors_views
from .forms import FilterForm
from .models import RollupSource

FILTER_FORM_ID = "dashboard-filters"


def _filter_form(request: HttpRequest, actor: Actor) -> FilterForm:
    return FilterForm(request.GET or None, actor=actor)


def _focus_unit(unit: OrgUnit | None, roots: list[OrgUnit] | None) -> OrgUnit | None:
    """The unit the page is about: the one asked for, else a leader's only unit, else none."""
    if unit is None and roots is not None and len(roots) == 1:
        return roots[0]
    return unit


def _dashboard(request: HttpRequest, actor: Actor, *, unit: OrgUnit | None, is_start: bool) -> HttpResponse:
    roots = selectors.dashboard_roots(actor=actor)
    unit = _focus_unit(unit, roots)
    form = _filter_form(request, actor)
    filters = form.filters()
    several = unit is None and roots is not None  # a leader of several units: one row per unit
    heatmap = selectors_views.dashboard_heatmap(actor=actor, unit=unit, roots=roots, filters=filters)
    show_details = not several and heatmap.basis.campaign is not None
    trend_rows = selectors.trend(actor=actor, unit=unit, filters=filters) if show_details else []
    query = selectors_views.filter_query(form)
    htmx: Any = getattr(request, "htmx", None)
    place = unit.name if unit else actor.organisation.name
    context = {
        "form": form,
        "filters": filters,
        "query": query,
        "unit": unit,
        "place": place,
        "is_start": is_start,
        "several": several,
        "heatmap": heatmap,
        "has_figures": selectors_views.has_figures(heatmap),
        "crumbs": selectors_views.breadcrumbs(actor=actor, unit=unit, roots=roots) if not is_start else [],
        "campaign_label": filters.campaign.name if filters.campaign else _("Nuværende niveau"),
        "basis": heatmap.basis,
        "source_label": RollupSource(filters.source).label,
        "show_details": show_details,
        "gaps": selectors.top_gaps(actor=actor, unit=unit, filters=filters) if show_details else [],
        "distribution_rows": selectors_views.distribution_rows(
            selectors.distributions(actor=actor, unit=unit, filters=filters)
        )
        if show_details
        else [],
        "trend_rows": trend_rows,
        "trend_campaigns": [point.campaign for point in trend_rows[0].points] if trend_rows else [],
        "calibration_rows": selectors.calibration(actor=actor, unit=unit, filters=filters)
        if show_details
        else [],
        "levels": range(1, 5),
        "export_links": _export_links(unit, query),
        # After a drill-down through HTMX the new heading takes the focus; after a filter change the
        # focus stays on the form's button (htmx restores it by id).
        "focus_heading": bool(htmx)
        and not htmx.boosted
        and not htmx.history_restore_request
        and htmx.trigger != FILTER_FORM_ID,
        "filter_form_id": FILTER_FORM_ID,
        "form_action": request.path,
    }
    if not htmx and actor.has_role(Role.LEADER):
        context["rate_rounds"] = [
            c for c in assessment_selectors.leader_rate_rounds(actor=actor) if c.status == CampaignStatus.OPEN
        ]
    return render_page_or_partial(
        request,
        page_template="analytics/dashboard.html",
        partial_template="analytics/_dashboard_partial.html",
        context=context,
    )


def _export_links(unit: OrgUnit | None, query: str) -> dict[str, str]:
    if unit is None:
        return {
            "xlsx": reverse("analytics:export_heatmap", kwargs={"file_format": "xlsx"}) + query,
            "csv": reverse("analytics:export_heatmap", kwargs={"file_format": "csv"}) + query,
            "pdf": reverse("analytics:report_pdf") + query,
        }
    return {
        "xlsx": reverse("analytics:export_heatmap_unit", kwargs={"unit_id": unit.pk, "file_format": "xlsx"})
        + query,
        "csv": reverse("analytics:export_heatmap_unit", kwargs={"unit_id": unit.pk, "file_format": "csv"})
        + query,
        "pdf": reverse("analytics:report_pdf_unit", kwargs={"unit_id": unit.pk}) + query,
    }


@actor_required(*selectors.DASHBOARD_ROLES)
def dashboard(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _dashboard(request, actor, unit=None, is_start=True)


@actor_required(*selectors.DASHBOARD_ROLES)
def dashboard_unit(request: HttpRequest, actor: Actor, unit_id: int) -> HttpResponse:
    unit = selectors.get_dashboard_unit_for_user(actor=actor, unit_id=unit_id)
    return _dashboard(request, actor, unit=unit, is_start=False)


# --- JSON API ---------------------------------------------------------------------------------------


def _api(request: HttpRequest, actor: Actor, *, unit: OrgUnit | None) -> JsonResponse:
    roots = selectors.dashboard_roots(actor=actor)
    form = _filter_form(request, actor)
    if form.is_bound and not form.is_valid():
        response = JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    else:
        heatmap = selectors_views.dashboard_heatmap(
            actor=actor, unit=_focus_unit(unit, roots), roots=roots, filters=form.filters()
        )
        response = JsonResponse(selectors_views.heatmap_json(heatmap))
    # Figures about people: never kept by a browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@actor_required(*selectors.DASHBOARD_ROLES)
def api_heatmap(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _api(request, actor, unit=None)


@actor_required(*selectors.DASHBOARD_ROLES)
def api_heatmap_unit(request: HttpRequest, actor: Actor, unit_id: int) -> HttpResponse:
    unit = selectors.get_dashboard_unit_for_user(actor=actor, unit_id=unit_id)
    return _api(request, actor, unit=unit)
