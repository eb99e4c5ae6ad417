"""Reads for role administration: a person's roles, the organisation's role holders (decision 0013)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from fagdigital.accounts.models import User
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Membership, Role
from fagdigital.tenancy.selectors import members_with_roles

from .models import OrgUnit, Person, UnitLeader


@dataclass(frozen=True)
class PersonRoles:
    person: Person
    user: User | None
    # (role, label) of the person's roles in the organisation, in the order of `Role`.
    roles: list[tuple[str, str]]
    led_units: list[OrgUnit]

    @property
    def role_values(self) -> set[str]:
        return {value for value, _label in self.roles}

    @property
    def awaits_password(self) -> bool:
        """Has a login that has never chosen a password (an invitation is outstanding)."""
        return self.user is not None and not self.user.has_usable_password()

    @property
    def leads_without_role(self) -> bool:
        """Registered as a leader (by the import) without a login or the leader role to use it."""
        return bool(self.led_units) and Role.LEADER not in self.role_values


def person_roles(*, person: Person) -> PersonRoles:
    user = person.user
    membership_roles: list[str] = []
    if user is not None:
        membership = Membership.objects.filter(user=user, organisation_id=person.organisation_id).first()
        membership_roles = list(membership.roles) if membership else []
    led = [
        row.unit
        for row in UnitLeader.objects.filter(person=person).select_related("unit").order_by("unit__path")
    ]
    return PersonRoles(
        person=person,
        user=user,
        roles=[(value, str(label)) for value, label in Role.choices if value in membership_roles],
        led_units=led,
    )


def grantable_units(*, actor: Actor) -> QuerySet[OrgUnit]:
    """The units a competence admin can make someone leader of: the whole organisation, in tree order."""
    return OrgUnit.objects.filter(organisation=actor.organisation).order_by("path")


@dataclass(frozen=True)
class RoleHolder:
    user: User
    person: Person | None


@dataclass(frozen=True)
class LeaderRow:
    person: Person
    units: list[OrgUnit] = field(default_factory=list)
    can_log_in: bool = False


@dataclass(frozen=True)
class RoleHolders:
    competence_admins: list[RoleHolder]
    top_management: list[RoleHolder]
    leaders: list[LeaderRow]


def role_holders(*, actor: Actor) -> RoleHolders:
    """Who holds the roles HR administers, for the organisation's "Roller og adgang" page."""
    organisation = actor.organisation
    memberships = members_with_roles(
        organisation=organisation, roles=[Role.COMPETENCE_ADMIN, Role.TOP_MANAGEMENT, Role.LEADER]
    )
    users = {m.user_id for m in memberships}
    people = {p.user_id: p for p in Person.objects.filter(organisation=organisation, user_id__in=users)}

    def holders(role: Role) -> list[RoleHolder]:
        return [RoleHolder(user=m.user, person=people.get(m.user_id)) for m in memberships if role in m.roles]

    leader_users = {m.user_id for m in memberships if Role.LEADER in m.roles}
    units: dict[int, list[OrgUnit]] = defaultdict(list)
    persons: dict[int, Person] = {}
    for row in (
        UnitLeader.objects.filter(organisation=organisation)
        .select_related("person", "unit")
        .order_by("person__name", "unit__path")
    ):
        persons[row.person_id] = row.person
        units[row.person_id].append(row.unit)
    leaders = [
        LeaderRow(person=person, units=units[pk], can_log_in=person.user_id in leader_users)
        for pk, person in persons.items()
    ]
    return RoleHolders(
        competence_admins=holders(Role.COMPETENCE_ADMIN),
        top_management=holders(Role.TOP_MANAGEMENT),
        leaders=leaders,
    )


def existing_people(*, actor: Actor, person_ids: set[int]) -> set[int]:
    """Which of these ids are people of the actor's organisation (still there)."""
    return set(
        Person.objects.filter(organisation=actor.organisation, pk__in=person_ids).values_list("pk", flat=True)
    )
