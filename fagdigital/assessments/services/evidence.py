"""Evidence → estimate (DESIGN.md §2, docs/decisions/0007)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from fagdigital.assessments.models import (
    SOURCE_PRIORITY,
    CompetenceEstimate,
    Evidence,
    EvidenceSource,
    Response,
)
from fagdigital.frameworks.models import Framework, RoleTarget


def evidence_changed(response: Response, competence_ids: set[int]) -> None:
    """Tell the apps above (analytics' rollups) in the same transaction; see docs/decisions/0009."""
    if not competence_ids or response.subject_id is None:
        return
    for path in settings.EVIDENCE_CHANGED_HANDLERS:
        handler = import_string(path)
        handler(
            organisation_id=response.organisation_id,
            person_id=response.subject_id,
            campaign_id=response.campaign_id,
            competence_ids=frozenset(competence_ids),
        )


# --- Evidence → estimate (DESIGN.md §2) ----------------------------------------------------------


def estimates_recompute(
    *, person_id: int, competence_ids: Iterable[int], today: dt.date | None = None
) -> None:
    """Re-derive the person's estimate for these competences from their valid evidence.

    The first source in SOURCE_PRIORITY with evidence inside the validity period wins; within it the
    most recent. A self-assessment 2+ levels from the most recent test or leader rating is flagged.
    """
    today = today or timezone.localdate()
    ids = set(competence_ids)
    if not ids:
        return
    since = today - dt.timedelta(days=settings.ESTIMATE_VALIDITY_DAYS)
    evidence = Evidence.objects.filter(
        person_id=person_id, competence_id__in=ids, observed_on__gte=since
    ).order_by("-observed_on", "-pk")
    latest: dict[int, dict[str, Evidence]] = defaultdict(dict)
    for row in evidence:
        latest[row.competence_id].setdefault(row.source, row)
    existing = {
        e.competence_id: e
        for e in CompetenceEstimate.objects.filter(person_id=person_id, competence_id__in=ids)
    }
    new: list[CompetenceEstimate] = []
    changed: list[CompetenceEstimate] = []
    gone: list[int] = []
    for competence_id in ids:
        by_source = latest.get(competence_id, {})
        chosen = _choose({s: (e.pk, e.level, e.observed_on) for s, e in by_source.items()})
        estimate = existing.get(competence_id)
        if chosen is None:
            if estimate is not None:
                gone.append(estimate.pk)
            continue
        source, _row, flag = chosen
        evidence_row = by_source[source]
        values = {
            "level": evidence_row.level,
            "source": source,
            "evidence": evidence_row,
            "observed_on": evidence_row.observed_on,
            "calibration_flag": flag,
        }
        if estimate is None:
            new.append(
                CompetenceEstimate(
                    organisation_id=evidence_row.organisation_id,
                    person_id=person_id,
                    competence_id=competence_id,
                    **values,
                )
            )
        elif any(getattr(estimate, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(estimate, key, value)
            estimate.updated_at = timezone.now()
            changed.append(estimate)
    CompetenceEstimate.objects.filter(pk__in=gone).delete()
    CompetenceEstimate.objects.bulk_create(new)
    CompetenceEstimate.objects.bulk_update(changed, [*ESTIMATE_FIELDS, "updated_at"])


ESTIMATE_FIELDS = ("level", "source", "evidence", "observed_on", "calibration_flag")


def _choose(latest: dict[str, tuple[int, int, dt.date]]) -> tuple[str, tuple[int, int, dt.date], bool] | None:
    """Apply the estimate rule to the latest valid evidence per source: (source, (id, level, date), flag)."""
    source = next((s for s in SOURCE_PRIORITY if s in latest), None)
    if source is None:
        return None
    own = latest.get(EvidenceSource.SELF)
    flag = own is not None and any(
        other is not None and abs(other[1] - own[1]) >= 2
        for other in (latest.get(EvidenceSource.TEST), latest.get(EvidenceSource.LEADER))
    )
    return source, latest[source], flag


@transaction.atomic
def estimates_rebuild(*, organisation_id: int, today: dt.date | None = None) -> int:
    """Recompute every estimate of the organisation from its evidence, in bulk; returns how many exist."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=settings.ESTIMATE_VALIDITY_DAYS)
    rows = (
        Evidence.objects.filter(organisation_id=organisation_id, observed_on__gte=since)
        .order_by("person_id", "competence_id", "source", "-observed_on", "-pk")
        .values_list("person_id", "competence_id", "source", "pk", "level", "observed_on")
        .iterator(chunk_size=20_000)
    )
    latest: dict[tuple[int, int], dict[str, tuple[int, int, dt.date]]] = defaultdict(dict)
    for person_id, competence_id, source, pk, level, observed_on in rows:
        latest[(person_id, competence_id)].setdefault(source, (pk, level, observed_on))
    CompetenceEstimate.objects.filter(organisation_id=organisation_id).delete()
    estimates = []
    for (person_id, competence_id), by_source in latest.items():
        chosen = _choose(by_source)
        if chosen is None:
            continue
        source, (evidence_id, level, observed_on), flag = chosen
        estimates.append(
            CompetenceEstimate(
                organisation_id=organisation_id,
                person_id=person_id,
                competence_id=competence_id,
                level=level,
                source=source,
                evidence_id=evidence_id,
                observed_on=observed_on,
                calibration_flag=flag,
            )
        )
    CompetenceEstimate.objects.bulk_create(estimates, batch_size=5000)
    return len(estimates)


def role_target_levels(*, role_profile_code: str, framework: Framework) -> dict[int, RoleTarget]:
    """Targets of a role profile by competence id (empty when the person has no role profile)."""
    if not role_profile_code:
        return {}
    return {
        t.competence_id: t
        for t in RoleTarget.objects.filter(
            role_profile__framework=framework, role_profile__code=role_profile_code
        )
    }
