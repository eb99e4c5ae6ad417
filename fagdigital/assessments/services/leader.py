"""Writes of the leader assessment beyond one questionnaire: submitting many ratings at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from fagdigital.assessments.models import Instrument, Response

from .base import check_accepts
from .responses import response_submit


def leader_responses_submit(*, responses: Iterable[Response], today: dt.date | None = None) -> int:
    """Submit each of these leader ratings ("Indsend alle færdige"); returns how many were submitted now.

    Each is submitted in its own transaction, with its row locked, exactly as one submission is, so a
    repeated request (or another tab) submits nothing twice: one already submitted and unchanged counts
    0. A closed round refuses before anything is submitted.
    """
    today = today or timezone.localdate()
    responses = list(responses)
    if any(r.instrument != Instrument.LEADER for r in responses):
        raise ValueError("only leader ratings are submitted together")
    for campaign in {r.campaign_id: r.campaign for r in responses}.values():
        check_accepts(campaign, today)
    return sum(response_submit(response=r, today=today).applied for r in responses)
