"""Roles given and taken in the UI by a competence admin (HR), with an audit trail (decision 0013).

A role is a membership role (tenancy) and, for leaders, the units they lead (`UnitLeader`). A person
without a login gets one, linked to their record, and an invitation by e-mail. Every change is appended
to the organisation's audit trail with who made it and from which address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Membership, Role, RoleChange, RoleChangeAction
from fagdigital.tenancy.services import (
    invitation_send,
    membership_grant,
    membership_role_revoke,
    role_change_record,
    user_for_invitation,
)

from .models import OrgUnit, Person, UnitLeader
from .services_leaders import unit_leader_add, unit_leader_remove

# The roles a competence admin gives and takes in the UI. The others (education provider, network
# coordinator, platform administrator) belong to other kinds of organisation or to the installation.
GRANTABLE_ROLES: tuple[Role, ...] = (Role.LEADER, Role.COMPETENCE_ADMIN, Role.TOP_MANAGEMENT)
# Several roles given in one sitting send one invitation, not one per role.
INVITATION_QUIET_PERIOD = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class RoleGrantOutcome:
    changed: bool
    invited: bool


def _check_actor(actor: Actor, person: Person) -> None:
    # The views check this too; services refuse on their own so no other caller can skip it.
    if not actor.has_role(Role.COMPETENCE_ADMIN) or person.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _user_for_person(person: Person) -> User:
    """The person's login, created from their e-mail address (and linked to them) when they have none."""
    if person.user is not None:
        return person.user
    if not person.email:
        raise ValidationError(
            _(
                "%(name)s har ingen e-mailadresse, så der kan ikke oprettes en brugerkonto til rollen. "
                "Tilføj e-mailadressen i HR-systemet, og indlæs personerne igen."
            )
            % {"name": person.name},
            code="no_email",
        )
    user, _created = user_for_invitation(email=person.email, full_name=person.name)
    other = (
        Person.objects.filter(organisation_id=person.organisation_id, user=user).exclude(pk=person.pk).first()
    )
    if other is not None:
        raise ValidationError(
            _("E-mailadressen %(email)s hører allerede til %(other)s's brugerkonto i organisationen.")
            % {"email": user.email, "other": other.name},
            code="email_taken",
        )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return user


def _recently_invited(user: User, organisation_id: int) -> bool:
    return RoleChange.objects.filter(
        organisation_id=organisation_id,
        subject_user=user,
        action=RoleChangeAction.INVITE,
        created_at__gte=timezone.now() - INVITATION_QUIET_PERIOD,
    ).exists()


@transaction.atomic
def person_role_grant(
    *,
    actor: Actor,
    person: Person,
    role: Role | str,
    unit: OrgUnit | None = None,
    ip_address: str | None = None,
) -> RoleGrantOutcome:
    """Give the person a role (for leaders: leadership of one unit). Idempotent.

    A person without a login gets one from their e-mail address; a login without a password gets an
    invitation to choose one.
    """
    _check_actor(actor, person)
    role = str(role)
    if role not in GRANTABLE_ROLES:
        raise ValidationError(_("Rollen kan ikke gives her."), code="role")
    if role == Role.LEADER and (unit is None or unit.organisation_id != person.organisation_id):
        raise ValidationError(_("Vælg den enhed, personen skal være leder af."), code="unit")
    organisation = actor.organisation
    user = _user_for_person(person)
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    had = set(membership.roles) if membership else set()
    # A new member is an employee too: the person is one of the organisation's employee records.
    membership_grant(
        user=user, organisation=organisation, roles=[role] if membership else [role, Role.EMPLOYEE]
    )
    # Changed when the unit is new to them, or the role is (an imported leader registration gets the
    # role that lets the person use it).
    changed = role not in had
    if unit is not None and role == Role.LEADER:
        _row, created = unit_leader_add(unit=unit, person=person)
        changed = changed or created
    if changed:
        role_change_record(
            organisation=organisation,
            actor=actor.user,
            action=RoleChangeAction.GRANT,
            subject_user=user,
            subject_person_id=person.pk,
            subject_label=person.name,
            role=role,
            unit_id=unit.pk if unit is not None and role == Role.LEADER else None,
            unit_label=unit.name if unit is not None and role == Role.LEADER else "",
            ip_address=ip_address,
        )
    invited = changed and not user.has_usable_password() and not _recently_invited(user, organisation.pk)
    if invited:
        member = Membership.objects.get(user=user, organisation=organisation)
        invitation_send(membership=member, invited_by=actor.user, ip_address=ip_address)
    return RoleGrantOutcome(changed=changed, invited=invited)


@transaction.atomic
def person_role_revoke(
    *,
    actor: Actor,
    person: Person,
    role: Role | str,
    unit: OrgUnit | None = None,
    ip_address: str | None = None,
) -> bool:
    """Take a role from the person; for leaders one unit, or every unit when none is given.

    The leader role itself goes with the last unit. Nobody can take the last competence admin's role
    (`LastCompetenceAdminError`). Returns whether anything changed.
    """
    _check_actor(actor, person)
    role = str(role)
    if role not in GRANTABLE_ROLES:
        raise ValidationError(_("Rollen kan ikke fjernes her."), code="role")
    organisation = actor.organisation

    def record(unit_id: int | None = None, unit_label: str = "") -> None:
        role_change_record(
            organisation=organisation,
            actor=actor.user,
            action=RoleChangeAction.REVOKE,
            subject_user=person.user,
            subject_person_id=person.pk,
            subject_label=person.name,
            role=role,
            unit_id=unit_id,
            unit_label=unit_label,
            ip_address=ip_address,
        )

    changed = False
    if role == Role.LEADER:
        led = UnitLeader.objects.filter(person=person).select_related("unit")
        units = [unit] if unit is not None else [row.unit for row in led]
        for led_unit in units:
            if unit_leader_remove(unit=led_unit, person=person):
                record(led_unit.pk, led_unit.name)
                changed = True
        if person.user is None or led.exists():
            return changed
    if person.user is None:
        return changed
    before = Membership.objects.filter(user=person.user, organisation=organisation).first()
    if before is None or role not in before.roles:
        return changed
    membership_role_revoke(user=person.user, organisation=organisation, role=role)
    if role != Role.LEADER or not changed:
        record()
    return True


@transaction.atomic
def person_invitation_resend(*, actor: Actor, person: Person, ip_address: str | None = None) -> None:
    """Send the person's invitation again (a login that has not chosen a password yet)."""
    _check_actor(actor, person)
    membership = (
        Membership.objects.filter(user=person.user, organisation=actor.organisation)
        .select_related("user")
        .first()
        if person.user is not None
        else None
    )
    if membership is None or membership.user.has_usable_password():
        raise ValidationError(_("Personen har ikke en invitation, der venter."), code="no_invitation")
    invitation_send(membership=membership, invited_by=actor.user, ip_address=ip_address)
