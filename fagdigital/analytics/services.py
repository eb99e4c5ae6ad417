"""Writes of analytics: building rollups from evidence, in bulk and per changed person.

The SQL is plain and portable (window functions and CASE work on PostgreSQL and SQLite), because the demo
runs on SQLite. Rebuild and incremental update share the same statements; the incremental one restricts
them to the cells one person belongs to, so both always agree (a property test checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from fagdigital.orgs.models import OrgUnit

from .models import Rollup, RollupVersion

TARGETS = """
    SELECT rt.competence_id AS competence_id, rp.code AS code, rt.level AS level
    FROM frameworks_roletarget rt JOIN frameworks_roleprofile rp ON rp.id = rt.role_profile_id
"""

COUNTS = """
    COUNT(*),
    SUM(CASE WHEN e.level = 1 THEN 1 ELSE 0 END),
    SUM(CASE WHEN e.level = 2 THEN 1 ELSE 0 END),
    SUM(CASE WHEN e.level = 3 THEN 1 ELSE 0 END),
    SUM(CASE WHEN e.level >= 4 THEN 1 ELSE 0 END),
    SUM(CASE WHEN t.level IS NULL THEN 0 ELSE 1 END),
    SUM(CASE WHEN t.level IS NOT NULL AND e.level >= t.level THEN 1 ELSE 0 END),
    SUM(CASE WHEN t.level IS NOT NULL AND e.level < t.level THEN t.level - e.level ELSE 0 END)
"""

INSERT_COLUMNS = """
    INSERT INTO analytics_rollup (organisation_id, campaign_id, source, unit_id, unit_path, role_profile_code,
        competence_id, people, level_1, level_2, level_3, level_4, with_target, at_target, gap_sum)
"""

# The estimate rule of DESIGN.md §2 inside one campaign: test, then leader, then learning, then self.
PRIORITY = "CASE source WHEN 'test' THEN 0 WHEN 'leader' THEN 1 WHEN 'learning' THEN 2 ELSE 3 END"


def _campaign_sql(*, combined: bool, where: str) -> str:
    if combined:
        evidence = f"""
            SELECT campaign_id, person_id, competence_id, level, 'estimate' AS source FROM (
                SELECT campaign_id, person_id, competence_id, level, ROW_NUMBER() OVER (
                    PARTITION BY campaign_id, person_id, competence_id
                    ORDER BY {PRIORITY}, observed_on DESC, id DESC) AS rank
                FROM assessments_evidence WHERE {where}
            ) ranked WHERE rank = 1
        """
    else:
        evidence = f"""
            SELECT campaign_id, person_id, competence_id, level, source
            FROM assessments_evidence WHERE {where} AND source IN ('self', 'leader', 'test')
        """
    return f"""
        {INSERT_COLUMNS}
        SELECT p.organisation_id, e.campaign_id, e.source, p.unit_id, p.unit_path, p.role_profile_code,
            e.competence_id, {COUNTS}
        FROM ({evidence}) e
        JOIN assessments_participant p ON p.campaign_id = e.campaign_id AND p.person_id = e.person_id
        LEFT JOIN ({TARGETS}) t ON t.competence_id = e.competence_id AND t.code = p.role_profile_code
        GROUP BY p.organisation_id, e.campaign_id, e.source, p.unit_id, p.unit_path, p.role_profile_code,
            e.competence_id
    """


def _current_sql(*, engagement_where: str, extra_where: str = "") -> str:
    """Current estimates, each person in the unit and role of their primary running engagement."""
    return f"""
        {INSERT_COLUMNS}
        SELECT e.organisation_id, NULL, 'estimate', cu.unit_id, u.path, COALESCE(m.role_profile_code, ''),
            e.competence_id, {COUNTS}
        FROM assessments_competenceestimate e
        JOIN (
            SELECT person_id, unit_id, job_function_id, ROW_NUMBER() OVER (
                PARTITION BY person_id ORDER BY is_primary DESC, start_date, id) AS rank
            FROM orgs_engagement
            WHERE {engagement_where} AND start_date <= %(today)s
                AND (end_date IS NULL OR end_date >= %(today)s)
        ) cu ON cu.person_id = e.person_id AND cu.rank = 1
        JOIN orgs_orgunit u ON u.id = cu.unit_id
        JOIN frameworks_competence c ON c.id = e.competence_id
        JOIN frameworks_framework f ON f.id = c.framework_id
        LEFT JOIN frameworks_jobfunctionmapping m
            ON m.job_function_id = cu.job_function_id AND m.framework_key = f.key
        LEFT JOIN ({TARGETS}) t ON t.competence_id = e.competence_id AND t.code = m.role_profile_code
        WHERE e.organisation_id = %(organisation)s {extra_where}
        GROUP BY e.organisation_id, cu.unit_id, u.path, COALESCE(m.role_profile_code, ''), e.competence_id
    """


def _bump_version(organisation_id: int) -> None:
    """Invalidate the organisation's cached dashboard figures (same transaction as the change)."""
    if not RollupVersion.objects.filter(pk=organisation_id).update(version=F("version") + 1):
        RollupVersion.objects.get_or_create(organisation_id=organisation_id, defaults={"version": 1})


