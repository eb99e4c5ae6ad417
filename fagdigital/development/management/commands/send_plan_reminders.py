"""Daily: remind people of the goals in their approved development plans before the deadlines."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fagdigital.development.services import reminders


class Command(BaseCommand):
    help = "Send påmindelser om frister i godkendte udviklingsplaner (kan køres flere gange om dagen)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders.plan_reminders_send_due()
        self.stdout.write(f"reminded={sent}")
