"""Anonymity rules of DESIGN.md §2 as pure functions: minimum group size and complementary suppression.

Figures live in tables with sums: a unit's subtree = its children's subtrees + the people placed directly
in it (the tree equation), and a unit's "all role profiles" = the sum over its role profiles (the role
equation). Anyone who sees a total and all but one of its parts can subtract. So, for every equation:

- a part covering 1 to k-1 people is hidden (primary suppression);
- if the total is shown, the hidden parts are none, or at least two that together cover at least k people
  (else "total minus the shown parts" reveals a small group or a single hidden part);
- if the total is hidden, at least one part is hidden too (else the parts add up to it).

Hiding more (complementary suppression) picks the smallest shown part first. A zero is shown as a zero:
it hides nobody.

A cell must be hidden in every view or in none, or two views could be subtracted. Decisions are therefore
made top-down along the path from the root to the unit being viewed, each level seeing only its own
block (the unit's parts by role profile, with the unit's own cells already decided above). The same cell
is always decided in the same block with the same inputs, so every view agrees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ALL = "__all__"  # the role-profile key for "all role profiles" ("" is "no role profile")


class Reason:
    SMALL = "small"  # fewer than k people
    COMPLEMENT = "complement"  # hidden so that another hidden figure cannot be derived


@dataclass(eq=False)
class Status:
    people: int
    hidden: bool = False
    reason: str = ""
    # Shown because it is the same group as a figure decided (and shown) one level up.
    locked: bool = False

    def hide(self, reason: str) -> None:
        if not self.hidden:
            self.hidden, self.reason = True, reason


def _primary(people: int, k: int) -> Status:
    status = Status(people)
    if 0 < people < k:
        status.hide(Reason.SMALL)
    return status


def _equation_ok(total: Status, parts: Sequence[Status], k: int) -> bool:
    hidden = [p for p in parts if p.hidden and p.people > 0]
    if total.hidden:
        return total.people == 0 or bool(hidden)
    return not hidden or (len(hidden) >= 2 and sum(p.people for p in hidden) >= k)


def protect_equation(total: Status, parts: Sequence[Status], k: int, *, total_may_hide: bool = False) -> bool:
    """Hide parts until `total = sum(parts)` reveals nothing; returns whether anything changed.

    When no part is left to hide, the total is hidden instead if `total_may_hide` (a row total inside a
    block); a total decided one level up is never changed here.
    """
    changed = False
    while not _equation_ok(total, parts, k):
        candidates = sorted(
            (p for p in parts if not p.hidden and not p.locked and p.people > 0), key=lambda p: p.people
        )
        if candidates:
            candidates[0].hide(Reason.COMPLEMENT)
        elif total_may_hide and not total.hidden and not total.locked:
            total.hide(Reason.COMPLEMENT)
        else:
            break
        changed = True
    return changed


@dataclass
class Block:
    """One level of the tree: a unit's subtree counts and its parts' counts, per role profile.

    `parts` maps a part key (a child unit's path, or DIRECT for the people placed in the unit itself) to
    people per role profile code; `ALL` is the sum over role profiles.
    """

    total: Mapping[str, int]
    parts: Mapping[str, Mapping[str, int]]


DIRECT = "*"


@dataclass
class Decided:
    """Statuses for one level: the unit's own cells and its parts' cells, per role profile code."""

    total: dict[str, Status] = field(default_factory=dict)
    parts: dict[str, dict[str, Status]] = field(default_factory=dict)


def _role_codes(block: Block) -> list[str]:
    codes = {code for code in block.total if code != ALL}
    for counts in block.parts.values():
        codes.update(code for code in counts if code != ALL)
    return sorted(codes)


def _decide_block(
    total: dict[str, Status], rows: dict[str, dict[str, Status]], codes: list[str], k: int
) -> None:
    """Protect one block: a column equation per role code (and "all"), a row equation per part."""
    columns = [ALL, *codes]
    # A part that holds everyone of a column is the same group as the column total: same status.
    for code in columns:
        nonzero = [row[code] for row in rows.values() if row[code].people > 0]
        if len(nonzero) == 1 and nonzero[0].people == total[code].people:
            nonzero[0].hidden, nonzero[0].reason = total[code].hidden, total[code].reason
            nonzero[0].locked = True
    # Inside a part, a role code holding all its people is the same group as the part's "all" cell.
    links = []
    for row in rows.values():
        nonzero = [row[code] for code in codes if row[code].people > 0]
        if len(nonzero) == 1 and nonzero[0].people == row[ALL].people:
            links.append((row[ALL], nonzero[0]))
    for first, second in links:
        if first.locked or second.locked:
            # One of them repeats a figure decided above, so both must keep that decision.
            source = first if first.locked else second
            for cell in (first, second):
                cell.hidden, cell.reason, cell.locked = source.hidden, source.reason, True
    changed = True
    while changed:
        changed = False
        # A hidden part keeps its role breakdown hidden too, for the same reason as below a hidden unit.
        for row in rows.values():
            if row[ALL].hidden:
                for code in codes:
                    if not row[code].hidden and not row[code].locked:
                        row[code].hide(Reason.COMPLEMENT)
                        changed = True
        for first, second in links:
            for one, other in ((first, second), (second, first)):
                if one.hidden and not other.hidden and not other.locked:
                    other.hide(Reason.COMPLEMENT)
                    changed = True
        for code in columns:
            changed |= protect_equation(total[code], [row[code] for row in rows.values()], k)
        for row in rows.values():
            if codes:
                changed |= protect_equation(row[ALL], [row[c] for c in codes], k, total_may_hide=True)


def decide_chain(blocks: Sequence[Block], path_keys: Sequence[str], k: int) -> list[Decided]:
    """Decide every cell along a chain of blocks, root first.

    `blocks[i]` is the block of the unit at depth i of the chain; `path_keys[i]` (for i ≥ 1) is the part
    key of that unit inside `blocks[i - 1]`. Role-profile cells are always decided with the "all" cells,
    since hiding one can require hiding the other.
    """
    decided: list[Decided] = []
    for index, block in enumerate(blocks):
        codes = _role_codes(block)
        level = Decided()
        if index == 0:
            level.total = {code: _primary(block.total.get(code, 0), k) for code in [ALL, *codes]}
            protect_equation(level.total[ALL], [level.total[c] for c in codes], k, total_may_hide=True)
        else:
            above = decided[index - 1].parts.get(path_keys[index], {})
            level.total = {
                code: above.get(code) or _primary(block.total.get(code, 0), k) for code in [ALL, *codes]
            }
        for key, counts in block.parts.items():
            level.parts[key] = {code: _primary(counts.get(code, 0), k) for code in [ALL, *codes]}
        # Below a hidden figure everything of it stays hidden: otherwise the figure above, minus the
        # shown figures inside the hidden one, would reveal the rest of it.
        for row in level.parts.values():
            for code in [ALL, *codes]:
                if level.total[code].hidden or level.total[ALL].hidden:
                    row[code].hide(Reason.COMPLEMENT)
        _decide_block(level.total, level.parts, codes, k)
        decided.append(level)
    return decided


def blocks_from_direct_counts(
    direct: Mapping[tuple[str, str], int], chain: Sequence[str], step: int
) -> tuple[list[Block], list[str]]:
    """Blocks along `chain` (unit paths, root first) from people per (unit path, role code) placed directly.

    Used where all counts are at hand (tests, small organisations); the dashboards build the same blocks
    from SQL aggregates.
    """
    blocks: list[Block] = []
    for path in chain:
        total: dict[str, int] = {}
        parts: dict[str, dict[str, int]] = {}
        for (unit_path, code), people in direct.items():
            if not unit_path.startswith(path) or people == 0:
                continue
            key = DIRECT if unit_path == path else unit_path[: len(path) + step]
            for bucket in (total, parts.setdefault(key, {})):
                bucket[code] = bucket.get(code, 0) + people
                bucket[ALL] = bucket.get(ALL, 0) + people
        blocks.append(Block(total=total, parts=parts))
    return blocks, list(chain)
