"""Property tests of the suppression rules over random trees: no shown figure covers 1 to k-1 people, and
no hidden figure can be recovered by subtracting shown ones, in any view or between views."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from fagdigital.analytics.anonymity import (
    ALL,
    DIRECT,
    Status,
    blocks_from_direct_counts,
    decide_chain,
    protect_equation,
)

K = 5
STEP = 2
CODES = ["a", "b", ""]


@st.composite
def trees(draw: st.DrawFn) -> dict[tuple[str, str], int]:
    """People placed directly in each unit per role code, for a random tree of up to 3 levels."""
    paths = [""]
    frontier = [""]
    for _depth in range(3):
        children = []
        for parent in frontier:
            for index in range(draw(st.integers(min_value=0, max_value=3))):
                children.append(f"{parent}{index:02d}")
        paths.extend(children)
        frontier = children
    counts: dict[tuple[str, str], int] = {}
    for path in paths[1:]:
        for code in CODES:
            counts[(path, code)] = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 14]))
    return counts


def views(counts: dict[tuple[str, str], int]) -> list[list[str]]:
    """Every unit's chain from the virtual organisation root ("")."""
    paths = sorted({path for path, _code in counts} | {""})
    return [[path[:end] for end in range(0, len(path) + 1, STEP)] for path in paths]


Cell = tuple[str, str]  # (unit path or path + "*", role code)


def collect(
    counts: dict[tuple[str, str], int], with_roles: bool
) -> tuple[dict[Cell, Status], list[tuple[Cell, list[Cell]]]]:
    """Statuses of every cell in every view, asserting they agree, and every equation shown anywhere."""
    seen: dict[Cell, Status] = {}
    equations: list[tuple[Cell, list[Cell]]] = []
    for chain in views(counts):
        blocks, keys = blocks_from_direct_counts(counts, chain, STEP)
        decided = decide_chain(blocks, keys, K)
        for path, level in zip(chain, decided, strict=True):
            cells: dict[Cell, Status] = {(path, code): status for code, status in level.total.items()}
            for part, row in level.parts.items():
                name = path + "*" if part == DIRECT else part
                cells.update({(name, code): status for code, status in row.items()})
            for cell, status in cells.items():
                if cell in seen:
                    assert seen[cell].hidden == status.hidden, f"{cell} differs between views"
                seen[cell] = status
            codes = [ALL, *sorted({c for row in level.parts.values() for c in row if c != ALL})]
            part_names = [path + "*" if part == DIRECT else part for part in level.parts]
            for code in codes if with_roles else [ALL]:
                equations.append(
                    ((path, code), [(name, code) for name in part_names if (name, code) in cells])
                )
            if with_roles:
                for name in part_names:
                    equations.append(((name, ALL), [(name, c) for c in codes[1:] if (name, c) in cells]))
    return seen, equations


def _atoms_of(cell: Cell, atoms: list[tuple[str, str]]) -> list[int]:
    name, code = cell
    direct = name.endswith("*")
    path = name.rstrip("*")
    return [
        i
        for i, (unit, atom_code) in enumerate(atoms)
        if (unit == path if direct else unit.startswith(path)) and code in (ALL, atom_code)
    ]


