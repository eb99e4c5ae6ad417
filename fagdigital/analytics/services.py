"""Writes of analytics: publishing a closed round's figures as block rows.

A round's figures are published once, when it closes (`round_publish`), as sums over its publication
blocks (privacy.blocks); `rollups_rebuild` republishes every closed round of an organisation from the
same stored blocks and the same evidence, so it gives the same rows. The SQL is plain and portable
(common table expressions, window functions and CASE work on PostgreSQL and on the demo's SQLite).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import F

from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.evidence_rule import estimate_order_sql
from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument, Visibility
from fagdigital.privacy import release
from fagdigital.privacy.rules import min_group

from .models import Rollup, RollupVersion

# The estimate rule (assessments.evidence_rule, decision 0016) over the staged rows (alias `s`).
PRIORITY = estimate_order_sql("s")
# Each single source as a bit, so a person's set of sources is one number.
SOURCE_BIT = "CASE source WHEN 'self' THEN 1 WHEN 'leader' THEN 2 ELSE 4 END"


STAGE = "analytics_publish_stage"
CHOSEN = "analytics_publish_chosen"


def _stage_sql(*, single_sources: str) -> str:
    """Each participant in a block, with their latest level per competence and single source.

    Staged in a temporary table (and analysed on PostgreSQL) so the grouping below joins a few hundred
    thousand known rows instead of re-scanning window results the planner cannot estimate.
    """
    return f"""
        CREATE TEMPORARY TABLE {STAGE} AS
        SELECT e.id, e.campaign_id, e.observed_on, e.person_id, e.competence_id, e.source, e.level,
            c.block, c.home_path, c.direct_only, c.role_code
        FROM (
            SELECT id, campaign_id, observed_on, person_id, competence_id, source, level, ROW_NUMBER() OVER (
                PARTITION BY person_id, competence_id, source ORDER BY observed_on DESC, id DESC) AS rank
            FROM assessments_evidence
            WHERE campaign_id = %(campaign)s AND source IN ({single_sources})
        ) e
        JOIN assessments_participant p ON p.campaign_id = %(campaign)s AND p.person_id = e.person_id
        JOIN privacy_partitioncell c ON c.partition_id = %(partition)s
            AND c.unit_path = p.unit_path AND c.role_code = p.role_profile_code
        WHERE e.rank = 1 AND c.block > 0
    """


def _chosen_sql() -> str:
    """Per person and competence, the staged row the estimate rule picks (and which source it is)."""
    return f"""
        CREATE TEMPORARY TABLE {CHOSEN} AS
        SELECT person_id, competence_id, source AS chosen, level, block, home_path, direct_only, role_code
        FROM (
            SELECT s.*, ROW_NUMBER() OVER (PARTITION BY person_id, competence_id ORDER BY {PRIORITY}) AS rank
            FROM {STAGE} s
        ) ranked WHERE rank = 1
    """


def _publish_sql() -> str:
    released = release.released_sql(
        people="f.people", source="f.source", groups="g.groups", smallest="g.smallest"
    )
    # People are grouped by the single sources they have *and* the one their estimate reads (the rule
    # looks at levels, so two people with the same sources may read different ones): see privacy.release.
    return f"""
        WITH source_groups AS (
            SELECT block, competence_id, COUNT(*) AS groups, MIN(size) AS smallest FROM (
                SELECT p.block, p.competence_id, p.pattern, c.chosen, COUNT(*) AS size FROM (
                    SELECT block, competence_id, person_id, SUM({SOURCE_BIT}) AS pattern
                    FROM {STAGE} GROUP BY block, competence_id, person_id
                ) p
                JOIN {CHOSEN} c ON c.person_id = p.person_id AND c.competence_id = p.competence_id
                GROUP BY p.block, p.competence_id, p.pattern, c.chosen
            ) per_group GROUP BY block, competence_id
        ),
        figures AS (
            SELECT block, home_path, direct_only, role_code, source, competence_id,
                COUNT(*) AS people,
                SUM(CASE WHEN level = 1 THEN 1 ELSE 0 END) AS level_1,
                SUM(CASE WHEN level = 2 THEN 1 ELSE 0 END) AS level_2,
                SUM(CASE WHEN level = 3 THEN 1 ELSE 0 END) AS level_3,
                SUM(CASE WHEN level >= 4 THEN 1 ELSE 0 END) AS level_4
            FROM (
                SELECT block, home_path, direct_only, role_code, source, competence_id, level FROM {STAGE}
                UNION ALL
                SELECT block, home_path, direct_only, role_code, '{release.COMBINED}', competence_id, level
                FROM {CHOSEN}
            ) e
            GROUP BY block, home_path, direct_only, role_code, source, competence_id
        )
        INSERT INTO analytics_rollup (organisation_id, campaign_id, source, block, unit_path, direct_only,
            role_profile_code, competence_id, people, level_1, level_2, level_3, level_4)
        SELECT %(organisation)s, %(campaign)s, f.source, f.block, f.home_path, f.direct_only, f.role_code,
            f.competence_id, f.people, f.level_1, f.level_2, f.level_3, f.level_4
        FROM figures f
        JOIN source_groups g ON g.block = f.block AND g.competence_id = f.competence_id
        WHERE {released}
    """


def _bump_version(organisation_id: int) -> None:
    """Invalidate the organisation's cached dashboard figures (same transaction as the change)."""
    if not RollupVersion.objects.filter(pk=organisation_id).update(version=F("version") + 1):
        RollupVersion.objects.get_or_create(organisation_id=organisation_id, defaults={"version": 1})


