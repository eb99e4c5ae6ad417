"""Anonymised demand for education providers and network coordinators (decision 0018).

People below target per competence and role profile across the municipalities the reader serves (a
provider: the members of the networks it was admitted to) or coordinates. Only published round figures
(analytics.demand: each municipality's figure is a sum of its own published blocks), only municipalities
that contribute to their networks' figures, and each figure only under privacy.benchmark's rule for
figures across organisations: at least 5 municipalities, and never equal to one municipality's own value.
On top of that, each figure is about at least k people (k the strictest of the contributing
municipalities', privacy.rules.min_group), and so are the people at or above target a shown pair implies
(privacy.rules.split_shown: "with target" minus "below" is that group). No totals over role groups are
shown, so no hidden cell can be had by subtracting shown ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fagdigital.analytics.demand import municipality_figures
from fagdigital.development.models import ProviderNetwork
from fagdigital.development.selectors.catalogue import catalogue_framework
from fagdigital.frameworks.models import Competence, Framework, RoleProfile
from fagdigital.privacy.benchmark import network_total
from fagdigital.privacy.rules import MIN_ORGANISATIONS, min_group, split_shown
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind, Role


@dataclass(frozen=True)
class DemandCell:
    role: RoleProfile | None
    role_code: str
    # None: not shown (too few municipalities, one municipality's value, or a group under k)
    below: int | None
    with_target: int | None
    municipalities: int


@dataclass
class DemandRow:
    competence: Competence
    cells: list[DemandCell]

    @property
    def shown_below(self) -> int:
        """People below target summed over the role groups shown (never including hidden ones)."""
        return sum(cell.below or 0 for cell in self.cells)


@dataclass
class Demand:
    networks: list[Network]
    framework: Framework | None
    municipalities: int  # contributing municipalities the reader serves
    minimum: int = MIN_ORGANISATIONS
    k: int = 0  # the fewest people a shown figure (and its complement) may be about
    rows: list[DemandRow] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.municipalities >= self.minimum


def reader_networks(*, actor: Actor) -> list[Network]:
    ids: set[int] = set()
    if actor.has_role(Role.EDUCATION_PROVIDER):
        ids |= set(
            ProviderNetwork.objects.filter(provider=actor.organisation).values_list("network_id", flat=True)
        )
    if actor.has_role(Role.NETWORK_COORDINATOR):
        ids |= set(Network.objects.filter(coordinator=actor.organisation).values_list("pk", flat=True))
    return list(Network.objects.filter(pk__in=ids).order_by("name", "pk"))


def _municipalities(networks: list[Network], reader: Organisation) -> list[Organisation]:
    members = (
        NetworkMember.objects.filter(
            network__in=networks,
            contributes_to_benchmarks=True,
            organisation__is_active=True,
            organisation__kind=OrganisationKind.MUNICIPALITY,
        )
        .exclude(organisation=reader)
        .select_related("organisation")
    )
    unique = {m.organisation_id: m.organisation for m in members}
    return list(unique.values())


def demand_for(*, actor: Actor) -> Demand:
    networks = reader_networks(actor=actor)
    municipalities = _municipalities(networks, actor.organisation)
    framework = catalogue_framework(organisation=actor.organisation)
    result = Demand(
        networks=networks,
        framework=framework,
        municipalities=len(municipalities),
        k=max(min_group(o) for o in [*municipalities, actor.organisation]),
    )
    if framework is None or not result.enough:
        return result
    figures = municipality_figures(organisations=municipalities, framework_key=framework.key)
    roles = {r.code: r for r in RoleProfile.objects.filter(framework=framework)}
    competences = list(
        Competence.objects.filter(framework=framework, parent__isnull=True)
        .select_related("area")
        .order_by("area__position", "position")
    )
    for competence in competences:
        cells = []
        for role_code in sorted({role for role, code in figures if code == competence.code}):
            values = figures[(role_code, competence.code)]
            below = network_total([v.below for v in values])
            with_target = network_total([v.with_target for v in values])
            if below is None or with_target is None or not split_shown(below, with_target - below, result.k):
                below = with_target = None
            cells.append(
                DemandCell(
                    role=roles.get(role_code),
                    role_code=role_code,
                    below=below,
                    with_target=with_target,
                    municipalities=len(values),
                )
            )
        if cells:
            cells.sort(key=lambda c: (-(c.below or -1), c.role_code))
            result.rows.append(DemandRow(competence=competence, cells=cells))
    result.rows.sort(key=lambda r: (-r.shown_below, r.competence.area.position, r.competence.position))
    return result
