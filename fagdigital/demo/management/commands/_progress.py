"""Progress lines for long management commands: at most one line per step of 10 % per phase."""

from __future__ import annotations

import time

from django.core.management.base import OutputWrapper

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
