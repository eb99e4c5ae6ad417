"""Export a municipality's competence framework as fagdigital JSON or Moodle CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fagdigital.frameworks import selectors
from fagdigital.frameworks.formats import FILE_FORMATS, MOODLE_CSV, export_problems, write_framework_file
from fagdigital.frameworks.formats.moodle import moodle_export_omissions
from fagdigital.frameworks.models import Framework
from fagdigital.tenancy.selectors import municipality_by_code


class Command(BaseCommand):
    help = (
        "Export a framework of a municipality: by default the newest published version, to standard output. "
        "Give --key and --version to pick another one (drafts too)."
    )

    def add_base_argument(self, parser: CommandParser, *args: Any, **kwargs: Any) -> None:
        if "--version" in args:
            return  # here --version picks a framework version, not Django's
        super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org", required=True, metavar="KOMMUNEKODE", help="the municipality's code, e.g. 0101"
        )
        parser.add_argument("--key", help="the framework's key (needed when the municipality has several)")
        parser.add_argument("--version", type=int, dest="framework_version", help="a version number")
        parser.add_argument("--format", required=True, choices=FILE_FORMATS, dest="file_format")
        parser.add_argument("--output", metavar="FILE", help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = municipality_by_code(kommunekode=options["org"])
        if organisation is None:
            raise CommandError(_("Ingen kommune har kommunekoden »%(code)s«.") % {"code": options["org"]})
        key, version = options["key"], options["framework_version"]
        frameworks = Framework.objects.filter(organisation=organisation)
        keys = sorted(set(frameworks.values_list("key", flat=True)))
        if key is None and version is not None and len(keys) > 1:
            raise CommandError(
                _("Kommunen har flere rammer; angiv --key (%(keys)s).") % {"keys": ", ".join(keys)}
            )
        framework: Framework | None
        if version is not None:
            framework = frameworks.filter(version=version, **({"key": key} if key else {})).first()
        else:
            framework = selectors.published_framework(organisation=organisation, key=key)
        if framework is None:
            raise CommandError(
                _(
                    "Fandt ingen %(what)s af rammen %(key)s. Kommunens rammer: %(keys)s. "
                    "Angiv --key og --version for at eksportere en kladde."
                )
                % {
                    "what": _("version %(version)s") % {"version": version}
                    if version
                    else _("udgivet version"),
                    "key": f"»{key}«" if key else "",
                    "keys": ", ".join(keys) or "—",
                }
            )
        data = selectors.framework_as_data(framework=framework)
        file_format = options["file_format"]
        problems = export_problems(data, file_format)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(_("Rammen kan ikke skrives i dette format. Intet er skrevet."))
        if file_format == MOODLE_CSV:
            for note in moodle_export_omissions(data):
                self.stderr.write(_("Bemærk: %(note)s") % {"note": note})
        content = write_framework_file(data, file_format)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(
                _("Skrev %(key)s version %(version)s til %(path)s.")
                % {"key": framework.key, "version": framework.version, "path": options["output"]}
            )
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
