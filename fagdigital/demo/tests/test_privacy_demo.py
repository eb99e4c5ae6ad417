"""Issue 9 on the whole demo data set, for every reader: the pages show the oracle's figures, and no
combination of everything a reader can get from the organisation's rounds determines a group of fewer than
k people (tests/privacy has the oracle and the exact check)."""

from __future__ import annotations

import random

import pytest

from fagdigital.accounts.models import User
from fagdigital.analytics import selectors
from fagdigital.analytics.benchmark import benchmark
from fagdigital.assessments.models import Campaign, CampaignStatus
from fagdigital.conftest import actor_for
from fagdigital.demo.services import DEMO_KOMMUNEKODE, login_email
from fagdigital.frameworks.selectors import published_framework
from fagdigital.orgs.models import OrgUnit
from fagdigital.tenancy.models import Organisation
from tests.privacy import oracle
from tests.privacy.disclosure import check
from tests.privacy.test_attacks import assert_view_is_shown_and_safe

pytestmark = pytest.mark.django_db
# One competence per focus area and one more: every source, role profile and unit of them is checked.
CODES = ("DL1", "BK1", "BK7", "DS8")


@pytest.mark.parametrize("reader", ["hr", "direktion", "leder"])
def test_no_demo_reader_can_determine_a_small_group(seeded_demo: str, reader: str) -> None:
    organisation = Organisation.objects.get(kommunekode=DEMO_KOMMUNEKODE)
    actor = actor_for(User.objects.get(email=login_email(reader)), organisation)
    roots = selectors.dashboard_roots(actor=actor)
    rounds = list(Campaign.objects.filter(organisation=organisation, status=CampaignStatus.CLOSED))
    assert rounds
    framework = published_framework(organisation=organisation)
    assert framework is not None
    combined = oracle.View()
    for number, campaign in enumerate(rounds, start=1):
        rnd = oracle.load_round(campaign)
        view = oracle.view_of(
            rnd,
            roots=roots,
            targets_framework=campaign.framework,
            family=f"r{number}",
            competence_codes=CODES,
        )
        # The pages, for a sample of the reader's units (every role profile and source there).
        units = list(OrgUnit.objects.filter(organisation=organisation).order_by("path"))
        if roots is not None:
            units = [u for u in units if any(u.path.startswith(r.path) for r in roots)]
        sample = random.Random(number).sample(units, min(6, len(units)))
        shown_units = [*([None] if roots is None else []), *sample]
        shown = {k: v for k, v in oracle.shown(actor, campaign, shown_units).items() if k[4] in CODES}
        paths = {u.path if u else "" for u in shown_units}
        sampled = oracle.View(
            values={k: v for k, v in view.values.items() if k[0] in paths},
            rows=[],
            targets=view.targets,
            sizes=view.sizes,
        )
        assert_view_is_shown_and_safe(sampled, shown, rnd.k)
        combined.rows += view.rows
        combined.targets.update(view.targets)
        combined.sizes.update(view.sizes)
    result = check(
        combined.rows, k=oracle.load_round(rounds[0]).k, targets=combined.targets, sizes=combined.sizes
    )
    assert result.disclosures == [], result.disclosures[:3]
    assert result.rows > 100  # the check really had the reader's figures


def test_the_network_coordinator_gets_no_figure_of_one_organisation(seeded_demo: str) -> None:
    coordinator = User.objects.get(email=login_email("netvaerk"))
    membership = coordinator.memberships.get()
    actor = actor_for(coordinator, membership.organisation)
    view = benchmark(actor=actor)
    assert not view.member_view
    assert view.named == []
    for area in view.areas:
        for row in (area.total, *area.competences):
            assert row.own is None and row.named == []
            assert row.organisations >= 5 or row.median is None
