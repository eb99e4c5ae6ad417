"""Background work of the assessments app: invitations, reminders and closing campaigns on time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import default_task_backend, task

from . import services
from .models import Campaign


@task()
def send_invitations(campaign_id: int) -> int:
    return services.invitations_send(campaign_id=campaign_id)


@task()
def send_campaign_reminders(campaign_id: int) -> int:
    """One round's due reminders (HR's "try again" after a failed send)."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return services.reminders_send_campaign(campaign=campaign) if campaign is not None else 0


@task()
def send_due_reminders_and_close() -> dict[str, int]:
    """Idempotent: safe to run any number of times a day (also as `manage.py send_reminders`)."""
    return {
        "closed": services.campaigns_close_due(),
        "invited": services.invitations_send_due(),
        "reminded": services.reminders_send_due(),
    }


def schedule_campaign(campaign: Campaign) -> None:
    """Queue the daily run for the open date (07:00), each reminder day (08:00) and the day after close.

    Backends that cannot defer (the immediate one in tests) skip this; the daily command covers them.
    """
    if not default_task_backend.supports_defer:
        return
    days = [campaign.closes_on - dt.timedelta(days=d) for d in campaign.reminder_days]
    moments = [timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0))) for day in days]
    moments.append(timezone.make_aware(dt.datetime.combine(campaign.opens_on, dt.time(7, 0))))
    moments.append(
        timezone.make_aware(dt.datetime.combine(campaign.closes_on + dt.timedelta(days=1), dt.time(0, 5)))
    )
    now = timezone.now()
    for moment in moments:
        if moment > now:
            send_due_reminders_and_close.using(run_after=moment).enqueue()
