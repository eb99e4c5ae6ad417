"""What a reader can see of a closed round, derived independently from the raw rows and decision 0010.

For every figure the dashboards can show a reader — every unit in the reader's scope; its total, child
units, people placed directly in it and people pooled across its child units; every role-profile filter;
every source — the oracle says which people it sums and what its values are, computed here from the
participants, their evidence, their targets and the stored blocks. The tests then check (1) that the
product's pages show exactly these values, and (2) with `disclosure.check`, that no combination of all of
them determines a group of fewer than k people. Each figure is a row per kind (people with a level, at
each level, with a target, at or above it, levels missing) — more than the pages show, so the check is
made against a stronger reader than the real one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from fagdigital.analytics import selectors
from fagdigital.assessments import evidence_rule
from fagdigital.assessments.models import Campaign, Evidence, Participant, Visibility
from fagdigital.frameworks.models import Competence, Framework, RoleTarget
from fagdigital.orgs.models import OrgUnit
from fagdigital.privacy.models import PartitionCell
from fagdigital.privacy.rules import min_group
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation

from .disclosure import LEVELS, Row

SINGLE = ("test", "leader", "self")  # the estimate's order (DESIGN.md §2)
SOURCES = ("estimate", "self", "leader", "test")
TOTAL, DIRECT, ACROSS = "total", "direct", "across"

Key = tuple[str, str, str | None, str, str]  # (unit path, part, role filter, source, competence code)


@dataclass
class Round:
    campaign: Campaign
    k: int
    person_block: dict[int, tuple[int, str, bool, str]]  # person → (block, home path, direct only, role)
    levels: dict[tuple[int, int, str], int]  # (person, competence id, single source) → level
    competences: dict[int, str]  # id → code (the round's version)


def load_round(campaign: Campaign) -> Round:
    cells = {
        (c.unit_path, c.role_code): (c.block, c.home_path, c.direct_only)
        for c in PartitionCell.objects.filter(partition__key=f"campaign:{campaign.pk}")
    }
    person_block = {}
    for person_id, path, role in Participant.objects.filter(campaign=campaign).values_list(
        "person_id", "unit_path", "role_profile_code"
    ):
        block, home, direct = cells.get((path, role), (0, "", False))
        person_block[person_id] = (block, home, direct, role)
    latest: dict[tuple[int, int, str], tuple[object, int, int]] = {}
    sources = list(SINGLE)
    if campaign.visibility == Visibility.ANONYMOUS:
        sources.remove("leader")
    for person, competence, source, level, observed, pk in Evidence.objects.filter(
        campaign=campaign, source__in=sources
    ).values_list("person_id", "competence_id", "source", "level", "observed_on", "pk"):
        key = (person, competence, source)
        if key not in latest or (observed, pk) > latest[key][:2]:  # type: ignore[operator]
            latest[key] = (observed, pk, level)
    competences = dict(Competence.objects.filter(framework=campaign.framework).values_list("pk", "code"))
    return Round(
        campaign=campaign,
        # The organisation as stored now (it may have raised k since this object was loaded).
        k=min_group(Organisation.objects.get(pk=campaign.organisation_id)),
        person_block=person_block,
        levels={key: min(value[2], 4) for key, value in latest.items()},
        competences=competences,
    )


def source_of(rnd: Round, person: int, competence: int, source: str) -> str | None:
    """The single source a person's figure in `source` reads (the estimate: by the evidence rule)."""
    if source != "estimate":
        return source if (person, competence, source) in rnd.levels else None
    latest = {
        s: evidence_rule.Candidate(0, rnd.levels[(person, competence, s)], rnd.campaign.closes_on)
        for s in SINGLE
        if (person, competence, s) in rnd.levels
    }
    return evidence_rule.choose(latest, evidence_rule.DEFAULT_KNOWLEDGE_CAP)


