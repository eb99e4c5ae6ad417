"""import_people FILE --org KOMMUNEKODE [--dry-run]: the people import from the command line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagdigital.orgs.people_import import ImportProblem, read_people_file
from fagdigital.orgs.services import (
    ImportRowsInvalid,
    ImportSummary,
    people_import_apply,
    people_import_preview,
)
from fagdigital.tenancy.selectors import municipality_by_code

SUMMARY_LINES = (
    ("people_created", gettext_lazy("Nye personer")),
    ("people_updated", gettext_lazy("Personer, der ændres")),
    ("people_unchanged", gettext_lazy("Personer uden ændringer")),
    ("engagements_started", gettext_lazy("Nye ansættelser")),
    ("engagements_ended", gettext_lazy("Ansættelser, der afsluttes")),
    ("units_created", gettext_lazy("Nye enheder")),
    ("units_updated", gettext_lazy("Enheder, der får nyt enheds-id")),
    ("job_functions_created", gettext_lazy("Nye stillingsbetegnelser")),
    ("leaders_set", gettext_lazy("Nye ledere af enheder")),
    ("leaders_removed", gettext_lazy("Ledere, der fjernes fra en enhed")),
)
LIST_LIMIT = 50


class Command(BaseCommand):
    help = (
        "Import people, units and leaders from a CSV or XLSX file (format: docs/import-format.md). "
        "Checks the whole file first and changes nothing if it has errors; --dry-run only shows what "
        "would change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--org", required=True, help="the municipality's kommunekode, e.g. 0101")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
        parser.add_argument(
            "--keep-missing",
            action="store_true",
            help="do not end the engagements of people who are not in the file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = municipality_by_code(kommunekode=options["org"])
        if organisation is None:
            raise CommandError(
                _("Der er ingen kommune med kommunekoden %(code)s.") % {"code": options["org"]}
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Filen %(path)s findes ikke.") % {"path": path})
        limit = settings.FAGDIGITAL_IMPORT_MAX_BYTES
        size = path.stat().st_size
        if size > limit:
            raise CommandError(
                _("Filen fylder %(size)s, men der er højst plads til %(limit)s. Intet er ændret.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            )
        parsed = read_people_file(data=path.read_bytes(), filename=path.name, max_bytes=limit)
        for problem in parsed.problems:
            self._problem(problem)
        if not parsed.is_valid:
            raise CommandError(
                _("%(file)s har %(count)s fejl. Intet er ændret.")
                % {"file": path.name, "count": len(parsed.errors)}
            )
        end_missing = not options["keep_missing"]
        self.stdout.write(
            _("%(rows)s rækker læst fra %(file)s (%(format)s) til %(org)s.")
            % {
                "rows": len(parsed.rows),
                "file": path.name,
                "format": parsed.file_format.upper(),
                "org": organisation.name,
            }
        )
        try:
            if options["dry_run"]:
                preview = people_import_preview(
                    organisation=organisation, rows=parsed.rows, end_missing=end_missing, units=parsed.units
                )
                self._summary(preview.summary, title=_("Prøvekørsel: intet er gemt. Det ville ske:"))
                self._list(
                    _("Ansættelser, der afsluttes"),
                    [f"{p.name} ({p.employee_number})" for p in preview.ending],
                )
                self._list(_("Nye enheder"), preview.new_units)
                self._list(
                    _("Ledere, der fjernes fra en enhed"),
                    [
                        f"{leader.name} ({leader.employee_number}), {leader.unit}"
                        for leader in preview.leaders_removed
                    ],
                )
                return
            started = time.perf_counter()
            summary = people_import_apply(
                organisation=organisation,
                rows=parsed.rows,
                end_missing=end_missing,
                units=parsed.units,
                progress=self._progress(),
            )
        except ImportRowsInvalid as invalid:
            for problem in invalid.problems:
                self._problem(problem)
            raise CommandError(_("Rækkerne har fejl. Intet er ændret.")) from invalid
        self._summary(
            summary,
            title=_("Indlæst på %(seconds).1f sekunder:") % {"seconds": time.perf_counter() - started},
        )

    def _problem(self, problem: ImportProblem) -> None:
        prefix = _("Fejl") if problem.is_error else _("Advarsel")
        self.stderr.write(f"{prefix}: {problem.message}")

    def _summary(self, summary: ImportSummary, *, title: str) -> None:
        self.stdout.write(title)
        values = summary.as_json()
        for key, label in SUMMARY_LINES:
            self.stdout.write(f"  {label}: {values[key]}")

    def _list(self, title: str, items: list[str]) -> None:
        if not items:
            return
        self.stdout.write(f"{title} ({len(items)}):")
        for item in items[:LIST_LIMIT]:
            self.stdout.write(f"  {item}")
        if len(items) > LIST_LIMIT:
            self.stdout.write("  " + _("… og %(count)s flere") % {"count": len(items) - LIST_LIMIT})

    def _progress(self) -> Callable[[int, int], None]:
        """Print progress at every tenth of the work."""
        last = [-1]

        def report(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            if percent // 10 != last[0] // 10:
                last[0] = percent
                self.stdout.write(
                    _("  %(done)s af %(total)s (%(percent)s %%)")
                    % {"done": done, "total": total, "percent": percent}
                )

        return report
