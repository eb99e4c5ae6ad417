"""Chiefs' figures comparable with IT i Praksis (issue 12, decision 0017): "ved ikke" both ways, the kind of
chief, the national reference figures beside the organisation's and the network's, and the chiefs' view
beside the measured share at target per focus area."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fagdigital.accounts.models import User
from fagdigital.analytics import chiefs, selectors
from fagdigital.analytics.chiefs_comparisons import chiefs_comparisons
from fagdigital.analytics.tests.chiefs_scenario import Chief, chiefs_only_round, closed_round
from fagdigital.analytics.tests.conftest import Team
from fagdigital.assessments.models import Campaign
from fagdigital.conftest import actor_for
from fagdigital.tenancy.models import OrganisationKind
from fagdigital.tenancy.services import network_ensure
from fagdigital.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TOP, DIGITAL, SERVICE_AREA = "topchef", "digitaliseringschef", "fagchef"
HEADLINE = "medarbejdere-kompetencer"
# Five chiefs on the headline statement: two say high, one takes a middle position, two do not know.
FIVE: list[Chief] = [
    (TOP, {HEADLINE: 5, "bk-kompetencer": 4, "medarbejdere-strategi": 2}),
    (TOP, {HEADLINE: 4, "bk-kompetencer": 4, "medarbejdere-strategi": 4}),
    (TOP, {HEADLINE: 3, "bk-kompetencer": 2, "medarbejdere-strategi": 2}),
    (DIGITAL, {HEADLINE: None, "bk-kompetencer": 2, "medarbejdere-strategi": 1}),
    (DIGITAL, {HEADLINE: None, "bk-kompetencer": None, "medarbejdere-strategi": None}),
]


@pytest.fixture
def admin_client(team: Team, client_for: Callable[[User], Client]) -> Client:
    return client_for(team.admin)


def item(data: chiefs.ChiefsIndicators, code: str) -> chiefs.ItemIndicator:
    return next(i for i in data.items if i.code == code)


def page(client: Client) -> str:
    response = client.get("/analyse/ledelsesindikatorer/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_dont_know_is_shown_as_a_share_of_all_answers_and_of_those_who_took_a_position(
    team: Team, make_campaign: Callable[..., Campaign], make_member: Callable[..., User], admin_client: Client
) -> None:
    closed_round(team, make_campaign, make_member, FIVE)
    data = chiefs.chiefs_indicators(actor=actor_for(team.admin, team.organisation))
    headline = item(data, HEADLINE)
    assert headline.tally == chiefs.Tally(yes=2, answered=3, dont_know=2)
    assert (headline.result.percent, headline.result_all.percent) == (67, 40)
    text = page(admin_client)
    assert "Andel af dem, der tog stilling" in text and "Andel af alle svar" in text
    assert "67&nbsp;%" in text and "40&nbsp;%" in text


def test_the_page_shows_the_national_reference_figures_with_their_source(
    team: Team, make_campaign: Callable[..., Campaign], make_member: Callable[..., User], admin_client: Client
) -> None:
    text = page(admin_client)  # before any round: the national figures are there already
    assert "Sammenlignet med landstal" in text
    assert "15&nbsp;%" in text and "17&nbsp;%" in text
    assert "Rambøll: IT i Praksis®" in text and "27. maj 2019" in text
    assert "Ingen lukket ledelsesmåling endnu" in text
    closed_round(team, make_campaign, make_member, FIVE)
    comparisons = chiefs_comparisons(
        actor=actor_for(team.admin, team.organisation),
        indicators=chiefs.chiefs_indicators(actor=actor_for(team.admin, team.organisation)),
    )
    rows = {row.reference.item_code: row for row in comparisons.references}
    assert {code: row.reference.percent for code, row in rows.items()} == {
        HEADLINE: 15,
        "medarbejdere-strategi": 17,
    }
    strategy = rows["medarbejdere-strategi"].indicator
    assert strategy is not None and strategy.tally == chiefs.Tally(yes=1, answered=4, dont_know=1)
    assert (strategy.result_all.percent, strategy.result.percent) == (20, 25)
    text = page(admin_client)
    assert "Jer, af alle svar" in text and "Jer, af dem der tog stilling" in text
    assert "20&nbsp;%" in text and "25&nbsp;%" in text


def test_each_answer_records_the_kind_of_chief_and_their_own_figure_needs_k_in_both_groups(
    team: Team, make_campaign: Callable[..., Campaign], make_member: Callable[..., User], admin_client: Client
) -> None:
    # Five top and digitalisation chiefs and one fagchef: everybody minus them would be the fagchef alone.
    closed_round(team, make_campaign, make_member, [*FIVE, (SERVICE_AREA, {HEADLINE: 1})])
    data = chiefs.chiefs_indicators(actor=actor_for(team.admin, team.organisation))
    assert data.respondents == 6
    assert data.comparable_respondents is None
    assert all(i.comparable is None for i in data.items)
    assert "vises kun, når mindst 5 har svaret som topchef" in page(admin_client)


def test_the_top_and_digitalisation_chiefs_figure_is_shown_when_both_groups_are_big_enough(
    team: Team, make_campaign: Callable[..., Campaign], make_member: Callable[..., User], admin_client: Client
) -> None:
    fagchefer: list[Chief] = [(SERVICE_AREA, {HEADLINE: 5})] * 5
    closed_round(team, make_campaign, make_member, [*FIVE, *fagchefer])
    data = chiefs.chiefs_indicators(actor=actor_for(team.admin, team.organisation))
    headline = item(data, HEADLINE)
    assert data.comparable_respondents == 5
    assert headline.tally == chiefs.Tally(yes=7, answered=8, dont_know=2)
    assert headline.comparable == chiefs.Tally(yes=2, answered=3, dont_know=2)
    text = page(admin_client)
    assert "40 % af alle svar" in text and "67 % af dem, der tog stilling" in text


def test_the_chiefs_view_stands_beside_the_measured_share_at_target_per_focus_area(
    team: Team, make_campaign: Callable[..., Campaign], make_member: Callable[..., User], admin_client: Client
) -> None:
    closed_round(team, make_campaign, make_member, FIVE)
    actor = actor_for(team.admin, team.organisation)
    comparisons = chiefs_comparisons(actor=actor, indicators=chiefs.chiefs_indicators(actor=actor))
    areas = {row.area.code: row for row in comparisons.areas}
    assert list(areas) == ["DL", "BK", "DS"]
    # The chiefs: 2 of 4 who took a position say "i høj grad" about user competences.
    perceived = areas["BK"].perceived
    assert perceived is not None and (perceived.yes, perceived.n) == (2, 4)
    # Measured: the published figures exactly as the dashboard's whole-organisation row has them.
    view = selectors.heatmap(actor=actor, unit=None, filters=selectors.Filters())
    total = {cell.competence.code: cell for cell in view.rows[0].cells}
    for code in ("BK", "DS"):
        cells = [c for c in total.values() if c.competence.area.code == code and c.people is not None]
        measured = areas[code].measured
        assert measured is not None
        assert (measured.yes, measured.n) == (
            sum(c.at_target or 0 for c in cells),
            sum(c.people or 0 for c in cells),
        )
    assert areas["BK"].measured.percent == 33 and areas["DS"].measured.percent == 100  # type: ignore[union-attr]
    assert areas["DL"].measured is None  # SOSU assistants have no digital leadership targets
    assert areas["BK"].difference == 50 - 33
    text = page(admin_client)
    assert "Ledelsens vurdering ved siden af det målte" in text
    assert "Ledelsen 17 procentpoint over det målte" in text
    assert "33&nbsp;%" in text and "100&nbsp;%" in text
    assert comparisons.measured_campaign is not None and comparisons.measured_campaign.name in text


def test_with_fewer_than_k_chiefs_only_the_measured_side_is_shown(
    team: Team, make_campaign: Callable[..., Campaign], make_member: Callable[..., User], admin_client: Client
) -> None:
    closed_round(team, make_campaign, make_member, FIVE[:4])
    actor = actor_for(team.admin, team.organisation)
    data = chiefs.chiefs_indicators(actor=actor)
    assert data.too_few and all(i.tally is None for i in data.items)
    comparisons = chiefs_comparisons(actor=actor, indicators=data)
    bk = next(row for row in comparisons.areas if row.area.code == "BK")
    assert bk.perceived is None and bk.measured is not None
    text = page(admin_client)
    assert "Vises ikke (færre end 5 svar)" in text and "33&nbsp;%" in text


def test_the_network_shows_both_shares_with_five_other_municipalities(
    team: Team, make_campaign: Callable[..., Campaign], make_member: Callable[..., User], admin_client: Client
) -> None:
    operator = OrganisationFactory(kind=OrganisationKind.NETWORK_OPERATOR, kommunekode=None, name="Operatør")
    others = [OrganisationFactory(name=f"Nabokommune {n}") for n in range(5)]
    network_ensure(name="Vestnetværket", coordinator=operator, members=[team.organisation, *others])
    closed_round(team, make_campaign, make_member, FIVE)
    # Each other municipality: one "i høj grad", one "i nogen grad", and n "ved ikke".
    for dont_know, organisation in enumerate(others):
        answers: list[Chief] = [(TOP, {HEADLINE: 4}), (TOP, {HEADLINE: 3})]
        answers += [(DIGITAL, {HEADLINE: None})] * dont_know
        chiefs_only_round(organisation, answers, make_member)
    data = chiefs.chiefs_indicators(actor=actor_for(team.admin, team.organisation))
    figure = item(data, HEADLINE).network
    assert figure is not None and not figure.too_few and figure.organisations == 5
    assert figure.pooled == chiefs.Proportion(5, 10)
    assert figure.pooled_all == chiefs.Proportion(5, 10 + 0 + 1 + 2 + 3 + 4)
    text = page(admin_client)
    assert "Netværket, af alle svar" in text and "25&nbsp;%" in text
