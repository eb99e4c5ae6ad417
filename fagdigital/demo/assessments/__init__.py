"""Demo assessment campaigns: closed rounds with realistic results, and an open round to answer.

A closed round is history, so its rows are written in bulk — participants, one response per
(instrument, subject, respondent), answers, drawn test questions, chiefs' survey answers and evidence —
keeping the invariants the assessment services keep; the estimates and the dashboards' rollups are then
rebuilt with `assessments.services.estimates_rebuild` and `analytics.services.rollups_rebuild`.
`closed_round_create` writes one for any organisation with a given name, window and seed (the demo's
spring rounds, and two rounds over 45,000 people in the analytics benchmark, COPY on PostgreSQL). The
open round is created and opened through the services, as an HR consultant would do it, and a share of
the municipality has already answered it.

Results come from a small latent model, deterministic per organisation and round:
each person has a "true" level per competence = the role profile's target (or a default)
+ a person effect + a unit effect + known patterns (home care weaker in data security, leaders behind
their staff in AI tools and digital collaboration, AI the weakest topic for everyone) + what sets the
municipality apart (`Profile`). Self-assessment adds a personal bias (some are overconfident, a few
modest), leaders rate with their own leniency, and the knowledge test answers each item with a
probability that falls with the item's difficulty.
"""

from __future__ import annotations

from .planner import CompetenceInfo, ItemInfo, Member, Planner, RoundSpec, rounds_for
from .rounds import (
    BULK_TABLES,
    ClosedRound,
    HistoryRequest,
    OpenRequest,
    Profile,
    RoundsResult,
    analyze,
    closed_round_create,
    estimates_and_rollups_rebuild,
    history_seed,
    rounds_seed,
)
from .writing import bulk_writes

__all__ = [
    "BULK_TABLES",
    "ClosedRound",
    "CompetenceInfo",
    "HistoryRequest",
    "ItemInfo",
    "Member",
    "OpenRequest",
    "Planner",
    "Profile",
    "RoundSpec",
    "RoundsResult",
    "analyze",
    "bulk_writes",
    "closed_round_create",
    "estimates_and_rollups_rebuild",
    "history_seed",
    "rounds_for",
    "rounds_seed",
]
