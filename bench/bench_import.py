"""How long the people import takes for a large municipality, against a bare insert.

Figures (seconds; baseline and ratio as in every benchmark here):
- people_import_read: `read_people_file` on a generated CSV (`;`, UTF-8 with BOM) with 45,000 people
  in about 2,600 units five levels deep: decoding, parsing and validating every row.
- people_import_apply: `people_import_apply` of those rows into an empty organisation (creates every
  unit, job function, person, engagement and leader).
- people_import_reapply: the same rows again (nothing changes: the cost of comparing).
- people_import_reapply_changed: then a file where everyone is renamed, every fourth person moves to
  another team and the last tenth are missing (their engagements end): the cost of many updates.
- people_import_undo: undo of that last import (back to the state after the first apply).
Each apply is recorded as the browser's and the command's are (a history entry and the undo log, with
the safeguards on), so the figures include writing the undo log.
baseline: seconds to bulk_create the same number of bare Person rows in the same run (then deleted);
ratio: value / baseline.

Run through `./dev bench import` (or `./dev bench import --set employees=5000`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import time
from typing import Any

from django.db import connection, transaction

from fagdigital.orgs.models import (
    Engagement,
    ImportMode,
    JobFunction,
    OrgUnit,
    PeopleImport,
    Person,
    UnitLeader,
)
from fagdigital.orgs.people_import import read_people_file
from fagdigital.orgs.services import people_import_apply, people_import_record, people_import_undo
from fagdigital.tenancy.models import Organisation, OrganisationKind

DEFAULT_EMPLOYEES = 45_000
KOMMUNEKODE = "0995"
BASELINE_KOMMUNEKODE = "0994"
# Units per level below the one above: 4 areas, 5 centres each, 5 departments, 5 sections, 4 teams.
FAN_OUT = (4, 5, 5, 5, 4)
LEVEL_NAMES = ("Område", "Center", "Afdeling", "Sektion", "Team")
PLACES = ("Nord", "Syd", "Øst", "Vest", "Midt", "Å-dalen", "Søhøj", "Bakkegården")
JOB_FUNCTIONS = (
    "Social- og sundhedshjælper",
    "Social- og sundhedsassistent",
    "Sygeplejerske",
    "Pædagog",
    "Lærer",
    "Socialrådgiver",
    "Administrativ medarbejder",
    "Ergoterapeut",
)
LEADER_FUNCTIONS = ("Direktør", "Centerchef", "Afdelingsleder", "Sektionsleder", "Teamleder")


def unit_tree() -> list[tuple[str, ...]]:
    """Every unit's path of names, parents before children."""
    paths: list[tuple[str, ...]] = []
    level: list[tuple[str, ...]] = [()]
    for depth, count in enumerate(FAN_OUT):
        below = []
        for parent in level:
            for index in range(1, count + 1):
                place = PLACES[(index + depth) % len(PLACES)]
                below.append((*parent, f"{LEVEL_NAMES[depth]} {place} {index}"))
        paths.extend(below)
        level = below
    return paths


def generate_csv(*, employees: int) -> bytes:
    """A people file as Danish Excel writes it: one leader per unit, the others spread over the teams."""
    paths = unit_tree()
    teams = [path for path in paths if len(path) == len(FAN_OUT)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["medarbejdernummer", "navn", "e-mail", "enhed", "stillingsbetegnelse", "leder"])
    number = 0

    def person(path: tuple[str, ...], job: str, *, leader: bool) -> None:
        nonlocal number
        number += 1
        name = f"Fornavn{number % 997} Efternavn{number % 1009}"
        email = f"m{100000 + number}@bench.example.dk"
        unit = "/".join(path)
        writer.writerow([str(100000 + number), name, email, unit, job, "ja" if leader else "nej"])

    for path in paths[: min(len(paths), employees)]:
        person(path, LEADER_FUNCTIONS[len(path) - 1], leader=True)
    staff = employees - number
    for index in range(staff):
        person(teams[index % len(teams)], JOB_FUNCTIONS[index % len(JOB_FUNCTIONS)], leader=False)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _organisation(code: str, name: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        kommunekode=code, defaults={"kind": OrganisationKind.MUNICIPALITY, "name": name}
    )
    return organisation


def _delete_organisation_rows(organisation: Organisation) -> None:
    """Delete the organisation's structure with plain SQL (Django's cascade collector is slow here)."""
    with connection.cursor() as cursor:
        for model in (UnitLeader, Engagement, Person, JobFunction, OrgUnit, PeopleImport):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE organisation_id = %s",  # noqa: S608 - table names
                [organisation.pk],
            )
    organisation.delete()


