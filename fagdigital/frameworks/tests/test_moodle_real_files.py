"""Files as a real Moodle exports them (decision 0014): any scale, trees deeper than two levels and
cross-references import, and never a refusal.

The fixtures are written here, in the layout of Moodle's own exporter (admin/tool/lpimportcsv,
framework_exporter): its English header, the framework row first with the scale and its configuration, then
every competency with its parent's ID number, "null" as the rule config, Moodle's id as the exported id, an
empty "Is framework", and each cross-reference listed on both competencies (Moodle's relations go both ways).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.formats import JSON, MOODLE_CSV, read_framework_file, write_framework_file
from fagdigital.frameworks.formats.interchange import (
    DEFAULT_LEVELS,
    AreaData,
    CompetenceData,
    FrameworkData,
    LevelData,
    Text,
)
from fagdigital.frameworks.formats.limits import MAX_FILE_BYTES, MAX_ITEMS
from fagdigital.frameworks.formats.moodle import HEADER, default_mapping, mapping_problem, read_moodle_csv
from fagdigital.frameworks.formats.spreadsheet import FORMULA_STARTS
from fagdigital.frameworks.models import Competence, Framework, FrameworkImportStatus
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import OrganisationFactory

# Moodle's default competency scale and the configuration its framework form saves for it: only the values
# with a flag are listed, here "Competent" as both the default and the proficient value.
TWO = ("Not yet competent,Competent", '[{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]')
THREE = (
    "Ikke opnået,Delvist opnået,Opnået",
    '[{"scaleid":"7"},{"id":1,"scaledefault":0,"proficient":0},{"id":3,"scaledefault":1,"proficient":1}]',
)
FIVE = (
    "Kender ikke,Kender til,Kan med hjælp,Kan selv,Kan lære andre",
    '[{"scaleid":"9"},{"id":4,"scaledefault":1,"proficient":1},{"id":5,"scaledefault":0,"proficient":"1"}]',
)


@dataclass(frozen=True)
class Competency:
    parent: str
    idnumber: str
    shortname: str
    description: str = ""
    related: tuple[str, ...] = ()


# Four levels deep (Kommunikation, E-mail, Sikker e-mail, Kryptering) with cross-references between
# levels and areas, listed on both sides as Moodle writes them.
TREE = (
    Competency("", "KOM", "Kommunikation", "<p>Kommunikerer digitalt med borgere og kolleger.</p>"),
    Competency("KOM", "KOM-1", "E-mail", "<p>Bruger e-mail i sagsbehandlingen.</p>"),
    Competency("KOM-1", "KOM-1-1", "Sikker e-mail", "<p>Sender <strong>sikker</strong> post.</p>"),
    Competency("KOM-1-1", "KOM-1-1-1", "Kryptering", "", ("KOM-2",)),
    Competency(
        "KOM", "KOM-2", "Digital Post", "<p>Hjælper borgere med Digital Post.</p>", ("KOM-1-1-1", "SIK-1")
    ),
    Competency("", "SIK", "Sikkerhed", "<p>Håndterer data sikkert.</p>"),
    Competency("SIK", "SIK-1", "Phishing", "<p>Genkender phishing.</p>", ("KOM-2",)),
    Competency("SIK-1", "SIK-1-1", "Falske links", "<p>Holder musen over et link før klik.</p>"),
)


def moodle_export(
    scale: tuple[str, str],
    competencies: tuple[Competency, ...] = TREE,
    *,
    idnumber: str = "DIGDANNELSE",
    shortname: str = "Digital dannelse",
) -> bytes:
    """A competency framework CSV laid out as Moodle's exporter writes it."""
    scale_values, scale_configuration = scale
    rows = [
        list(HEADER),
        [
            "",
            idnumber,
            shortname,
            "<p>Rammen fra kommunens Moodle.</p>",
            "1",
            scale_values,
            scale_configuration,
            "",
            "",
            "",
            "",
            "",
            "1",
            "competency,competency,competency,competency",
        ],
    ]
    for exported_id, item in enumerate(competencies, start=12):
        related = ",".join(code.replace(",", "%2C") for code in item.related)
        rows.append(
            [
                *[item.parent, item.idnumber, item.shortname, item.description, "1", "", "", "", "0", "null"],
                *[related, str(exported_id), "", ""],
            ]
        )
    output = io.StringIO(newline="")
    csv.writer(output, lineterminator="\n").writerows(rows)
    return output.getvalue().encode("utf-8")


