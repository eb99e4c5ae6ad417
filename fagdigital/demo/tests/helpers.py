"""Helpers of the demo tests: running seed_demo, and telling whether anything was written."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Max
from django.test import override_settings


def seed() -> str:
    """Run `seed_demo` (with DEBUG on) and return what it printed."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, tuple[Any, ...]]:
    """Per table: rows, highest id and latest change — equal snapshots mean nothing was written."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        fields = {field.name for field in model._meta.concrete_fields}
        aggregates = {"top": Max("pk")} if isinstance(model._meta.pk, models.IntegerField) else {}
        if "updated_at" in fields:
            aggregates["changed"] = Max("updated_at")
        if "last_login" in fields:
            aggregates["login"] = Max("last_login")
        found = model._default_manager.aggregate(**aggregates)
        state[model._meta.label] = (model._default_manager.count(), *sorted(found.items()))
    return state
