"""k and the other minimums: the only code that reads the anonymity settings."""

from __future__ import annotations

from django.conf import settings

from fagdigital.tenancy.models import Organisation

FLOOR = 5  # DESIGN.md §2: no aggregate for fewer than 5 people, whatever the settings say
MIN_ORGANISATIONS = 5  # a cross-organisation figure needs this many organisations besides the reader's own


def installation_min_group() -> int:
    return max(FLOOR, int(settings.ANONYMITY_MIN_GROUP))


def min_group(organisation: Organisation) -> int:
    """k for the organisation: the installation's minimum, raised (never lowered) by its own setting."""
    return max(installation_min_group(), organisation.min_group_size)


def free_text_min(organisation: Organisation) -> int:
    """Free text is shown only for at least this many writers (never fewer than twice the floor)."""
    return max(2 * FLOOR, int(settings.ANONYMITY_MIN_GROUP_FREE_TEXT), min_group(organisation))


def split_shown(part: int, rest: int, k: int) -> bool:
    """Whether a part's figure may stand beside the whole's: the whole minus the part is the rest, so both
    need at least k people (or the rest none)."""
    return part >= k and (rest == 0 or rest >= k)
