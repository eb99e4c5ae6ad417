"""Raise (or lower back to the minimum) the smallest group an organisation's figures are shown for."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagdigital.privacy.services import organisation_min_group_size_set
from fagdigital.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Sæt den mindste gruppestørrelse (k) for en organisations tal. Aldrig under 5."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommunekode", required=True)
        parser.add_argument("--k", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(kommunekode=options["kommunekode"]).first()
        if organisation is None:
            raise CommandError(f"Ingen organisation med kommunekode {options['kommunekode']}.")
        try:
            organisation_min_group_size_set(organisation=organisation, size=options["k"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{organisation.name}: k = {organisation.min_group_size}")
