"""Scaffold: replaced by the real views."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def test_start(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def test_questions(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def test_save(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def test_submit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def test_result(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

