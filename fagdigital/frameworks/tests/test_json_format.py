"""The fagdigital JSON format: its published schema, and clear problems with JSON paths for bad files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.frameworks.formats import read_framework_json, write_framework_json
from fagdigital.frameworks.formats.interchange import FrameworkData
from fagdigital.frameworks.tests.test_round_trip import frameworks

FRAMEWORKS = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((FRAMEWORKS / "schema" / "framework.schema.json").read_text(encoding="utf-8"))
DEFAULT = (FRAMEWORKS / "data" / "default_framework.json").read_bytes()
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


# --- A small JSON Schema (2020-12) validator for the keywords our schema uses -------------------------------
# jsonschema is not a dependency; this covers exactly the keywords in framework.schema.json and fails
# loudly on any other, so the schema cannot silently grow past what is tested.

_KEYWORDS = {
    "$schema",
    "$id",
    "$ref",
    "$defs",
    "title",
    "description",
    "default",
    "type",
    "const",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "anyOf",
    "allOf",
}
_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def schema_errors(value: Any, schema: dict[str, Any] | None = None, path: str = "$") -> list[str]:
    schema = SCHEMA if schema is None else schema
    unknown = set(schema) - _KEYWORDS
    assert not unknown, f"the test validator does not know {unknown}"
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return schema_errors(value, SCHEMA["$defs"][name], path)
    errors: list[str] = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, t) for t in types):
            return [f"{path}: not {schema['type']}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: not one of {schema['enum']}")
    if isinstance(value, dict):
        errors += [f"{path}.{key}: required" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            if key in schema.get("properties", {}):
                errors += schema_errors(item, schema["properties"][key], f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}.{key}: not allowed")
    if isinstance(value, list):
        if "items" in schema:
            for index, item in enumerate(value):
                errors += schema_errors(item, schema["items"], f"{path}[{index}]")
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            errors.append(f"{path}: wrong number of items")
        if schema.get("uniqueItems") and len({json.dumps(v, sort_keys=True) for v in value}) != len(value):
            errors.append(f"{path}: items not unique")
        if "contains" in schema and not any(not schema_errors(v, schema["contains"]) for v in value):
            errors.append(f"{path}: contains nothing matching")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
            errors.append(f"{path}: wrong length")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: does not match {schema['pattern']}")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and not schema.get("minimum", value) <= value <= schema.get("maximum", value):
        errors.append(f"{path}: out of range")
    if "anyOf" in schema and all(schema_errors(value, option, path) for option in schema["anyOf"]):
        errors.append(f"{path}: matches none of anyOf")
    for option in schema.get("allOf", []):
        errors += schema_errors(value, option, path)
    return errors


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DEFAULT)
    document.update(changes)
    return document


def _problems(document: Any) -> dict[str, str]:
    raw = document if isinstance(document, bytes) else json.dumps(document, ensure_ascii=False).encode()
    data, problems = read_framework_json(raw)
    assert data is None
    found: dict[str, str] = {}
    for problem in problems:
        found[problem.path] = " | ".join(filter(None, [found.get(problem.path), problem.message]))
    return found


# --- The schema ---------------------------------------------------------------------------------------------


def test_the_schema_is_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_default_framework_and_its_export_validate_against_the_schema() -> None:
    assert schema_errors(json.loads(DEFAULT)) == []
    data, problems = read_framework_json(DEFAULT)
    assert problems == [] and data is not None
    assert schema_errors(json.loads(write_framework_json(data))) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=frameworks())
def test_generated_exports_validate_against_the_schema(data: FrameworkData) -> None:
    assert schema_errors(json.loads(write_framework_json(data))) == []


def test_the_schema_requires_and_allows_exactly_what_the_writer_emits() -> None:
    data, _problems = read_framework_json(DEFAULT)
    assert data is not None
    document = json.loads(write_framework_json(data))
    defs = SCHEMA["$defs"]
    pairs = [
        (SCHEMA, document),
        (defs["framework"], document["framework"]),
        (defs["level"], document["framework"]["levels"][0]),
        (defs["it_system"], document["it_systems"][0]),
        (defs["area"], document["areas"][0]),
        (defs["competence"], document["areas"][0]["competences"][0]),
        (defs["descriptor"], document["areas"][0]["competences"][0]["descriptors"][0]),
        (defs["role_profile"], document["role_profiles"][0]),
        (defs["target"], document["role_profiles"][0]["targets"][0]),
    ]
    for schema, emitted in pairs:
        assert set(schema["required"]) <= set(emitted)
        # Everything the writer emits is described; only optional extras ($schema, children, related, a
        # level's Moodle values) are not always emitted.
        assert set(emitted) <= set(schema["properties"])
        assert set(schema["properties"]) - set(emitted) <= {"$schema", "children", "related", "moodle_values"}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"format": "other"}, "$.format"),
        ({"format_version": 2}, "$.format_version"),
        ({"surprise": 1}, "$.surprise"),
        ({"areas": {}}, "$.areas"),
    ],
)
def test_the_schema_rejects_what_the_reader_rejects(change: dict[str, Any], where: str) -> None:
    document = _document(**change)
    assert any(error.startswith(where) for error in schema_errors(document))
    assert where in _problems(document)


def test_the_published_examples_validate_and_read() -> None:
    examples = sorted(EXAMPLES.glob("*.json"))
    assert examples, "docs/examples/ should have at least one JSON example"
    for example in examples:
        raw = example.read_bytes()
        assert schema_errors(json.loads(raw)) == [], example.name
        _data, problems = read_framework_json(raw)
        assert problems == [], example.name


# --- Problems name their JSON path --------------------------------------------------------------------------


def test_broken_json_names_line_and_column() -> None:
    problems = _problems(b'{\n  "format": "fagdigital-framework",\n  "framework": {,}\n}')
    assert list(problems) == ["$"]
    assert "linje 3, kolonne 17" in problems["$"]


def test_invalid_utf8_is_a_problem_naming_the_line() -> None:
    problems = _problems(b'{\n"format":\n"fagdigital-framework \xe6"}')
    assert "UTF-8" in problems["$"] and "linje 3" in problems["$"]


def test_deeply_nested_json_is_a_problem_not_a_crash() -> None:
    problems = _problems(b"[" * 100_000 + b"]" * 100_000)
    assert list(problems) == ["$"]


def test_every_problem_in_a_file_is_reported_with_its_path() -> None:
    document = _document()
    areas = document["areas"]
    first = areas[0]["competences"][0]
    first["code"] = areas[0]["competences"][1]["code"]
    first["kind"] = "magisk"
    first["digcomp"] = ["9.9"]
    first["related"] = ["FINDES-IKKE"]
    first["descriptors"][1]["level"] = 1
    first["colour"] = "blå"
    areas[1]["name"] = {"da": ""}
    areas[2]["competences"][0]["name"] = None
    document["framework"]["key"] = "Ikke en nøgle"
    document["framework"]["levels"] = document["framework"]["levels"][:3]
    document["role_profiles"][0]["targets"][0]["criticality"] = "livsvigtig"
    document["role_profiles"][1]["targets"][0]["competence"] = "XX9"
    document["it_systems"][1]["code"] = document["it_systems"][0]["code"]

    problems = _problems(document)

    assert "»Ikke en nøgle« må kun indeholde" in problems["$.framework.key"]
    assert "ikke-en-noegle" in problems["$.framework.key"]
    assert "præcis ét niveau" in problems["$.framework.levels"]
    assert "bruges også i $.areas[0].competences[0].code" in problems["$.areas[0].competences[1].code"]
    assert "integrated" in problems["$.areas[0].competences[0].kind"]
    assert "DigComp" in problems["$.areas[0].competences[0].digcomp[0]"]
    assert "FINDES-IKKE" in problems["$.areas[0].competences[0].related"]
    assert "to gange" in problems["$.areas[0].competences[0].descriptors[1].level"]
    assert "ikke et kendt felt" in problems["$.areas[0].competences[0].colour"]
    assert "mangler" in problems["$.areas[1].name.da"]
    assert "null" in problems["$.areas[2].competences[0].name"]
    assert "kritisk" in problems["$.role_profiles[0].targets[0].criticality"]
    assert "XX9" in problems["$.role_profiles[1].targets[0].competence"]
    assert "to gange" in problems["$.it_systems[1].code"]


def test_texts_longer_than_the_database_allows_are_problems() -> None:
    document = _document()
    document["framework"]["name"]["da"] = "x" * 201
    document["areas"][0]["competences"][0]["name"]["en"] = "y" * 301
    document["areas"][0]["code"] = "Z" * 51
    problems = _problems(document)
    assert "201 tegn" in problems["$.framework.name.da"]
    assert "301 tegn" in problems["$.areas[0].competences[0].name.en"]
    assert "51 tegn" in problems["$.areas[0].code"]


def test_nul_characters_and_self_references_are_problems() -> None:
    document = _document()
    competence = document["areas"][0]["competences"][0]
    competence["description"]["da"] = "før\u0000efter"
    competence["related"] = [competence["code"], competence["code"]]
    problems = _problems(document)
    assert "NUL" in problems["$.areas[0].competences[0].description.da"]
    assert "sig selv" in problems["$.areas[0].competences[0].related"]


def test_a_plain_string_is_accepted_as_danish_text() -> None:
    document = _document()
    document["framework"]["name"] = "Kun dansk"
    data, problems = read_framework_json(json.dumps(document).encode())
    assert problems == [] and data is not None
    assert data.name.da == "Kun dansk" and data.name.en == ""


def test_the_version_is_read_back() -> None:
    data, _problems = read_framework_json(DEFAULT)
    assert data is not None and data.version == 1
    document = _document()
    document["framework"]["version"] = 7
    again, problems = read_framework_json(json.dumps(document).encode())
    assert problems == [] and again is not None and again.version == 7


# --- Never an exception, whatever the file ------------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=2000))
def test_any_bytes_give_problems_not_an_exception(raw: bytes) -> None:
    data, problems = read_framework_json(raw)
    assert (data is None) == bool(problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=_json_values, where=st.sampled_from(["framework", "areas", "role_profiles", "it_systems", "deep"])
)
def test_any_json_in_any_place_gives_problems_not_an_exception(value: Any, where: str) -> None:
    document = _document()
    if where == "deep":
        document["areas"][0]["competences"][0]["descriptors"][0] = value
        document["role_profiles"][0]["targets"][0]["level"] = value
    else:
        document[where] = value
    data, problems = read_framework_json(json.dumps(document).encode())
    assert (data is None) == bool(problems)


def test_huge_numbers_and_deep_children_are_problems() -> None:
    assert list(_problems(b'{"format_version": 1' + b"0" * 5000 + b"}")) == ["$"]
    document = _document()
    competence: dict[str, Any] = document["areas"][0]["competences"][0]
    for depth in range(25):
        child = {"code": f"dyb{depth}", "name": "Dyb"}
        competence["children"] = [child]
        competence = child
    problems = _problems(document)
    assert any("højst ligge 20 niveauer" in message for message in problems.values())
