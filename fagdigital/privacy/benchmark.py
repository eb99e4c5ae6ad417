"""Figures across organisations: who counts, and quantiles that are never one member's own value.

- A network figure for a reader needs at least `MIN_ORGANISATIONS` contributing organisations besides the
  reader's own (the reader's own value would otherwise be one of few and the rest guessable).
- Organisations that chose to be named are shown by name and left out of the quantiles, so the named
  values cannot be subtracted from the quantiles to narrow down the unnamed ones.
- Each quantile is the mean of the three values nearest its position (never a single organisation's
  value, as a plain median of five would be), and a quantile that still equals one member's value
  exactly is not shown.
- An organisation may choose not to contribute at all (tenancy.NetworkMember.contributes_to_benchmarks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .rules import MIN_ORGANISATIONS

WINDOW = 3
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Spread:
    organisations: int
    q1: float | None
    median: float | None
    q3: float | None


def _window_mean(values: Sequence[float], position: float) -> float:
    centre = round(position)
    start = min(max(centre - WINDOW // 2, 0), len(values) - WINDOW)
    return sum(values[start : start + WINDOW]) / WINDOW


def _unless_a_member(value: float, values: Sequence[float]) -> float | None:
    return None if any(abs(value - v) < TOLERANCE for v in values) else value


def network_spread(values: Sequence[float], *, minimum: int = MIN_ORGANISATIONS) -> Spread | None:
    """Q1, median and Q3 of the contributing organisations' values (the reader's own never among them)."""
    if len(values) < max(minimum, WINDOW):
        return None
    ordered = sorted(values)
    last = len(ordered) - 1
    q1, median, q3 = (_unless_a_member(_window_mean(ordered, last * p), ordered) for p in (0.25, 0.5, 0.75))
    return Spread(organisations=len(ordered), q1=q1, median=median, q3=q3)


def enough_organisations(count: int) -> bool:
    return count >= MIN_ORGANISATIONS


def network_total(values: Sequence[int], *, minimum: int = MIN_ORGANISATIONS) -> int | None:
    """A count summed across organisations (e.g. people below target), or None when it may not be shown.

    It needs at least `minimum` organisations (never counting the reader's own: the caller leaves it
    out), and is not shown when it equals one organisation's own value — which happens exactly when all
    the others have none (0 included: a total of 0 would tell every member's value).
    """
    counts = [int(value) for value in values]
    if not enough_organisations(len(counts)) or len(counts) < minimum:
        return None
    if sum(1 for value in counts if value) < 2:
        return None
    return sum(counts)
