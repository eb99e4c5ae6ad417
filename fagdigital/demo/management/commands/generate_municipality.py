from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagdigital.demo.services import (
    GENERATED_KOMMUNEKODE,
    MunicipalityCodeRefusedError,
    municipality_generate,
)
from fagdigital.orgs.services import ImportRowsInvalid

from ._progress import ProgressPrinter, rows_refused, summary_text


class Command(BaseCommand):
    help = (
        "Create or refresh a large synthetic municipality for benchmarks (about employees/18 units, "
        "5 levels), written through the people import. Uses a fictional kommunekode (default 0997)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employees", type=int, default=45_000, help="people to create (default 45000)")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed; the same seed gives the same people"
        )
        parser.add_argument(
            "--kommunekode", default=GENERATED_KOMMUNEKODE, help="fictional code (default 0997)"
        )
        parser.add_argument("--name", default="Stor Kommune", help="the municipality's name")
        parser.add_argument("--depth", type=int, default=5, help="levels in the unit tree (default 5)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["employees"] < 1:
            raise CommandError("--employees must be at least 1")
        if options["depth"] < 1:
            raise CommandError("--depth must be at least 1")
        started = time.perf_counter()
        self.stdout.write(
            f"Generating {options['name']} ({options['employees']:,} people, seed {options['seed']}) ..."
        )
        try:
            result = municipality_generate(
                employees=options["employees"],
                seed=options["seed"],
                kommunekode=options["kommunekode"],
                name=options["name"],
                depth=options["depth"],
                progress=ProgressPrinter(self.stdout),
            )
        except MunicipalityCodeRefusedError as error:
            raise CommandError(str(error)) from error
        except ImportRowsInvalid as invalid:
            raise CommandError(rows_refused(invalid)) from invalid
        elapsed = time.perf_counter() - started
        organisation = result.organisation
        self.stdout.write(
            f"{organisation.name} ({organisation.kommunekode}): {result.rows:,} people "
            f"in {result.units:,} units, depth {result.depth} ({summary_text(result.summary)})"
        )
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s"))
