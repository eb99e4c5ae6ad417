"""The demo's development data (decision 0018): the provider's offers in the demo network, plans in every
state in the demo leader's area, completions as learning evidence, demand the provider may see, and one
xAPI statement HR has to match.

The demo is seeded once for the package (conftest.py); every test runs in its own savepoint on top of it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from fagdigital.accounts.models import User
from fagdigital.assessments.models import Evidence, EvidenceSource
from fagdigital.demo.development import DEMO_XAPI_KEY, DEMO_XAPI_SECRET
from fagdigital.development.models import (
    ActivityShare,
    Completion,
    DevelopmentPlan,
    LearningActivity,
    ShareState,
    Statement,
    TeamPlan,
)
from fagdigital.development.selectors.demand import demand_for
from fagdigital.development.services.statements import credential_authenticate
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def output(seeded_demo: str, db: None) -> str:
    return seeded_demo


def _actor(email: str, organisation: Organisation) -> Actor:
    user = User.objects.get(email=email)
    roles = frozenset(user.memberships.get(organisation=organisation).roles)
    return Actor(user=user, organisation=organisation, roles=roles)


def test_the_demo_has_a_catalogue_plans_and_completions(output: str) -> None:
    demo = Organisation.objects.get(kommunekode="0999")
    provider = Organisation.objects.get(name="Demo Professionshøjskole")
    network = Network.objects.get(name="Demo-netværket")
    offers = LearningActivity.objects.filter(organisation=provider)
    assert offers.count() >= 5
    shared = ActivityShare.objects.filter(network=network, state=ShareState.SHARED)
    assert set(shared.filter(activity__organisation=provider).values_list("activity", flat=True)) == set(
        offers.values_list("pk", flat=True)
    )
    statuses = set(DevelopmentPlan.objects.filter(organisation=demo).values_list("status", flat=True))
    assert {"draft", "review", "approved", "done"} <= statuses
    assert TeamPlan.objects.filter(organisation=demo).exists()
    live = Completion.objects.filter(withdrawn_at__isnull=True)
    assert live.filter(organisation=demo).exists()
    assert live.filter(reported_by=provider).count() >= 12
    # Completions write the learning source of the estimate's evidence.
    assert Evidence.objects.filter(source=EvidenceSource.LEARNING, person__organisation=demo).exists()
    # One statement about somebody nobody knows, kept for HR to match.
    assert Statement.objects.filter(sender=provider, completion__isnull=True).exists()
    assert credential_authenticate(key_id=DEMO_XAPI_KEY, secret=DEMO_XAPI_SECRET) is not None


def test_the_demo_provider_sees_demand_only_under_the_rules(output: str) -> None:
    provider = Organisation.objects.get(name="Demo Professionshøjskole")
    demand = demand_for(actor=_actor("udbyder@demo.fagdigital.dk", provider))
    assert demand.enough
    shown = [cell.below for row in demand.rows for cell in row.cells if cell.below is not None]
    assert shown, "the demo network has demand the provider may see"


def test_seeding_the_demo_again_leaves_the_development_data(output: str) -> None:
    counts = (DevelopmentPlan.objects.count(), Completion.objects.count(), Statement.objects.count())
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    assert (DevelopmentPlan.objects.count(), Completion.objects.count(), Statement.objects.count()) == counts
