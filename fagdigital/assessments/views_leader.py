"""Scaffold: replaced by the real views."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def team(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def rate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def save(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def submit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

