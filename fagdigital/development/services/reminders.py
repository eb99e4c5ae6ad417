"""Reminders before the deadlines of approved plans' goals (settings.DEVELOPMENT_REMINDER_DAYS), sent by
the task worker at the right moments and by the daily `send_plan_reminders` (cron, or without a worker).

Idempotent: each goal records the reminder days already sent, so running it twice sends nothing twice,
and a worker that was down catches up with one reminder (the nearest day), not a burst.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fagdigital.development.models import DevelopmentPlan, GoalStatus, PlanGoal, PlanStatus

logger = logging.getLogger(__name__)


def reminder_days() -> list[int]:
    return sorted({day for day in settings.DEVELOPMENT_REMINDER_DAYS if day >= 0}, reverse=True)


def _due_day(goal: PlanGoal, today: dt.date) -> int | None:
    """The reminder day this goal is due for today (the smallest configured day not later than the days
    left, not yet sent), or None."""
    left = (goal.deadline - today).days
    if left < 0:
        return None
    due = [day for day in reminder_days() if left <= day and day not in goal.reminders_sent]
    return min(due) if due else None


def plan_reminders_send_due(*, today: dt.date | None = None) -> int:
    """E-mail each person whose approved plan has goals with a reminder due; returns e-mails sent."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(reminder_days(), default=0))
    sent = 0
    with transaction.atomic():
        goals = list(
            PlanGoal.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                plan__status=PlanStatus.APPROVED,
                status=GoalStatus.OPEN,
                deadline__gte=today,
                deadline__lte=horizon,
            )
            .select_related("plan__person__user")
        )
        by_plan: dict[int, list[tuple[PlanGoal, int]]] = defaultdict(list)
        for goal in goals:
            day = _due_day(goal, today)
            if day is not None:
                by_plan[goal.plan_id].append((goal, day))
        messages = []
        for entries in by_plan.values():
            plan = entries[0][0].plan
            message = _message(plan, [goal for goal, _day in entries], today)
            if message is not None:
                messages.append(message)
            for goal, _day in entries:
                left = (goal.deadline - today).days
                goal.reminders_sent = sorted(
                    {*goal.reminders_sent, *(d for d in reminder_days() if d >= left)}
                )
        if messages:
            with get_connection() as connection:
                sent = connection.send_messages(messages) or 0
        PlanGoal.objects.bulk_update(
            [goal for entries in by_plan.values() for goal, _d in entries], ["reminders_sent"]
        )
    return sent


def _message(plan: DevelopmentPlan, goals: list[PlanGoal], today: dt.date) -> EmailMessage | None:
    person = plan.person
    email = person.user.email if person.user_id and person.user else person.email
    if not email:
        return None
    context = {
        "person": person,
        "plan": plan,
        "goals": sorted(goals, key=lambda g: (g.deadline, g.position)),
        "today": today,
        "link": f"{settings.SITE_URL.rstrip('/')}/udvikling/plan/{plan.pk}/",
    }
    with translation.override("da"):
        subject = render_to_string("development/email/plan_reminder_subject.txt", context)
        body = render_to_string("development/email/plan_reminder.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[email])


def schedule_plan(plan: DevelopmentPlan) -> None:
    """Queue the reminder run for each goal's reminder days (08:00), after the approval commits.

    Backends that cannot defer (the immediate one in tests) skip this; the daily command covers them.
    """
    from fagdigital.development import tasks  # noqa: PLC0415 -- tasks import the services

    if not tasks.supports_defer():
        return
    moments = set()
    for deadline in PlanGoal.objects.filter(plan=plan).values_list("deadline", flat=True):
        for day in reminder_days():
            moment = timezone.make_aware(
                dt.datetime.combine(deadline - dt.timedelta(days=day), dt.time(8, 0))
            )
            if moment > timezone.now():
                moments.add(moment)
    for moment in sorted(moments):
        transaction.on_commit(functools.partial(_enqueue, moment))


def _enqueue(moment: dt.datetime) -> None:
    from fagdigital.development import tasks  # noqa: PLC0415 -- tasks import the services

    tasks.send_plan_reminders.using(run_after=moment).enqueue()