# --- Scales of any length -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "mapping"),
    [(TWO, (1, 3)), (THREE, (1, 2, 3)), (FIVE, (1, 1, 2, 3, 4))],
    ids=["two-values", "three-values", "five-values"],
)
def test_any_scale_is_mapped_onto_the_four_levels(scale: tuple[str, str], mapping: tuple[int, ...]) -> None:
    result = read_moodle_csv(moodle_export(scale))
    assert result.problems == []
    assert result.data is not None and result.scale is not None
    values = tuple(scale[0].split(","))
    assert result.scale.values == values
    assert result.scale.default_mapping == result.scale.mapping == mapping
    # The levels keep fagdigital's names (two to five values cannot name four levels) and record which
    # Moodle values each stands for.
    assert [level.name for level in result.data.levels] == [level.name for level in DEFAULT_LEVELS]
    for level in result.data.levels:
        assert level.moodle_values == tuple(
            v for v, n in zip(values, mapping, strict=True) if n == level.number
        )


def test_moodles_default_scale_puts_competent_on_the_target_level() -> None:
    result = read_moodle_csv(moodle_export(TWO))
    assert result.data is not None and result.scale is not None
    assert result.scale.proficient == (False, True)
    levels = {level.number: level.moodle_values for level in result.data.levels}
    assert levels == {1: ("Not yet competent",), 2: (), 3: ("Competent",), 4: ()}


def test_a_chosen_mapping_is_used_and_a_decreasing_one_is_not() -> None:
    result = read_moodle_csv(moodle_export(FIVE), scale_mapping=(1, 2, 3, 4, 4))
    assert result.scale is not None and result.scale.mapping == (1, 2, 3, 4, 4)
    assert result.data is not None
    assert result.data.levels[3].moodle_values == ("Kan selv", "Kan lære andre")
    assert mapping_problem((1, 3, 2, 4, 4), FIVE[0].split(",")) == (
        "»Kan med hjælp« står højere i Moodles skala end »Kender til« og kan derfor ikke få et lavere "
        "niveau. Vælg niveau 3 eller højere for »Kan med hjælp«."
    )
    assert mapping_problem((1, 2), FIVE[0].split(",")) is not None
    assert mapping_problem((0, 1, 2, 3, 4), FIVE[0].split(",")) is not None
    # The reader never trusts a mapping that does not fit: it uses the default one.
    fallback = read_moodle_csv(moodle_export(FIVE), scale_mapping=(4, 3, 2, 1, 1))
    assert fallback.scale is not None and fallback.scale.mapping == (1, 1, 2, 3, 4)


def test_a_four_value_scale_maps_value_by_value_and_names_the_levels() -> None:
    four = ("Novice,Øvet,Kompetent,Ekspert", '[{"scaleid":"3"},{"id":3,"scaledefault":1,"proficient":1}]')
    result = read_moodle_csv(moodle_export(four))
    assert result.data is not None
    assert [level.name for level in result.data.levels] == [
        Text("Novice"),
        Text("Øvet"),
        Text("Kompetent"),
        Text("Ekspert"),
    ]
    assert [level.moodle_values for level in result.data.levels] == [
        ("Novice",),
        ("Øvet",),
        ("Kompetent",),
        ("Ekspert",),
    ]


