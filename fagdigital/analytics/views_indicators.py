"""Scaffold: replaced by the real views."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def indicators(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def benchmark(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

