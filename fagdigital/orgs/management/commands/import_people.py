"""import_people FILE --org KOMMUNEKODE [--dry-run] [--partial] [--confirm-ending N] [--accept-number-reuse]:
the people import from the command line, with the same safeguards as the browser and a history entry."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fagdigital.orgs.models import ImportMode, PeopleImport
from fagdigital.orgs.people_import import ImportProblem, ParseResult, read_people_file
from fagdigital.orgs.services import (
    ImportNeedsConfirmation,
    ImportRowsInvalid,
    ImportSummary,
    PersonChange,
    people_import_apply,
    people_import_preview,
    people_import_record,
)
from fagdigital.tenancy.models import Organisation
from fagdigital.tenancy.selectors import municipality_by_code

SUMMARY_LINES = (
    ("people_created", gettext_lazy("Nye personer")),
    ("people_updated", gettext_lazy("Personer, der ændres")),
    ("people_moved", gettext_lazy("Heraf personer, der skifter enhed")),
    ("people_unchanged", gettext_lazy("Personer uden ændringer")),
    ("people_ended", gettext_lazy("Personer, der ikke står i filen og afsluttes")),
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
        "would change. Ending many people (over 10 %% of the active engagements, or a unit leader) needs "
        "--confirm-ending with their number; employee numbers that now name another person need "
        "--accept-number-reuse. The import is listed in the organisation's import history and can be "
        "undone there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--org", required=True, help="the municipality's kommunekode, e.g. 0101")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
        parser.add_argument(
            "--partial",
            "--keep-missing",
            dest="partial",
            action="store_true",
            help="the file holds only some people: end nobody, change only the leaders of people in it",
        )
        parser.add_argument(
            "--confirm-ending",
            type=int,
            metavar="N",
            help="the number of people the import ends (needed above the threshold; see --dry-run)",
        )
        parser.add_argument(
            "--accept-number-reuse",
            action="store_true",
            help="apply although employee numbers now name another person (their answers move with them)",
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
        partial = bool(options["partial"])
        end_missing = not partial
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
                self._dry_run(organisation, parsed, end_missing=end_missing)
                return
            started = time.perf_counter()
            summary, record = self._apply(organisation, parsed, path=path, partial=partial, options=options)
        except ImportRowsInvalid as invalid:
            for problem in invalid.problems:
                self._problem(problem)
            raise CommandError(_("Rækkerne har fejl. Intet er ændret.")) from invalid
        except ImportNeedsConfirmation as needed:
            self._refused(needed)
        self._summary(
            summary,
            title=_("Indlæst på %(seconds).1f sekunder:") % {"seconds": time.perf_counter() - started},
        )
        self.stdout.write(
            _("Importen står i organisationens historik (nr. %(id)s) og kan fortrydes dér.")
            % {"id": record.pk}
        )

    def _dry_run(self, organisation: Organisation, parsed: ParseResult, *, end_missing: bool) -> None:
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
        self._reuse(preview.number_reuse)
        if preview.ending_check.needs_confirmation:
            self.stdout.write(
                _("Importen afslutter %(people)s personer: indlæs med --confirm-ending %(people)s.")
                % {"people": preview.ending_check.people}
            )

    def _apply(
        self,
        organisation: Organisation,
        parsed: ParseResult,
        *,
        path: Path,
        partial: bool,
        options: dict[str, Any],
    ) -> tuple[ImportSummary, PeopleImport]:
        """Apply with a history entry; both go if the apply is refused (one transaction)."""
        with transaction.atomic():
            record = people_import_record(
                organisation=organisation,
                filename=path.name,
                mode=ImportMode.PARTIAL if partial else ImportMode.FULL,
                row_count=len(parsed.rows),
            )
            summary = people_import_apply(
                organisation=organisation,
                rows=parsed.rows,
                end_missing=not partial,
                units=parsed.units,
                progress=self._progress(),
                confirm_ending=options["confirm_ending"],
                accept_number_reuse=options["accept_number_reuse"],
                record=record,
            )
        return summary, record

    def _refused(self, needed: ImportNeedsConfirmation) -> None:
        # Nothing was stored: the history entry rolled back with the rest.
        check = needed.ending
        if check.needs_confirmation and needed.confirmed != check.people:
            self.stderr.write(
                _(
                    "Importen afslutter ansættelserne for %(people)s personer (%(engagements)s af "
                    "%(active)s aktive ansættelser, %(percent)s %%; %(leaders)s er ledere af enheder)."
                )
                % {
                    "people": check.people,
                    "engagements": check.engagements,
                    "active": check.active_engagements,
                    "percent": check.percent,
                    "leaders": check.leaders,
                }
            )
        self._reuse(needed.reused)
        raise CommandError(
            _(
                "Intet er ændret. Kontrollér med --dry-run, og indlæs med --confirm-ending %(people)s, hvis "
                "personerne skal afsluttes (eller --partial, hvis filen kun er en del af organisationen), "
                "og med --accept-number-reuse, hvis medarbejdernumrene er rigtige."
            )
            % {"people": check.people}
        )

    def _reuse(self, reused: list[PersonChange]) -> None:
        lines = []
        for person in reused:
            changes = {change.field: change for change in person.fields}
            name, email = changes.get("name"), changes.get("email")
            if name is not None and email is not None:
                lines.append(f"{person.employee_number}: {name.old} <{email.old}> → {name.new} <{email.new}>")
        self._list(_("Medarbejdernumre, der nu hører til en anden person"), lines, stream=self.stderr)

    def _problem(self, problem: ImportProblem) -> None:
        prefix = _("Fejl") if problem.is_error else _("Advarsel")
        self.stderr.write(f"{prefix}: {problem.message}")

    def _summary(self, summary: ImportSummary, *, title: str) -> None:
        self.stdout.write(title)
        values = summary.as_json()
        for key, label in SUMMARY_LINES:
            self.stdout.write(f"  {label}: {values[key]}")

    def _list(self, title: str, items: list[str], stream: Any = None) -> None:
        out = stream or self.stdout
        if not items:
            return
        out.write(f"{title} ({len(items)}):")
        for item in items[:LIST_LIMIT]:
            out.write(f"  {item}")
        if len(items) > LIST_LIMIT:
            out.write("  " + _("… og %(count)s flere") % {"count": len(items) - LIST_LIMIT})

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
