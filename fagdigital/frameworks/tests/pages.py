"""Helpers of the framework page tests."""

from __future__ import annotations

from django.http import HttpResponse

HTMX = {"HX-Request": "true"}


def body(response: HttpResponse) -> str:
    return response.content.decode()
