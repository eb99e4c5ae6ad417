"""Exact disclosure check of a linear system of published figures (rationals, python-flint).

A reader sees figures; each is a linear function of people's data. Variables are indicators
`(person, family, level)` (family: a round and source, or a round and instrument for response status),
and a figure is a row of coefficients over them. A *group* G of people is determined when one of its
functionals — how many of G have data in a family, how many are at each level, how many are at or above
their target — is a linear combination of the rows. The check answers, exactly: is any group of 1 to k-1
people determined?

Method (no enumeration of all subsets of people):

1. People with identical coefficients in every row, the same target and the same variables are
   interchangeable: every combination of rows gives them equal weight, so a determined group is a union of
   such *atoms* (the map from atom-level coordinates to person-level ones is injective, so membership
   can be decided on atoms exactly).
2. Only atoms smaller than k can be in a group of 1..k-1. With the columns of the large atoms first, the
   rows of the reduced row echelon form whose pivot lies in a small atom's column have no large-atom
   entries, and they span exactly the combinations that involve small atoms only (W).
3. Unions of small atoms in W's support with 1..k-1 people are tried against W.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import flint

Var = tuple[Hashable, Hashable, int]  # (person, family, level)
Row = Mapping[Var, int]
LEVELS = (1, 2, 3, 4)
MAX_CANDIDATES = 200_000


@dataclass(frozen=True)
class Disclosure:
    people: frozenset[Hashable]
    family: Hashable
    kind: str  # "count", "level <n>" or "at target"


@dataclass
class Result:
    disclosures: list[Disclosure]
    atoms: int
    small_atoms: int
    rank: int
    w_dimension: int
    rows: int = 0
    columns: int = 0
    details: list[str] = field(default_factory=list)


def _atoms(
    rows: Sequence[Row], targets: Mapping[tuple[Hashable, Hashable], int | None]
) -> dict[Hashable, tuple[Hashable, ...]]:
    """Each person's signature: every (row, family, level, coefficient) and their targets per family."""
    signature: dict[Hashable, list[tuple[object, ...]]] = defaultdict(list)
    for index, row in enumerate(rows):
        for (person, family, level), coefficient in row.items():
            if coefficient:
                signature[person].append((index, family, level, coefficient))
    result = {}
    for person, parts in signature.items():
        families = sorted({part[1] for part in parts}, key=repr)
        result[person] = (
            tuple(sorted(parts, key=repr)),
            tuple((family, targets.get((person, family))) for family in families),
        )
    return result


def components(rows: Iterable[Row]) -> list[list[Row]]:
    """Rows split into groups that share no family of variables (each is checked on its own: a
    combination across groups cannot cancel variables it does not share)."""
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows_list = [row for row in rows if row]
    for row in rows_list:
        families = [family for (_person, family, _level) in row]
        for family in families[1:]:
            parent[find(family)] = find(families[0])
    grouped: dict[Hashable, list[Row]] = defaultdict(list)
    for row in rows_list:
        grouped[find(next(iter(row))[1])].append(row)
    return list(grouped.values())


def check(
    rows: Iterable[Row],
    *,
    k: int,
    targets: Mapping[tuple[Hashable, Hashable], int | None] | None = None,
    sizes: Mapping[Hashable, int] | None = None,
) -> Result:
    """Every group of 1..k-1 people whose count, level counts or count at target in some family is
    determined by the rows. `targets` gives (person, family) → target level, for "at target".

    A "person" may stand for several interchangeable people (the same coefficients in every row, the same
    target): `sizes` says how many (default 1). Each variable is then the sum over them."""
    total = Result(disclosures=[], atoms=0, small_atoms=0, rank=0, w_dimension=0)
    for part in components(rows):
        result = _check(part, k=k, targets=targets or {}, sizes=sizes or {})
        total.disclosures += result.disclosures
        total.atoms += result.atoms
        total.small_atoms += result.small_atoms
        total.rank += result.rank
        total.w_dimension += result.w_dimension
        total.rows += result.rows
        total.columns += result.columns
    return total