def released_people(rnd: Round, competence: int, source: str) -> dict[int, str]:
    """People in published block figures of a competence and source → the single source they count with."""
    by_block: dict[int, list[int]] = defaultdict(list)
    for person, (block, *_rest) in rnd.person_block.items():
        if block:
            by_block[block].append(person)
    result: dict[int, str] = {}
    for people in by_block.values():
        counted = {p: s for p in people if (s := source_of(rnd, p, competence, source)) is not None}
        if len(counted) < rnd.k:
            continue
        if source != "estimate":
            groups: dict[tuple[str, ...], int] = defaultdict(int)
            for p in people:
                pattern = tuple(s for s in SINGLE if (p, competence, s) in rnd.levels)
                if pattern:
                    groups[(*pattern, "→", source_of(rnd, p, competence, "estimate") or "")] += 1
            if len(groups) > 1 and min(groups.values()) < rnd.k:
                continue
        result.update(counted)
    return result


def _in_part(home: str, direct: bool, path: str, part: str) -> bool:
    if part == TOTAL:
        return home.startswith(path)
    if part == DIRECT:
        return home == path and direct
    if part == ACROSS:
        return home == path and not direct
    return home.startswith(part)


@dataclass
class View:
    """Everything one reader can see of one round: figures by key, and their rows for the check.

    Variables are per *group*: the people of one block with the same sources for the competence. They
    have the same coefficients in every figure (a block has one role profile, so one target), so a
    group's variable stands for the sum over its people, and `sizes` says how many they are.
    """

    values: dict[Key, dict[str, int]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    targets: dict[tuple[Hashable, Hashable], int | None] = field(default_factory=dict)
    sizes: dict[Hashable, int] = field(default_factory=dict)
    members: dict[Hashable, list[int]] = field(default_factory=dict)

    def groups_of(self, person: int) -> list[Hashable]:
        return [g for g, people in self.members.items() if person in people]


def scope_units(organisation_id: int, roots: Sequence[OrgUnit] | None) -> list[tuple[str, list[str]]]:
    """(unit path, its child paths) for every unit the reader may open ("" for the organisation)."""
    units = list(OrgUnit.objects.filter(organisation_id=organisation_id).values_list("path", "parent__path"))
    children: dict[str, list[str]] = defaultdict(list)
    for path, parent in units:
        children[parent or ""].append(path)
    paths = (
        [""] + [p for p, _parent in units]
        if roots is None
        else [p for p, _parent in units if any(p.startswith(r.path) for r in roots)]
    )
    return [(p, sorted(children.get(p, []))) for p in paths]


Group = tuple[str, int, int, tuple[str, ...]]  # (round family, competence, block, sources present)


def view_of(
    rnd: Round,
    *,
    roots: Sequence[OrgUnit] | None,
    targets_framework: Framework,
    family: str,
    competence_codes: Iterable[str] | None = None,
    sources: Sequence[str] = SOURCES,
) -> View:
    """The reader's figures of the round, read against `targets_framework`'s targets (the round's own
    version, or the published one for "current level"). `family` names the round in the variables."""
    view = View()
    codes = set(competence_codes) if competence_codes is not None else None
    target_of = {
        (role, code): level
        for role, code, level in RoleTarget.objects.filter(
            role_profile__framework=targets_framework
        ).values_list("role_profile__code", "competence__code", "level")
    }
    units = scope_units(rnd.campaign.organisation_id, roots)
    roles = sorted({role for *_rest, role in rnd.person_block.values()})
    block_info = {
        block: (home, direct, role) for block, home, direct, role in rnd.person_block.values() if block
    }
    for competence, code in rnd.competences.items():
        if codes is not None and code not in codes:
            continue
        members: dict[Group, list[int]] = defaultdict(list)
        for person, (block, *_rest) in rnd.person_block.items():
            # People with the same sources whose estimate reads the same one are interchangeable.
            pattern = tuple(s for s in SINGLE if (person, competence, s) in rnd.levels)
            if block and pattern:
                chosen = source_of(rnd, person, competence, "estimate") or ""
                members[(family, competence, block, (*pattern, chosen))].append(person)
        for group, people in members.items():
            view.sizes[group] = len(people)
            view.members[group] = people
        for source in sources:
            counted = released_people(rnd, competence, source)
            groups = {g: counted[people[0]] for g, people in members.items() if people[0] in counted}
            counts = {g: _counts(rnd, members[g], competence, single) for g, single in groups.items()}
            for g, single in groups.items():
                role = block_info[g[2]][2]
                view.targets[(g, (family, single, competence))] = target_of.get((role, code))
            seen: set[frozenset[Group]] = set()
            for path, children in units:
                for part in (TOTAL, DIRECT, ACROSS, *children):
                    inside = [
                        g for g in groups if _in_part(block_info[g[2]][0], block_info[g[2]][1], path, part)
                    ]
                    for role in (None, *roles):
                        chosen = frozenset(g for g in inside if role is None or block_info[g[2]][2] == role)
                        if not chosen:
                            continue
                        key = (path, part, role, source, code)
                        view.values[key] = _figure(chosen, counts, block_info, code, target_of)
                        if chosen not in seen:
                            seen.add(chosen)
                            view.rows.extend(
                                _rows(
                                    chosen,
                                    groups,
                                    block_info=block_info,
                                    competence=competence,
                                    code=code,
                                    target_of=target_of,
                                    family=family,
                                )
                            )
    return view


def _counts(rnd: Round, people: Sequence[int], competence: int, single: str) -> list[int]:
    levels = [0, 0, 0, 0]
    for p in people:
        levels[rnd.levels[(p, competence, single)] - 1] += 1
    return levels


def _figure(
    chosen: Iterable[Group],
    counts: dict[Group, list[int]],
    block_info: dict[int, tuple[str, bool, str]],
    code: str,
    target_of: dict[tuple[str, str], int],
) -> dict[str, int]:
    values = {
        "people": 0,
        "with_target": 0,
        "at_target": 0,
        "gap_sum": 0,
        **{f"level_{n}": 0 for n in LEVELS},
    }
    for g in chosen:
        target = target_of.get((block_info[g[2]][2], code))
        for level, number in zip(LEVELS, counts[g], strict=True):
            values["people"] += number
            values[f"level_{level}"] += number
            if target is not None:
                values["with_target"] += number
                values["at_target"] += number * (level >= target)
                values["gap_sum"] += number * max(0, target - level)
    return values


def _rows(
    chosen: Iterable[Group],
    groups: dict[Group, str],
    *,
    block_info: dict[int, tuple[str, bool, str]],
    competence: int,
    code: str,
    target_of: dict[tuple[str, str], int],
    family: str,
) -> list[Row]:
    def var(g: Group, level: int) -> tuple[Group, tuple[str, str, int], int]:
        return (g, (family, groups[g], competence), level)

    rows: list[Row] = [{var(g, level): 1 for g in chosen} for level in LEVELS]
    at: dict[tuple[Group, tuple[str, str, int], int], int] = {}
    gap: dict[tuple[Group, tuple[str, str, int], int], int] = {}
    for g in chosen:
        target = target_of.get((block_info[g[2]][2], code))
        if target is None:
            continue
        for level in LEVELS:
            if level >= target:
                at[var(g, level)] = 1
            else:
                gap[var(g, level)] = target - level
    rows += [r for r in (at, gap) if r]
    return rows


# --- The product's figures, as a reader gets them ------------------------------------------------


def shown(
    actor: Actor, campaign: Campaign | None, units: Iterable[OrgUnit | None], sources: Sequence[str] = SOURCES
) -> dict[Key, dict[str, int]]:
    """Every figure the heatmap and the distribution show for the units, filters and sources."""
    result: dict[Key, dict[str, int]] = {}
    present = Participant.objects.filter(organisation=actor.organisation)
    if campaign is not None:
        present = present.filter(campaign=campaign)
    roles: list[str | None] = [None, *sorted(set(present.values_list("role_profile_code", flat=True)))]
    for unit in units:
        path = unit.path if unit else ""
        for source in sources:
            for role in roles:
                filters = selectors.Filters(campaign=campaign, source=source, role_profile_code=role)
                heat = selectors.heatmap(actor=actor, unit=unit, filters=filters)
                for row in heat.rows:
                    part = {"total": TOTAL, "direct": DIRECT, "across": ACROSS}.get(row.key, row.key)
                    for cell in row.cells:
                        if cell.people:
                            key = (path, part, role, source, cell.competence.code)
                            result.setdefault(key, {}).update(
                                with_target=cell.people, at_target=cell.at_target or 0
                            )
                for item in selectors.distributions(actor=actor, unit=unit, filters=filters):
                    if item.people:
                        key = (path, TOTAL, role, source, item.competence.code)
                        figure = result.setdefault(key, {})
                        figure["people"] = item.people
                        figure.update(
                            {f"level_{n}": v for n, v in zip(LEVELS, item.levels or [], strict=True)}
                        )
    return result
