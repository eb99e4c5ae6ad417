"""Reads about the catalogue's framework: which framework an owner's activities name competences of."""

from __future__ import annotations

from collections import Counter

from fagdigital.development.models import ProviderNetwork
from fagdigital.frameworks.models import Competence, Framework, FrameworkStatus
from fagdigital.frameworks.selectors import published_framework
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind


def catalogue_framework(*, organisation: Organisation) -> Framework | None:
    """The framework an owner's activities name competences of.

    A municipality's own published framework; for a provider or a network operator the framework most
    of the municipalities it serves or coordinates have published (its newest copy, for the names).
    """
    if organisation.kind == OrganisationKind.MUNICIPALITY:
        return published_framework(organisation=organisation)
    networks: list[int] = (
        list(ProviderNetwork.objects.filter(provider=organisation).values_list("network_id", flat=True))
        if organisation.kind == OrganisationKind.EDUCATION_PROVIDER
        else list(Network.objects.filter(coordinator=organisation).values_list("pk", flat=True))
    )
    members = NetworkMember.objects.filter(network_id__in=list(networks)).values_list(
        "organisation_id", flat=True
    )
    published = list(
        Framework.objects.filter(
            organisation_id__in=list(members), status=FrameworkStatus.PUBLISHED
        ).order_by("-published_at", "-pk")
    )
    if not published:
        return None
    key = Counter(f.key for f in published).most_common(1)[0][0]
    return next(f for f in published if f.key == key)


def competence_codes(*, framework: Framework | None) -> set[str]:
    if framework is None:
        return set()
    return set(Competence.objects.filter(framework=framework).values_list("code", flat=True))
