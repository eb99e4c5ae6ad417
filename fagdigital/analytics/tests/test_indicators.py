"""Chiefs' indicators: the share answering 4-5 with a Wilson interval, shown only for closed rounds with at
least k respondents; the trend; the network figure over at least 5 other contributing organisations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.analytics import chiefs
from fagdigital.analytics.tests.conftest import Team
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, Instrument, Visibility
from fagdigital.conftest import actor_for
from fagdigital.frameworks.services import default_framework_install
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind
from fagdigital.tenancy.services import network_ensure
from fagdigital.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

Answers = Sequence[int | None]  # one value per respondent, given to every statement


@pytest.fixture
def chiefs_round(make_member: Callable[..., User]) -> Callable[..., Campaign]:
    """A chiefs' survey round in an organisation, answered by one top manager per value, then closed."""

    def make(
        organisation: Organisation,
        answers: Answers,
        *,
        close: bool = True,
        name: str = "Ledelsesmåling",
        moved_days: int = 0,
        submit: bool = True,
    ) -> Campaign:
        framework = default_framework_install(organisation=organisation)
        admin = make_member(organisation, "competence_admin")
        today = timezone.localdate()
        campaign = assessment_services.campaign_create(
            actor=actor_for(admin, organisation),
            values=assessment_services.CampaignSettings(
                name=name,
                framework=framework,
                opens_on=today,
                closes_on=today + dt.timedelta(days=14),
                instruments=[Instrument.CHIEFS],
                visibility=Visibility.ANONYMOUS,
                units=[],
            ),
        )
        campaign = assessment_services.campaign_open(campaign=campaign)
        items = list(campaign.survey_items.all())
        for value in answers:
            chief = make_member(organisation, "top_management")
            response = assessment_services.response_get_or_create(
                campaign=campaign, instrument=Instrument.CHIEFS, respondent=chief, subject=None
            )
            assessment_services.survey_respondent_type_set(response=response, respondent_type="topchef")
            for item in items:
                assessment_services.survey_answer_save(response=response, item=item, value=value)
            if submit:
                assessment_services.response_submit(response=response)
        if close:
            campaign = assessment_services.campaign_close(campaign=campaign)
        if moved_days:
            # Rounds in the past cannot be opened through the services: move a finished one back in time.
            Campaign.objects.filter(pk=campaign.pk).update(
                opens_on=campaign.opens_on - dt.timedelta(days=moved_days),
                closes_on=campaign.closes_on - dt.timedelta(days=moved_days),
            )
            campaign.refresh_from_db()
        return campaign

    return make


def network_of(own: Organisation, others: Sequence[Organisation], name: str = "Vestnetværket") -> Network:
    operator = OrganisationFactory(
        kind=OrganisationKind.NETWORK_OPERATOR, kommunekode=None, name=f"{name} drift"
    )
    return network_ensure(name=name, coordinator=operator, members=[own, *others])


# --- Wilson score interval -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (1, 1, 0.2065, 1.0),
        (50, 100, 0.4038, 0.5962),
        (3, 7, 0.1582, 0.7495),
    ],
)
def test_wilson_interval_matches_known_values(successes: int, n: int, low: float, high: float) -> None:
    interval = chiefs.wilson_interval(successes, n)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=5e-4)
    assert interval[1] == pytest.approx(high, abs=5e-4)


def test_wilson_interval_is_none_without_answers_and_refuses_impossible_counts() -> None:
    assert chiefs.wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="between 0 and n"):
        chiefs.wilson_interval(11, 10)


def test_a_proportion_rounds_share_and_interval_to_whole_percent() -> None:
    result = chiefs.Proportion(8, 10)
    assert (result.percent, result.low_percent, result.high_percent) == (80, 49, 94)


# --- The organisation's own figures ---------------------------------------------------------------


def indicators_of(team: Team) -> chiefs.ChiefsIndicators:
    return chiefs.chiefs_indicators(actor=actor_for(team.admin, team.organisation))


