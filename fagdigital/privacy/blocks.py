"""Publication blocks: the groups every figure of a measurement round is a sum of.

The rule (docs/decisions/0010-publication-blocks.md). A round's participants are split, once, into
*blocks*: each block holds people of one role profile only, at least k of them, and lies inside the unit
where it is formed. Every figure any reader can get for the round — any unit, role-profile filter, source,
competence, level distribution, response rate, export — is a sum over whole blocks. Then any combination
of figures is also a sum over whole blocks, so no group smaller than a block (and so smaller than k) is
ever determined by what is shown, however the figures are added and subtracted. Because a block has one
role profile, its people share their target levels, so a block's level distribution and its share at
target say nothing more together than either says alone.

Blocks are formed bottom-up. At each unit the people placed directly in it and the people its child units
passed up are pooled by role profile; a role profile with at least k people in the pool becomes a block
there, the rest passes up to the parent. What is left at the top — fewer than k people of a role profile
that no unit below could place in a block — is in no block and in no figure. (Merging them into a block
formed lower down would take that block out of its own unit's figures; we keep the units' figures.)

So a unit's figure counts the blocks formed inside it: a team whose three nurses were passed up shows the
figure of its other people, and says how many of its participants its figure covers. People placed
directly in a unit with child units are a group of their own like any other: they form a block only if
there are k of them with the same role profile.

The function is pure and deterministic (same cells, same k, same blocks), so every view of a round sees
the same blocks; the blocks are stored when a round opens (privacy.services) so they never change after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

ROOT = ""  # the organisation itself: above every top unit


@dataclass(frozen=True)
class Cell:
    """The participants placed directly in one unit with one role profile ("" for none)."""

    unit_path: str
    role_code: str
    people: int


@dataclass
class Block:
    number: int
    home_path: str  # the unit where the block was formed ("" for the organisation)
    role_code: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def people(self) -> int:
        return sum(cell.people for cell in self.cells)

    @property
    def direct_only(self) -> bool:
        """Only people placed directly in the home unit (not passed up from units below it)."""
        return all(cell.unit_path == self.home_path for cell in self.cells)


@dataclass
class Partition:
    k: int
    blocks: list[Block]
    left_out: list[Cell]  # fewer than k of a role profile left over at the top: in no figure

    def block_of(self) -> dict[tuple[str, str], Block]:
        return {(cell.unit_path, cell.role_code): block for block in self.blocks for cell in block.cells}


def _parent(path: str, step: int) -> str:
    return path[:-step] if len(path) > step else ROOT


def build_blocks(cells: Iterable[Cell], *, k: int, step: int) -> Partition:
    """Blocks of at least k people of one role profile, formed as low in the tree as possible.

    `step` is the length of one level of the materialised path (orgs.PATH_STEP). Units without
    participants of their own still pool what their children pass up.
    """
    by_path: dict[str, list[Cell]] = defaultdict(list)
    for cell in cells:
        if cell.people > 0:
            by_path[cell.unit_path].append(cell)
    # Every ancestor of a unit with participants takes part, deepest first (ties in path order).
    paths = {ROOT}
    for path in by_path:
        paths.update(path[:end] for end in range(step, len(path) + 1, step))
    order = sorted(paths, key=lambda p: (-len(p), p))
    passed: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    blocks: list[Block] = []
    left_out: list[Cell] = []
    for path in order:
        pool = passed.pop(path, defaultdict(list))
        for cell in sorted(by_path.get(path, []), key=lambda c: c.role_code):
            pool[cell.role_code].append(cell)
        for role in sorted(pool):
            members = pool[role]
            if sum(c.people for c in members) >= k:
                blocks.append(Block(number=0, home_path=path, role_code=role, cells=members))
            elif path != ROOT:
                passed[_parent(path, step)][role].extend(members)
            else:
                left_out.extend(members)
    blocks.sort(key=lambda b: (b.home_path, b.role_code))
    for number, block in enumerate(blocks, start=1):
        block.number = number
        block.cells.sort(key=lambda c: (c.unit_path, c.role_code))
    return Partition(k=k, blocks=blocks, left_out=left_out)