@pytest.mark.parametrize(
    ("proficient", "expected"),
    [
        ((True,), (3,)),
        ((False, True), (1, 3)),
        ((True, True), (3, 4)),
        ((False, False), (1, 3)),  # no value marked proficient: the top value stands for the target
        ((False, True, True), (1, 3, 4)),
        ((False, False, False, True, True, True), (1, 1, 2, 3, 3, 4)),
        ((False,) * 9 + (True,), (1, 1, 1, 1, 1, 2, 2, 2, 2, 3)),
    ],
)
def test_the_default_mapping(proficient: tuple[bool, ...], expected: tuple[int, ...]) -> None:
    assert default_mapping(proficient) == expected


# --- Trees deeper than two levels, and cross-references -----------------------------------------------------


def test_a_deep_tree_is_flattened_into_areas_and_competences_with_the_path_kept() -> None:
    result = read_moodle_csv(moodle_export(TWO))
    assert result.data is not None
    kom, sik = result.data.areas
    assert (kom.code, sik.code) == ("KOM", "SIK")
    assert [c.code for c in kom.competences] == ["KOM-1", "KOM-1-1", "KOM-1-1-1", "KOM-2"]
    assert [c.code for c in sik.competences] == ["SIK-1", "SIK-1-1"]
    assert all(c.children == () for c in result.data.all_competences())
    by_code = {c.code: c for c in result.data.all_competences()}
    assert by_code["KOM-1"].description.da == "Bruger e-mail i sagsbehandlingen."  # directly below the area
    assert by_code["KOM-1-1"].description.da == (
        "Sender sikker post.\n\nPlacering i Moodle: Kommunikation \u203a E-mail \u203a Sikker e-mail"
    )
    assert by_code["KOM-1-1-1"].description.da == (
        "Placering i Moodle: Kommunikation \u203a E-mail \u203a Sikker e-mail \u203a Kryptering"
    )


def test_cross_references_are_kept_as_related_competences() -> None:
    result = read_moodle_csv(moodle_export(TWO))
    assert result.data is not None
    related = {c.code: c.related for c in result.data.all_competences() if c.related}
    assert related == {"KOM-1-1-1": ("KOM-2",), "KOM-2": ("KOM-1-1-1", "SIK-1"), "SIK-1": ("KOM-2",)}


def test_a_framework_with_only_top_level_competencies_becomes_one_area() -> None:
    flat = tuple(
        Competency("", f"C{i}", f"Kompetence {i}", related=("C1",) if i == 2 else ()) for i in range(1, 4)
    )
    result = read_moodle_csv(moodle_export(TWO, flat))
    assert result.problems == [] and result.data is not None
    (area,) = result.data.areas
    assert (area.code, area.name) == ("DIGDANNELSE", Text("Digital dannelse"))
    assert [c.code for c in area.competences] == ["C1", "C2", "C3"]
    assert area.competences[1].related == ("C1",)
    assert any("samlet i ét fokusområde" in w.message for w in result.warnings)


def test_what_moodle_allows_but_fagdigital_writes_differently_is_a_remark_not_a_refusal() -> None:
    long_code = "OMRAADE-" + "X" * 60  # Moodle allows 100 characters; a focus area's code has 50
    tree = (
        Competency("", long_code, "Et område med et langt ID-nummer"),
        Competency(long_code, "K1", "Kompetence"),
        Competency("", "TOM", "Område uden kompetencer"),
    )
    result = read_moodle_csv(moodle_export(TWO, tree, idnumber="Digital dannelse 2026"))
    assert result.problems == [] and result.data is not None
    assert result.data.key == "digital-dannelse-2026"
    assert result.data.areas[0].code == long_code[:50]
    assert [area.code for area in result.data.areas][1] == "TOM"
    messages = " ".join(w.message for w in result.warnings)
    assert "nøglen bliver »digital-dannelse-2026«" in messages.lower()
    assert "for langt til et fokusområde" in messages
    assert "»TOM« ligger på øverste niveau uden kompetencer" in messages


