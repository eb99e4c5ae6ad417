"""Response rates per unit of a round, under the anonymity rule (docs/decisions/0010).

In an anonymous round a rate is a sum over the round's publication blocks (privacy.blocks: at least k
participants of one role profile, formed bottom-up in the unit tree): a unit's rate covers the blocks
formed inside it — people placed directly in it included — and says how many of its participants that
is. So no combination of rates says whether one person answered. In a development-dialogue round HR and
the leaders see who answered anyway, so rates are exact per unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    Participant,
    Response,
    ResponseStatus,
    Visibility,
)
from fagdigital.orgs.models import PATH_STEP, OrgUnit
from fagdigital.orgs.selectors import led_unit_paths
from fagdigital.privacy.blocks import Cell, build_blocks
from fagdigital.privacy.models import PartitionCell
from fagdigital.privacy.rules import min_group
from fagdigital.tenancy.actor import Actor


@dataclass
class RateRow:
    unit: OrgUnit
    depth: int
    participants: int  # everyone asked in the unit's subtree (the round's structure, not anyone's answer)
    invited: int | None  # those the rate covers; None when it covers nobody
    submitted: int | None

    @property
    def suppressed(self) -> bool:
        return self.invited is None

    @property
    def partial(self) -> bool:
        return self.invited is not None and self.invited < self.participants

    @property
    def percent(self) -> int | None:
        if self.invited is None or self.submitted is None or not self.invited:
            return None
        return round(100 * self.submitted / self.invited)


def block_homes(*, campaign: Campaign) -> dict[tuple[str, str], str | None]:
    """(unit path, role profile code) → where its block was formed; None for people in no block (or in a
    block smaller than the organisation's k today, if it raised k after the round opened)."""
    k = min_group(campaign.organisation)
    stored = list(
        PartitionCell.objects.filter(
            partition__organisation_id=campaign.organisation_id, partition__key=f"campaign:{campaign.pk}"
        ).values_list("unit_path", "role_code", "block", "home_path", "people")
    )
    sizes: dict[int, int] = defaultdict(int)
    for _path, _role, block, _home, people in stored:
        sizes[block] += people
    homes: dict[tuple[str, str], str | None] = {
        (path, role): home if block and sizes[block] >= k else None for path, role, block, home, _n in stored
    }
    if homes:
        return homes
    # A round opened before blocks were stored: the same pure function forms them (not stored here).
    cells = [
        Cell(unit_path=path, role_code=role, people=n)
        for path, role, n in Participant.objects.filter(campaign=campaign)
        .values_list("unit_path", "role_profile_code")
        .annotate(n=Count("pk"))
        .values_list("unit_path", "role_profile_code", "n")
    ]
    partition = build_blocks(cells, k=min_group(campaign.organisation), step=PATH_STEP)
    homes = {(c.unit_path, c.role_code): None for c in partition.left_out}
    for formed in partition.blocks:
        for cell in formed.cells:
            homes[(cell.unit_path, cell.role_code)] = formed.home_path
    return homes


def response_rates(
    *, campaign: Campaign, instrument: Instrument, within: Sequence[str] | None = None
) -> list[RateRow]:
    """Participants and submissions per unit with participants in its subtree, in tree order.

    `within`: only units inside these paths (a leader's own units).
    """
    done = set(
        Response.objects.filter(campaign=campaign, instrument=instrument, status=ResponseStatus.SUBMITTED)
        .exclude(subject__isnull=True)
        .values_list("subject_id", flat=True)
    )
    participants = list(
        Participant.objects.filter(campaign=campaign).values_list(
            "person_id", "unit_path", "role_profile_code"
        )
    )
    anonymous = campaign.visibility == Visibility.ANONYMOUS
    homes = block_homes(campaign=campaign) if anonymous else {}
    everyone: dict[str, int] = defaultdict(int)
    invited: dict[str, int] = defaultdict(int)
    submitted: dict[str, int] = defaultdict(int)
    for person_id, path, role in participants:
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            everyone[path[:end]] += 1
        # Anonymous: a person counts for the units their block was formed in and above; else their own.
        counted = homes.get((path, role)) if anonymous else path
        if counted is None:
            continue
        for end in range(PATH_STEP, len(counted) + 1, PATH_STEP):
            invited[counted[:end]] += 1
            submitted[counted[:end]] += int(person_id in done)
    units = OrgUnit.objects.filter(organisation_id=campaign.organisation_id, path__in=list(everyone))
    rows = [
        RateRow(
            unit=unit,
            depth=unit.depth,
            participants=everyone[unit.path],
            invited=invited.get(unit.path),
            submitted=submitted.get(unit.path),
        )
        for unit in units.order_by("path")
    ]
    if within is not None:
        rows = [row for row in rows if any(row.unit.path.startswith(p) for p in within)]
    return rows


def covered_people(*, campaign: Campaign) -> set[int] | None:
    """In an anonymous round: the participants in a publication block (the only ones any total of the
    round may count); None in a development-dialogue round (everyone counts)."""
    if campaign.visibility != Visibility.ANONYMOUS:
        return None
    homes = block_homes(campaign=campaign)
    return {
        person_id
        for person_id, path, role in Participant.objects.filter(campaign=campaign).values_list(
            "person_id", "unit_path", "role_profile_code"
        )
        if homes.get((path, role)) is not None
    }


def leader_rate_rounds(*, actor: Actor) -> list[Campaign]:
    """Open and closed rounds with participants in the units the actor leads now, newest first."""
    paths = led_unit_paths(actor=actor)
    if not paths:
        return []
    in_my_units = Q()
    for path in paths:
        in_my_units |= Q(unit_path__startswith=path)
    ids = set(
        Participant.objects.filter(in_my_units, organisation=actor.organisation).values_list(
            "campaign_id", flat=True
        )
    )
    return list(
        Campaign.objects.filter(pk__in=ids, organisation=actor.organisation)
        .exclude(status=CampaignStatus.DRAFT)
        .order_by("-opens_on", "-pk")
    )


def get_leader_rate_round(*, actor: Actor, campaign_id: int) -> Campaign:
    campaign = next((c for c in leader_rate_rounds(actor=actor) if c.pk == campaign_id), None)
    if campaign is None:
        raise Http404
    return campaign