def baseline_bulk_create(*, count: int) -> float:
    """Seconds to insert `count` bare Person rows with bulk_create in one transaction (then removed)."""
    organisation = _organisation(BASELINE_KOMMUNEKODE, "Basislinje Kommune (import)")
    started = time.perf_counter()
    with transaction.atomic():
        Person.objects.bulk_create(
            (
                Person(
                    organisation=organisation, employee_number=str(100_001 + index), name=f"Person {index}"
                )
                for index in range(count)
            ),
            batch_size=2000,
        )
    elapsed = time.perf_counter() - started
    _delete_organisation_rows(organisation)
    return elapsed


def _entry(value: float, baseline: float) -> dict[str, Any]:
    return {
        "value": round(value, 3),
        "unit": "s",
        "baseline": round(baseline, 3),
        "ratio": round(value / baseline, 1) if baseline else None,
    }


def run(*, employees: int = DEFAULT_EMPLOYEES, **_ignored: Any) -> dict[str, dict[str, Any]]:
    data = generate_csv(employees=employees)
    organisation = _organisation(KOMMUNEKODE, "Benchmark Kommune (import)")

    started = time.perf_counter()
    parsed = read_people_file(data=data, filename="bench.csv", max_bytes=len(data))
    read_seconds = time.perf_counter() - started
    if not parsed.is_valid:
        raise RuntimeError(f"generated file is invalid: {parsed.errors[:3]}")

    def record() -> PeopleImport:
        return people_import_record(
            organisation=organisation, filename="bench.csv", mode=ImportMode.FULL, row_count=len(parsed.rows)
        )

    started = time.perf_counter()
    first = people_import_apply(
        organisation=organisation, rows=parsed.rows, units=parsed.units, record=record()
    )
    apply_seconds = time.perf_counter() - started

    started = time.perf_counter()
    again = people_import_apply(
        organisation=organisation, rows=parsed.rows, units=parsed.units, record=record()
    )
    reapply_seconds = time.perf_counter() - started
    if again.people_unchanged != len(parsed.rows) or again.has_changes:
        raise RuntimeError(f"re-import changed something: {again}")

    teams = sorted({row.unit_path for row in parsed.rows if len(row.unit_path) == len(FAN_OUT)})
    keep = len(parsed.rows) - len(parsed.rows) // 10
    changed_rows = [
        dataclasses.replace(
            row,
            name=f"{row.name} Ændret",
            unit_path=teams[index % len(teams)] if index % 4 == 0 and not row.is_leader else row.unit_path,
        )
        for index, row in enumerate(parsed.rows[:keep])
    ]
    changed_record = record()
    started = time.perf_counter()
    changed = people_import_apply(
        organisation=organisation,
        rows=changed_rows,
        record=changed_record,
        confirm_ending=len(parsed.rows) - keep,
    )
    changed_seconds = time.perf_counter() - started

    changed_record.refresh_from_db()
    started = time.perf_counter()
    undone = people_import_undo(people_import=changed_record, user=None)
    undo_seconds = time.perf_counter() - started
    if not undone.possible:
        raise RuntimeError(f"undo refused: {[problem.message for problem in undone.problems]}")

    baseline = baseline_bulk_create(count=len(parsed.rows))
    _delete_organisation_rows(organisation)
    rows = len(parsed.rows)
    print(
        f"    {rows:,} rows ({len(data) / 1e6:.1f} MB), {first.units_created:,} units: "
        f"read {read_seconds:.2f} s ({rows / read_seconds:,.0f} rows/s), "
        f"apply {apply_seconds:.2f} s ({rows / apply_seconds:,.0f} rows/s), "
        f"re-apply {reapply_seconds:.2f} s, re-apply with {changed.people_updated:,} changed people and "
        f"{changed.engagements_ended:,} engagements ended {changed_seconds:.2f} s, "
        f"undo {undo_seconds:.2f} s, "
        f"bare bulk_create {baseline:.2f} s",
        flush=True,
    )
    suffix = "" if employees == DEFAULT_EMPLOYEES else f"_{employees}"
    return {
        f"people_import_read{suffix}": _entry(read_seconds, baseline),
        f"people_import_apply{suffix}": _entry(apply_seconds, baseline),
        f"people_import_reapply{suffix}": _entry(reapply_seconds, baseline),
        f"people_import_reapply_changed{suffix}": _entry(changed_seconds, baseline),
        f"people_import_undo{suffix}": _entry(undo_seconds, baseline),
    }
