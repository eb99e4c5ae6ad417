"""Downloads of the gap dashboard: the heatmap and its tables as XLSX or CSV, and a PDF report per unit.

Same access and the same figures as the dashboard: the filters are read from the query string by the
dashboard's FilterForm, and a leader's organisation-wide download covers the units they lead.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fagdigital.orgs.models import OrgUnit
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor

from . import exports, selectors
from .forms import FilterForm


def _units_in_view(actor: Actor) -> list[OrgUnit | None]:
    roots = selectors.dashboard_roots(actor=actor)
    return [None] if roots is None else list(roots)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = str(content_disposition_header(as_attachment=True, filename=filename))
    return response


def _export(
    request: HttpRequest, actor: Actor, units: Sequence[OrgUnit | None], file_format: str
) -> HttpResponse:
    filters = FilterForm(request.GET, actor=actor).filters()
    if file_format == "xlsx":
        report = exports.build_report(actor=actor, units=units, filters=filters)
        response = HttpResponse(exports.write_xlsx(report), content_type=exports.XLSX_CONTENT_TYPE)
    else:
        # A CSV holds one table: the heatmap, so the other tables are not computed.
        report = exports.build_report(actor=actor, units=units, filters=filters, companions=False)
        response = HttpResponse(exports.write_csv(report), content_type=exports.CSV_CONTENT_TYPE)
    filename = exports.export_filename(
        _("kompetencegab"), report.filename_base, report.created.date(), file_format
    )
    return _attachment(response, filename)


def _report(request: HttpRequest, actor: Actor, units: Sequence[OrgUnit | None]) -> HttpResponse:
    filters = FilterForm(request.GET, actor=actor).filters()
    report = exports.build_report(actor=actor, units=units, filters=filters)
    pdf = exports.render_pdf(exports.report_html(report, request))
    filename = exports.export_filename(
        _("kompetencerapport"), report.filename_base, report.created.date(), "pdf"
    )
    return _attachment(HttpResponse(pdf, content_type="application/pdf"), filename)


@require_GET
@never_cache
@actor_required(*selectors.DASHBOARD_ROLES)
def export_heatmap(request: HttpRequest, actor: Actor, file_format: str) -> HttpResponse:
    if file_format not in exports.EXPORT_FORMATS:
        raise Http404
    return _export(request, actor, _units_in_view(actor), file_format)


@require_GET
@never_cache
@actor_required(*selectors.DASHBOARD_ROLES)
def export_heatmap_unit(request: HttpRequest, actor: Actor, unit_id: int, file_format: str) -> HttpResponse:
    if file_format not in exports.EXPORT_FORMATS:
        raise Http404
    unit = selectors.get_dashboard_unit_for_user(actor=actor, unit_id=unit_id)
    return _export(request, actor, [unit], file_format)


@require_GET
@never_cache
@actor_required(*selectors.DASHBOARD_ROLES)
def report_pdf(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _report(request, actor, _units_in_view(actor))


@require_GET
@never_cache
@actor_required(*selectors.DASHBOARD_ROLES)
def report_pdf_unit(request: HttpRequest, actor: Actor, unit_id: int) -> HttpResponse:
    unit = selectors.get_dashboard_unit_for_user(actor=actor, unit_id=unit_id)
    return _report(request, actor, [unit])
