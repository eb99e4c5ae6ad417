"""Scaffold: replaced by the real views."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def campaign_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_open(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_close(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_extend(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_delete(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_rates(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def participant_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def participant_resend(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def survey_items(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def survey_item_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def survey_item_delete(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def survey_results(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def unit_picker(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
