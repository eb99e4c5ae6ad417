"""The fields of a competency row: its name, its description with fagdigital's level descriptors, and its
cross-references."""

from __future__ import annotations

from collections.abc import Container

from django.utils.translation import gettext as _

from fagdigital.frameworks.formats.messages import too_long_message
from fagdigital.frameworks.models import LEVEL_COUNT

from .columns import DESCRIPTION_FORMATS, FORMAT_MARKDOWN, FORMAT_MOODLE, FORMAT_PLAIN
from .html_text import DESCRIPTOR_LEVEL, elements, html_to_text, multilang_split, name_from_moodle
from .report import Report, Row


class FieldReader:
    def __init__(self, report: Report, known_codes: Container[str]) -> None:
        self.report = report
        self.known_codes = known_codes

    def name(self, row: Row, max_length: int) -> tuple[str, str]:
        da_html, en_html = multilang_split(row.get("shortname"))
        da = name_from_moodle(da_html)
        en = name_from_moodle(en_html) if en_html is not None else ""
        if not da.strip():
            self.report.problem(row.line, _("navnet (Short name) mangler. Skriv et navn."))
        for text in (da, en):
            if len(text) > max_length:
                self.report.problem(
                    row.line,
                    _("navnet (Short name) %(message)s")
                    % {"message": too_long_message(max_length, len(text))},
                )
        return da, en

    def description(
        self, row: Row, *, descriptors_allowed: bool
    ) -> tuple[tuple[str, str], tuple[dict[int, str], dict[int, str]]]:
        """((Danish, English), (Danish descriptors, English descriptors)) of a row's description."""
        value = row.get("description")
        description_format = row.get("descriptionformat").strip()
        if description_format and description_format not in DESCRIPTION_FORMATS:
            self.report.problem(
                row.line,
                _(
                    "beskrivelsesformatet (Description format) er »%(value)s«; det skal være 1 (HTML), 0 "
                    "(Moodle-format), 2 (ren tekst) eller 4 (Markdown)."
                )
                % {"value": description_format},
            )
            return ("", ""), ({}, {})
        if not value:
            return ("", ""), ({}, {})
        if not description_format:
            self.report.problem(
                row.line,
                _(
                    "beskrivelsesformatet (Description format) mangler; skriv 1 (HTML), 0 (Moodle-format), 2 "
                    "(ren tekst) eller 4 (Markdown)."
                ),
            )
            return ("", ""), ({}, {})
        if description_format in (FORMAT_PLAIN, FORMAT_MARKDOWN):
            return (value, ""), ({}, {})
        line_breaks = description_format == FORMAT_MOODLE
        da_html, en_html = multilang_split(value)
        da_text, da_descriptors = self.descriptor_list(row, da_html, line_breaks=line_breaks)
        en_text, en_descriptors = "", dict[int, str]()
        if en_html is not None:
            en_text, en_descriptors = self.descriptor_list(row, en_html, line_breaks=line_breaks)
        if (da_descriptors or en_descriptors) and not descriptors_allowed:
            self.report.problem(
                row.line,
                _(
                    "rammen og fokusområder (øverste niveau) kan ikke have niveaubeskrivelser; flyt dem til "
                    "en kompetence."
                ),
            )
        return (da_text, en_text), (da_descriptors, en_descriptors)

    def descriptor_list(self, row: Row, source: str, *, line_breaks: bool) -> tuple[str, dict[int, str]]:
        match = next((dl for dl in elements(source, "dl") if "fagdigital-niveauer" in dl.classes), None)
        if match is None:
            return html_to_text(source, line_breaks=line_breaks), {}
        descriptors: dict[int, str] = {}
        for item in elements(match.content, "dd"):
            level_class = next(filter(None, (DESCRIPTOR_LEVEL.fullmatch(c) for c in item.classes)), None)
            if level_class is None:
                continue
            level = int(level_class.group(1))
            if not 1 <= level <= LEVEL_COUNT:
                self.report.problem(
                    row.line,
                    _("niveaubeskrivelsen for niveau %(level)s passer ikke til rammens 4 niveauer.")
                    % {"level": level},
                )
            elif level in descriptors:
                self.report.problem(
                    row.line, _("niveau %(level)s er beskrevet to gange i beskrivelsen.") % {"level": level}
                )
            else:
                descriptors[level] = html_to_text(item.content, line_breaks=line_breaks)
        rest = source[: match.start] + source[match.end :]
        return html_to_text(rest, line_breaks=line_breaks), descriptors

    def related(self, row: Row, code: str) -> list[str]:
        raw = row.get("relatedidnumbers")
        result: list[str] = []
        for part in raw.split(","):
            other = part.replace("%2C", ",").replace("%2c", ",").strip()
            if not other or other in result:
                continue
            if other == code:
                self.report.problem(
                    row.line,
                    _(
                        "kompetencen kan ikke være relateret til sig selv; fjern »%(code)s« fra "
                        "»Cross-referenced competency ID numbers«."
                    )
                    % {"code": code},
                )
            elif other not in self.known_codes:
                self.report.problem(
                    row.line,
                    _(
                        "den relaterede kompetence »%(code)s« (Cross-referenced competency ID numbers) "
                        "findes ikke i filen. Ret ID-nummeret, eller fjern det."
                    )
                    % {"code": other},
                )
            else:
                result.append(other)
        return result
