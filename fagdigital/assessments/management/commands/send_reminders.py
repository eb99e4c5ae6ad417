"""Daily: close campaigns past their close date, send due invitations and reminders (cron, or no worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fagdigital.assessments import services


class Command(BaseCommand):
    help = "Luk målinger efter lukkedatoen, og send forfaldne invitationer og påmindelser."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = services.campaigns_close_due()
        invited = services.invitations_send_due()
        reminded = services.reminders_send_due()
        self.stdout.write(f"closed={closed} invited={invited} reminded={reminded}")
