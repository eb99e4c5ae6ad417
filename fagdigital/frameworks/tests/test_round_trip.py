"""Export → import gives the identical framework, for both formats: pure (data → file → data) and through the
database (rows → data → file → data → rows), with generated frameworks.

The strategies here are shared with the other format tests.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.digcomp import DIGCOMP_COMPETENCES
from fagdigital.frameworks.formats import (
    JSON,
    MOODLE_CSV,
    read_framework_file,
    write_framework_file,
)
from fagdigital.frameworks.formats.interchange import (
    DEFAULT_LEVELS,
    AreaData,
    CompetenceData,
    DescriptorData,
    FrameworkData,
    ITSystemData,
    LevelData,
    RoleProfileData,
    TargetData,
    Text,
)
from fagdigital.frameworks.kl_wheel import KL_WHEEL_CODES
from fagdigital.frameworks.models import CompetenceKind, Criticality
from fagdigital.testing.factories import OrganisationFactory

# Texts that break naive CSV, HTML and JSON handling; they must all come back as the same text.
TRICKY = [
    "æ",
    "ø",
    "å",
    "Æblegrød",
    "Østergård",
    "Åbenrå",
    ",",
    ";",
    '"',
    "'",
    '""',
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    " ",
    "  ",
    "<b>",
    "</b>",
    "&amp;",
    "&lt;",
    "&#32;",
    "&nbsp;",
    "<br>",
    "<p>",
    "%2C",
    "\\",
    '\\"',
    "»",
    "«",
    "null",
    "{}",
    "=SUM(A1)",
    '<dl class="fagdigital-niveauer">',
    '<span lang="en" class="multilang">x</span>',
    "\u00a0",
    "\u2028",
    "🙂",
]
_characters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
_piece = st.one_of(st.text(_characters, min_size=1, max_size=6), st.sampled_from(TRICKY))
texts = st.lists(_piece, max_size=5).map("".join)
names = st.lists(_piece, min_size=1, max_size=5).map("".join).filter(lambda text: text.strip() != "")
codes = (
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅabcæøå0123456789.-_, ", min_size=1, max_size=10)
    .filter(lambda code: code == code.strip())
    .filter(lambda code: "%2c" not in code.lower())
)
slugs = st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,15}\Z")
keys = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,30}\Z")


def bilingual(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[Text]:
    return st.builds(Text, da=strategy, en=st.one_of(st.just(""), strategy))


# Values of a Moodle scale: Moodle keeps a scale as one comma-separated text of trimmed values.
scale_values = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters=",\\"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def level_sets(draw: st.DrawFn) -> tuple[LevelData, ...]:
    """The standard levels, levels with other names, or levels of a framework from Moodle: each with the
    values of a Moodle scale mapped onto it, in order (a level may have none)."""
    kind = draw(st.sampled_from(["standard", "named", "moodle"]))
    if kind == "standard":
        return DEFAULT_LEVELS
    groups: list[list[str]] = [[], [], [], []]
    if kind == "moodle":
        values = draw(st.lists(scale_values, min_size=1, max_size=7))
        cuts = sorted(draw(st.lists(st.integers(0, len(values)), min_size=3, max_size=3)))
        bounds = [0, *cuts, len(values)]
        groups = [values[bounds[i] : bounds[i + 1]] for i in range(4)]
    return tuple(
        LevelData(
            number,
            draw(bilingual(names)),
            tuple(draw(st.lists(st.integers(1, 8), max_size=3))),
            tuple(groups[number - 1]),
        )
        for number in range(1, 5)
    )


@st.composite
def frameworks(draw: st.DrawFn, *, moodle: bool = False, max_depth: int = 5) -> FrameworkData:
    """A framework with areas (depth 1) and competence trees down to `max_depth`.

    With `moodle`, no role profiles or IT systems (Moodle CSV has no place for them).
    """
    budget = [draw(st.integers(0, 30))]

    def shape(depth: int) -> list[Any]:
        if depth > max_depth:
            return []
        count = draw(st.integers(0, 3 if depth <= 2 else 2))
        nodes = []
        for _index in range(count):
            if budget[0] <= 0:
                break
            budget[0] -= 1
            nodes.append(shape(depth + 1))
        return nodes

    area_shapes = [shape(2) for _index in range(draw(st.integers(0, 3)))]

    def count(nodes: list[Any]) -> int:
        return sum(1 + count(children) for children in nodes)

    total = len(area_shapes) + sum(count(nodes) for nodes in area_shapes)
    all_codes = iter(draw(st.lists(codes, min_size=total, max_size=total, unique=True)))
    area_codes = [next(all_codes) for _shape in area_shapes]
    competence_codes: list[str] = []

    def assign(nodes: list[Any]) -> list[tuple[str, Any]]:
        result = []
        for children in nodes:
            code = next(all_codes)
            competence_codes.append(code)
            result.append((code, assign(children)))
        return result

    trees = [assign(nodes) for nodes in area_shapes]

    def competence(code: str, children: list[tuple[str, Any]]) -> CompetenceData:
        others = [other for other in competence_codes if other != code]
        related = draw(st.lists(st.sampled_from(others), unique=True, max_size=3)) if others else []
        levels = sorted(draw(st.lists(st.integers(1, 4), unique=True, max_size=4)))
        return CompetenceData(
            code=code,
            name=draw(bilingual(names)),
            description=draw(bilingual(texts)),
            kind=draw(st.sampled_from(CompetenceKind.values)),
            digcomp=tuple(draw(st.lists(st.sampled_from(DIGCOMP_COMPETENCES), unique=True, max_size=3))),
            kl_wheel=tuple(draw(st.lists(st.sampled_from(KL_WHEEL_CODES), unique=True, max_size=3))),
            it_system_categories=tuple(draw(st.lists(slugs, unique=True, max_size=2))),
            descriptors=tuple(DescriptorData(level, draw(bilingual(names))) for level in levels),
            children=tuple(competence(child, grandchildren) for child, grandchildren in children),
            related=tuple(sorted(related)),
        )

    areas = tuple(
        AreaData(
            code=area_code,
            name=draw(bilingual(names)),
            description=draw(bilingual(texts)),
            competences=tuple(competence(code, children) for code, children in tree),
        )
        for area_code, tree in zip(area_codes, trees, strict=True)
    )
    it_systems: tuple[ITSystemData, ...] = ()
    role_profiles: tuple[RoleProfileData, ...] = ()
    if not moodle:
        system_codes = draw(st.lists(slugs, unique=True, max_size=3))
        it_systems = tuple(
            ITSystemData(
                code=code,
                category=draw(slugs),
                name=draw(bilingual(names)),
                vendor=draw(texts),
                job_functions=tuple(draw(st.lists(names, max_size=2))),
            )
            for code in system_codes
        )
        role_codes = draw(st.lists(slugs, unique=True, max_size=3))
        role_profiles = tuple(
            RoleProfileData(
                code=code,
                name=draw(bilingual(names)),
                description=draw(bilingual(texts)),
                job_function_names=tuple(draw(st.lists(names, max_size=2))),
                targets=tuple(
                    TargetData(target, draw(st.integers(1, 4)), draw(st.sampled_from(Criticality.values)))
                    for target in (
                        draw(st.lists(st.sampled_from(competence_codes), unique=True, max_size=4))
                        if competence_codes
                        else []
                    )
                ),
            )
            for code in role_codes
        )
    return FrameworkData(
        key=draw(keys),
        version=draw(st.integers(1, 50)),
        name=draw(bilingual(names)),
        description=draw(bilingual(texts)),
        levels=draw(level_sets()),
        areas=areas,
        it_systems=it_systems,
        role_profiles=role_profiles,
    )


def _depth(items: tuple[CompetenceData, ...]) -> int:
    return max((1 + _depth(item.children) for item in items), default=0)


# --- Pure: data → file → data -------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=frameworks())
def test_json_round_trip_gives_identical_data(data: FrameworkData) -> None:
    result = read_framework_file(write_framework_file(data, JSON), JSON)
    assert result.problems == []
    assert result.warnings == []
    assert result.data == data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=frameworks(moodle=True))
def test_moodle_round_trip_gives_identical_data(data: FrameworkData) -> None:
    result = read_framework_file(write_framework_file(data, MOODLE_CSV), MOODLE_CSV)
    assert [str(p) for p in result.problems] == []
    # The only remark on our own files: a framework whose areas are empty.
    assert all("øverste niveau" in w.message for w in result.warnings)
    assert result.data == data


def test_generated_frameworks_include_deep_trees_tricky_texts_and_moodle_scales() -> None:
    """A guard on the strategy itself: it reaches depth 5, texts with the characters that matter, and levels
    from a Moodle scale of other lengths than four."""
    seen_depth = 0
    seen_characters: set[str] = set()
    seen_scale_lengths: set[int] = set()

    @settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(data=frameworks())
    def collect(data: FrameworkData) -> None:
        nonlocal seen_depth
        seen_depth = max([seen_depth, *(1 + _depth(area.competences) for area in data.areas)])
        for item in data.all_competences():
            seen_characters.update(c for c in item.name.da + item.description.da if c in 'æøå,"\n<&;')
        seen_scale_lengths.add(sum(len(level.moodle_values) for level in data.levels))

    collect()
    assert seen_depth == 5
    assert set('æøå,"\n<&;') <= seen_characters
    assert 0 in seen_scale_lengths and seen_scale_lengths - {0, 4}


# --- Through the database: rows → file → rows ---------------------------------------------------------------


def _rows_round_trip(data: FrameworkData, file_format: str) -> None:
    with transaction.atomic():
        source = services.framework_create_from_data(organisation=OrganisationFactory(), data=data)
        exported = selectors.framework_as_data(framework=source)
        result = read_framework_file(write_framework_file(exported, file_format), file_format)
        assert [str(p) for p in result.problems] == []
        assert result.data is not None
        copy = services.framework_create_from_data(organisation=OrganisationFactory(), data=result.data)
        assert selectors.framework_as_data(framework=copy) == exported
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=frameworks())
def test_json_export_then_import_gives_identical_rows(data: FrameworkData) -> None:
    _rows_round_trip(data, JSON)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=frameworks(moodle=True))
def test_moodle_export_then_import_gives_identical_rows(data: FrameworkData) -> None:
    _rows_round_trip(data, MOODLE_CSV)


@pytest.mark.django_db
def test_default_framework_round_trips_through_moodle_without_role_profiles_and_it_systems() -> None:
    framework = services.default_framework_install(organisation=OrganisationFactory())
    data = selectors.framework_as_data(framework=framework)
    result = read_framework_file(write_framework_file(data, MOODLE_CSV), MOODLE_CSV)
    assert result.problems == [] and result.warnings == []
    assert result.data == dataclasses.replace(data, role_profiles=(), it_systems=())