def test_moodles_own_header_spelling_and_line_endings_are_read() -> None:
    raw = moodle_export(THREE).replace(
        ",".join(HEADER).encode(),
        b'"Parent id number","Id number",Shortname,Description,"Description format","Scale values","Scale '
        b'configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)","Cross '
        b'referenced competency id numbers","Exported id (optional)","Is framework",Taxonomy',
    )
    assert raw != moodle_export(THREE)
    result = read_moodle_csv(raw)
    assert result.problems == [] and result.data == read_moodle_csv(moodle_export(THREE)).data


# --- Through the database: preview, mapping, apply, export --------------------------------------------------


@pytest.mark.django_db
def test_an_import_keeps_the_default_mapping_and_applies_it() -> None:
    organisation: Organisation = OrganisationFactory()
    framework_import = services.framework_import_create(
        organisation=organisation,
        uploaded_by=None,
        filename="moodle.csv",
        file_format=MOODLE_CSV,
        content=moodle_export(TWO),
    )
    assert framework_import.status == FrameworkImportStatus.VALID
    assert framework_import.scale_mapping == [1, 3]
    assert framework_import.summary["scale"]["values"] == ["Not yet competent", "Competent"]
    framework = services.framework_import_apply(framework_import=framework_import)
    levels = {level["number"]: level.get("moodle_values", []) for level in framework.levels}
    assert levels == {1: ["Not yet competent"], 2: [], 3: ["Competent"], 4: []}
    assert framework.areas.count() == 2 and framework.competences.count() == 6
    assert not framework.competences.filter(parent__isnull=False).exists()
    kom2 = framework.competences.get(code="KOM-2")
    assert sorted(kom2.related.values_list("code", flat=True)) == ["KOM-1-1-1", "SIK-1"]
    assert list(
        Competence.objects.get(framework=framework, code="SIK-1").related.values_list("code", flat=True)
    ) == ["KOM-2"]


@pytest.mark.django_db
def test_a_mapping_changed_in_the_preview_is_kept_and_used_when_applying() -> None:
    organisation: Organisation = OrganisationFactory()
    framework_import = services.framework_import_create(
        organisation=organisation,
        uploaded_by=None,
        filename="moodle.csv",
        file_format=MOODLE_CSV,
        content=moodle_export(FIVE),
    )
    with pytest.raises(services.ScaleMappingError):
        services.framework_import_set_scale_mapping(
            framework_import=framework_import, mapping=[1, 3, 2, 4, 4]
        )
    framework_import.refresh_from_db()
    assert framework_import.scale_mapping == [1, 1, 2, 3, 4]  # nothing saved

    services.framework_import_set_scale_mapping(framework_import=framework_import, mapping=[1, 2, 3, 4, 4])
    framework_import.refresh_from_db()
    assert framework_import.scale_mapping == [1, 2, 3, 4, 4]
    assert framework_import.summary["levels"][3]["moodle_values"] == ["Kan selv", "Kan lære andre"]
    framework = services.framework_import_apply(framework_import=framework_import)
    assert [level.get("moodle_values") for level in framework.levels] == [
        ["Kender ikke"],
        ["Kender til"],
        ["Kan med hjælp"],
        ["Kan selv", "Kan lære andre"],
    ]
    # Once applied, the mapping is part of the draft and cannot change through the import any more.
    with pytest.raises(services.FrameworkImportError):
        services.framework_import_set_scale_mapping(
            framework_import=framework_import, mapping=[1, 1, 2, 3, 4]
        )


@pytest.mark.django_db
def test_a_framework_from_moodle_goes_back_to_moodle_with_its_own_scale() -> None:
    organisation: Organisation = OrganisationFactory()
    framework_import = services.framework_import_create(
        organisation=organisation,
        uploaded_by=None,
        filename="moodle.csv",
        file_format=MOODLE_CSV,
        content=moodle_export(TWO),
    )
    framework = services.framework_import_apply(framework_import=framework_import)
    data = selectors.framework_as_data(framework=framework)
    exported = write_framework_file(data, MOODLE_CSV)
    framework_row = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"), newline="")))[1]
    # Moodle finds its existing scale by its values, so the file reuses "Not yet competent,Competent".
    assert framework_row[5] == "Not yet competent,Competent"
    assert json.loads(framework_row[6])[1:] == [
        {"id": 1, "scaledefault": 0, "proficient": 0},
        {"id": 2, "scaledefault": 1, "proficient": 1},
    ]
    again = read_framework_file(exported, MOODLE_CSV)
    assert again.problems == [] and again.scale is not None and again.scale.native
    assert again.data == data


