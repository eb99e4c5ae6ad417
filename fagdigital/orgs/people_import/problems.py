"""Problems found in a people file: where (line, column), what is wrong and how to fix it, in Danish."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# code → (what is wrong, how to fix it). Texts are formatted with the problem's params when shown, in
# the language active then, so a stored preview reads in whichever language the user has chosen.
MESSAGES: dict[str, tuple[Promise, Promise]] = {
    "empty_file": (
        _("Filen er tom."),
        _("Vælg den rigtige fil, eller gem filen igen fra Excel eller HR-systemet."),
    ),
    "no_data_rows": (
        _("Filen har en overskriftslinje, men ingen medarbejdere."),
        _(
            "Tilføj en linje pr. medarbejder under overskriftslinjen. En fil uden medarbejdere ville "
            "afslutte alle ansættelser, så den indlæses ikke."
        ),
    ),
    "too_large": (
        _("Filen fylder %(size_bytes)s, men der er højst plads til %(limit_bytes)s."),
        _(
            "Fjern kolonner, der ikke bruges, eller gem filen som CSV, som fylder mindre end et "
            "Excel-regneark. Del ikke filen op: en import afslutter ansættelserne for dem, der ikke "
            "står i filen."
        ),
    ),
    "too_many_rows": (
        _("Filen har mere end %(limit)s rækker."),
        _("Kontroller, at det er den rigtige fil. Kontakt platformens administrator, hvis den er."),
    ),
    "bad_encoding": (
        _(
            "Filen kan ikke læses som tekst: den er hverken UTF-8 eller Windows-1252 (ugyldig byte "
            "%(byte)s på linje %(byte_line)s)."
        ),
        _("Gem filen igen fra Excel som »CSV UTF-8 (kommasepareret)« eller som Excel-projektmappe (.xlsx)."),
    ),
    "not_text": (
        _("Filen er hverken en CSV-fil eller et Excel-regneark."),
        _("Gem filen som »CSV UTF-8 (kommasepareret)« eller som Excel-projektmappe (.xlsx)."),
    ),
    "old_xls": (
        _("Filen er i Excels gamle format (.xls), som ikke kan læses."),
        _("Åbn filen i Excel, og gem den som Excel-projektmappe (.xlsx) eller som »CSV UTF-8«."),
    ),
    "bad_xlsx": (
        _("Excel-filen kan ikke åbnes: den er beskadiget eller ikke et Excel-regneark (%(detail)s)."),
        _(
            "Åbn filen i Excel, og gem den igen som Excel-projektmappe (.xlsx), eller gem den som "
            "»CSV UTF-8«."
        ),
    ),
    # Limits checked before a file is parsed (people_import.limits; decision 0011).
    "file_too_many_lines": (
        _("Filen har %(found)s linjer, men der kan højst være %(limit)s."),
        _(
            "Kontroller, at det er den rigtige fil. Slet tomme linjer i slutningen af filen, eller gem "
            "den igen fra HR-systemet."
        ),
    ),
    "file_too_many_cells": (
        _("Filen har mere end %(limit)s celler."),
        _(
            "Slet de kolonner, der ikke skal bruges, og tomme rækker og kolonner under og til højre for "
            "medarbejderne, og gem filen igen."
        ),
    ),
    "line_too_long": (
        _("Linjen er %(length)s tegn lang, men en linje må højst være %(limit)s tegn."),
        _(
            "Kontroller, at det er den rigtige fil, og at linjen ikke mangler et linjeskift. Slet "
            "kolonner med lange tekster, der ikke skal bruges."
        ),
    ),
    "too_many_columns": (
        _("Linjen har %(found)s kolonner, men der må højst være %(limit)s."),
        _("Slet de kolonner, der ikke skal bruges, og gem filen igen."),
    ),
    "zip_too_many_members": (
        _("Excel-filen består af %(found)s dele, men et regneark med medarbejdere har højst %(limit)s."),
        _("Kopiér medarbejderne over i en ny, tom projektmappe i Excel, og gem den som .xlsx eller CSV."),
    ),
    "zip_duplicate_member": (
        _("Excel-filen indeholder delen »%(member)s« to gange."),
        _("Filen er beskadiget. Åbn den i Excel, og gem den igen som .xlsx eller som »CSV UTF-8«."),
    ),
    "zip_member_too_large": (
        _(
            "Delen »%(member)s« i Excel-filen fylder %(size_bytes)s udpakket, men højst "
            "%(limit_bytes)s er tilladt."
        ),
        _(
            "Slet de kolonner, der ikke skal bruges, og tomme rækker under medarbejderne, eller gem "
            "filen som »CSV UTF-8«."
        ),
    ),
    "zip_total_too_large": (
        _("Excel-filen fylder mere end %(limit_bytes)s udpakket."),
        _("Gem kun arket med medarbejderne, gerne som »CSV UTF-8«."),
    ),
    "zip_ratio": (
        _(
            "Delen »%(member)s« i Excel-filen pakkes %(ratio)s gange større ud, end den fylder; højst "
            "%(limit)s gange er tilladt. Sådan ser en »zip-bombe« ud, ikke et regneark."
        ),
        _(
            "Kontroller, at det er den rigtige fil. Er den det, så kopiér medarbejderne over i en ny "
            "projektmappe, og gem den som .xlsx eller »CSV UTF-8«."
        ),
    ),
    "xml_foreign": (
        _("Delen »%(member)s« i Excel-filen indeholder %(what)s, som Excel aldrig skriver."),
        _("Gem filen igen fra Excel som .xlsx eller som »CSV UTF-8«."),
    ),
    "xml_token_too_large": (
        _("Delen »%(member)s« i Excel-filen har et element, der er større end %(limit_bytes)s."),
        _("Filen er beskadiget. Åbn den i Excel, og gem den igen som .xlsx eller som »CSV UTF-8«."),
    ),
    "sheet_dimension": (
        _(
            "Regnearket siger, at det går til celle %(cell)s, men der kan højst være %(rows)s rækker og "
            "kolonnerne A til %(limit_letters)s."
        ),
        _(
            "Markér de tomme rækker under medarbejderne og de tomme kolonner til højre for dem i Excel, "
            "vælg Slet, og gem filen igen. Eller gem den som »CSV UTF-8«."
        ),
    ),
    "sheet_row_bound": (
        _("Regnearket har indhold i række %(row)s, men der kan højst være %(limit)s rækker."),
        _(
            "Markér de tomme rækker under medarbejderne i Excel, vælg Slet, og gem filen igen. Eller gem "
            "den som »CSV UTF-8«."
        ),
    ),
    "sheet_column_bound": (
        _(
            "Cellen %(cell)s ligger i kolonne nummer %(column_number)s, men der kan højst være %(limit)s "
            "kolonner (A til %(limit_letters)s)."
        ),
        _("Slet de kolonner, der ikke skal bruges, til højre for medarbejderne i Excel, og gem igen."),
    ),
    "cell_too_long": (
        _("Cellen %(cell)s indeholder mere end %(limit)s tegn."),
        _("Ret eller slet cellen. Excel selv kan højst have 32.767 tegn i en celle."),
    ),
    "too_many_shared_strings": (
        _("Regnearket har mere end %(limit)s forskellige tekster."),
        _("Slet de kolonner, der ikke skal bruges, og gem filen igen, gerne som »CSV UTF-8«."),
    ),
    "shared_string_too_long": (
        _("En tekst i regnearket er længere end %(limit)s tegn."),
        _("Find og forkort den lange tekst i Excel, eller gem filen som »CSV UTF-8«."),
    ),
    "bad_csv": (
        _("Linjen kan ikke læses som CSV (%(detail)s)."),
        _(
            "Kontroller anførselstegnene på linjen. Et felt, der indeholder semikolon eller komma, skal "
            "stå i anførselstegn."
        ),
    ),
    "newline_in_field": (
        _("Feltet indeholder et linjeskift og fortsætter til linje %(end_line)s."),
        _(
            "Der mangler formentlig et afsluttende anførselstegn. Ret feltet, så det står på én linje "
            "med anførselstegn i begge ender."
        ),
    ),
    "missing_column": (
        _("Kolonnen »%(column_name)s« mangler."),
        _(
            "Tilføj en kolonne med overskriften »%(column_name)s« (eller på engelsk »%(english)s«) i "
            "første linje. Filens kolonner er: %(found)s."
        ),
    ),
    "missing_unit_column": (
        _("Der er ingen kolonne med medarbejderens enhed."),
        _(
            "Tilføj kolonnen »enhed« med enhedens sti, fx »Social og Sundhed/Hjemmeplejen/Team Nord«, "
            "eller kolonnerne »enheds-id«, »overordnet enheds-id« og »enhed« (enhedens navn). Filens "
            "kolonner er: %(found)s."
        ),
    ),
    "parent_without_id": (
        _("Kolonnen »overordnet enheds-id« kræver også kolonnen »enheds-id«."),
        _(
            "Tilføj kolonnen »enheds-id«, eller fjern kolonnen »overordnet enheds-id« og skriv hele "
            "enhedens sti i kolonnen »enhed«."
        ),
    ),
    "duplicate_column": (
        _("Kolonnen »%(column_name)s« og kolonnen »%(other_column)s« betyder det samme."),
        _("Slet den ene af de to kolonner."),
    ),
    "unknown_column": (
        _("Kolonnen kendes ikke og bliver ikke indlæst."),
        _(
            "Det er i orden, hvis kolonnen ikke skal bruges. Ellers ret overskriften til et af de "
            "kendte navne, fx »medarbejdernummer« eller »stillingsbetegnelse«."
        ),
    ),
    "too_many_fields": (
        _("Linjen har %(found)s felter, men overskriftslinjen har %(expected)s."),
        _(
            "Sæt anførselstegn om felter, der indeholder »%(delimiter)s«, eller gem filen igen fra "
            "Excel, som gør det selv."
        ),
    ),
    "required": (
        _("Feltet er tomt."),
        _("Udfyld feltet. Slet linjen, hvis den ikke er en medarbejder."),
    ),
    "too_long": (
        _("Teksten er %(length)s tegn lang, men der er højst plads til %(limit)s."),
        _("Forkort teksten."),
    ),
    "invalid_email": (
        _("»%(value)s« er ikke en gyldig e-mailadresse."),
        _("Ret adressen, eller lad feltet være tomt."),
    ),
    "invalid_leader": (
        _("»%(value)s« kan ikke forstås som ja eller nej."),
        _("Skriv »ja« eller »nej«. Et tomt felt betyder nej."),
    ),
    "duplicate_employee": (
        _("Medarbejdernummeret »%(value)s« står også på linje %(other_line)s."),
        _("Hver medarbejder må kun stå på én linje. Slet den ene linje, eller ret nummeret."),
    ),
    "empty_unit_name": (
        _("Stien »%(value)s« har et tomt enhedsnavn."),
        _("Fjern den overflødige skråstreg, så stien har formen »Social og Sundhed/Hjemmeplejen/Team Nord«."),
    ),
    "too_deep": (
        _("Enheden ligger %(depth)s niveauer nede, men der kan højst være %(limit)s niveauer."),
        _("Ret enhedens sti eller overordnede enhed, så træet bliver mindre dybt."),
    ),
    "unknown_parent": (
        _("Den overordnede enhed »%(value)s« (for enheden »%(unit_name)s«) findes ikke i filen."),
        _(
            "Ret det overordnede enheds-id, eller tilføj en linje for enheden med enheds-id "
            "»%(value)s«. Lad feltet være tomt for en enhed øverst i organisationen."
        ),
    ),
    "unit_cycle": (
        _("Enhederne er hinandens overordnede i ring: %(cycle)s (linje %(lines)s)."),
        _(
            "Ret det overordnede enheds-id for mindst én af enhederne, så ringen brydes. Enheden "
            "øverst i organisationen har ingen overordnet enhed."
        ),
    ),
    "unit_name_conflict": (
        _("Enheds-id »%(value)s« hedder »%(other_name)s« på linje %(other_line)s, men »%(unit_name)s« her."),
        _("Brug samme navn for enheden på alle linjer."),
    ),
    "unit_parent_conflict": (
        _(
            "Enheds-id »%(value)s« har den overordnede enhed »%(other_parent)s« på linje "
            "%(other_line)s, men »%(parent)s« her."
        ),
        _("Brug samme overordnede enheds-id for enheden på alle linjer."),
    ),
    "unit_same_name": (
        _(
            "Enhederne med enheds-id »%(value)s« og »%(other_value)s« (linje %(other_line)s) har begge "
            "navnet »%(unit_name)s« og samme overordnede enhed."
        ),
        _("Giv enhederne forskellige navne, eller brug samme enheds-id, hvis de er samme enhed."),
    ),
    "unit_id_conflict": (
        _("Enheds-id »%(value)s« bruges også for enheden »%(other_path)s« på linje %(other_line)s."),
        _("Hver enhed skal have sit eget enheds-id. Ret det ene af dem."),
    ),
    "unit_two_ids": (
        _("Enheden »%(path)s« har enheds-id »%(other_value)s« på linje %(other_line)s, men »%(value)s« her."),
        _("Brug samme enheds-id for enheden på alle linjer."),
    ),
    "formula_text": (
        _("Feltet begynder med »%(char)s«. Det gemmes som tekst og bliver aldrig regnet ud som en formel."),
        _("Det er i orden, hvis teksten er rigtig. Ellers ret feltet i filen."),
    ),
    "formula_cell": (
        _("Cellen indeholder formlen »%(value)s«. Formlen gemmes som tekst; dens resultat indlæses ikke."),
        _(
            "Erstat formlen med dens værdi i Excel (Kopiér, og Indsæt speciel som Værdier), hvis det er "
            "værdien, der skal indlæses."
        ),
    ),
}


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong with the file, where it is and how to fix it. Warnings do not stop the import."""

    line: int | None  # None: the whole file
    column: str  # the column's header as the file writes it; "" when it concerns a line or the file
    code: str
    params: tuple[tuple[str, str], ...] = ()
    is_error: bool = True

    def _format(self, template: Promise) -> str:
        values: dict[str, str] = {}
        for key, value in self.params:
            values[key] = filesizeformat(int(value)) if key.endswith("_bytes") else value
        return str(template) % values if values else str(template)

    @property
    def problem(self) -> str:
        return self._format(MESSAGES[self.code][0])

    @property
    def fix(self) -> str:
        return self._format(MESSAGES[self.code][1])

    @property
    def where(self) -> str:
        if self.line is not None and self.column:
            return gettext("Linje %(line)s, kolonne »%(column)s«") % {
                "line": self.line,
                "column": self.column,
            }
        if self.line is not None:
            return gettext("Linje %(line)s") % {"line": self.line}
        return ""

    @property
    def message(self) -> str:
        """The whole message: where, what and how to fix it."""
        text = f"{self.problem} {self.fix}"
        return f"{self.where}: {text}" if self.where else text

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "params": dict(self.params),
            "is_error": self.is_error,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportProblem:
        return cls(
            line=data["line"],
            column=data["column"],
            code=data["code"],
            params=tuple((str(k), str(v)) for k, v in data.get("params", {}).items()),
            is_error=bool(data.get("is_error", True)),
        )


def make_problem(
    code: str, *, line: int | None = None, column: str = "", is_error: bool = True, **params: object
) -> ImportProblem:
    return ImportProblem(
        line=line,
        column=column,
        code=code,
        params=tuple((key, str(value)) for key, value in params.items()),
        is_error=is_error,
    )
