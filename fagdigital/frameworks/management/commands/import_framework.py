"""Import a competence framework file (fagdigital JSON or Moodle CSV) as a draft for a municipality."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fagdigital.frameworks import services
from fagdigital.frameworks.formats import FILE_FORMATS
from fagdigital.frameworks.formats.moodle import mapping_problem
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
        parser.add_argument(
            "--scale-levels",
            metavar="N,N,...",
            help=(
                "Moodle CSV: the fagdigital level (1-4) of each value of the framework's scale, lowest value "
                "first, e.g. 1,3 for Moodle's default scale; without it, the default mapping (decision 0014)"
            ),
        )

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
        scale_levels = _scale_levels(options["scale_levels"])
        check = services.framework_import_check(
            organisation=organisation, content=content, file_format=file_format, scale_mapping=scale_levels
        )
        _check_scale_levels(check, scale_levels)
        for warning in check.warnings:
            self.stderr.write(_("Bemærk: %(location)s: %(message)s") % warning)
        if check.problems:
            for problem in check.problems:
                self.stderr.write(f"{problem['location']}: {problem['message']}")
            raise CommandError(_("Filen har %(count)s fejl. Intet er gemt.") % {"count": len(check.problems)})
        summary = check.summary
        if check.scale is not None:
            mapping = zip(check.scale.values, check.scale.mapping, strict=True)
            self.stdout.write(
                _("Skalaen fordelt på niveauerne: %(mapping)s.")
                % {"mapping": ", ".join(f"»{value}« → {level}" for value, level in mapping)}
            )
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
            if scale_levels is not None and check.scale is not None and not check.scale.native:
                services.framework_import_set_scale_mapping(
                    framework_import=framework_import, mapping=scale_levels
                )
            framework = services.framework_import_apply(framework_import=framework_import)
        except services.FrameworkImportError as error:
            raise CommandError(" ".join(error.problems)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Indlæst som kladde: %(what)s (id %(id)s).") % {"what": what, "id": framework.pk}
            )
        )


def _scale_levels(value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        return [int(part) for part in value.split(",")]
    except ValueError as error:
        raise CommandError(
            _("--scale-levels skal være niveauer fra 1 til 4 adskilt af komma, fx 1,3, ikke »%(value)s«.")
            % {"value": value}
        ) from error


def _check_scale_levels(check: services.FrameworkImportCheck, scale_levels: list[int] | None) -> None:
    """--scale-levels must fit the file's scale from Moodle (the reader would quietly use the default)."""
    if scale_levels is None or check.scale is None or check.scale.mapping == tuple(scale_levels):
        return
    refused = mapping_problem(scale_levels, check.scale.values) or _(
        "Skalaen kommer fra fagdigital, så dens niveauer kan ikke ændres med --scale-levels."
    )
    raise CommandError(refused)