@pytest.mark.django_db
def test_the_import_command_takes_a_mapping(tmp_path: Path, organisation: Organisation) -> None:
    path = tmp_path / "moodle.csv"
    path.write_bytes(moodle_export(THREE))
    out = io.StringIO()
    call_command(
        "import_framework",
        str(path),
        "--org",
        organisation.kommunekode,
        "--format",
        "moodle-csv",
        "--scale-levels",
        "1,3,4",
        stdout=out,
    )
    assert "»Opnået« → 4" in out.getvalue()
    framework = Framework.objects.get(organisation=organisation)
    assert [level.get("moodle_values", []) for level in framework.levels] == [
        ["Ikke opnået"],
        [],
        ["Delvist opnået"],
        ["Opnået"],
    ]


# --- Spreadsheet formulas -----------------------------------------------------------------------------------


def test_no_cell_of_an_export_starts_like_a_formula_and_the_texts_come_back() -> None:
    tricky = ("=SUM(A1)", "+45 12 34 56 78", "-Minus", "@hjemmeplejen", "\tTab", "\rCR", "'=allerede citeret")
    levels = tuple(LevelData(n, Text(name), (n,)) for n, name in enumerate(tricky[:4], start=1))
    competences = tuple(
        CompetenceData(code=f"-K{i}" if i % 2 else f"@K{i}", name=Text(name), description=Text(name))
        for i, name in enumerate(tricky)
    )
    area = AreaData(code="=A", name=Text("-Område"), competences=competences)
    data = FrameworkData(key="ramme", name=Text("=Ramme"), levels=levels, areas=(area,))
    raw = write_framework_file(data, MOODLE_CSV)
    cells = [cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")) for cell in row]
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []
    assert "'=A" in cells and "&#61;Ramme" in cells and "'-K1" in cells
    assert read_framework_file(raw, MOODLE_CSV).data == data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ("3,1,2", "kan derfor ikke få et lavere niveau"),
        ("1,3", "Vælg et niveau fra 1 til 4"),
        ("en,to", "1,3"),
    ],
)
def test_the_import_command_refuses_a_mapping_that_does_not_fit(
    tmp_path: Path, organisation: Organisation, levels: str, message: str
) -> None:
    path = tmp_path / "moodle.csv"
    path.write_bytes(moodle_export(THREE))
    with pytest.raises(CommandError, match=message):
        call_command(
            "import_framework",
            str(path),
            "--org",
            organisation.kommunekode,
            "--format",
            "moodle-csv",
            "--scale-levels",
            levels,
        )
    assert not Framework.objects.exists()


# --- Limits ------------------------------------------------------------------------------------------------


def test_files_over_the_limits_are_problems_not_work() -> None:
    too_big = b" " * (MAX_FILE_BYTES + 1)
    for file_format in (MOODLE_CSV, JSON):
        result = read_framework_file(too_big, file_format)
        assert [str(p) for p in result.problems] == [
            "Filen: Filen fylder 10.0 MB; den må højst fylde 10 MB. Del rammen op i flere filer."
        ]
    many = tuple(
        Competency("" if i == 0 else "TOP", f"C{i}" if i else "TOP", f"K {i}") for i in range(MAX_ITEMS + 2)
    )
    problems = [str(p) for p in read_moodle_csv(moodle_export(TWO, many)).problems]
    assert problems == [
        f"Linje {MAX_ITEMS + 3}: Filen har mere end {MAX_ITEMS} fokusområder og kompetencer; så mange kan "
        "fagdigital ikke indlæse på én gang. Del rammen op i flere filer."
    ]
