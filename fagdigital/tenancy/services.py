from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User

from . import tasks
from .models import (
    Membership,
    Network,
    NetworkMember,
    Organisation,
    OrganisationKind,
    Role,
    RoleChange,
    RoleChangeAction,
)
from .selectors import with_role_q

MUNICIPALITIES_CSV = Path(__file__).parent / "data" / "kommuner.csv"
# Official names that are not "<navn> Kommune".
_OFFICIAL_NAMES = {"0101": "Københavns Kommune", "0400": "Bornholms Regionskommune"}


def municipalities_load(*, path: Path = MUNICIPALITIES_CSV) -> int:
    """Create or update the 98 Danish municipalities from the shipped list. Idempotent."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = {org.kommunekode: org for org in Organisation.objects.filter(kommunekode__isnull=False)}
    changed = 0
    with transaction.atomic():
        for row in rows:
            code = row["kommunekode"].zfill(4)
            org = existing.get(code)
            if org is None:
                Organisation.objects.create(
                    kind=OrganisationKind.MUNICIPALITY,
                    kommunekode=code,
                    name=_OFFICIAL_NAMES.get(code, f"{row['navn']} Kommune"),
                    region=row["region"],
                )
                changed += 1
            elif org.region != row["region"]:
                org.region = row["region"]
                org.save(update_fields=["region", "updated_at"])
                changed += 1
    return changed


def membership_grant(*, user: User, organisation: Organisation, roles: Iterable[Role | str]) -> Membership:
    """Give a user roles in an organisation, keeping roles they already have."""
    valid = set(Role.values)
    wanted = {str(role) for role in roles}
    unknown = wanted - valid
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    membership, _created = Membership.objects.get_or_create(user=user, organisation=organisation)
    merged = sorted(set(membership.roles) | wanted)
    if merged != membership.roles:
        membership.roles = merged
        membership.save(update_fields=["roles", "updated_at"])
    return membership


def organisation_ensure(
    *, kind: OrganisationKind, name: str, kommunekode: str | None = None, region: str = ""
) -> Organisation:
    """The organisation with this kommunekode (or, without one, this kind and name), created or updated."""
    if kommunekode is not None:
        organisation, created = Organisation.objects.get_or_create(
            kommunekode=kommunekode, defaults={"kind": kind, "name": name, "region": region}
        )
    else:
        organisation, created = Organisation.objects.get_or_create(kind=kind, name=name, kommunekode=None)
    wanted = {"kind": kind, "name": name, "is_active": True} | ({"region": region} if kommunekode else {})
    changed = [field for field, value in wanted.items() if getattr(organisation, field) != value]
    if not created and changed:
        for field in changed:
            setattr(organisation, field, wanted[field])
        organisation.save(update_fields=[*changed, "updated_at"])
    return organisation


@transaction.atomic
def network_ensure(*, name: str, coordinator: Organisation, members: Iterable[Organisation]) -> Network:
    """The network with this name, coordinated by `coordinator`, with at least these members."""
    network, _created = Network.objects.get_or_create(name=name, defaults={"coordinator": coordinator})
    if network.coordinator_id != coordinator.pk:
        network.coordinator = coordinator
        network.save(update_fields=["coordinator", "updated_at"])
    present = set(NetworkMember.objects.filter(network=network).values_list("organisation_id", flat=True))
    NetworkMember.objects.bulk_create(
        NetworkMember(network=network, organisation=member) for member in members if member.pk not in present
    )
    return network


@transaction.atomic
def network_member_sharing_set(
    *, organisation: Organisation, network: Network, contributes: bool, named: bool
) -> NetworkMember:
    """The organisation's own choices in a network: whether its figures count in the network's figures at
    all, and whether the other members may see its name and figures. Named means contributing."""
    member = NetworkMember.objects.select_for_update().get(network=network, organisation=organisation)
    member.contributes_to_benchmarks = contributes
    member.named_in_benchmarks = named and contributes
    member.save(update_fields=["contributes_to_benchmarks", "named_in_benchmarks", "updated_at"])
    return member


class LastCompetenceAdminError(ValidationError):
    """Removing the role would leave the organisation without anyone who can administer it."""


def user_label(user: User | None) -> str:
    """How the audit trail names a user: name and e-mail, so it reads right after either changes."""
    if user is None:
        return ""
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


def role_change_record(
    *,
    organisation: Organisation,
    actor: User | None,
    action: RoleChangeAction,
    subject_label: str,
    subject_user: User | None = None,
    subject_person_id: int | None = None,
    role: Role | str = "",
    unit_id: int | None = None,
    unit_label: str = "",
    ip_address: str | None = None,
) -> RoleChange:
    """Append one row to the organisation's role audit trail (rows are never changed or deleted)."""
    return RoleChange.objects.create(
        organisation=organisation,
        actor=actor,
        actor_label=user_label(actor) or _("systemet"),
        subject_user=subject_user,
        subject_person_id=subject_person_id,
        subject_label=subject_label,
        action=action,
        role=str(role),
        unit_id=unit_id,
        unit_label=unit_label,
        ip_address=ip_address or None,
    )


