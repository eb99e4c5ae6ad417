from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from fagdigital.accounts.models import User

from .models import Membership, Network, NetworkMember, Organisation, OrganisationKind, Role

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


def organisation_min_group_size_set(*, organisation: Organisation, size: int) -> Organisation:
    """k for the organisation's aggregates: it may be raised above 5, never set below it."""
    if size < 5:  # the installation-wide minimum of DESIGN.md §2
        raise ValueError("k kan ikke være under 5.")
    organisation.min_group_size = size
    organisation.save(update_fields=["min_group_size", "updated_at"])
    return organisation