def has_person_results(campaign: Campaign) -> bool:
    return bool(set(campaign.instruments) - {Instrument.CHIEFS})


@transaction.atomic
def round_publish(*, campaign_id: int) -> int:
    """Publish a closed round's figures (the block rows the privacy rule lets out); returns the row count.

    Idempotent: the same blocks and evidence give the same rows. An open round publishes nothing.
    """
    campaign = Campaign.objects.select_related("organisation").get(pk=campaign_id)
    Rollup.objects.filter(campaign=campaign).delete()
    if campaign.status != CampaignStatus.CLOSED or not has_person_results(campaign):
        _bump_version(campaign.organisation_id)
        return 0
    partition = assessment_services.round_partition(campaign=campaign)
    # In an anonymous round no leader rates a named person; should ratings exist, they are not published.
    sources = ["'self'", "'test'"]
    if campaign.visibility != Visibility.ANONYMOUS:
        sources.append("'leader'")
    # The organisation may have raised k since the blocks were formed: the higher one applies.
    k = max(partition.k, min_group(campaign.organisation))
    params = {
        "organisation": campaign.organisation_id,
        "campaign": campaign.pk,
        "partition": partition.pk,
        "k": k,
    }
    with connection.cursor() as cursor:
        for table in (CHOSEN, STAGE):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(_stage_sql(single_sources=", ".join(sources)), params)
        cursor.execute(_chosen_sql())
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {STAGE}")
            cursor.execute(f"ANALYZE {CHOSEN}")
        cursor.execute(_publish_sql(), params)
        for table in (CHOSEN, STAGE):
            cursor.execute(f"DROP TABLE {table}")
    _bump_version(campaign.organisation_id)
    return Rollup.objects.filter(campaign=campaign).count()


Progress = Callable[[str], None]


def rollups_rebuild(*, organisation_id: int, progress: Progress | None = None) -> int:
    """Republish every closed round of the organisation; returns the row count."""
    say = progress or (lambda _message: None)
    total = 0
    campaigns = Campaign.objects.filter(organisation_id=organisation_id, status=CampaignStatus.CLOSED)
    for campaign in campaigns.order_by("closes_on", "pk"):
        say(f"{campaign.name}")
        total += round_publish(campaign_id=campaign.pk)
    _bump_version(organisation_id)
    say(f"done: {total} rows")
    return total


def on_campaign_closed(*, campaign_id: int) -> None:
    """The handler assessments calls when a round closes (settings.CAMPAIGN_CLOSED_HANDLERS)."""
    round_publish(campaign_id=campaign_id)
