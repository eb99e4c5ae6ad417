"""Scaffold: replaced by the real views."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def export_heatmap(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def export_heatmap_unit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def report_pdf(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def report_pdf_unit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