def _check(
    rows: Sequence[Row],
    *,
    k: int,
    targets: Mapping[tuple[Hashable, Hashable], int | None],
    sizes: Mapping[Hashable, int],
) -> Result:
    unique = {tuple(sorted((v, c) for v, c in row.items() if c)) for row in rows}
    rows_list = [dict(items) for items in unique if items]
    signatures = _atoms(rows_list, targets)
    atom_of: dict[Hashable, int] = {}
    members: dict[int, list[Hashable]] = defaultdict(list)
    numbering: dict[tuple[Hashable, ...], int] = {}
    for person, signature in sorted(signatures.items(), key=lambda item: repr(item[0])):
        number = numbering.setdefault(signature, len(numbering))
        atom_of[person] = number
        members[number].append(person)
    # Atom-level rows: the coefficient of any member (they are all equal by construction).
    compressed: list[dict[tuple[int, Hashable, int], int]] = []
    for row in rows_list:
        atom_row: dict[tuple[int, Hashable, int], int] = {}
        for (person, family, level), coefficient in row.items():
            atom_row[(atom_of[person], family, level)] = coefficient
        compressed.append(atom_row)
    size_of = {atom: sum(sizes.get(p, 1) for p in people) for atom, people in members.items()}
    small = {atom for atom, size in size_of.items() if size < k}
    columns = sorted({column for row in compressed for column in row}, key=lambda c: (c[0] in small, repr(c)))
    large_count = sum(1 for column in columns if column[0] not in small)
    index = {column: position for position, column in enumerate(columns)}
    result = Result(disclosures=[], atoms=len(members), small_atoms=len(small), rank=0, w_dimension=0)
    result.rows, result.columns = len(compressed), len(columns)
    if not compressed or not small:
        return result
    matrix = flint.fmpq_mat(len(compressed), len(columns))
    for i, row in enumerate(compressed):
        for column, coefficient in row.items():
            matrix[i, index[column]] = coefficient
    reduced, rank = matrix.rref()
    result.rank = rank
    basis: list[dict[int, Fraction]] = []
    pivots: list[int] = []
    width = len(columns)
    flat = reduced.entries()
    for i in range(rank):
        values = flat[i * width : (i + 1) * width]
        entries = {j: Fraction(int(v.p), int(v.q)) for j, v in enumerate(values) if v != 0}
        pivot = min(entries)
        if pivot >= large_count:
            basis.append(entries)
            pivots.append(pivot)
    result.w_dimension = len(basis)
    if not basis:
        return result
    support_atoms = sorted({columns[j][0] for row in basis for j in row})
    families: dict[int, set[Hashable]] = defaultdict(set)
    for row in basis:
        for j in row:
            families[columns[j][0]].add(columns[j][1])
    candidates = 0
    for size in range(1, k):
        for group in itertools.combinations(support_atoms, size):
            people = sum(size_of[a] for a in group)
            if people >= k:
                continue
            for family in set().union(*(families[a] for a in group)):
                for kind, wanted in _kinds(group, family, members, targets):
                    candidates += 1
                    if candidates > MAX_CANDIDATES:
                        raise RuntimeError("too many candidate groups for an exact check")
                    vector = {index[c]: Fraction(w) for c, w in wanted.items() if c in index}
                    if len(vector) != len(wanted):
                        continue  # a variable no figure touches cannot be determined
                    if _in_span(vector, basis, pivots):
                        result.disclosures.append(
                            Disclosure(
                                people=frozenset(p for a in group for p in members[a]),
                                family=family,
                                kind=kind,
                            )
                        )
    return result


def _kinds(
    group: Sequence[int],
    family: Hashable,
    members: Mapping[int, list[Hashable]],
    targets: Mapping[tuple[Hashable, Hashable], int | None],
) -> Iterable[tuple[str, dict[tuple[int, Hashable, int], int]]]:
    yield "count", {(a, family, level): 1 for a in group for level in LEVELS}
    for level in LEVELS:
        yield f"level {level}", {(a, family, level): 1 for a in group}
    atom_targets = {a: targets.get((members[a][0], family)) for a in group}
    if all(t is not None for t in atom_targets.values()):
        yield (
            "at target",
            {(a, family, level): 1 for a in group for level in LEVELS if level >= (atom_targets[a] or 0)},
        )


def _in_span(
    vector: dict[int, Fraction], basis: Sequence[dict[int, Fraction]], pivots: Sequence[int]
) -> bool:
    rest = dict(vector)
    for row, pivot in zip(basis, pivots, strict=True):
        factor = rest.get(pivot)
        if not factor:
            continue
        for j, value in row.items():
            updated = rest.get(j, Fraction(0)) - factor * value
            if updated:
                rest[j] = updated
            else:
                rest.pop(j, None)
    return not rest


def in_span(rows: Iterable[Row], functional: Row) -> bool:
    """Whether one functional is a linear combination of the rows (exact rank comparison), using only the
    rows that share variables with it, directly or through other rows."""
    families = {family for (_person, family, _level) in functional}
    rows_list = [
        dict(row)
        for part in components(rows)
        if any(variable[1] in families for row in part for variable in row)
        for row in part
    ]
    columns = sorted({v for row in [*rows_list, functional] for v in row}, key=repr)
    index = {column: position for position, column in enumerate(columns)}

    def rank_of(matrix_rows: Sequence[Row]) -> int:
        if not matrix_rows:
            return 0
        matrix = flint.fmpq_mat(len(matrix_rows), len(columns))
        for i, row in enumerate(matrix_rows):
            for column, coefficient in row.items():
                matrix[i, index[column]] = coefficient
        return int(matrix.rank())

    unique = [dict(items) for items in {tuple(sorted(row.items(), key=repr)) for row in rows_list}]
    return rank_of(unique) == rank_of([*unique, functional])
