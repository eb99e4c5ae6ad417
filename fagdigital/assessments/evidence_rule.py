"""The evidence rule: which piece of evidence gives a person's current level (docs/decisions/0016).

The one place that owns it. The per-person estimate (`services.evidence.estimates_recompute`), the bulk
rebuild (`estimates_rebuild`), the personal profile (`feedback`) and the analytics estimate per round
(through `estimate_order_sql`) all rank evidence with the table below, so they cannot disagree.

A knowledge test shows knowledge, and knowledge only reaches the levels whose descriptors are knowledge:
up to the framework's *knowledge cap* (level 3 unless the framework says otherwise). Inside that band
the test ranks above a leader's rating; above it only a leader, who sees the work, places someone:

    rank  evidence (the latest of each source inside the validity period)
    1     leader rating above the cap
    2     knowledge test (its level never exceeds the cap)
    3     leader rating at or below the cap
    4     confirmed learning completion (at most the activity's target level)
    5     self-assessment

The lowest rank wins. So a test confirms or lowers a self-assessment (up to the cap) and outranks a
leader rating inside the band, and a leader rating above the cap outranks any test.

This module is plain Python with no database access, so that the rule can be read and tested as a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

# Levels 1..cap are knowledge; a framework may set another cap (FrameworkTestPolicy).
DEFAULT_KNOWLEDGE_CAP: Final = 3
# A knowledge test gives a level in a competence only with at least this many items in it.
MIN_ITEMS_FOR_TEST_LEVEL: Final = 4
LEVELS: Final = (1, 2, 3, 4)

TEST: Final = "test"
LEADER: Final = "leader"
LEARNING: Final = "learning"
SELF: Final = "self"
SOURCES: Final = (TEST, LEADER, LEARNING, SELF)

# Where a source's evidence ranks, inside the knowledge band (level ≤ cap) and above it.
RANKS: Final[Mapping[str, tuple[int, int]]] = {
    LEADER: (3, 1),
    TEST: (2, 2),
    LEARNING: (4, 4),
    SELF: (5, 5),
}
# A self-assessment this many levels from the latest test or leader rating is flagged (calibration).
CALIBRATION_LEVELS: Final = 2
CALIBRATION_SOURCES: Final = (TEST, LEADER)


def rank(source: str, level: int, cap: int) -> int:
    """The rank of one piece of evidence (lower wins)."""
    inside, above = RANKS[source]
    return above if level > cap else inside


@dataclass(frozen=True)
class Candidate:
    """The latest valid evidence of one source for one person and competence."""

    evidence_id: int
    level: int
    observed_on: dt.date


def choose(latest: Mapping[str, Candidate], cap: int) -> str | None:
    """The source whose evidence gives the level, from the latest valid evidence per source."""
    present = [source for source in SOURCES if source in latest]
    if not present:
        return None
    return min(present, key=lambda source: rank(source, latest[source].level, cap))


def calibration_flag(latest: Mapping[str, Candidate]) -> bool:
    own = latest.get(SELF)
    return own is not None and any(
        source in latest and abs(latest[source].level - own.level) >= CALIBRATION_LEVELS
        for source in CALIBRATION_SOURCES
    )


def cap_sql(table: str) -> str:
    """The knowledge cap of the framework the evidence row's competence belongs to, as SQL."""
    if not table.isidentifier():
        raise ValueError(table)
    # Built from constants and a checked identifier: no input reaches it.
    return (
        "COALESCE((SELECT p.knowledge_cap FROM assessments_frameworktestpolicy p "  # noqa: S608
        "JOIN frameworks_competence c ON c.framework_id = p.framework_id "
        f"WHERE c.id = {table}.competence_id), {DEFAULT_KNOWLEDGE_CAP})"
    )


def estimate_order_sql(table: str = "assessments_evidence") -> str:
    """The rule as an SQL ordering expression over the rows of one round (ascending: the first wins).

    Used as `ROW_NUMBER() OVER (PARTITION BY person_id, competence_id ORDER BY <this>, observed_on DESC,
    id DESC)` over the evidence rows of one round, with `table` the evidence table's name in that query.
    The rule ranks the *latest* row of each source, and a leader's rank depends on the level, so a
    leader rating that a later rating of the same round replaced (two leaders rated the person) takes
    the rank of a rating inside the band: it can never win over the later one, which is newer.
    """
    if not table.isidentifier():
        raise ValueError(table)
    t = table
    # Built from constants and a checked identifier: no input reaches it.
    superseded = (
        f"EXISTS (SELECT 1 FROM assessments_evidence later WHERE later.person_id = {t}.person_id "  # noqa: S608
        f"AND later.competence_id = {t}.competence_id AND later.source = {t}.source "
        f"AND later.campaign_id = {t}.campaign_id AND (later.observed_on > {t}.observed_on "
        f"OR (later.observed_on = {t}.observed_on AND later.id > {t}.id)))"
    )
    branches = []
    for source in SOURCES:
        inside, above = RANKS[source]
        if inside != above:
            branches.append(
                f"WHEN {t}.source = '{source}' AND {t}.level > {cap_sql(t)} AND NOT {superseded} THEN {above}"
            )
    branches += [f"WHEN {t}.source = '{source}' THEN {RANKS[source][0]}" for source in SOURCES]
    return "CASE " + " ".join(branches) + f" ELSE {len(SOURCES) + 1} END"


# --- Scoring a knowledge test --------------------------------------------------------------------

# Share of items right → level, per knowledge cap (the highest level first).
SHARE_THRESHOLDS: Final[Mapping[int, tuple[tuple[float, int], ...]]] = {
    1: (),
    2: ((0.75, 2),),
    3: ((0.75, 3), (0.5, 2)),
    4: ((0.9, 4), (0.75, 3), (0.5, 2)),
}


def level_for_share(share: float, cap: int = DEFAULT_KNOWLEDGE_CAP) -> int:
    """The level for a share of items right, never above the cap."""
    thresholds = SHARE_THRESHOLDS[max(1, min(4, cap))]
    return next((level for threshold, level in thresholds if share >= threshold), 1)


def knowledge_level_for(*, correct: int, items: int, cap: int = DEFAULT_KNOWLEDGE_CAP) -> int | None:
    """The level a competence's items give, or None with too few items to give one."""
    if items < MIN_ITEMS_FOR_TEST_LEVEL:
        return None
    return level_for_share(correct / items, cap)
