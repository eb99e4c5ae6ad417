from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from fagdigital.accounts.models import User

from .models import Membership, NetworkMember, Organisation, Role, RoleChange


def with_role_q(role: Role | str, prefix: str = "") -> Q:
    """Memberships holding a role. Matches the quoted value in the JSON text, which every database can
    do (SQLite, the demo's database, has no JSON containment)."""
    return Q(**{f"{prefix}roles__icontains": f'"{role}"'})


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def membership_for_user(*, user: User, organisation_id: int | None) -> Membership | None:
    """The membership to act under: the chosen organisation if the user belongs to it, else the first."""
    memberships = memberships_for_user(user=user)
    if organisation_id is not None:
        chosen = memberships.filter(organisation_id=organisation_id).first()
        if chosen is not None:
            return chosen
    return memberships.first()


def municipality_by_code(*, kommunekode: str) -> Organisation | None:
    code = kommunekode.strip()
    if code.isdigit():
        code = code.zfill(4)
    return Organisation.objects.filter(kommunekode=code).first()


def network_membership(*, organisation: Organisation, network_id: int) -> NetworkMember | None:
    return (
        NetworkMember.objects.filter(organisation=organisation, network_id=network_id)
        .select_related("network")
        .first()
    )


def role_changes(*, organisation: Organisation) -> QuerySet[RoleChange]:
    """The organisation's role audit trail, newest first."""
    return RoleChange.objects.filter(organisation=organisation).order_by("-created_at", "-pk")


def members_with_roles(*, organisation: Organisation, roles: Iterable[Role | str]) -> list[Membership]:
    """Active users of the organisation holding any of the roles, by name."""
    wanted = [str(role) for role in roles]
    query = Q()
    for role in wanted:
        query |= with_role_q(role)
    memberships = (
        Membership.objects.filter(query, organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    return [m for m in memberships if set(m.roles) & set(wanted)]
