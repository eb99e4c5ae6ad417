"""Rollups: counts per org unit, role profile, competence and source, kept current as evidence changes.

A row counts the people placed *directly* in one unit (not its subtree). Because units carry a
materialised path, a subtree is a contiguous range of paths, and a subtree's figures are a sum over an
indexed range scan of these rows — a few thousand rows even for a whole municipality, never the raw
answers. See docs/decisions/0009-rollups-and-anonymity.md.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RollupSource(models.TextChoices):
    ESTIMATE = "estimate", _("Samlet vurdering")
    SELF = "self", _("Selvvurdering")
    LEADER = "leader", _("Ledervurdering")
    TEST = "test", _("Videnstest")


class Rollup(models.Model):
    """People with a level in a competence, per level and against their target.

    `campaign` is null for "current" (people's current estimates, in their current unit and role);
    otherwise the figures are the campaign's, with people in the unit and role they had when it opened.
    `source` "estimate" in a campaign applies the DESIGN.md §2 order (test, leader, self) to its evidence.
    """

    # Derived data, rebuilt in bulk: no database-level foreign keys or single-column indexes to maintain
    # (deletes still cascade through Django); the indexes in Meta serve every read and update.
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
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    source = models.CharField(max_length=16, choices=RollupSource.choices)
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    unit_path = models.CharField(max_length=255)
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
    with_target = models.PositiveIntegerField(default=0)
    at_target = models.PositiveIntegerField(default=0)
    # Sum of (target - level) over people below their target, for ranking gaps.
    gap_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            # Unit and role profile first: a submission rewrites exactly one (unit, role profile) cell.
            models.UniqueConstraint(
                fields=["organisation", "campaign", "unit", "role_profile_code", "source", "competence"],
                condition=Q(campaign__isnull=False),
                name="rollup_campaign_cell_once",
            ),
            models.UniqueConstraint(
                fields=["organisation", "unit", "role_profile_code", "source", "competence"],
                condition=Q(campaign__isnull=True),
                name="rollup_current_cell_once",
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
        return f"{self.campaign_id or 'current'}:{self.source}:{self.unit_path}:{self.competence_id}"


class RollupVersion(models.Model):
    """Bumped whenever an organisation's rollups change, so cached figures are never stale."""

    organisation = models.OneToOneField(
        "tenancy.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.version}"
