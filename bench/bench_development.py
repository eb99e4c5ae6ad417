"""Recommendations on the largest municipality (decision 0018), against raw SQL baselines in the same run.

Setup (timed and printed, not a figure; about 4 minutes): the analytics benchmark's setup
(bench_analytics.set_up: `municipality_generate` with 45,000 employees, two closed rounds written in
bulk, estimates and rollups rebuilt, VACUUM ANALYZE), then a catalogue of `activities` learning
activities for the municipality through `development.services.catalogue.activity_save` (each develops
one to three competences of the published framework to level 2, 3 or 4; fixed seed).

Figures:
- development_recommend_person_p95 (ms): what *Min udvikling* computes for one person — the person's
  profile (`selectors.plans.reader_profile`), the catalogue's offers and `person_recommendations` — for
  `people` people drawn with a fixed seed; p95 of the timings after one warm-up. baseline: p95 of one
  SQL query per person that scores every activity from the person's estimates and role targets (the
  same formula: gap × weight × level fit, top 5) — the role profile code is resolved beforehand and not
  timed, so the baseline is a lower bound; ratio: value / baseline.
- development_recommend_unit_department, _municipality (ms): the unit page's team recommendations —
  `analytics.demand.unit_levels` (published block rows of the latest closed round) and `rank_for_unit`
  — for the unit whose subtree is closest to 6,000 people and for the whole municipality; median of
  `runs`. baseline: one SQL aggregate over the raw estimates of the round's participants in the subtree
  against their role targets, scored per activity (no blocks, no anonymity); ratio: baseline / value.
Targets (this 2-core machine): a person's p95 <= 300 ms; a unit <= 500 ms.

Run it with `./dev bench development` (about 5 minutes); options with `--set`, e.g.
`--set employees=10000 people=100 runs=5`.
"""

from __future__ import annotations

import random
import statistics
import time
from decimal import Decimal
from typing import Any

from bench_analytics import Setup, busy_cores, pick_units, set_up, subtree_sizes
from django.db import connection
from django.utils import timezone

from fagdigital.analytics.demand import unit_levels
from fagdigital.assessments.feedback import role_profile_code_for_person
from fagdigital.development.formats.catalogue import ActivityRecord
from fagdigital.development.selectors.plans import reader_profile
from fagdigital.development.selectors.recommendations import (
    offers_for,
    person_recommendations,
    rank_for_unit,
)
from fagdigital.development.services import catalogue
from fagdigital.frameworks.models import Competence
from fagdigital.orgs.models import OrgUnit, Person

DEFAULT_EMPLOYEES = 45_000
TARGETS = {"person_p95": 300.0, "unit": 500.0}
FORMATS = ("e_learning", "workshop", "peer_learning", "superuser", "course", "micro_learning")

# The score of decision 0018 (gap × weight × level fit = weight × levels closed × ½ per level beyond the
# target), in SQL. One person's recommendations from the raw rows: estimates below the role's target,
# scored per activity.
RAW_PERSON_SQL = """
    SELECT ac.activity_id, SUM(
        CASE t.criticality WHEN 'kritisk' THEN 3 WHEN 'vigtig' THEN 2 ELSE 1 END
        * (LEAST(ac.level, t.level) - e.level) * POWER(0.5, GREATEST(0, ac.level - t.level))
    ) AS score
    FROM assessments_competenceestimate e
    JOIN frameworks_competence c ON c.id = e.competence_id
    JOIN frameworks_roletarget t ON t.competence_id = e.competence_id
    JOIN frameworks_roleprofile rp ON rp.id = t.role_profile_id AND rp.code = %(role)s
    JOIN development_activitycompetence ac ON ac.competence_code = c.code AND ac.level > e.level
    JOIN development_learningactivity a ON a.id = ac.activity_id
        AND a.organisation_id = %(organisation)s AND a.status = 'published'
    WHERE e.person_id = %(person)s AND e.level < t.level
    GROUP BY ac.activity_id
    ORDER BY score DESC, ac.activity_id
    LIMIT 5
"""
# A unit's recommendations from the raw rows: every participant's estimates in the subtree.
RAW_UNIT_SQL = """
    SELECT ac.activity_id, SUM(
        CASE t.criticality WHEN 'kritisk' THEN 3 WHEN 'vigtig' THEN 2 ELSE 1 END
        * (LEAST(ac.level, t.level) - e.level) * POWER(0.5, GREATEST(0, ac.level - t.level))
    ) AS score
    FROM assessments_participant p
    JOIN assessments_competenceestimate e ON e.person_id = p.person_id
    JOIN frameworks_competence c ON c.id = e.competence_id
    JOIN frameworks_roleprofile rp ON rp.framework_id = %(framework)s AND rp.code = p.role_profile_code
    JOIN frameworks_roletarget t ON t.role_profile_id = rp.id AND t.competence_id = e.competence_id
    JOIN development_activitycompetence ac ON ac.competence_code = c.code AND ac.level > e.level
    JOIN development_learningactivity a ON a.id = ac.activity_id
        AND a.organisation_id = %(organisation)s AND a.status = 'published'
    WHERE p.campaign_id = %(campaign)s AND p.unit_path LIKE %(prefix)s AND e.level < t.level
    GROUP BY ac.activity_id
    ORDER BY score DESC, ac.activity_id
    LIMIT 5
"""


def _say(text: str) -> None:
    print(f"    {text}", flush=True)


