"""Scaffold: replaced by the real views."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def my_profile(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def my_profile_pdf(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def team_member_profile(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

