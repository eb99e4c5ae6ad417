from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fagdigital.tenancy.services import municipalities_load


class Command(BaseCommand):
    help = "Create or update the 98 Danish municipalities (kommunekode, name, region). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = municipalities_load()
        self.stdout.write(f"Municipalities created or updated: {changed}")
