"""Fixtures shared by the apps' tests: organisations, people and logged-in users with roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fagdigital.accounts.models import User
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnitLeaderFactory,
    UserFactory,
)


@pytest.fixture
def organisation(db: None) -> Organisation:
    return OrganisationFactory()


@pytest.fixture
def make_member(db: None) -> Callable[..., User]:
    """A user with the given roles in the organisation, optionally linked to an employee record."""

    def make(organisation: Organisation, *roles: str, person: Person | None = None) -> User:
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation, roles=list(roles) or ["employee"])
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        return user

    return make


@pytest.fixture
def make_leader(make_member: Callable[..., User]) -> Callable[[OrgUnit], User]:
    """A logged-in-able leader of the given unit (a person engaged in it, registered as its leader)."""

    def make(unit: OrgUnit) -> User:
        person = PersonFactory(organisation=unit.organisation)
        EngagementFactory(person=person, unit=unit)
        UnitLeaderFactory(unit=unit, person=person)
        return make_member(unit.organisation, "employee", "leader", person=person)

    return make


def actor_for(user: User, organisation: Organisation) -> Actor:
    membership = user.memberships.get(organisation=organisation)
    return Actor(user=user, organisation=organisation, roles=frozenset(membership.roles))


@pytest.fixture
def client_for(client: Client) -> Callable[[User], Client]:
    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login