def test_share_counts_high_and_very_high_among_those_who_answered(
    team: Team, chiefs_round: Callable[..., Campaign]
) -> None:
    campaign = chiefs_round(team.organisation, [5, 4, 3, None, 1])
    data = indicators_of(team)
    assert data.campaign == campaign
    assert (data.respondents, data.k, data.too_few) == (5, 5, False)
    assert len(data.items) == campaign.survey_items.count() > 0
    first = data.items[0]
    assert first.tally is not None
    assert (first.tally.yes, first.result.n, first.tally.dont_know) == (2, 4, 1)
    assert first.result.percent == 50
    assert first.result.interval == chiefs.wilson_interval(2, 4)
    assert data.network is None
    assert first.network is None


def test_fewer_than_k_respondents_show_no_answers(
    team: Team, chiefs_round: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = chiefs_round(team.organisation, [5, 5, 5, 5])
    data = indicators_of(team)
    assert data.campaign == campaign
    assert (data.respondents, data.too_few) == (4, True)
    assert data.items
    assert all(item.tally is None and item.result.n == 0 for item in data.items)
    html = client_for(team.admin).get(reverse("analytics:indicators")).content.decode()
    assert "Færre end 5 har svaret, så svarene vises ikke" in html
    assert "Vises ikke (færre end 5 svar)" in html
    assert "100&nbsp;%" not in html


def test_answers_not_submitted_do_not_count(team: Team, chiefs_round: Callable[..., Campaign]) -> None:
    chiefs_round(team.organisation, [5, 5, 5, 5, 5, 5], submit=False)
    data = indicators_of(team)
    assert data.respondents == 0
    assert data.too_few
    assert all(item.tally is None for item in data.items)


def test_the_latest_closed_round_is_shown_and_the_trend_has_every_closed_round_oldest_first(
    team: Team, chiefs_round: Callable[..., Campaign]
) -> None:
    oldest = chiefs_round(team.organisation, [1, 2, 1, 2, 1], name="Runde 1", moved_days=1095)
    few = chiefs_round(team.organisation, [5, 5, 5], name="Runde 2", moved_days=730)
    middle = chiefs_round(team.organisation, [4, 4, 5, 4, 5], name="Runde 3", moved_days=365)
    newest = chiefs_round(team.organisation, [5, 5, 5, 5, 5], name="Runde 4", close=False)
    data = indicators_of(team)
    assert data.campaign == middle
    assert data.newer_open == newest
    assert data.rounds == [oldest, few, middle]  # an open round is in no figure, not even the trend
    assert data.items[0].result.percent == 100
    row = data.trend[0]
    assert [p.campaign for p in row.points] == [oldest, few, middle]
    assert [p.result.percent if p.result else None for p in row.points] == [0, None, 100]


def test_an_open_round_shows_nothing_while_it_runs(
    team: Team, chiefs_round: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    running = chiefs_round(team.organisation, [4, 2, 4, 2, 4, 4], close=False)
    data = indicators_of(team)
    assert data.campaign is None
    assert data.items == []
    assert data.newer_open == running
    html = client_for(team.admin).get(reverse("analytics:indicators")).content.decode()
    assert "I har ingen lukket ledelsesmåling endnu." in html
    # Only the national reference figures: none of the round's own (4 of 6 say "i høj grad": 67 %).
    assert "67&nbsp;%" not in html and "Andel af dem, der tog stilling" not in html
    # Closed, the same answers are shown.
    assessment_services.campaign_close(campaign=running)
    data = indicators_of(team)
    assert data.campaign == running
    assert data.items[0].result.percent == 67


def test_without_a_round_there_is_nothing_to_show(team: Team) -> None:
    data = indicators_of(team)
    assert data.campaign is None
    assert data.items == []


# --- The network ----------------------------------------------------------------------------------


def test_the_network_figure_needs_five_other_contributing_organisations(
    team: Team, chiefs_round: Callable[..., Campaign]
) -> None:
    others = [OrganisationFactory(name=f"Nabokommune {n}") for n in range(5)]
    network = network_of(team.organisation, others)
    chiefs_round(team.organisation, [5, 5, 5, 5, 5])  # the reader's own: never in the network's figure
    answers = ([5, 4, 1, 1], [5], [5, 1], [2, 2, 2])  # 2 of 4, 1 of 1, 1 of 2, 0 of 3
    for organisation, values in zip(others[:4], answers, strict=True):
        chiefs_round(organisation, values)  # fewer than k each: they count only in the network's figure
    data = indicators_of(team)
    assert data.network == network
    figure = data.items[0].network
    assert figure is not None
    assert (figure.organisations, figure.too_few, figure.pooled, figure.median) == (4, True, None, None)

    chiefs_round(others[4], [4, 4, 4, 4, 1])  # the fifth other organisation: 4 of 5
    figure = indicators_of(team).items[0].network
    assert figure is not None
    assert (figure.organisations, figure.too_few) == (5, False)
    # Pooled over their respondents: (2 + 1 + 1 + 0 + 4) of (4 + 1 + 2 + 3 + 5).
    assert figure.pooled is not None
    assert (figure.pooled.yes, figure.pooled.n) == (8, 15)
    assert figure.pooled.interval == chiefs.wilson_interval(8, 15)
    # The middle of the shares 0, 0.5, 0.5, 0.8, 1.0: the mean of the three around it, no one's own.
    assert figure.median == pytest.approx(0.6)

    # An organisation that stops contributing leaves the figure (and it falls below five).
    NetworkMember.objects.filter(network=network, organisation=others[0]).update(
        contributes_to_benchmarks=False
    )
    figure = indicators_of(team).items[0].network
    assert figure is not None
    assert (figure.organisations, figure.too_few, figure.pooled) == (4, True, None)


def test_the_network_counts_each_organisations_latest_closed_round_in_the_same_year(
    team: Team, chiefs_round: Callable[..., Campaign]
) -> None:
    others = [OrganisationFactory() for _n in range(6)]
    network_of(team.organisation, others)
    chiefs_round(team.organisation, [5, 5, 5, 5, 5])
    for organisation in others[:4]:
        chiefs_round(organisation, [1], name="Tidligere", moved_days=1)
        chiefs_round(organisation, [5], name="Seneste")  # replaces the earlier round of the year
    chiefs_round(others[4], [5], close=False)  # still open: not counted
    chiefs_round(others[5], [5], moved_days=400)  # another year: not counted
    figure = indicators_of(team).items[0].network
    assert figure is not None
    assert (figure.organisations, figure.too_few) == (4, True)
    # One more organisation with a closed round this year makes five; the latest rounds all said 5.
    chiefs_round(others[4], [5], name="Lukket")
    figure = indicators_of(team).items[0].network
    assert figure is not None
    assert figure.organisations == 5
    assert figure.pooled is not None
    assert figure.pooled.percent == 100


def test_organisations_outside_the_network_never_count(
    team: Team, chiefs_round: Callable[..., Campaign]
) -> None:
    members = [OrganisationFactory() for _n in range(4)]
    network_of(team.organisation, members)
    for organisation in [team.organisation, *members, OrganisationFactory(), OrganisationFactory()]:
        chiefs_round(organisation, [5])
    figure = indicators_of(team).items[0].network
    assert figure is not None
    assert (figure.organisations, figure.too_few) == (4, True)


def test_the_page_shows_the_network_figure_without_naming_organisations(
    team: Team,
    chiefs_round: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    django_assert_num_queries: Any,
) -> None:
    others = [OrganisationFactory(name=f"Hemmeligby {n} Kommune") for n in range(5)]
    network = network_of(team.organisation, others)
    NetworkMember.objects.filter(network=network, organisation=others[0]).update(named_in_benchmarks=True)
    chiefs_round(team.organisation, [5, 4, 1, 1, 2], name="Ledelsesmåling 2026", moved_days=365)
    chiefs_round(team.organisation, [5, 4, 4, 1, 5], name="Ledelsesmåling 2027")
    for organisation in others:
        chiefs_round(organisation, [5, 2])
    client = client_for(team.admin)
    # A fixed number, whatever the number of organisations: the page, the chiefs' figures, the network's,
    # the reference figures and the measured share at target (the heatmap's published figures).
    with django_assert_num_queries(23):
        response = client.get(reverse("analytics:indicators"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ledelsesindikatorer" in html
    assert "80&nbsp;%" in html  # 4 of 5 in the latest round
    assert "Netværket samlet" in html
    assert "50&nbsp;%" in html  # the network: 5 of 10
    assert "Ledelsesmåling 2026" in html  # the trend
    assert "Hemmeligby" not in html
    assert "<svg" in html
    assert " style=" not in html


def test_the_page_says_when_the_network_has_too_few_participants(
    team: Team, chiefs_round: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    others = [OrganisationFactory() for _n in range(4)]
    network_of(team.organisation, others)
    chiefs_round(team.organisation, [5, 5, 5, 5, 5])
    for organisation in others:
        chiefs_round(organisation, [5, 5, 5, 5, 5])
    html = client_for(team.admin).get(reverse("analytics:indicators")).content.decode()
    assert "For få andre kommuner med svar til en sammenligning (mindst 5)" in html


# --- Who may see them -------------------------------------------------------------------------------


def test_a_network_coordinator_sees_the_networks_figures_only(
    team: Team,
    chiefs_round: Callable[..., Campaign],
    make_member: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    others = [OrganisationFactory(name=f"Hemmeligby {n} Kommune") for n in range(5)]
    network = network_of(team.organisation, others)
    assert network.coordinator is not None
    chiefs_round(team.organisation, [1, 1, 1, 1, 1])
    for organisation in others:
        chiefs_round(organisation, [5, 5, 4, 4, 1])
    coordinator = make_member(network.coordinator, "network_coordinator")
    data = chiefs.chiefs_indicators(actor=actor_for(coordinator, network.coordinator))
    assert data.coordinator_view
    assert (data.campaign, data.respondents, data.trend) == (None, 0, [])
    assert data.items
    figure = data.items[0].network
    assert figure is not None
    # Every contributing member counts for a coordinator (it has no figure of its own): six here.
    assert figure.organisations == 6
    assert figure.pooled is not None
    assert (figure.pooled.yes, figure.pooled.n) == (20, 30)
    assert all(item.tally is None for item in data.items)
    response = client_for(coordinator).get(reverse("analytics:indicators"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "67&nbsp;%" in html
    assert "Hemmeligby" not in html
    assert team.organisation.name not in html
    assert "Andel i høj eller meget høj grad" not in html  # no organisation's own column


def test_top_management_may_see_the_indicators(
    team: Team,
    chiefs_round: Callable[..., Campaign],
    make_member: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    chiefs_round(team.organisation, [5])
    director = make_member(team.organisation, "top_management")
    assert client_for(director).get(reverse("analytics:indicators")).status_code == 200


def test_employees_and_leaders_may_not_see_the_indicators(
    team: Team, client_for: Callable[[User], Client]
) -> None:
    for user in (team.users[0], team.leader):
        assert client_for(user).get(reverse("analytics:indicators")).status_code == 403


def test_another_organisations_network_cannot_be_chosen(
    team: Team, chiefs_round: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    own = network_of(team.organisation, [OrganisationFactory()], name="Eget netværk")
    foreign = network_of(OrganisationFactory(), [OrganisationFactory()], name="Fremmed netværk")
    chiefs_round(team.organisation, [5])
    client = client_for(team.admin)
    url = reverse("analytics:indicators")
    assert client.get(url, {"network": own.pk}).status_code == 200
    assert client.get(url, {"network": foreign.pk}).status_code == 404
    assert client.get(url, {"network": "x"}).status_code == 404