def leaked_small_groups(
    counts: dict[tuple[str, str], int], seen: dict[Cell, Status]
) -> list[list[tuple[str, str]]]:
    """Groups of 1 to k-1 people whose figures follow from the shown ones by any linear combination.

    An "atom" is the people placed directly in one unit with one role code. A shown figure tells the sum
    over its atoms; an attacker knows every linear combination of those. A small group leaks when its
    indicator vector lies in that span. The span is reduced (Gauss-Jordan, large atoms first), so the
    rows with pivots among the small atoms span exactly the combinations that involve small atoms only;
    every 0/1 vector in there is tried.
    """
    atoms = sorted((key for key, people in counts.items() if people > 0), key=lambda a: (counts[a] < K, a))
    small_from = next((i for i, a in enumerate(atoms) if counts[a] < K), len(atoms))
    rows = []
    for cell, status in seen.items():
        if status.hidden or status.people == 0:
            continue
        row = [Fraction(0)] * len(atoms)
        for i in _atoms_of(cell, atoms):
            row[i] = Fraction(1)
        rows.append(row)
    pivots: list[int] = []
    rank = 0
    for column in range(len(atoms)):
        found = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[rank], rows[found] = rows[found], rows[rank]
        rows[rank] = [value / rows[rank][column] for value in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(column)
        rank += 1
    small_rows = [rows[i] for i, column in enumerate(pivots) if column >= small_from]
    assert len(small_rows) <= 16, "too many to enumerate; shrink the generated trees"
    leaks = []
    for choice in range(1, 2 ** len(small_rows)):
        vector = [Fraction(0)] * len(atoms)
        for bit, row in enumerate(small_rows):
            if choice >> bit & 1:
                vector = [a + b for a, b in zip(vector, row, strict=True)]
        if all(value in (0, 1) for value in vector):
            group = [atoms[i] for i, value in enumerate(vector) if value == 1]
            if 0 < sum(counts[a] for a in group) < K:
                leaks.append(group)
    return leaks


def subtraction_recovers(seen: dict[Cell, Status], equations: list[tuple[Cell, list[Cell]]]) -> set[Cell]:
    """Hidden cells found by subtracting: repeatedly solve any sum with exactly one hidden term."""
    known = {cell for cell, status in seen.items() if not status.hidden or status.people == 0}
    recovered: set[Cell] = set()
    progress = True
    while progress:
        progress = False
        for total, parts in equations:
            unknown = [cell for cell in (total, *parts) if cell not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                recovered.add(unknown[0])
                progress = True
    return recovered


@settings(max_examples=300, deadline=None)
@given(counts=trees())
def test_subtracting_shown_figures_recovers_no_hidden_one(counts: dict[tuple[str, str], int]) -> None:
    """Parent minus children, siblings, and the role-profile filter against "all", in every view."""
    seen, equations = collect(counts, with_roles=True)
    for cell, status in seen.items():
        assert status.hidden or status.people == 0 or status.people >= K, (
            f"{cell} shows {status.people} people"
        )
    assert not subtraction_recovers(seen, equations)
    # When a total is shown, what its hidden parts add up to is itself a group of at least k.
    for total, parts in equations:
        if not seen[total].hidden:
            hidden = sum(seen[p].people for p in parts if seen[p].hidden)
            assert hidden == 0 or hidden >= K


@settings(max_examples=300, deadline=None)
@given(counts=trees())
def test_no_combination_of_unit_figures_reveals_a_small_group(counts: dict[tuple[str, str], int]) -> None:
    """Over the unit tree (all role profiles together), no linear combination of shown figures at all
    gives the figures of 1 to k-1 people: below a hidden unit everything stays hidden."""
    seen, _equations = collect(counts, with_roles=False)
    tree_only = {cell: status for cell, status in seen.items() if cell[1] == ALL}
    people_per_unit: dict[tuple[str, str], int] = {}
    for (path, _code), people in counts.items():
        people_per_unit[(path, ALL)] = people_per_unit.get((path, ALL), 0) + people
    assert not leaked_small_groups(people_per_unit, tree_only)


def test_one_small_sibling_hides_the_next_smallest_too() -> None:
    total = Status(20)
    small, medium, large = Status(2), Status(6), Status(12)
    for status in (small,):
        status.hide("small")
    protect_equation(total, [small, medium, large], K)
    assert (small.hidden, medium.hidden, large.hidden) == (True, True, False)


def test_two_small_siblings_that_together_are_fewer_than_k_hide_a_third() -> None:
    total = Status(30)
    parts = [Status(1, True, "small"), Status(2, True, "small"), Status(7), Status(20)]
    protect_equation(total, parts, K)
    assert [p.hidden for p in parts] == [True, True, True, False]


def test_a_small_unit_and_its_smallest_sibling_are_hidden_in_the_organisation_view() -> None:
    counts = {("01", "a"): 3, ("02", "a"): 7, ("03", "b"): 12}
    blocks, keys = blocks_from_direct_counts(counts, [""], STEP)
    (level,) = decide_chain(blocks, keys, K)
    assert {key: row[ALL].hidden for key, row in level.parts.items()} == {"01": True, "02": True, "03": False}
    assert not level.total[ALL].hidden
