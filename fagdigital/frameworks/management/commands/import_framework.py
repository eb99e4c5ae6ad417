"""Import a competence framework file (fagdigital JSON or Moodle CSV) as a draft for a municipality."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fagdigital.frameworks import services
from fagdigital.frameworks.json_format import FILE_FORMATS
from fagdigital.tenancy.selectors import municipality_by_code


class Command(BaseCommand):
    help = (
        "Import a framework file for a municipality as a new draft (a new version when the key exists). "
        "Every problem is printed with its line (CSV) or JSON path; nothing is written unless the file is "
        "valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the file to import")
        parser.add_argument(
            "--org", required=True, metavar="KOMMUNEKODE", help="the municipality's code, e.g. 0101"
        )
        parser.add_argument("--format", required=True, choices=FILE_FORMATS, dest="file_format")
        parser.add_argument("--dry-run", action="store_true", help="check the file and print a summary only")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = municipality_by_code(kommunekode=options["org"])
        if organisation is None:
            raise CommandError(_("Ingen kommune har kommunekoden »%(code)s«.") % {"code": options["org"]})
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Filen »%(path)s« kan ikke læses: %(error)s") % {"path": path, "error": error.strerror}
            ) from error
        file_format = options["file_format"]
        check = services.framework_import_check(
            organisation=organisation, content=content, file_format=file_format
        )
        for warning in check.warnings:
            self.stderr.write(_("Bemærk: %(location)s: %(message)s") % warning)
        if check.problems:
            for problem in check.problems:
                self.stderr.write(f"{problem['location']}: {problem['message']}")
            raise CommandError(_("Filen har %(count)s fejl. Intet er gemt.") % {"count": len(check.problems)})
        summary = check.summary
        self.stdout.write(
            _(
                "%(name)s (%(key)s): %(areas)s fokusområder, %(competences)s kompetencer, %(descriptors)s "
                "niveaubeskrivelser, %(role_profiles)s rolleprofiler, %(it_systems)s it-systemer."
            )
            % summary
        )
        if summary["existing_framework_id"]:
            what = _("version %(version)s af den eksisterende ramme »%(name)s«") % {
                "version": summary["version"],
                "name": summary["existing_name"],
            }
        else:
            what = _("en ny ramme")
        if options["dry_run"]:
            self.stdout.write(
                _("Tørkørsel: filen ville blive %(what)s, som kladde. Intet er gemt.") % {"what": what}
            )
            return
        framework_import = services.framework_import_create(
            organisation=organisation,
            uploaded_by=None,
            filename=path.name,
            file_format=file_format,
            content=content,
        )
        try:
            framework = services.framework_import_apply(framework_import=framework_import)
        except services.FrameworkImportError as error:
            raise CommandError(" ".join(error.problems)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Indlæst som kladde: %(what)s (id %(id)s).") % {"what": what, "id": framework.pk}
            )
        )
