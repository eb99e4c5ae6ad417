"""Published figures of measurement rounds: one row per publication block, source and competence.

A row sums the people of one publication block (privacy.blocks: at least k people of one role profile,
formed in one unit) — never fewer, and only rows the privacy rule lets out (privacy.release) are stored
at all. Every figure the dashboards, exports and benchmarks show is a sum of these rows: a unit's figure
is the sum over the blocks formed inside it, a contiguous range of materialised paths. Rows are written
when a round closes and never change afterwards. See docs/decisions/0010-publication-blocks.md.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class RollupSource(models.TextChoices):
    ESTIMATE = "estimate", _("Samlet vurdering")
    SELF = "self", _("Selvvurdering")
    LEADER = "leader", _("Ledervurdering")
    TEST = "test", _("Videnstest")


class Rollup(models.Model):
    """People of one block with a level in one competence from one source, per level.

    Targets are not stored: a block has one role profile, so its share at target is computed from the
    levels and the targets of whichever framework version is in view (the round's own, or the published
    one for "current level").
    """

    # Derived data, rebuilt in bulk: no database-level foreign keys to maintain (deletes still cascade
    # through Django); the index in Meta serves every read.
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    campaign = models.ForeignKey(
        "assessments.Campaign",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    source = models.CharField(max_length=16, choices=RollupSource.choices)
    block = models.PositiveIntegerField()
    # Where the block was formed ("" for the organisation); a unit's figure sums the rows below its path.
    unit_path = models.CharField(max_length=255, blank=True)
    direct_only = models.BooleanField(default=False)
    role_profile_code = models.CharField(max_length=100, blank=True)
    competence = models.ForeignKey(
        "frameworks.Competence",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    people = models.PositiveIntegerField(default=0)
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    level_4 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["campaign", "source", "block", "competence"], name="rollup_block_figure_once"
            ),
        ]
        indexes: ClassVar = [
            # The pattern operator class lets PostgreSQL use the index for `unit_path LIKE 'prefix%'`
            # whatever the database's collation (other databases ignore operator classes).
            models.Index(
                fields=["organisation", "campaign", "source", "unit_path"],
                name="rollup_range",
                opclasses=["int8_ops", "int8_ops", "text_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.source}:{self.block}:{self.competence_id}"


class RollupVersion(models.Model):
    """Bumped whenever an organisation's published figures change, so cached figures are never stale."""

    organisation = models.OneToOneField(
        "tenancy.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.version}"
