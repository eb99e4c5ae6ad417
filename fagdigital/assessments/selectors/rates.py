"""Response rates per unit of a round."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from fagdigital.assessments.models import (
    Campaign,
    Instrument,
    Participant,
    Response,
    ResponseStatus,
    Visibility,
)
from fagdigital.orgs.models import OrgUnit

# --- Response rates ------------------------------------------------------------------------------


@dataclass
class RateRow:
    unit: OrgUnit
    depth: int
    invited: int | None
    submitted: int | None
    suppressed: bool

    @property
    def percent(self) -> int | None:
        if self.invited is None or self.submitted is None or not self.invited:
            return None
        return round(100 * self.submitted / self.invited)


def response_rates(*, campaign: Campaign, instrument: Instrument) -> list[RateRow]:
    """Participants and submissions per unit subtree that has participants, in tree order.

    In an anonymous campaign a subtree with fewer than the anonymity minimum shows no figures, and so
    does the smallest shown sibling when only one of a parent's children would be hidden (otherwise
    the parent's total minus the shown siblings would reveal it).
    """
    k = settings.ANONYMITY_MIN_GROUP
    done = set(
        Response.objects.filter(campaign=campaign, instrument=instrument, status=ResponseStatus.SUBMITTED)
        .exclude(subject__isnull=True)
        .values_list("subject_id", flat=True)
    )
    counts = Participant.objects.filter(campaign=campaign).values("unit_path", "person_id")
    invited: dict[str, int] = defaultdict(int)
    submitted: dict[str, int] = defaultdict(int)
    for row in counts:
        path = row["unit_path"]
        for end in range(4, len(path) + 1, 4):
            invited[path[:end]] += 1
            submitted[path[:end]] += int(row["person_id"] in done)
    units = list(
        OrgUnit.objects.filter(organisation_id=campaign.organisation_id, path__in=invited).order_by("path")
    )
    hidden: set[str] = set()
    if campaign.visibility == Visibility.ANONYMOUS:
        hidden = {u.path for u in units if invited[u.path] < k}
        by_parent: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in units:
            by_parent[unit.path[:-4]].append(unit)
        for siblings in by_parent.values():
            hidden_here = [u for u in siblings if u.path in hidden]
            shown_here = sorted((u for u in siblings if u.path not in hidden), key=lambda u: invited[u.path])
            if len(hidden_here) == 1 and shown_here:
                hidden.add(shown_here[0].path)
        # A hidden unit hides its whole subtree.
        hidden = {u.path for u in units if any(u.path.startswith(h) for h in hidden)}
    return [
        RateRow(
            unit=unit,
            depth=unit.depth,
            invited=None if unit.path in hidden else invited[unit.path],
            submitted=None if unit.path in hidden else submitted[unit.path],
            suppressed=unit.path in hidden,
        )
        for unit in units
    ]
