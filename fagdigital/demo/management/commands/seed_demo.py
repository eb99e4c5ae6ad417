from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fagdigital.demo.services import DEMO_PASSWORD, DemoSeedRefusedError, demo_seed
from fagdigital.orgs.services import ImportRowsInvalid

from ._progress import ProgressPrinter, rows_refused, summary_text


class Command(BaseCommand):
    help = (
        "Create the demo: Demo Kommune (about 2,000 people, code 0999), Nabo Kommune (0998), a provider, "
        "a network and one login per role (password 'demo'). Idempotent; refuses to run with DEBUG off."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        printer = ProgressPrinter(self.stdout)
        try:
            result = demo_seed(progress=printer)
        except DemoSeedRefusedError as error:
            raise CommandError(str(error)) from error
        except ImportRowsInvalid as invalid:
            raise CommandError(rows_refused(invalid)) from invalid
        for seeded in result.organisations:
            if seeded.imported:
                changes = summary_text(seeded.summary)
                self.stdout.write(f"{seeded.name}: imported {seeded.rows} people ({changes})")
            else:
                self.stdout.write(f"{seeded.name}: already seeded ({seeded.rows} people), nothing to do")
        for email in result.logins_created:
            self.stdout.write(f"Created login {email}")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}): {', '.join(result.logins)}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.perf_counter() - started:.1f} s"))
