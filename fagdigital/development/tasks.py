"""Background work of the development app: reminders before plan deadlines."""

from __future__ import annotations

from django_tasks import default_task_backend, task

from .services import reminders


@task()
def send_plan_reminders() -> int:
    """Idempotent: safe to run any number of times a day (also as `manage.py send_plan_reminders`)."""
    return reminders.plan_reminders_send_due()


def supports_defer() -> bool:
    return bool(default_task_backend.supports_defer)
