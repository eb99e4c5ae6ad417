"""The installation's health for people ("Driftsstatus") and for machines (/healthz)."""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

# Waiting longer than this means no task worker is taking work off the queue.
QUEUE_DELAY_WARNING = dt.timedelta(minutes=5)
DATABASE_QUEUE_BACKEND = "django_tasks_db.DatabaseBackend"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return False
    return True


def version() -> str:
    """The installed package's version, else the checkout's pyproject.toml (uv does not install the
    project itself); "" when neither says."""
    try:
        return metadata.version("fagdigital")
    except metadata.PackageNotFoundError:
        pass
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle).get("project", {}).get("version", ""))
    except (OSError, tomllib.TOMLDecodeError):
        return ""


@dataclass(frozen=True)
class QueueStatus:
    uses_queue: bool  # False: tasks run at once in the web process (tests, small set-ups)
    waiting: int = 0
    oldest_wait: dt.timedelta | None = None
    last_finished: dt.datetime | None = None
    failed_last_day: int = 0

    @property
    def delayed(self) -> bool:
        return self.oldest_wait is not None and self.oldest_wait > QUEUE_DELAY_WARNING


@dataclass(frozen=True)
class SystemStatus:
    database_ok: bool
    queue: QueueStatus | None  # None when the database is down
    version: str
    checked_at: dt.datetime

    @property
    def ok(self) -> bool:
        return self.database_ok and self.queue is not None and not self.queue.delayed


def queue_status(*, now: dt.datetime) -> QueueStatus:
    """How long the oldest task that is due has waited for a worker, and how the queue has fared."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_QUEUE_BACKEND:
        return QueueStatus(uses_queue=False)
    ready = DBTaskResult.objects.ready()
    # A task is due from when it was queued, or from its run_after time if it was deferred.
    never_deferred = get_date_max()
    due_since = [
        ready.filter(run_after=never_deferred)
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first(),
        ready.exclude(run_after=never_deferred)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first(),
    ]
    oldest = min((moment for moment in due_since if moment is not None), default=None)
    last_finished = (
        DBTaskResult.objects.finished().order_by("-finished_at").values_list("finished_at", flat=True).first()
    )
    return QueueStatus(
        uses_queue=True,
        waiting=ready.count(),
        oldest_wait=(now - oldest) if oldest is not None else None,
        last_finished=last_finished,
        failed_last_day=DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - dt.timedelta(days=1))
        .count(),
    )


def system_status() -> SystemStatus:
    now = timezone.now()
    ok = database_ok()
    queue = None
    if ok:
        try:
            queue = queue_status(now=now)
        except DatabaseError:
            logger.exception("health check: task queue unreadable")
    return SystemStatus(database_ok=ok, queue=queue, version=version(), checked_at=now)
