from __future__ import annotations

from django.db.models import QuerySet

from fagdigital.accounts.models import User

from .models import Membership, NetworkMember, Organisation


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
