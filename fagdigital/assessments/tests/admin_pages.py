"""Helpers of the round administration page tests."""

from __future__ import annotations

import re

from django.http import HttpResponse

HTMX = {"HX-Request": "true"}


def body(response: HttpResponse) -> str:
    return response.content.decode()


def text(response: HttpResponse) -> str:
    """The page's text without tags and with collapsed whitespace, for phrases split over lines."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body(response)))
