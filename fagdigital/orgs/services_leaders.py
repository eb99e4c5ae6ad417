"""Unit leader registrations written one at a time (role administration), beside the people import.

The import (services.py) sets leaders in bulk from the HR system's file; these two functions are for a
competence admin registering or removing one leader in the UI (decision 0013).
"""

from __future__ import annotations

from django.db import transaction

from .models import OrgUnit, Person, UnitLeader


@transaction.atomic
def unit_leader_add(*, unit: OrgUnit, person: Person) -> tuple[UnitLeader, bool]:
    """Register the person as a leader of the unit (and so of its subtree); (row, created)."""
    if unit.organisation_id != person.organisation_id:
        raise ValueError("the unit and the person belong to different organisations")
    return UnitLeader.objects.get_or_create(
        unit=unit, person=person, defaults={"organisation_id": unit.organisation_id}
    )


@transaction.atomic
def unit_leader_remove(*, unit: OrgUnit, person: Person) -> bool:
    """Remove the person's leader registration for the unit; False when there was none."""
    deleted, _by_model = UnitLeader.objects.filter(unit=unit, person=person).delete()
    return deleted > 0
