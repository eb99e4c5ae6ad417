"""The one place that decides whether a view answers with a whole page or an HTMX partial."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


def render_page_or_partial(
    request: HttpRequest,
    *,
    page_template: str,
    partial_template: str,
    context: Mapping[str, Any],
    status: int = 200,
) -> HttpResponse:
    """Render the partial for HTMX requests that target part of the page, else the whole page.

    A boosted request (history navigation) gets the whole page, as a normal request would.
    """
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    wants_partial = htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request
    template = partial_template if wants_partial else page_template
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response
