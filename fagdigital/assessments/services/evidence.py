"""Evidence → estimate: the rule of `assessments.evidence_rule` (docs/decisions/0016)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from fagdigital.assessments import evidence_rule as rule
from fagdigital.assessments.models import (
    CompetenceEstimate,
    Evidence,
    FrameworkTestPolicy,
    Response,
)
from fagdigital.frameworks.models import Competence, Framework, FrameworkStatus, RoleTarget


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


# --- Evidence → estimate (docs/decisions/0016) --------------------------------------------------


def knowledge_caps(*, competence_ids: Iterable[int]) -> dict[int, int]:
    """The knowledge cap of each competence's framework version (evidence_rule.DEFAULT_KNOWLEDGE_CAP
    where the version sets none)."""
    framework_of = dict(
        Competence.objects.filter(pk__in=set(competence_ids)).values_list("pk", "framework_id")
    )
    caps = dict(
        FrameworkTestPolicy.objects.filter(framework_id__in=set(framework_of.values())).values_list(
            "framework_id", "knowledge_cap"
        )
    )
    return {
        pk: caps.get(framework_id, rule.DEFAULT_KNOWLEDGE_CAP) for pk, framework_id in framework_of.items()
    }


@transaction.atomic
def framework_knowledge_cap_set(*, framework: Framework, cap: int) -> FrameworkTestPolicy:
    """Set the highest level a knowledge test can show in a framework version (levels 1..cap are
    knowledge). Only while the version is a draft: a published version, and every figure measured on it,
    keeps the cap it was published with."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != FrameworkStatus.DRAFT:
        raise ValidationError(
            _(
                "Videnstestens loft kan kun ændres i en kladde. Opret en ny version af rammen for at "
                "ændre det."
            )
        )
    if cap not in rule.LEVELS:
        raise ValidationError(_("Vælg et niveau fra 1 til 4."))
    policy, _created = FrameworkTestPolicy.objects.update_or_create(
        framework=framework, defaults={"organisation_id": framework.organisation_id, "knowledge_cap": cap}
    )
    return policy


def framework_knowledge_cap(framework_id: int) -> int:
    policy = FrameworkTestPolicy.objects.filter(framework_id=framework_id).first()
    return policy.knowledge_cap if policy is not None else rule.DEFAULT_KNOWLEDGE_CAP


def estimates_recompute(
    *, person_id: int, competence_ids: Iterable[int], today: dt.date | None = None
) -> None:
    """Re-derive the person's estimate for these competences from their valid evidence.

    The latest evidence of each source inside the validity period is ranked by the evidence rule
    (`evidence_rule.choose`); a self-assessment 2+ levels from the latest test or leader rating is flagged.
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
    caps = knowledge_caps(competence_ids=ids)
    existing = {
        e.competence_id: e
        for e in CompetenceEstimate.objects.filter(person_id=person_id, competence_id__in=ids)
    }
    new: list[CompetenceEstimate] = []
    changed: list[CompetenceEstimate] = []
    gone: list[int] = []
    for competence_id in ids:
        by_source = latest.get(competence_id, {})
        candidates = {s: rule.Candidate(e.pk, e.level, e.observed_on) for s, e in by_source.items()}
        source = rule.choose(candidates, caps.get(competence_id, rule.DEFAULT_KNOWLEDGE_CAP))
        estimate = existing.get(competence_id)
        if source is None:
            if estimate is not None:
                gone.append(estimate.pk)
            continue
        evidence_row = by_source[source]
        values = {
            "level": evidence_row.level,
            "source": source,
            "evidence": evidence_row,
            "observed_on": evidence_row.observed_on,
            "calibration_flag": rule.calibration_flag(candidates),
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
    latest: dict[tuple[int, int], dict[str, rule.Candidate]] = defaultdict(dict)
    for person_id, competence_id, source, pk, level, observed_on in rows:
        latest[(person_id, competence_id)].setdefault(source, rule.Candidate(pk, level, observed_on))
    caps = knowledge_caps(competence_ids={competence_id for _person, competence_id in latest})
    CompetenceEstimate.objects.filter(organisation_id=organisation_id).delete()
    estimates = []
    for (person_id, competence_id), candidates in latest.items():
        winner = rule.choose(candidates, caps.get(competence_id, rule.DEFAULT_KNOWLEDGE_CAP))
        if winner is None:
            continue
        chosen = candidates[winner]
        estimates.append(
            CompetenceEstimate(
                organisation_id=organisation_id,
                person_id=person_id,
                competence_id=competence_id,
                level=chosen.level,
                source=winner,
                evidence_id=chosen.evidence_id,
                observed_on=chosen.observed_on,
                calibration_flag=rule.calibration_flag(candidates),
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
