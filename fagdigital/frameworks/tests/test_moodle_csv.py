"""Moodle competency framework CSV (tool_lpimportcsv): reading real Moodle files, clear problems naming the
line for malformed ones, and writing files Moodle (PHP's fgetcsv) reads as intended."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fagdigital.frameworks import services
from fagdigital.frameworks.formats import MOODLE_CSV, ReadResult, export_problems, read_framework_json
from fagdigital.frameworks.formats.interchange import (
    DEFAULT_LEVELS,
    AreaData,
    CompetenceData,
    DescriptorData,
    FrameworkData,
    LevelData,
    Text,
)
from fagdigital.frameworks.formats.moodle import (
    HEADER,
    MoodleExportError,
    html_to_text,
    moodle_export_omissions,
    read_moodle_csv,
    text_to_html,
    write_moodle_csv,
)
from fagdigital.frameworks.models import Framework
from fagdigital.frameworks.tests.test_round_trip import texts
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import OrganisationFactory

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
SCALE = "Begynder,Selvstændig,Erfaren,Ekspert"
SCALE_CONFIGURATION = json.dumps(
    [
        {"scaleid": "2"},
        *({"id": n, "scaledefault": int(n == 1), "proficient": int(n > 1)} for n in range(1, 5)),
    ]
)
FRAMEWORK_ROW = [
    "",
    "ramme",
    "Rammen",
    "",
    "1",
    SCALE,
    SCALE_CONFIGURATION,
    "",
    "",
    "",
    "",
    "",
    "1",
    "domain",
]


def row(parent: str, code: str, name: str, description: str = "", related: str = "") -> list[str]:
    return [parent, code, name, description, "1", "", "", "", "0", "null", related, "", "", ""]


def csv_bytes(
    rows: list[list[str]], *, header: list[str] | tuple[str, ...] = HEADER, delimiter: str = ","
) -> bytes:
    output = io.StringIO(newline="")
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows([list(header), *rows])
    return output.getvalue().encode("utf-8")


VALID_ROWS = [
    FRAMEWORK_ROW,
    row("", "A", "Område A"),
    row("A", "A1", "Kompetence A1"),
    row("A1", "A1.1", "Delkompetence"),
    row("", "B", "Område B"),
    row("B", "B1", "Kompetence B1", related="A1"),
]


def problems_of(result: ReadResult) -> list[str]:
    assert result.data is None
    return [str(problem) for problem in result.problems]


def lines_of(result: ReadResult) -> set[int]:
    return {getattr(problem, "line", 0) for problem in result.problems}


# --- Reading real Moodle files ------------------------------------------------------------------------------


def test_reads_a_moodle_export_into_areas_and_flattened_competences() -> None:
    result = read_moodle_csv((EXAMPLES / "moodle-framework.csv").read_bytes())
    assert result.problems == []
    default: dict[str, Any] = {"kind": "integrated", "digcomp": (), "it_system_categories": ()}
    assert result.data == FrameworkData(
        key="DIGKOMP",
        name=Text("Digitale kompetencer"),
        description=Text("Rammen for digitale kompetencer & sikkerhed."),
        levels=tuple(
            LevelData(n, Text(name), DEFAULT_LEVELS[n - 1].digcomp_levels, (name,))
            for n, name in enumerate(["Ikke kompetent", "Begynder", "Øvet", "Ekspert"], start=1)
        ),
        areas=(
            AreaData(
                "DK1",
                Text("Kommunikation"),
                Text("Kommunikerer via digitale kanaler."),
                competences=(
                    CompetenceData(
                        "DK1.1",
                        Text("Digital Post"),
                        Text("Bruger Digital Post i sagsbehandlingen.\nHjælper borgere med at komme i gang."),
                        related=("DK2.1",),
                        **default,
                    ),
                    CompetenceData(
                        "DK1.2",
                        Text("E-mail og chat"),
                        Text("Sender sikre mails, når der er personoplysninger."),
                        **default,
                    ),
                ),
            ),
            AreaData(
                "DK2",
                Text("Sikkerhed"),
                Text("- Adgangskoder\n- Phishing"),
                competences=(
                    CompetenceData(
                        "DK2.1",
                        Text("Phishing"),
                        Text("Genkender phishing \u2013 også i sms <og> opkald."),
                        related=("DK1.1",),
                        **default,
                    ),
                    # Three levels down in Moodle: a competence of the area, its place in the description.
                    CompetenceData(
                        "DK2.1.1",
                        Text("Falske links"),
                        Text("Placering i Moodle: Sikkerhed \u203a Phishing \u203a Falske links"),
                        **default,
                    ),
                ),
            ),
        ),
    )
    assert result.scale is not None and result.scale.mapping == (1, 2, 3, 4) and not result.scale.native
    warnings = [str(warning) for warning in result.warnings]
    assert any(w.startswith("Linje 2:") and "kommer ikke fra fagdigital" in w for w in warnings)
    assert any(w.startswith("Linje 7:") and "competency_rule_all" in w for w in warnings)


def test_accepts_older_header_spellings_case_and_missing_optional_columns() -> None:
    old = [
        "parentidnumber",
        "idnumber",
        "shortname",
        "description",
        "descriptionformat",
        "scalevalues",
        "scaleconfiguration",
        "ruletype",
        "ruleoutcome",
        "ruleconfig",
        "relatedidnumbers",
        "exportid",
        "isframework",
        "taxonomies",
    ]
    assert read_moodle_csv(csv_bytes(VALID_ROWS, header=old)).problems == []
    mixed = [
        "Parent id number",
        "ID NUMBER",
        "short name",
        *HEADER[3:7],
        "Rule type",
        "Rule outcome",
        "Rule config",
        "Cross-referenced competency ID numbers",
        "Exported ID",
        "is framework",
        "taxonomy",
    ]
    assert read_moodle_csv(csv_bytes(VALID_ROWS, header=mixed)).problems == []
    without_optional = [
        [value for index, value in enumerate(r) if index not in (7, 8, 9, 11)] for r in VALID_ROWS
    ]
    header = [value for index, value in enumerate(HEADER) if index not in (7, 8, 9, 11)]
    result = read_moodle_csv(csv_bytes(without_optional, header=header))
    assert result.problems == []
    assert result.data == read_moodle_csv(csv_bytes(VALID_ROWS)).data


def test_a_translated_header_is_read_by_position_like_moodle_does() -> None:
    danish = [
        "Overordnet ID-nummer",
        "ID-nummer",
        "Kort navn",
        "Beskrivelse",
        "Beskrivelsesformat",
        "Skalaværdier",
        "Skalakonfiguration",
        "Regeltype",
        "Regeludfald",
        "Regelkonfiguration",
        "Krydsreferencer",
        "Eksporteret ID",
        "Er ramme",
        "Taksonomi",
    ]
    result = read_moodle_csv(csv_bytes(VALID_ROWS, header=danish))
    assert result.problems == []
    assert result.data == read_moodle_csv(csv_bytes(VALID_ROWS)).data
    assert any("Moodles faste rækkefølge" in w.message for w in result.warnings)


def test_semicolons_from_a_danish_excel_and_a_bom_are_fine() -> None:
    expected = read_moodle_csv(csv_bytes(VALID_ROWS)).data
    assert expected is not None
    assert read_moodle_csv(codecs.BOM_UTF8 + csv_bytes(VALID_ROWS)).data == expected
    assert read_moodle_csv(csv_bytes(VALID_ROWS, delimiter=";")).data == expected


def test_html_descriptions_become_safe_plain_text() -> None:
    description = (
        '<p dir="ltr">Første &amp; <b>anden</b>&nbsp;linje<br>ny linje</p>\n<p>Næste afsnit</p>'
        "<script>alert('x')</script><style>p{}</style><!-- note --><img src=x onerror=alert(1)>"
    )
    rows = [FRAMEWORK_ROW, row("", "A", "Område &amp; <i>mere</i>", description), row("A", "A1", "A1")]
    result = read_moodle_csv(csv_bytes(rows))
    assert result.data is not None
    area = result.data.areas[0]
    assert area.name.da == "Område & mere"
    assert area.description.da == "Første & anden\u00a0linje\nny linje\n\nNæste afsnit"
    assert "<" not in area.description.da


def test_moodle_auto_format_and_plain_text_descriptions() -> None:
    auto = row("", "A", "A", "Linje et\nlinje <b>to</b>")
    auto[4] = "0"
    plain = row("", "B", "B", "Tekst med <b> som tekst")
    plain[4] = "2"
    result = read_moodle_csv(csv_bytes([FRAMEWORK_ROW, auto, plain, row("A", "A1", "A1")]))
    assert result.data is not None
    assert result.data.areas[0].description.da == "Linje et\nlinje to"
    assert result.data.areas[1].description.da == "Tekst med <b> som tekst"


def test_multilang_spans_give_danish_and_english() -> None:
    name = (
        '<span lang="da" class="multilang">Sikkerhed</span><span lang="en" class="multilang">Security</span>'
    )
    description = (
        '<p><span class="multilang" lang="da">Hold data sikre.</span><span class="multilang" lang="en">Keep '
        "data safe.</span></p>"
    )
    result = read_moodle_csv(
        csv_bytes([FRAMEWORK_ROW, row("", "A", name, description), row("A", "A1", "A1")])
    )
    assert result.data is not None
    area = result.data.areas[0]
    assert area.name == Text("Sikkerhed", "Security")
    assert area.description == Text("Hold data sikre.", "Keep data safe.")


def test_rules_and_relations_moodle_has_but_fagdigital_cannot_hold_are_warnings() -> None:
    ruled = row("A", "A1", "Kompetence", related="B")
    ruled[7], ruled[9] = "core_competency\\competency_rule_points", '{"base":{"points":2}}'
    result = read_moodle_csv(csv_bytes([FRAMEWORK_ROW, row("", "A", "A"), ruled, row("", "B", "B")]))
    assert result.problems == []
    warnings = [str(w) for w in result.warnings]
    assert any(w.startswith("Linje 4:") and "competency_rule_points" in w for w in warnings)
    assert any(w.startswith("Linje 4:") and "»B« er et fokusområde" in w for w in warnings)
    assert result.data is not None and result.data.areas[0].competences[0].related == ()


# --- Malformed files: a clear problem naming the line, and no data ------------------------------------------


def test_wrong_column_count_names_the_line() -> None:
    raw = csv_bytes(VALID_ROWS).replace(b",Kompetence B1,", b",Kompetence B1,,,")
    problems = problems_of(read_moodle_csv(raw))
    assert problems == [
        "Linje 7: linjen har 16 felter, men overskriften har 14. "
        "Tjek at tekster med komma står i anførselstegn."
    ]


def test_line_numbers_count_physical_lines_when_texts_span_several() -> None:
    rows = [
        FRAMEWORK_ROW,
        row("", "A", "A", "første\nanden\ntredje"),
        row("A", "A1", "A1"),
        row("X", "A2", "A2"),
    ]
    problems = problems_of(read_moodle_csv(csv_bytes(rows)))
    assert problems == [
        "Linje 7: overordnet ID-nummer »X« findes ikke i filen. Ret ID-nummeret, eller tilføj kompetencen."
    ]


def test_a_parent_id_number_that_does_not_exist() -> None:
    rows = [*VALID_ROWS, row("DS9", "C1", "Forældreløs")]
    problems = problems_of(read_moodle_csv(csv_bytes(rows)))
    assert problems == [
        "Linje 8: overordnet ID-nummer »DS9« findes ikke i filen. Ret ID-nummeret, eller tilføj kompetencen."
    ]


def test_the_framework_id_number_as_parent_gets_its_own_explanation() -> None:
    problems = problems_of(read_moodle_csv(csv_bytes([FRAMEWORK_ROW, row("ramme", "A", "A")])))
    assert (
        len(problems) == 1 and "rammens eget ID-nummer" in problems[0] and problems[0].startswith("Linje 3:")
    )


def test_a_cycle_of_parents() -> None:
    rows = [
        *VALID_ROWS,
        row("C3", "C1", "Et"),
        row("C1", "C2", "To"),
        row("C2", "C3", "Tre"),
        row("C3", "C4", "Fire"),
    ]
    problems = problems_of(read_moodle_csv(csv_bytes(rows)))
    assert problems == [
        "Linje 8: kompetencerne danner en løkke af overordnede: »C1« → »C3« → »C2« → »C1«. Giv én af dem en "
        "anden overordnet, eller lad dens »Parent ID number« være tom."
    ]


def test_a_competence_that_is_its_own_parent_is_a_cycle() -> None:
    problems = problems_of(read_moodle_csv(csv_bytes([*VALID_ROWS, row("C1", "C1", "Selv")])))
    assert len(problems) == 1 and "løkke" in problems[0] and problems[0].startswith("Linje 8:")


def test_a_duplicate_id_number() -> None:
    rows = [*VALID_ROWS, row("B", "A1", "Igen")]
    problems = problems_of(read_moodle_csv(csv_bytes(rows)))
    assert problems == [
        "Linje 8: ID-nummeret »A1« bruges også i linje 4. Giv hver kompetence sit eget ID-nummer."
    ]


def test_broken_scale_configuration_json() -> None:
    broken = [*FRAMEWORK_ROW]
    broken[6] = '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0}'
    problems = problems_of(read_moodle_csv(csv_bytes([broken, *VALID_ROWS[1:]])))
    assert len(problems) == 1
    assert problems[0].startswith("Linje 2: skalakonfigurationen (Scale configuration) er ikke gyldig JSON")


@pytest.mark.parametrize(
    ("configuration", "expected"),
    [
        ("", "mangler"),
        ('{"scaleid": 2}', "JSON-liste"),
        ('[{"scaleid":"2"},{"id":9,"scaledefault":1,"proficient":1}]', "id fra 1 til 4"),
        ('[{"scaleid":"2"},{"id":1,"scaledefault":0,"proficient":1}]', "standard"),
        ('[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0}]', "kompetent"),
        ('[{"scaleid":"2"},{"id":1,"scaledefault":2,"proficient":1}]', "0 eller 1"),
    ],
)
def test_invalid_scale_configurations(configuration: str, expected: str) -> None:
    broken = [*FRAMEWORK_ROW]
    broken[6] = configuration
    problems = problems_of(read_moodle_csv(csv_bytes([broken, *VALID_ROWS[1:]])))
    assert any(expected in problem and problem.startswith("Linje 2:") for problem in problems), problems


def test_invalid_utf8_names_the_line() -> None:
    raw = csv_bytes(VALID_ROWS).replace("Område B".encode(), "Område B".encode("cp1252"))
    problems = problems_of(read_moodle_csv(raw))
    assert problems == [
        "Linje 6: teksten er ikke gyldig UTF-8 (tegn nr. 7). Gem filen med tegnsættet UTF-8, fx som »CSV "
        "UTF-8« i Excel, eller eksportér den igen fra Moodle."
    ]


def test_a_competence_with_its_own_scale_is_a_remark() -> None:
    own = row("A", "A2", "Egen skala")
    own[5], own[6] = "Nej,Ja", '[{"scaleid":"3"},{"id":1,"scaledefault":1,"proficient":1}]'
    result = read_moodle_csv(csv_bytes([*VALID_ROWS, own]))
    assert result.problems == [] and result.data is not None
    assert any(str(w).startswith("Linje 8:") and "sin egen skala" in str(w) for w in result.warnings)
    assert [c.code for c in result.data.areas[0].competences] == ["A1", "A1.1", "A2"]
    # Its scale configuration is still checked like any other.
    own[6] = '[{"scaleid":"3"},{"id":1,"scaledefault":0,"proficient":1}]'
    assert any("standard" in p for p in problems_of(read_moodle_csv(csv_bytes([*VALID_ROWS, own]))))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([*HEADER[:13], "Farve"], "Linje 1: kolonnen »Farve« kendes ikke"),
        ([*HEADER[:2], *HEADER[3:]], "Linje 1: kolonnen »Short name« mangler"),
        ([*HEADER[:13], "ID number"], "Linje 1: kolonnen »ID number« står der to gange"),
        (["Navn", "Alder"], "Linje 1: første linje skal være Moodles kolonneoverskrifter"),
    ],
)
def test_unknown_missing_and_duplicate_columns(header: list[str], expected: str) -> None:
    rows = [r[: len(header)] + [""] * (len(header) - len(r)) for r in VALID_ROWS]
    problems = problems_of(read_moodle_csv(csv_bytes(rows, header=header)))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_file_without_or_with_two_framework_rows() -> None:
    problems = problems_of(read_moodle_csv(csv_bytes(VALID_ROWS[1:])))
    assert any("ingen række for selve rammen" in p and p.startswith("Linje 2:") for p in problems)
    problems = problems_of(read_moodle_csv(csv_bytes([*VALID_ROWS, FRAMEWORK_ROW])))
    assert problems == ["Linje 8: filen har allerede rammen i linje 2; en fil kan kun indeholde én ramme."]


def test_a_field_longer_than_the_csv_limit() -> None:
    problems = problems_of(read_moodle_csv(csv_bytes([*VALID_ROWS, row("A", "A9", "Lang", "x" * 200_000)])))
    assert problems == [
        "Linje 8: et felt i linjen er over 131072 tegn langt. Forkort beskrivelsen, eller del den op."
    ]


def test_empty_files_and_broken_quoting() -> None:
    assert problems_of(read_moodle_csv(b"")) == ["Linje 1: filen er tom. Eksportér rammen fra Moodle igen."]
    assert problems_of(read_moodle_csv(csv_bytes([])))[0].startswith("Linje 2: filen har kun en overskrift")
    raw = csv_bytes(VALID_ROWS) + b',"X,"Uafsluttet,,1,,,,0,null,,,,\r\n'
    problems = problems_of(read_moodle_csv(raw))
    assert problems[0].startswith("Linje 8: linjen kan ikke læses som CSV")


def test_missing_fields_are_reported_not_guessed() -> None:
    no_name = row("A", "A2", "")
    no_code = row("A", "", "Uden ID")
    no_format = row("A", "A3", "Uden format", "<p>Tekst</p>")
    no_format[4] = ""
    bad_flag = row("A", "A4", "Flag")
    bad_flag[12] = "måske"
    rows = [*VALID_ROWS, no_name, no_code, no_format, bad_flag]
    problems = problems_of(read_moodle_csv(csv_bytes(rows)))
    assert any(p.startswith("Linje 8: navnet (Short name) mangler") for p in problems)
    assert any(p.startswith("Linje 9: ID-nummer mangler") for p in problems)
    assert any(p.startswith("Linje 10: beskrivelsesformatet (Description format) mangler") for p in problems)
    assert any(p.startswith("Linje 11: »Is framework«") for p in problems)


def test_related_id_numbers_must_exist_and_commas_are_escaped() -> None:
    rows = [*VALID_ROWS[:-1], row("B", "B1", "B1", related="A1,FINDES%2CIKKE")]
    problems = problems_of(read_moodle_csv(csv_bytes(rows)))
    assert problems == [
        "Linje 7: den relaterede kompetence »FINDES,IKKE« (Cross-referenced competency ID numbers) findes "
        "ikke i filen. Ret ID-nummeret, eller fjern det."
    ]


def test_bad_fagdigital_metadata_in_rule_config_is_reported() -> None:
    bad = row("A", "A2", "A2")
    bad[9] = '{"fagdigital": 1, "kind": "magisk", "farve": "blå", "digcomp": ["9.9"]}'
    broken = row("A", "A3", "A3")
    broken[9] = '{"fagdigital": 1, "kind": '
    problems = problems_of(read_moodle_csv(csv_bytes([*VALID_ROWS, bad, broken])))
    assert any(p.startswith("Linje 8: »Rule config« har feltet »farve«") for p in problems)
    assert any(p.startswith("Linje 8: »kind« i »Rule config«") for p in problems)
    assert any(p.startswith("Linje 8: »digcomp« i »Rule config«") for p in problems)
    assert any(p.startswith("Linje 9: »Rule config« er ikke gyldig JSON") for p in problems)


# --- HTML ↔ text --------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_text_written_as_html_reads_back_identically(text: str) -> None:
    assert html_to_text(f"<p>{text_to_html(text)}</p>") == text
    assert "\\" not in text_to_html(text) and '"' not in text_to_html(text)


# --- Writing ------------------------------------------------------------------------------------------------


def _example() -> FrameworkData:
    data, problems = read_framework_json((EXAMPLES / "framework-minimal.json").read_bytes())
    assert problems == [] and data is not None
    return data


def test_writes_moodles_header_framework_row_first_and_a_taxonomy_per_level() -> None:
    raw = write_moodle_csv(_example())
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == HEADER
    assert all(len(r) == 14 for r in rows)
    framework = rows[1]
    assert framework[1:3] == ["it-sikkerhed-hjemmeplejen", "IT-sikkerhed i hjemmeplejen"]
    assert framework[5] == SCALE and framework[12] == "1"
    assert framework[13] == "domain,competency,competency"
    configuration = json.loads(framework[6])
    assert configuration[0] == {"scaleid": "1"} and [c["id"] for c in configuration[1:]] == [1, 2, 3, 4]
    assert [(r[0], r[1], r[12]) for r in rows[2:]] == [
        ("", "DS", ""),
        ("DS", "DS1", ""),
        ("DS1", "DS1.1", ""),
        ("DS", "DS2", ""),
    ]
    ds1 = rows[3]
    assert ds1[4] == "1" and ds1[10] == "DS2" and ds1[7] == ""
    assert '<dl class="fagdigital-niveauer">' in ds1[3] and "Låser telefonen" in ds1[3]
    assert json.loads(ds1[9])["digcomp"] == ["4.1", "4.2"]


def test_the_published_moodle_example_is_what_the_writer_makes() -> None:
    data = dataclasses.replace(_example(), role_profiles=(), it_systems=())
    assert (EXAMPLES / "framework-minimal-moodle.csv").read_bytes() == write_moodle_csv(data)


def test_written_files_never_have_a_quote_escaped_by_a_backslash() -> None:
    """PHP's fgetcsv (Moodle's reader) takes a backslash and the next character as one unit, so a quote after
    an odd number of backslashes would not end the field and the row would be misread."""
    tricky = Text('slut med \\", "citat" og \\')
    competence = CompetenceData("K1", tricky, tricky, descriptors=(DescriptorData(1, tricky),))
    area = AreaData("O", tricky, tricky, competences=(competence,))
    data = FrameworkData(key="k", name=tricky, description=tricky, levels=DEFAULT_LEVELS, areas=(area,))
    raw = write_moodle_csv(dataclasses.replace(data, name=Text(tricky.da, tricky.da)))
    assert not re.search(rb'(?<!\\)(?:\\\\)*\\"', raw)
    assert read_moodle_csv(raw).data == dataclasses.replace(data, name=Text(tricky.da, tricky.da))


def test_what_moodle_cannot_hold_stops_the_export_or_is_left_out() -> None:
    data = _example()
    assert moodle_export_omissions(data) == [
        "Moodle-filen har ikke rammens 1 rolleprofiler; brug JSON-formatet for at få dem med.",
        "Moodle-filen har ikke rammens 1 it-systemer; brug JSON-formatet for at få dem med.",
    ]
    long = dataclasses.replace(data.areas[0], name=Text("n" * 101))
    assert "Moodle forkorter navne til 100 tegn; det gælder DS." in moodle_export_omissions(
        dataclasses.replace(data, areas=(long,))
    )
    clash = dataclasses.replace(
        data,
        areas=(dataclasses.replace(data.areas[0], code="DS1"),),
    )
    problems = export_problems(clash, MOODLE_CSV)
    assert len(problems) == 1 and "»DS1« bruges både af et fokusområde og en kompetence" in problems[0]
    with pytest.raises(MoodleExportError):
        write_moodle_csv(clash)


def test_level_names_with_commas_survive_through_the_metadata() -> None:
    levels = tuple(LevelData(n, Text(f"Niveau {n}, trin", f"Level {n}"), (n,)) for n in range(1, 5))
    data = dataclasses.replace(_example(), role_profiles=(), it_systems=(), levels=levels)
    raw = write_moodle_csv(data)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[1][5] == "Niveau 1; trin,Niveau 2; trin,Niveau 3; trin,Niveau 4; trin"
    assert read_moodle_csv(raw).data == data


# --- Never an exception, whatever the file -------------------------------------------------------------


VALID_FILE = csv_bytes(VALID_ROWS)


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=3000))
def test_any_bytes_give_problems_not_an_exception(raw: bytes) -> None:
    result = read_moodle_csv(raw)
    assert (result.data is None) == bool(result.problems)


@settings(max_examples=300, deadline=None)
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(VALID_FILE)), st.integers(0, 3), st.sampled_from(list(',;"\n\r<>&%{}[]\\'))
        ),
        min_size=1,
        max_size=6,
    )
)
def test_damaged_files_give_problems_not_an_exception(edits: list[tuple[int, int, str]]) -> None:
    raw = VALID_FILE.decode()
    for position, removed, inserted in edits:
        raw = raw[:position] + inserted + raw[position + removed :]
    result = read_moodle_csv(raw.encode())
    assert (result.data is None) == bool(result.problems)


@pytest.mark.parametrize(
    "description",
    [
        "<a " * 40_000,
        "<!x " * 30_000,
        "<span " * 20_000,
        '<span class="multilang" lang="da">' * 3_500,
        '<dl class="fagdigital-niveauer">' * 2_000 + "<dd class='fagdigital-niveau-1'>" * 2_000,
        "<script>" * 15_000,
        "<!--" * 30_000,
    ],
)
def test_pathological_html_is_read_in_linear_time(description: str) -> None:
    """Each of these would make a backtracking pattern quadratic (minutes for one field); they take
    milliseconds."""
    rows = [FRAMEWORK_ROW, row("", "A", "A"), row("A", "A1", description[:100], description)]
    result = read_moodle_csv(csv_bytes(rows))
    assert result.problems == [] or all("Short name" in p.message for p in result.problems)


# --- All or nothing ---------------------------------------------------------------------------------------

_CYCLE = [*VALID_ROWS, row("C2", "C1", "Et"), row("C1", "C2", "To")]
_BROKEN_SCALE = [[*FRAMEWORK_ROW[:6], "[{", *FRAMEWORK_ROW[7:]], *VALID_ROWS[1:]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (VALID_FILE.replace(b",Kompetence B1,", b",Kompetence B1,,"), 7),
        (csv_bytes([*VALID_ROWS, row("DS9", "C1", "Forældreløs")]), 8),
        (csv_bytes(_CYCLE), 8),
        (csv_bytes([*VALID_ROWS, row("B", "A1", "Igen")]), 8),
        (csv_bytes(_BROKEN_SCALE), 2),
        (VALID_FILE.replace("Område B".encode(), "Område B".encode("cp1252")), 6),
    ],
    ids=["column-count", "unknown-parent", "cycle", "duplicate-id", "scale-json", "invalid-utf8"],
)
def test_a_malformed_file_is_kept_as_invalid_and_nothing_is_created(raw: bytes, line: int) -> None:
    organisation: Organisation = OrganisationFactory()
    framework_import = services.framework_import_create(
        organisation=organisation, uploaded_by=None, filename="fejl.csv", file_format=MOODLE_CSV, content=raw
    )
    assert framework_import.status == "invalid"
    assert [problem["location"] for problem in framework_import.problems] == [f"Linje {line}"]
    with pytest.raises(services.FrameworkImportError):
        services.framework_import_apply(framework_import=framework_import)
    assert not Framework.objects.exists()