def _catalogue(setup: Setup, *, activities: int, seed: int) -> int:
    rng = random.Random(seed)
    codes = list(
        Competence.objects.filter(framework=setup.framework, parent__isnull=True).values_list(
            "code", flat=True
        )
    )
    for number in range(activities):
        chosen = rng.sample(codes, k=rng.randint(1, 3))
        catalogue.activity_save(
            actor=setup.actor,
            record=ActivityRecord(
                key=f"bench-{number}",
                title_da=f"Aktivitet {number}",
                format=rng.choice(FORMATS),
                duration_hours=Decimal(rng.choice(("0.5", "3", "7", "21"))),
                cost_dkk=rng.choice((0, 0, 1500, 4500)),
                competences=tuple(sorted((code, rng.randint(2, 4)) for code in chosen)),
            ),
        )
    return activities


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_person(setup: Setup, *, people: int, seed: int) -> dict[str, Any]:
    today = timezone.localdate()
    ids = list(
        Person.objects.filter(organisation=setup.organisation, user__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = [Person.objects.get(pk=pk) for pk in random.Random(seed).sample(ids, k=min(people, len(ids)))]
    roles = {p.pk: role_profile_code_for_person(person=p, framework=setup.framework) for p in chosen}

    def page(person: Person) -> int:
        profile = reader_profile(person=person, for_leader=False, today=today)
        assert profile is not None
        return len(person_recommendations(profile=profile))

    def raw(person: Person) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                RAW_PERSON_SQL,
                {"role": roles[person.pk], "organisation": setup.organisation.pk, "person": person.pk},
            )
            return len(cursor.fetchall())

    page(chosen[0])
    raw(chosen[0])
    times, baselines, found, agree = [], [], 0, 0
    for person in chosen:
        started = time.perf_counter()
        shown = page(person)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        rows = raw(person)
        baselines.append(time.perf_counter() - started)
        found += shown > 0
        agree += (shown > 0) == (rows > 0)
    value, baseline = _p95(times), _p95(baselines)
    ms = 1000
    _say(
        f"person: p95 {value * ms:.1f} ms (median {statistics.median(times) * ms:.1f}, max "
        f"{max(times) * ms:.1f}) over {len(chosen)} people, {found} with recommendations; raw p95 "
        f"{baseline * ms:.1f} ms; page and raw agree on having any for {agree} of {len(chosen)}"
    )
    return {
        "value": round(value * ms, 1),
        "unit": "ms",
        "baseline": round(baseline * ms, 2),
        "ratio": round(value / baseline, 1) if baseline else None,
    }


def measure_unit(setup: Setup, label: str, unit: OrgUnit | None, *, runs: int) -> dict[str, Any]:
    def page() -> int:
        levels = unit_levels(actor=setup.actor, unit=unit)
        offers = offers_for(organisation=setup.organisation)
        return len(rank_for_unit(levels, offers))

    def raw() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                RAW_UNIT_SQL,
                {
                    "framework": setup.campaign.framework_id,
                    "organisation": setup.organisation.pk,
                    "campaign": setup.campaign.pk,
                    "prefix": f"{unit.path if unit else ''}%",
                },
            )
            return len(cursor.fetchall())

    def timed(call: Any) -> tuple[float, list[float], int]:
        result = call()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        return statistics.median(times), times, result

    value, times, shown = timed(page)
    baseline, _baselines, rows = timed(raw)
    ms = 1000
    _say(
        f"{label}: {value * ms:.1f} ms (min {min(times) * ms:.1f}, max {max(times) * ms:.1f}; "
        f"{shown} recommendations); raw {baseline * ms:.1f} ms ({rows})"
    )
    return {
        "value": round(value * ms, 1),
        "unit": "ms",
        "baseline": round(baseline * ms, 1),
        "ratio": round(baseline / value, 1) if value else None,
    }


def run(
    *,
    employees: int = DEFAULT_EMPLOYEES,
    seed: int = 1,
    people: int = 200,
    activities: int = 60,
    runs: int = 7,
    **_ignored: Any,
) -> dict[str, dict[str, Any]]:
    busy = busy_cores()
    if busy is not None and busy > 0.25:
        _say(f"warning: other processes keep {busy:.1f} cores busy; the figures will be worse than usual")
    started = time.perf_counter()
    setup = set_up(employees=employees, seed=seed)
    _catalogue(setup, activities=activities, seed=seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("development_learningactivity", "development_activitycompetence"):
                cursor.execute(f"ANALYZE {table}")
    _say(f"setup took {time.perf_counter() - started:.1f} s ({activities} activities)")
    department, _top, _team = pick_units(setup)
    sizes = subtree_sizes(setup)
    _say(f"department: {department.name} ({sizes[department.path]:,} people)")
    results = {
        "development_recommend_person_p95": measure_person(setup, people=people, seed=seed),
        "development_recommend_unit_department": measure_unit(setup, "department", department, runs=runs),
        "development_recommend_unit_municipality": measure_unit(setup, "municipality", None, runs=runs),
    }
    person, unit = (
        results["development_recommend_person_p95"],
        results["development_recommend_unit_municipality"],
    )
    _say(
        f"targets: person p95 <= {TARGETS['person_p95']:g} ms: "
        + ("met" if person["value"] <= TARGETS["person_p95"] else "MISSED")
        + f"; unit <= {TARGETS['unit']:g} ms: "
        + ("met" if unit["value"] <= TARGETS["unit"] else "MISSED")
    )
    return results
