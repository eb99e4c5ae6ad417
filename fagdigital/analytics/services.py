"""Writes of analytics: publishing a closed round's figures as block rows.

A round's figures are published once, when it closes (`round_publish`), as sums over its publication
blocks (privacy.blocks); `rollups_rebuild` republishes every closed round of an organisation from the
same stored blocks and the same evidence, so it gives the same rows. The SQL is plain and portable
(common table expressions, window functions and CASE work on PostgreSQL and on the demo's SQLite).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Count, F

from fagdigital.assessments.evidence_rule import estimate_order_sql
from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument, Participant, Visibility
from fagdigital.orgs.models import PATH_STEP
from fagdigital.privacy import release
from fagdigital.privacy.blocks import Cell
from fagdigital.privacy.models import Partition
from fagdigital.privacy.rules import min_group
from fagdigital.privacy.services import partition_store

from .models import Rollup, RollupVersion

# The evidence rule inside one round, from the one place that owns it (docs/decisions/0016).
PRIORITY = estimate_order_sql()
# Each single source as a bit, so a person's set of sources is one number.
SOURCE_BIT = "CASE source WHEN 'self' THEN 1 WHEN 'leader' THEN 2 ELSE 4 END"


def _publish_sql(*, single_sources: str) -> str:
    released = release.released_sql(
        people="f.people", source="f.source", groups="g.groups", smallest="g.smallest"
    )
    return f"""
        WITH single AS (
            SELECT person_id, competence_id, source, level FROM (
                SELECT person_id, competence_id, source, level, ROW_NUMBER() OVER (
                    PARTITION BY person_id, competence_id, source ORDER BY observed_on DESC, id DESC) AS rank
                FROM assessments_evidence
                WHERE campaign_id = %(campaign)s AND source IN ({single_sources})
            ) latest WHERE rank = 1
        ),
        combined AS (
            SELECT person_id, competence_id, '{release.COMBINED}' AS source, level FROM (
                SELECT person_id, competence_id, level, ROW_NUMBER() OVER (
                    PARTITION BY person_id, competence_id ORDER BY {PRIORITY}, observed_on DESC, id DESC
                ) AS rank
                FROM assessments_evidence
                WHERE campaign_id = %(campaign)s AND source IN ({single_sources})
            ) ranked WHERE rank = 1
        ),
        placed AS (
            SELECT p.person_id, c.block, c.home_path, c.direct_only, c.role_code
            FROM assessments_participant p
            JOIN privacy_partitioncell c ON c.partition_id = %(partition)s
                AND c.unit_path = p.unit_path AND c.role_code = p.role_profile_code
            WHERE p.campaign_id = %(campaign)s AND c.block > 0
        ),
        patterns AS (
            SELECT person_id, competence_id, SUM({SOURCE_BIT}) AS pattern
            FROM single GROUP BY person_id, competence_id
        ),
        source_groups AS (
            SELECT block, competence_id, COUNT(*) AS groups, MIN(size) AS smallest FROM (
                SELECT pl.block, pt.competence_id, pt.pattern, COUNT(*) AS size
                FROM patterns pt JOIN placed pl ON pl.person_id = pt.person_id
                GROUP BY pl.block, pt.competence_id, pt.pattern
            ) per_pattern GROUP BY block, competence_id
        ),
        figures AS (
            SELECT pl.block, pl.home_path, pl.direct_only, pl.role_code, e.source, e.competence_id,
                COUNT(*) AS people,
                SUM(CASE WHEN e.level = 1 THEN 1 ELSE 0 END) AS level_1,
                SUM(CASE WHEN e.level = 2 THEN 1 ELSE 0 END) AS level_2,
                SUM(CASE WHEN e.level = 3 THEN 1 ELSE 0 END) AS level_3,
                SUM(CASE WHEN e.level >= 4 THEN 1 ELSE 0 END) AS level_4
            FROM (SELECT * FROM single UNION ALL SELECT * FROM combined) e
            JOIN placed pl ON pl.person_id = e.person_id
            GROUP BY pl.block, pl.home_path, pl.direct_only, pl.role_code, e.source, e.competence_id
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


def partition_key(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


def round_partition(*, campaign: Campaign) -> Partition:
    """The round's publication blocks over its participants (stored at opening; formed now if missing)."""
    cells = [
        Cell(unit_path=row["unit_path"], role_code=row["role_profile_code"], people=row["people"])
        for row in Participant.objects.filter(campaign=campaign)
        .values("unit_path", "role_profile_code")
        .annotate(people=Count("pk"))
    ]
    return partition_store(
        organisation=campaign.organisation, key=partition_key(campaign.pk), cells=cells, step=PATH_STEP
    )


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
    partition = round_partition(campaign=campaign)
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
        cursor.execute(_publish_sql(single_sources=", ".join(sources)), params)
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
