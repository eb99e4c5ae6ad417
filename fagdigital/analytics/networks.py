"""Networks of organisations an actor may compare with (benchmark and chiefs' indicators)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404

from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, Role

BENCHMARK_ROLES = (Role.TOP_MANAGEMENT, Role.COMPETENCE_ADMIN)


# --- Networks the actor may compare with --------------------------------------------------------


def member_networks(*, organisation: Organisation) -> list[Network]:
    return list(Network.objects.filter(networkmember__organisation=organisation).distinct().order_by("name"))


def benchmark_networks(*, actor: Actor) -> list[Network]:
    """Networks the organisation is a member of (admins, top management) or coordinates (coordinators)."""
    networks: dict[int, Network] = {}
    if actor.has_role(*BENCHMARK_ROLES):
        networks.update((n.pk, n) for n in member_networks(organisation=actor.organisation))
    if actor.has_role(Role.NETWORK_COORDINATOR):
        networks.update((n.pk, n) for n in Network.objects.filter(coordinator=actor.organisation))
    return sorted(networks.values(), key=lambda n: (n.name, n.pk))


def choose_network(networks: Sequence[Network], network_id: int | None) -> Network | None:
    if network_id is None:
        return networks[0] if networks else None
    chosen = next((n for n in networks if n.pk == network_id), None)
    if chosen is None:
        raise Http404
    return chosen


def active_members(network: Network) -> list[NetworkMember]:
    return list(
        NetworkMember.objects.filter(network=network, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )
