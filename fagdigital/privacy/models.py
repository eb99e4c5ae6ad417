"""Stored publication blocks: fixed when a round opens, so every figure of the round uses the same ones."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Partition(models.Model):
    """The blocks of one publication (a measurement round: key "campaign:<id>")."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    k = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "key"], name="partition_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.key}"


class PartitionCell(models.Model):
    """The participants placed directly in one unit with one role profile, and their block.

    `block` is 0 for people in no block (a role profile with fewer than k people in the whole
    organisation): they are in no figure.
    """

    partition = models.ForeignKey(Partition, on_delete=models.CASCADE, related_name="cells")
    unit_path = models.CharField(max_length=255)
    role_code = models.CharField(max_length=100, blank=True)
    people = models.PositiveIntegerField()
    block = models.PositiveIntegerField()
    home_path = models.CharField(max_length=255, blank=True)
    direct_only = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["partition", "unit_path", "role_code"], name="partition_cell_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partition_id}:{self.unit_path}:{self.role_code}→{self.block}"
