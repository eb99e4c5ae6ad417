"""Progress lines for long management commands: at most one line per step of 10 % per phase."""

from __future__ import annotations

import time

from django.core.management.base import OutputWrapper

from fagdigital.orgs.services import ImportRowsInvalid, ImportSummary

STEP_PERCENT = 10


class ProgressPrinter:
    """A `progress(phase, done, total)` callback that prints `phase: done/total (p %)` now and then."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.started = time.perf_counter()
        self.last: dict[str, int] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        step = percent - percent % STEP_PERCENT
        if self.last.get(phase, -1) >= step:
            return
        self.last[phase] = step
        elapsed = time.perf_counter() - self.started
        self.out.write(f"  {phase}: {done:,}/{total:,} ({percent} %) after {elapsed:.1f} s")
        self.out.flush()


def summary_text(summary: ImportSummary | None) -> str:
    """The import's non-zero counts, e.g. "people_created 1982, units_created 134"."""
    if summary is None:
        return "no changes"
    counts = [f"{name} {value}" for name, value in summary.as_json().items() if value]
    return ", ".join(counts) or "no changes"


def rows_refused(invalid: ImportRowsInvalid, *, shown: int = 5) -> str:
    """The people import refused the generated rows (a generator bug): say why, briefly."""
    lines = [problem.message for problem in invalid.problems[:shown]]
    more = len(invalid.problems) - shown
    if more > 0:
        lines.append(f"... and {more} more")
    return "The people import refused the generated rows:\n" + "\n".join(lines)