@transaction.atomic
def membership_role_revoke(*, user: User, organisation: Organisation, role: Role | str) -> Membership | None:
    """Take one role from a user in an organisation, keeping their other roles.

    Refuses to remove the last active competence admin (HR) of an organisation: nobody could then
    grant roles there again. Returns the membership, or None when the user had none.
    """
    role = str(role)
    admins: list[int] = []
    if role == Role.COMPETENCE_ADMIN:
        # Lock every HR membership of the organisation first, in one order, so two removals at once
        # (HR removing each other) wait for each other instead of both passing or deadlocking.
        admins = list(
            Membership.objects.select_for_update()
            .filter(with_role_q(Role.COMPETENCE_ADMIN), organisation=organisation, user__is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    membership = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    if membership is None or role not in membership.roles:
        return membership
    if role == Role.COMPETENCE_ADMIN and not any(pk != membership.pk for pk in admins):
        raise LastCompetenceAdminError(
            _(
                "%(name)s er den eneste kompetencekonsulent/HR i %(organisation)s og kan ikke miste "
                "rollen. Giv først en anden person rollen."
            )
            % {"name": user.full_name or user.email, "organisation": organisation.name}
        )
    membership.roles = [r for r in membership.roles if r != role]
    membership.save(update_fields=["roles", "updated_at"])
    return membership


def user_for_invitation(*, email: str, full_name: str = "") -> tuple[User, bool]:
    """The user with this e-mail address, created without a password if there is none (created?)."""
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError as error:
        raise ValidationError(
            _("»%(email)s« er ikke en gyldig e-mailadresse.") % {"email": email}, code="invalid_email"
        ) from error
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=address, password=None, full_name=full_name.strip())
    return user, True


@transaction.atomic
def membership_invite(
    *,
    organisation: Organisation,
    email: str,
    roles: Iterable[Role | str],
    invited_by: User | None,
    full_name: str = "",
    ip_address: str | None = None,
) -> tuple[Membership, bool]:
    """Give the user with this e-mail address roles in the organisation, creating the user if needed.

    Every role given is written to the audit trail. A user who cannot log in yet (no password) gets an
    e-mail with a link to choose one, sent by the task worker once the transaction has committed.
    Returns the membership and whether an invitation is sent.
    """
    user, _created = user_for_invitation(email=email, full_name=full_name)
    had = set(
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("roles", flat=True)
        .first()
        or []
    )
    wanted = [str(role) for role in roles]
    membership = membership_grant(user=user, organisation=organisation, roles=wanted)
    for role in wanted:
        if role not in had:
            role_change_record(
                organisation=organisation,
                actor=invited_by,
                action=RoleChangeAction.GRANT,
                subject_user=user,
                subject_label=user_label(user),
                role=role,
                ip_address=ip_address,
            )
    invite = not user.has_usable_password()
    if invite:
        invitation_send(membership=membership, invited_by=invited_by, ip_address=ip_address)
    return membership, invite


@transaction.atomic
def invitation_send(
    *, membership: Membership, invited_by: User | None, ip_address: str | None = None
) -> None:
    """Send (again) the e-mail with a link to choose a password; a new link replaces none of the old
    ones, but each works only until a password is set. Written to the audit trail."""
    role_change_record(
        organisation=membership.organisation,
        actor=invited_by,
        action=RoleChangeAction.INVITE,
        subject_user=membership.user,
        subject_label=user_label(membership.user),
        ip_address=ip_address,
    )
    membership_id = membership.pk
    transaction.on_commit(lambda: tasks.send_invitation.enqueue(membership_id))
