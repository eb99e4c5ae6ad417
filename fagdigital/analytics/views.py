"""Scaffold: replaced by the real views."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def dashboard(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def dashboard_unit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def api_heatmap(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def api_heatmap_unit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

