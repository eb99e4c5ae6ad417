"""Background work of the orgs app (django-tasks; a database queue in production, run at once in tests)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from . import services


@task()
def apply_people_import(import_id: int) -> dict[str, Any]:
    """Apply a queued people import; progress and outcome are stored on the PeopleImport."""
    return services.people_import_run(import_id=import_id)
