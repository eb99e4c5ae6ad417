"""Re-score submitted knowledge tests by the rule of decision 0016, and recompute every estimate.

Test evidence is derived from the stored answers (`TestQuestion.correct`), which stay as they are. Under
the new rule a competence needs at least 4 items for a test level, its level is the share right capped
at the knowledge cap (3), and a leader rating above the cap outranks a test. So: a test level from fewer
items is removed, the others are re-scored, and the estimates are recomputed with the new rule.
Figures already published for closed rounds are the analytics app's; its `rebuild_rollups` republishes
them from the evidence (decision 0016 says when to run it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import migrations
from django.db.models import Count, Q
from django.utils import timezone

from fagdigital.assessments import evidence_rule as rule


def rescore(apps: Any, schema_editor: Any) -> None:
    Evidence = apps.get_model("assessments", "Evidence")
    TestQuestion = apps.get_model("assessments", "TestQuestion")
    CompetenceEstimate = apps.get_model("assessments", "CompetenceEstimate")
    counts = {
        (row["response_id"], row["item__competence_code"]): (row["right"], row["n"])
        for row in TestQuestion.objects.filter(response__instrument="test", response__status="submitted")
        .values("response_id", "item__competence_code")
        .annotate(n=Count("id"), right=Count("id", filter=Q(correct=True)))
    }
    gone, changed = [], []
    organisations = set()
    for row in Evidence.objects.filter(source="test").select_related("competence"):
        organisations.add(row.organisation_id)
        right, items = counts.get((row.response_id, row.competence.code), (0, 0))
        level = rule.knowledge_level_for(correct=right, items=items, cap=rule.DEFAULT_KNOWLEDGE_CAP)
        if level is None:
            gone.append(row.pk)
            continue
        row.level = level
        row.detail = {"correct": right, "items": items, "cap": rule.DEFAULT_KNOWLEDGE_CAP}
        changed.append(row)
    Evidence.objects.filter(pk__in=gone).delete()
    Evidence.objects.bulk_update(changed, ["level", "detail"], batch_size=5000)
    if not organisations:
        return
    # Every estimate follows the new rule (no framework has its own cap yet: the policy table is new).
    since = timezone.localdate() - dt.timedelta(days=settings.ESTIMATE_VALIDITY_DAYS)
    for organisation_id in organisations:
        latest: dict[tuple[int, int], dict[str, rule.Candidate]] = defaultdict(dict)
        for person_id, competence_id, source, pk, level, observed_on in (
            Evidence.objects.filter(organisation_id=organisation_id, observed_on__gte=since)
            .order_by("person_id", "competence_id", "source", "-observed_on", "-pk")
            .values_list("person_id", "competence_id", "source", "pk", "level", "observed_on")
            .iterator(chunk_size=20_000)
        ):
            latest[(person_id, competence_id)].setdefault(source, rule.Candidate(pk, level, observed_on))
        CompetenceEstimate.objects.filter(organisation_id=organisation_id).delete()
        estimates = []
        for (person_id, competence_id), candidates in latest.items():
            source = rule.choose(candidates, rule.DEFAULT_KNOWLEDGE_CAP)
            if source is None:
                continue
            chosen = candidates[source]
            estimates.append(
                CompetenceEstimate(
                    organisation_id=organisation_id,
                    person_id=person_id,
                    competence_id=competence_id,
                    level=chosen.level,
                    source=source,
                    evidence_id=chosen.evidence_id,
                    observed_on=chosen.observed_on,
                    calibration_flag=rule.calibration_flag(candidates),
                )
            )
        CompetenceEstimate.objects.bulk_create(estimates, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_test_items_per_role_revisions_and_knowledge_cap")]

    operations = [migrations.RunPython(rescore, migrations.RunPython.noop)]
