"""Learning evidence: completed learning activities as the "learning" source of the estimate rule.

The development app records completions; this is the one public way to turn one into `Evidence` rows,
so the estimate rule (evidence_rule.py, decisions 0007 and 0016) applies to them like to every other
source. This module only writes and removes rows and asks `estimates_recompute`; it decides nothing
about the rule.

Each completion is named by a `reference` (e.g. "development.completion:42") stored in the evidence's
detail, so recording it again replaces its rows and withdrawing it removes exactly them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fagdigital.assessments.models import Evidence, EvidenceSource
from fagdigital.frameworks.models import LEVEL_COUNT, Competence
from fagdigital.orgs.models import Person

from .evidence import estimates_recompute


def _previous(person_id: int, reference: str) -> set[int]:
    return set(
        Evidence.objects.filter(
            person_id=person_id, source=EvidenceSource.LEARNING, detail__reference=reference
        ).values_list("competence_id", flat=True)
    )


@transaction.atomic
def learning_evidence_record(
    *,
    person: Person,
    levels: Mapping[int, int],
    observed_on: dt.date,
    reference: str,
    detail: Mapping[str, Any] | None = None,
) -> list[Evidence]:
    """Write the learning evidence of one completion (competence id → level), replacing what the same
    reference wrote before, and recompute the person's estimates for every competence touched."""
    if not reference:
        raise ValidationError("A learning evidence reference is required.")
    wanted = {int(competence_id): int(level) for competence_id, level in levels.items()}
    if any(not 1 <= level <= LEVEL_COUNT for level in wanted.values()):
        raise ValidationError(f"Levels run from 1 to {LEVEL_COUNT}.")
    known = set(
        Competence.objects.filter(organisation_id=person.organisation_id, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if known != set(wanted):
        raise ValidationError("Learning evidence must name competences of the person's organisation.")
    before = _previous(person.pk, reference)
    Evidence.objects.filter(
        person_id=person.pk, source=EvidenceSource.LEARNING, detail__reference=reference
    ).delete()
    rows = Evidence.objects.bulk_create(
        Evidence(
            organisation_id=person.organisation_id,
            person_id=person.pk,
            competence_id=competence_id,
            source=EvidenceSource.LEARNING,
            level=level,
            observed_on=observed_on,
            detail={**(detail or {}), "reference": reference},
        )
        for competence_id, level in sorted(wanted.items())
    )
    estimates_recompute(person_id=person.pk, competence_ids=before | set(wanted))
    return rows


@transaction.atomic
def learning_evidence_withdraw(*, person_id: int, reference: str) -> int:
    """Remove the learning evidence a reference wrote (a completion withdrawn or voided); returns the
    number of rows removed. The person's estimates fall back to their other evidence."""
    before = _previous(person_id, reference)
    removed, _by_model = Evidence.objects.filter(
        person_id=person_id, source=EvidenceSource.LEARNING, detail__reference=reference
    ).delete()
    estimates_recompute(person_id=person_id, competence_ids=before)
    return removed
