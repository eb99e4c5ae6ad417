"""The competency tree of a Moodle file: ID numbers, parents, cycles, depth — and how it becomes areas and
competences (decision 0014).

fagdigital measures the competences directly below a focus area. A tree fagdigital wrote itself keeps its
shape (its sub-competences were made in fagdigital). A tree from Moodle is flattened: each top-level
competency becomes a focus area, and every competency below it, however deep, a competence of that area in
the tree's order, so every Moodle competency can be assessed. Deeper ones keep their place in Moodle as a
path in their description. A framework with only top-level competencies becomes one focus area holding them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .report import Report, Row


@dataclass
class Item:
    """A competency row on its way to becoming an area or a competence."""

    row: Row
    code: str
    parent: str | None
    depth: int = 0
    children: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Placed:
    """A competency flattened into its area, with the competencies above it (below the area) in order."""

    item: Item
    ancestors: tuple[Item, ...]


def build_tree(
    report: Report, rows: list[Row], key: str, *, max_depth: int | None
) -> tuple[list[Item], dict[str, Item]]:
    """Check ID numbers, parents and cycles; the top-level items with their children in file order, and all
    items by ID number. Items deeper than `max_depth` (None: no limit) are problems."""
    items = _items(report, rows)
    broken = _unknown_parents(report, items, key)
    _depths(report, items, broken)
    roots = []
    for item in items.values():
        if item.code in broken:
            continue
        if max_depth is not None and item.depth > max_depth:
            if items[item.parent or ""].depth == max_depth:
                report.problem(
                    item.row.line,
                    _("kompetencen ligger %(depth)s niveauer nede; fagdigital tillader højst %(max)s.")
                    % {"depth": item.depth, "max": max_depth},
                )
            continue
        if item.parent is None:
            roots.append(item)
        else:
            items[item.parent].children.append(item)
    return roots, items


def _items(report: Report, rows: list[Row]) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for row in rows:
        code = row.get("idnumber").strip()
        if not code:
            report.problem(
                row.line, _("ID-nummer mangler. Giv kompetencen et ID-nummer, der er entydigt i filen.")
            )
        elif code in items:
            report.problem(
                row.line,
                _(
                    "ID-nummeret »%(code)s« bruges også i linje %(other)s. Giv hver kompetence sit eget "
                    "ID-nummer."
                )
                % {"code": code, "other": items[code].row.line},
            )
        else:
            items[code] = Item(row, code, row.get("parentidnumber").strip() or None)
    return items


def _unknown_parents(report: Report, items: dict[str, Item], key: str) -> set[str]:
    broken: set[str] = set()
    for item in items.values():
        if item.parent is None or item.parent in items:
            continue
        broken.add(item.code)
        if item.parent == key:
            report.problem(
                item.row.line,
                _(
                    "overordnet ID-nummer »%(parent)s« er rammens eget ID-nummer. Lad »Parent ID "
                    "number« være tom for kompetencer på øverste niveau."
                )
                % {"parent": item.parent},
            )
        else:
            report.problem(
                item.row.line,
                _(
                    "overordnet ID-nummer »%(parent)s« findes ikke i filen. Ret ID-nummeret, eller tilføj "
                    "kompetencen."
                )
                % {"parent": item.parent},
            )
    return broken


def _depths(report: Report, items: dict[str, Item], broken: set[str]) -> None:
    """Depth of every item (1 on the top level); a chain of parents that returns to itself is a cycle."""
    for item in items.values():
        chain: list[Item] = []
        in_chain: set[str] = set()
        current: Item | None = item
        while current is not None and current.depth == 0 and current.code not in broken:
            if current.code in in_chain:
                cycle = chain[[c.code for c in chain].index(current.code) :]
                first = min(cycle, key=lambda c: c.row.line)
                report.problem(
                    first.row.line,
                    _(
                        "kompetencerne danner en løkke af overordnede: %(cycle)s. Giv én af dem en anden "
                        "overordnet, eller lad dens »Parent ID number« være tom."
                    )
                    % {"cycle": " → ".join(f"»{c.code}«" for c in [*cycle, cycle[0]])},
                )
                broken.update(in_chain)
                break
            chain.append(current)
            in_chain.add(current.code)
            current = items[current.parent] if current.parent is not None else None
        else:
            if current is not None and current.code in broken:
                broken.update(in_chain)  # hangs below an item with an error of its own
                continue
            base = 0 if current is None else current.depth
            for depth, member in enumerate(reversed(chain), start=base + 1):
                member.depth = depth


def flattened(root: Item) -> list[Placed]:
    """Everything below a top-level item, depth first in file order, each with the items above it."""
    placed: list[Placed] = []
    pending: list[tuple[Item, tuple[Item, ...]]] = [(child, ()) for child in reversed(root.children)]
    while pending:
        item, ancestors = pending.pop()
        placed.append(Placed(item, ancestors))
        pending += [(child, (*ancestors, item)) for child in reversed(item.children)]
    return placed
