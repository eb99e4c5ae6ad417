"""Writes of people records outside the import."""

from __future__ import annotations

from django.db import transaction

from fagdigital.accounts.models import User
from fagdigital.orgs.models import Person
from fagdigital.tenancy.models import Organisation


@transaction.atomic
def person_link_user(*, organisation: Organisation, employee_number: str, user: User) -> Person:
    """Link a login to the organisation's person with this employee number (and to no other person there)."""
    people = Person.objects.filter(organisation=organisation)
    person = people.select_for_update().get(employee_number=employee_number)
    people.filter(user=user).exclude(pk=person.pk).update(user=None)
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    return person
