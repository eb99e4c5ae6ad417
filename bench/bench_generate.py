"""How long generating a large municipality takes, through the people import, against a bare insert.

value: seconds for `municipality_generate` with 45,000 people (about 2,500 units, 5 levels deep);
baseline: seconds to bulk_create the same number of bare Person rows in the same run;
ratio: value / baseline (how many times dearer a person is through the whole write path).
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction

from fagdigital.demo.services import municipality_generate
from fagdigital.orgs.models import Person
from fagdigital.tenancy.models import Organisation, OrganisationKind

DEFAULT_EMPLOYEES = 45_000
BASELINE_KOMMUNEKODE = "0996"
BASELINE_BATCH_SIZE = 2_000


def bulk_create_people(*, count: int) -> float:
    """Seconds to insert `count` bare Person rows with bulk_create, in one transaction."""
    organisation = Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY, kommunekode=BASELINE_KOMMUNEKODE, name="Basislinje Kommune"
    )
    started = time.perf_counter()
    with transaction.atomic():
        Person.objects.bulk_create(
            (Person(organisation=organisation, employee_number=str(100_001 + index), name=f"Person {index}")
             for index in range(count)),
            batch_size=BASELINE_BATCH_SIZE,
        )  # fmt: skip
    return time.perf_counter() - started


def run(*, employees: int = DEFAULT_EMPLOYEES, seed: int = 1, **_ignored: Any) -> dict[str, dict[str, Any]]:
    last_report = [0.0]

    def progress(phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last_report[0] >= 5 or done == total:
            last_report[0] = now
            print(f"    {phase}: {done:,}/{total:,}", flush=True)

    started = time.perf_counter()
    result = municipality_generate(employees=employees, seed=seed, progress=progress)
    value = time.perf_counter() - started
    baseline = bulk_create_people(count=employees)
    print(f"    {result.rows:,} people, {result.units:,} units, depth {result.depth}", flush=True)
    name = "generate_municipality" if employees == DEFAULT_EMPLOYEES else f"generate_municipality_{employees}"
    return {
        name: {
            "value": round(value, 3),
            "unit": "s",
            "baseline": round(baseline, 3),
            "ratio": round(value / baseline, 1) if baseline else None,
        }
    }
