"""Providers' demand across municipalities under the anonymity rules (decision 0018): at least 5
contributing municipalities besides the reader's own, never one municipality's value, and at least k
people below target and at or above it in every figure shown (privacy.rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from fagdigital.accounts.models import User
from fagdigital.analytics.models import Rollup, RollupSource
from fagdigital.assessments.models import Campaign, CampaignStatus
from fagdigital.development.models import ProviderNetwork
from fagdigital.development.selectors.demand import Demand, demand_for
from fagdigital.frameworks.models import Competence, Framework, RoleTarget
from fagdigital.frameworks.services import default_framework_install
from fagdigital.privacy.services import organisation_min_group_size_set
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    provider: Actor
    network: Network
    role: str
    code: str
    target: int
    municipalities: list[Organisation]


def _setting(count: int) -> Setting:
    operator = OrganisationFactory(kind=OrganisationKind.NETWORK_OPERATOR, kommunekode=None)
    network = Network.objects.create(name=f"Efterspørgsel {operator.pk}", coordinator=operator)
    provider = OrganisationFactory(kind=OrganisationKind.EDUCATION_PROVIDER, kommunekode=None)
    ProviderNetwork.objects.create(network=network, provider=provider)
    user: User = UserFactory()
    MembershipFactory(user=user, organisation=provider, roles=["education_provider"])
    default_framework_install(organisation=provider)
    municipalities = []
    for _ in range(count):
        municipality = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
        default_framework_install(organisation=municipality)
        NetworkMember.objects.create(network=network, organisation=municipality)
        municipalities.append(municipality)
    target = (
        RoleTarget.objects.filter(organisation=municipalities[0], level__gte=3)
        .select_related("role_profile", "competence")
        .order_by("pk")
        .first()
    )
    assert target is not None
    return Setting(
        provider=Actor(user=user, organisation=provider, roles=frozenset({"education_provider"})),
        network=network,
        role=target.role_profile.code,
        code=target.competence.code,
        target=target.level,
        municipalities=municipalities,
    )


def _publish(setting: Setting, municipality: Organisation, below: int, at_target: int) -> None:
    """A closed round whose one published block has `below` people under the target and `at_target` at it."""
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        organisation=municipality,
        name="Forårsmåling",
        framework=Framework.objects.get(organisation=municipality),
        status=CampaignStatus.CLOSED,
        opens_on=today - dt.timedelta(days=60),
        closes_on=today - dt.timedelta(days=30),
        instruments=["self"],
    )
    competence = Competence.objects.get(organisation=municipality, code=setting.code)
    levels = [0, 0, 0, 0]
    levels[setting.target - 2] = below
    levels[setting.target - 1] = at_target
    Rollup.objects.create(
        organisation=municipality,
        campaign=campaign,
        source=RollupSource.ESTIMATE,
        block=1,
        role_profile_code=setting.role,
        competence=competence,
        people=below + at_target,
        level_1=levels[0],
        level_2=levels[1],
        level_3=levels[2],
        level_4=levels[3],
    )


def _cell(demand: Demand, setting: Setting) -> tuple[int | None, int | None, int]:
    for row in demand.rows:
        if row.competence.code == setting.code:
            for cell in row.cells:
                if cell.role_code == setting.role:
                    return cell.below, cell.with_target, cell.municipalities
    raise AssertionError("no cell for the published figure")


def test_demand_needs_five_municipalities() -> None:
    setting = _setting(4)
    for municipality in setting.municipalities:
        _publish(setting, municipality, below=3, at_target=6)
    demand = demand_for(actor=setting.provider)
    assert (demand.municipalities, demand.enough, demand.rows) == (4, False, [])


def test_demand_sums_published_blocks_of_five_municipalities() -> None:
    setting = _setting(5)
    for municipality in setting.municipalities:
        _publish(setting, municipality, below=3, at_target=6)
    demand = demand_for(actor=setting.provider)
    assert demand.enough
    assert _cell(demand, setting) == (15, 45, 5)


def test_demand_hides_a_figure_about_fewer_than_k_people() -> None:
    setting = _setting(5)
    for index, municipality in enumerate(setting.municipalities):
        _publish(setting, municipality, below=1 if index < 2 else 0, at_target=8)
    assert _cell(demand_for(actor=setting.provider), setting) == (None, None, 5)


def test_demand_hides_a_figure_whose_complement_is_under_k() -> None:
    """ "Below" 25 beside "with target" 28 would tell that 3 people are at target."""
    setting = _setting(5)
    for index, municipality in enumerate(setting.municipalities):
        _publish(setting, municipality, below=5, at_target=3 if index == 0 else 0)
    assert _cell(demand_for(actor=setting.provider), setting) == (None, None, 5)


def test_demand_follows_the_strictest_k_of_the_municipalities() -> None:
    setting = _setting(5)
    for municipality in setting.municipalities:
        _publish(setting, municipality, below=2, at_target=8)
    assert _cell(demand_for(actor=setting.provider), setting)[0] == 10
    organisation_min_group_size_set(organisation=setting.municipalities[0], size=11)
    # That municipality's block (10 people) is now under its own k and drops out: four remain.
    assert _cell(demand_for(actor=setting.provider), setting) == (None, None, 4)


def test_a_municipality_that_does_not_contribute_is_left_out() -> None:
    setting = _setting(5)
    for municipality in setting.municipalities:
        _publish(setting, municipality, below=3, at_target=6)
    NetworkMember.objects.filter(organisation=setting.municipalities[0]).update(
        contributes_to_benchmarks=False
    )
    demand = demand_for(actor=setting.provider)
    assert (demand.municipalities, demand.enough) == (4, False)


@settings(max_examples=10, deadline=None)
@given(
    counts=st.lists(
        st.tuples(st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=12)),
        min_size=5,
        max_size=6,
    )
)
def test_every_shown_figure_keeps_the_rules(counts: list[tuple[int, int]]) -> None:
    setting = _setting(len(counts))
    for municipality, (below, at_target) in zip(setting.municipalities, counts, strict=True):
        if below + at_target:
            _publish(setting, municipality, below=below, at_target=at_target)
    demand = demand_for(actor=setting.provider)
    # Blocks under the municipality's k (5) are not published, so they are not in any figure.
    published = [(below, at) for below, at in counts if below + at >= demand.k]
    for row in demand.rows:
        for cell in row.cells:
            if cell.below is None:
                assert cell.with_target is None
                continue
            assert cell.with_target is not None
            assert cell.municipalities == len(published) >= 5
            assert cell.below >= demand.k
            assert cell.with_target - cell.below >= demand.k or cell.with_target == cell.below
            assert sum(1 for below, _at in published if below) >= 2
            assert cell.below == sum(below for below, _at in published)
            assert cell.with_target == sum(below + at for below, at in published)
