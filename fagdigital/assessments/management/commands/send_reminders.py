"""Daily: close campaigns past their close date and send due reminders (for cron, or without a worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fagdigital.assessments import services


class Command(BaseCommand):
    help = "Luk målinger efter lukkedatoen og send de påmindelser, der er forfaldne."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = services.campaigns_close_due()
        reminded = services.reminders_send_due()
        self.stdout.write(f"closed={closed} reminded={reminded}")
