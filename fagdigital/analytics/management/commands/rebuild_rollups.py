"""Rebuild the analytics rollups from evidence and estimates, with progress (rebuild_rollups)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fagdigital.analytics import services
from fagdigital.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Genopbyg analysens sammentællinger for én eller alle organisationer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommunekode", help="Kun denne kommune (fx 0999).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("name")
        if options.get("kommunekode"):
            organisations = organisations.filter(kommunekode=options["kommunekode"])
        for organisation in organisations:
            started = time.perf_counter()

            def progress(step: str, name: str = organisation.name, since: float = started) -> None:
                self.stdout.write(f"{name}: {step} ({time.perf_counter() - since:.1f} s)")

            services.rollups_rebuild(organisation_id=organisation.pk, progress=progress)
