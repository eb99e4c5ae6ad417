"""Which block figures of a round may be published, and the SQL that mirrors the rule.

A block (blocks.py) is at least k participants of one role profile. Its figure for one competence and
source is published when

1. at least k of its people have a level from that source (a block where most answered "ved ikke" would
   otherwise show the answers of the few who did not), and
2. for the single sources (self-assessment, test, leader rating) — not for the combined estimate — the
   block's people fall into groups by *which* sources they have and which one their estimate reads
   (the evidence rule looks at levels: a leader rating above the knowledge cap outranks a test) that are
   either one group or all at least k people. Otherwise "estimate minus self-assessment" over the block
   would be the test or leader figure of the few whose estimate reads one. The combined estimate is
   always a single figure per person, so it is published whenever rule 1 holds.

Figures are published when a round closes (never while answers still come in: comparing two moments
would show what the last respondents answered), and a published figure never changes afterwards.
"""

from __future__ import annotations

COMBINED = "estimate"  # the one source that is a single level per person


class Missing:
    """Why a figure is not there (the texts are in texts.py)."""

    NOBODY = "nobody"  # nobody here has a target in the competence (or a level, for distributions)
    GROUPED = "grouped"  # the people here are counted in a larger group formed higher up in the tree
    FEW = "few"  # too few answers with a level from this source, or sources that could be subtracted


def released_sql(*, people: str, source: str, groups: str, smallest: str) -> str:
    """The rule as a SQL condition over column expressions (analytics.services publishes rounds with it).

    `groups` is the number of source groups in the block for the competence, `smallest` the size of the
    smallest; both parameters `%(k)s` and these expressions are supplied by the caller.
    """
    return f"({people} >= %(k)s AND ({source} = '{COMBINED}' OR {groups} <= 1 OR {smallest} >= %(k)s))"