def _execute(sql: str, params: Mapping[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


Progress = Callable[[str], None]


@transaction.atomic
def rollups_rebuild(
    *, organisation_id: int, today: dt.date | None = None, progress: Progress | None = None
) -> int:
    """Recompute every rollup of the organisation from its evidence and estimates; returns the row count."""
    today = today or timezone.localdate()
    say = progress or (lambda _message: None)
    params: dict[str, Any] = {"organisation": organisation_id, "today": today}
    if connection.vendor == "postgresql":
        # The estimate-per-campaign step sorts every evidence row: give this one transaction the memory
        # to do it without spilling to disk.
        _execute("SET LOCAL work_mem = '256MB'", {})
    say("delete")
    Rollup.objects.filter(organisation_id=organisation_id).delete()
    where = "organisation_id = %(organisation)s AND campaign_id IS NOT NULL"
    say("campaigns: self-assessment, leader assessment, test")
    _execute(_campaign_sql(combined=False, where=where), params)
    say("campaigns: combined estimate")
    _execute(_campaign_sql(combined=True, where=where), params)
    say("current estimates")
    _execute(_current_sql(engagement_where="organisation_id = %(organisation)s"), params)
    _bump_version(organisation_id)
    count = Rollup.objects.filter(organisation_id=organisation_id).count()
    say(f"done: {count} rows")
    return count


def rollups_on_evidence_changed(
    *, organisation_id: int, person_id: int, campaign_id: int | None, competence_ids: Iterable[int]
) -> None:
    """Recompute the cells the person counts in: their campaign unit and role, and their current unit.

    Runs inside the transaction that changed the evidence, so dashboards are never behind. It redoes
    whole cells (one unit and role) rather than adding deltas, so it cannot drift from a rebuild. The
    units are locked first (in id order, so two submissions cannot deadlock): two people of one unit
    submitting at once would otherwise both rewrite the same cells.
    """
    del competence_ids  # a cell holds every competence; recomputing the unit's cells covers them
    today = timezone.localdate()
    with connection.cursor() as cursor:
        campaign_cell = None
        if campaign_id is not None:
            cursor.execute(
                "SELECT unit_id, role_profile_code FROM assessments_participant "
                "WHERE campaign_id = %s AND person_id = %s",
                [campaign_id, person_id],
            )
            campaign_cell = cursor.fetchone()
        cursor.execute(
            "SELECT unit_id FROM orgs_engagement WHERE person_id = %s AND start_date <= %s "
            "AND (end_date IS NULL OR end_date >= %s) ORDER BY is_primary DESC, start_date, id",
            [person_id, today, today],
        )
        current = cursor.fetchone()
    units = sorted({row[0] for row in (campaign_cell, current) if row is not None})
    list(OrgUnit.objects.select_for_update().filter(pk__in=units).order_by("pk").values_list("pk", flat=True))
    if campaign_cell is not None and campaign_id is not None:
        unit_id, code = campaign_cell
        Rollup.objects.filter(
            organisation_id=organisation_id, campaign_id=campaign_id, unit_id=unit_id, role_profile_code=code
        ).delete()
        where = (
            "campaign_id = %(campaign)s AND person_id IN (SELECT person_id"
            " FROM assessments_participant WHERE campaign_id = %(campaign)s"
            " AND unit_id = %(unit)s AND role_profile_code = %(code)s)"
        )
        params: dict[str, Any] = {"campaign": campaign_id, "unit": unit_id, "code": code}
        _execute(_campaign_sql(combined=False, where=where), params)
        _execute(_campaign_sql(combined=True, where=where), params)
    if current is not None:
        rollups_refresh_current_unit(organisation_id=organisation_id, unit_id=current[0], today=today)
    _bump_version(organisation_id)


def rollups_refresh_current_unit(*, organisation_id: int, unit_id: int, today: dt.date | None = None) -> None:
    """Recompute the "current" cells of one unit (everyone whose primary engagement is there)."""
    today = today or timezone.localdate()
    Rollup.objects.filter(organisation_id=organisation_id, campaign__isnull=True, unit_id=unit_id).delete()
    engagement_where = (
        "organisation_id = %(organisation)s AND person_id IN (SELECT person_id FROM orgs_engagement "
        "WHERE unit_id = %(unit)s)"
    )
    sql = _current_sql(engagement_where=engagement_where, extra_where="AND cu.unit_id = %(unit)s")
    _execute(sql, {"organisation": organisation_id, "unit": unit_id, "today": today})
    _bump_version(organisation_id)
