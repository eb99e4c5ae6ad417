"""purge_people_imports: delete abandoned people files, old problems and old undo logs (cron, hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fagdigital.orgs import services


class Command(BaseCommand):
    help = (
        "Delete uploaded people files that were not applied within IMPORT_RETENTION_HOURS, the problems "
        "of failed imports after that period, and undo logs older than IMPORT_UNDO_DAYS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        touched = services.people_import_purge_expired()
        self.stdout.write(f"purged={touched}")
