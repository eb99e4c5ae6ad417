"""The row generators: deterministic, realistic in shape, and valid input for the people import."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fagdigital.demo.generator import (
    LEADER_FUNCTIONS,
    demo_rows,
    demo_tree,
    generate_rows,
    nabo_rows,
    rows_from_tree,
    walk,
)
from fagdigital.demo.names import ascii_fold, email_local_part
from fagdigital.orgs.people_import import ImportRow, check_rows

EMAIL = re.compile(r"^[a-z-]+\.[a-z-]+\.\d{3,}@[a-z]+\.dk$")


def assert_valid(rows: Sequence[ImportRow]) -> None:
    """What the people import needs and the demo promises: one leader per unit, unique keys, whole paths."""
    units = {row.unit_path for row in rows}
    leaders = Counter(row.unit_path for row in rows if row.is_leader)
    assert leaders == Counter(dict.fromkeys(units, 1)), "every unit has exactly one leader"
    assert all(row.job_function in LEADER_FUNCTIONS for row in rows if row.is_leader)
    assert not any(row.job_function in LEADER_FUNCTIONS for row in rows if not row.is_leader)
    assert len({row.employee_number for row in rows}) == len(rows)
    assert len({row.email for row in rows}) == len(rows)
    assert all(EMAIL.match(row.email) for row in rows), [
        row.email for row in rows if not EMAIL.match(row.email)
    ][:3]
    ids: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in rows:
        ids[row.unit_path].add(row.unit_external_id)
    assert all(len(found) == 1 for found in ids.values()), "one external id per unit"
    assert len({next(iter(found)) for found in ids.values()}) == len(units), "external ids are unique"
    for path in units:
        assert all(path[:level] in units for level in range(1, len(path))), f"{path}: every ancestor has rows"
    assert [row.line for row in rows] == list(range(2, len(rows) + 2))
    assert [problem.message for problem in check_rows(rows)] == [], "the people import accepts the rows"


def test_generate_rows_is_deterministic_per_seed() -> None:
    first = generate_rows(employees=3_000, seed=7)
    assert first == generate_rows(employees=3_000, seed=7)
    other = generate_rows(employees=3_000, seed=8)
    assert [row.name for row in other] != [row.name for row in first]
    assert {row.unit_path for row in other} != {row.unit_path for row in first}


@pytest.mark.parametrize("employees", [900, 9_000, 45_000])
def test_generate_rows_scales_units_with_employees(employees: int) -> None:
    rows = generate_rows(employees=employees, seed=1)
    assert len(rows) == employees
    units = {row.unit_path for row in rows}
    assert len(units) == pytest.approx(employees / 18, rel=0.02)
    assert max(len(path) for path in units) == 5
    assert_valid(rows)


def test_generate_rows_for_45000_looks_like_a_municipality() -> None:
    rows = generate_rows(employees=45_000, seed=1)
    units = {row.unit_path for row in rows}
    assert 2_400 <= len(units) <= 2_600
    by_department = Counter(row.unit_path[0] for row in rows)
    assert by_department.most_common(2)[0][0] == "Social og Sundhed"
    assert by_department["Social og Sundhed"] > 10 * by_department["Borgerservice"]
    functions = Counter(row.job_function for row in rows)
    for common in ("Social- og sundhedsassistent", "Pædagog", "Lærer", "Sygeplejerske", "Socialrådgiver"):
        assert functions[common] > 1_000, common


@settings(max_examples=40, deadline=None)
@given(
    employees=st.integers(min_value=1, max_value=400),
    seed=st.integers(min_value=0, max_value=10_000),
    depth=st.integers(min_value=1, max_value=7),
)
def test_generate_rows_is_valid_for_any_size(employees: int, seed: int, depth: int) -> None:
    rows = generate_rows(employees=employees, seed=seed, depth=depth)
    assert len(rows) == employees
    assert max(len(row.unit_path) for row in rows) <= depth
    assert_valid(rows)


def test_generate_rows_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="employees"):
        generate_rows(employees=0, seed=1)
    with pytest.raises(ValueError, match="depth"):
        generate_rows(employees=10, seed=1, depth=0)


def test_demo_rows_are_demo_kommune() -> None:
    rows = demo_rows()
    assert rows == demo_rows()
    assert 1_900 <= len(rows) <= 2_100
    assert_valid(rows)
    units = {row.unit_path for row in rows}
    for path in [
        ("Direktion",),
        ("Social og Sundhed", "Hjemmeplejen", "Område Nord", "Team Nord 1"),
        ("Social og Sundhed", "Plejecentre", "Plejecenter Egely", "Afsnit Bøgen"),
        ("Social og Sundhed", "Sygeplejen"),
        ("Social og Sundhed", "Træning og Rehabilitering"),
        ("Social og Sundhed", "Myndighed", "Visitationen"),
        ("Børn og Unge", "Skoler", "Nordskolen", "Indskolingen"),
        ("Børn og Unge", "Dagtilbud", "Børnehuset Mælkebøtten"),
        ("Børn og Unge", "Familieafdelingen"),
        ("Beskæftigelse", "Jobcenter", "Jobafklaring"),
        ("Beskæftigelse", "Ydelsesafdelingen"),
        ("Borgerservice",),
        ("Teknik og Miljø",),
        ("Administration", "HR"),
        ("Administration", "Digitalisering og IT"),
    ]:
        assert path in units, path
    assert max(len(path) for path in units) == 4
    assert all(row.email.endswith("@demokommune.dk") for row in rows)
    team = [row.job_function for row in rows if row.unit_path[-1] == "Team Nord 1"]
    assert set(team) == {
        "Teamleder",
        "Social- og sundhedshjælper",
        "Social- og sundhedsassistent",
        "Sygeplejerske",
    }


def test_nabo_rows_are_small_and_separate() -> None:
    rows = nabo_rows()
    assert 50 <= len(rows) <= 70
    assert_valid(rows)
    assert all(row.email.endswith("@nabokommune.dk") for row in rows)
    demo_ids = {row.unit_external_id for row in demo_rows()}
    assert not demo_ids & {row.unit_external_id for row in rows}


def test_names_seed_changes_people_not_structure() -> None:
    one = rows_from_tree(demo_tree(), seed=1, email_domain="x.dk", external_id_prefix="x")
    two = rows_from_tree(demo_tree(), seed=2, email_domain="x.dk", external_id_prefix="x")
    assert [row.unit_path for row in one] == [row.unit_path for row in two]
    assert [row.name for row in one] != [row.name for row in two]
    assert sum(unit.head_count for _path, unit in walk(demo_tree())) == len(one)


def test_email_folding() -> None:
    assert ascii_fold("Søren Æbelø Ågård") == "Soeren Aebeloe Aagaard"
    assert ascii_fold("José Müller") == "Jose Muller"
    assert email_local_part(first_name="Anne-Marie", surname="Østergaard") == "anne-marie.oestergaard"
