"""Writes of the privacy package: storing a publication's blocks once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from fagdigital.tenancy.models import Organisation

from .blocks import Cell, build_blocks
from .models import Partition, PartitionCell
from .rules import FLOOR, min_group


@transaction.atomic
def partition_store(*, organisation: Organisation, key: str, cells: Iterable[Cell], step: int) -> Partition:
    """The publication's blocks, formed with the organisation's k now and never changed afterwards.

    Idempotent: a stored partition is returned as it is (a round's blocks must not change once any figure
    of it may have been seen, or two sets of figures could be subtracted from each other).
    """
    existing = Partition.objects.filter(organisation=organisation, key=key).first()
    if existing is not None:
        return existing
    k = min_group(organisation)
    partition = Partition.objects.create(organisation=organisation, key=key, k=k)
    result = build_blocks(cells, k=k, step=step)
    rows = [
        PartitionCell(
            partition=partition,
            unit_path=cell.unit_path,
            role_code=cell.role_code,
            people=cell.people,
            block=block.number,
            home_path=block.home_path,
            direct_only=block.direct_only,
        )
        for block in result.blocks
        for cell in block.cells
    ]
    rows += [
        PartitionCell(
            partition=partition,
            unit_path=cell.unit_path,
            role_code=cell.role_code,
            people=cell.people,
            block=0,
            home_path="",
        )
        for cell in result.left_out
    ]
    PartitionCell.objects.bulk_create(rows, batch_size=2000)
    return partition


def organisation_min_group_size_set(*, organisation: Organisation, size: int) -> Organisation:
    """Raise (or lower back to the floor) the organisation's own k. Published blocks smaller than the new
    k drop out of every figure; blocks already formed are never re-formed (decision 0010)."""
    if size < FLOOR:
        raise ValueError(f"k kan ikke være under {FLOOR}.")
    organisation.min_group_size = size
    organisation.save(update_fields=["min_group_size", "updated_at"])
    return organisation
