"""Background work of the orgs app (django-tasks; a database queue in production, run at once in tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import default_task_backend, task

from . import services


@task()
def check_people_import(import_id: int) -> str:
    """Read and check an uploaded people file and store its preview (progress on the PeopleImport)."""
    status = services.people_import_check(import_id=import_id)
    schedule_purge()
    return status


@task()
def apply_people_import(import_id: int) -> dict[str, Any]:
    """Apply a queued people import; progress and outcome are stored on the PeopleImport."""
    return services.people_import_run(import_id=import_id)


@task()
def undo_people_import(import_id: int, user_id: int | None) -> dict[str, Any]:
    return services.people_import_undo_run(import_id=import_id, user_id=user_id)


@task()
def purge_people_imports() -> int:
    """Delete abandoned files, old problems and old undo logs (also `manage.py purge_people_imports`)."""
    return services.people_import_purge_expired()


def schedule_purge() -> None:
    """Queue a purge for when the file just checked would be abandoned.

    Backends that cannot defer (the immediate one in tests) skip this; the purge also runs on every
    upload and from the `purge_people_imports` command (cron).
    """
    if default_task_backend.supports_defer:
        moment = timezone.now() + services.retention() + dt.timedelta(minutes=1)
        purge_people_imports.using(run_after=moment).enqueue()
