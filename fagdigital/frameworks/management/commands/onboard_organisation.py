from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagdigital.frameworks.services import organisation_onboard
from fagdigital.tenancy.selectors import municipality_by_code


class Command(BaseCommand):
    help = (
        "Set up a municipality: install the default framework and map its job functions to role profiles "
        "by name. Idempotent; run it again after a people import to map new job functions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="kommunekode, e.g. 0101 or 101")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = municipality_by_code(kommunekode=options["org"])
        if organisation is None:
            raise CommandError(f"No municipality with kommunekode {options['org']}.")
        result = organisation_onboard(organisation=organisation)
        self.stdout.write(
            f"{organisation.name}: framework {result.framework} ({result.framework.get_status_display()}), "
            f"{result.job_functions_mapped} job functions mapped."
        )
