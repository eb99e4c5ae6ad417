"""The benchmark across municipalities: a spread over at least 5 other contributing organisations, never one
organisation's value, named organisations only by their own choice and left out of the spread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.analytics import benchmark, networks, selectors
from fagdigital.analytics.models import Rollup, RollupSource
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.helpers import answer, close
from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument, Visibility
from fagdigital.conftest import actor_for
from fagdigital.frameworks.models import Competence, Framework
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import OrgUnit
from fagdigital.privacy.services import organisation_min_group_size_set
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind
from fagdigital.tenancy.services import network_ensure
from fagdigital.testing.factories import OrganisationFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@dataclass
class Member:
    """An organisation with the default framework and a closed round whose published rows a test writes.

    Rows are written directly (as round_publish stores them: whole blocks of at least k people of one
    role profile) so that each organisation's share is exactly what the test needs; the publishing
    itself is tested in test_services and test_rollups.
    """

    organisation: Organisation
    framework: Framework
    root: OrgUnit
    competences: dict[str, Competence]
    rounds: dict[dt.date, Campaign] = field(default_factory=dict)
    blocks: int = 0

    def put(
        self,
        code: str,
        people: int,
        at_target: int,
        *,
        campaign: Campaign | None = None,
        unit: OrgUnit | None = None,
    ) -> None:
        """A SOSU assistants' block (target 2 in DS and BK1-3): `at_target` at level 4, the rest at 1."""
        unit = unit or self.root
        self.blocks += 1
        Rollup.objects.create(
            organisation=self.organisation,
            campaign=campaign or self.campaign(closes_on=TODAY - dt.timedelta(days=30)),
            source=RollupSource.ESTIMATE,
            block=self.blocks,
            unit_path=unit.path,
            direct_only=True,
            role_profile_code="sosu-assistent",
            competence=self.competences[code],
            people=people,
            level_1=people - at_target,
            level_4=at_target,
        )

    def campaign(self, *, closes_on: dt.date, status: str = CampaignStatus.CLOSED) -> Campaign:
        if closes_on not in self.rounds:
            self.rounds[closes_on] = Campaign.objects.create(
                organisation=self.organisation,
                name=f"Måling {closes_on:%d.%m.%Y}",
                framework=self.framework,
                status=status,
                opens_on=closes_on - dt.timedelta(days=14),
                closes_on=closes_on,
                instruments=[Instrument.SELF],
                visibility=Visibility.ANONYMOUS,
            )
        return self.rounds[closes_on]


def member(name: str | None = None) -> Member:
    organisation = OrganisationFactory(**({"name": name} if name else {}))
    framework = default_framework_install(organisation=organisation)
    root = OrgUnitFactory(organisation=organisation, name="Kommunen")
    competences = {c.code: c for c in Competence.objects.filter(framework=framework)}
    return Member(organisation, framework, root, competences)


def network_of(members: Sequence[Organisation], name: str = "Vestnetværket") -> tuple[Network, Organisation]:
    operator = OrganisationFactory(
        kind=OrganisationKind.NETWORK_OPERATOR, kommunekode=None, name=f"{name} drift"
    )
    return network_ensure(name=name, coordinator=operator, members=members), operator


@pytest.fixture
def admin_of(make_member: Callable[..., User]) -> Callable[[Organisation], tuple[User, Actor]]:
    def make(organisation: Organisation) -> tuple[User, Actor]:
        user = make_member(organisation, "competence_admin")
        return user, actor_for(user, organisation)

    return make


def row_for(data: benchmark.Benchmark, code: str) -> benchmark.BenchmarkRow:
    for area in data.areas:
        if area.area.code == code:
            return area.total
        for row in area.competences:
            if row.code == code:
                return row
    raise LookupError(code)


SHARES = (1, 3, 4, 8, 9)  # of 10: the spread's windows of three never equal one of them


def own_and_others(count: int = 5, own_at: int = 2) -> tuple[Member, list[Member]]:
    """The organisation (DS1: own_at of 10, in two blocks) and `count` others with DS1 1, 3, 4, 8, 9 of 10."""
    own = member("Egen Kommune")
    own.put("DS1", 5, own_at // 2, unit=OrgUnitFactory(parent=own.root))
    own.put("DS1", 5, own_at - own_at // 2, unit=OrgUnitFactory(parent=own.root))
    others = [member(f"Anden Kommune {n}") for n in range(count)]
    for other, at in zip(others, (SHARES * 2)[:count], strict=True):
        other.put("DS1", 10, at)
    return own, others


# --- The figures -----------------------------------------------------------------------------------


def test_quartiles_and_position_over_five_other_organisations(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = own_and_others()
    network_of([own.organisation, *(o.organisation for o in others)])
    _user, actor = admin_of(own.organisation)
    data = benchmark.benchmark(actor=actor)
    assert data.member_view
    assert (data.members, data.contributing) == (6, 6)
    row = row_for(data, "DS1")
    # The reader's own organisation is not in the spread: five others, 0.1 0.3 0.4 0.8 0.9.
    assert (row.organisations, row.too_few) == (5, False)
    assert row.q1 == pytest.approx((0.1 + 0.3 + 0.4) / 3)
    assert row.median == pytest.approx((0.3 + 0.4 + 0.8) / 3)
    assert row.q3 == pytest.approx((0.4 + 0.8 + 0.9) / 3)
    assert (row.q1_percent, row.median_percent, row.q3_percent) == (27, 50, 70)
    # The organisation's own figure sums its blocks over its whole tree: 1 of 5 and 1 of 5.
    assert (row.own, row.own_people) == (pytest.approx(0.2), 10)
    assert row.position == benchmark.Position.BELOW
    # The focus area's figure is the share of all the area's targets met (only DS1 has figures here).
    area = row_for(data, "DS")
    assert (area.organisations, area.median) == (5, pytest.approx(0.5))
    assert row_for(data, "DS2").organisations == 0


def test_no_quantile_is_one_organisations_own_value(
    admin_of: Callable[[Organisation], tuple[User, Actor]], client_for: Callable[[User], Client]
) -> None:
    own = member("Egen Kommune")
    own.put("DS1", 10, 5)
    others = [member() for _n in range(5)]
    for other, at in zip(others, (2, 4, 6, 8, 10), strict=True):
        other.put("DS1", 10, at)  # evenly spaced: every window of three has a member's value as mean
    network_of([own.organisation, *(o.organisation for o in others)])
    user, actor = admin_of(own.organisation)
    row = row_for(benchmark.benchmark(actor=actor), "DS1")
    assert (row.organisations, row.too_few) == (5, False)
    assert (row.q1, row.median, row.q3, row.position) == (None, None, None, "")
    html = client_for(user).get(reverse("analytics:benchmark")).content.decode()
    assert "None" not in html
    assert "50&nbsp;%" in html  # the organisation's own share is still shown


def test_four_other_organisations_give_no_network_figure_and_five_do(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = own_and_others()
    network, _operator = network_of([own.organisation, *(o.organisation for o in others[:4])])
    _user, actor = admin_of(own.organisation)
    row = row_for(benchmark.benchmark(actor=actor), "DS1")
    assert (row.organisations, row.too_few, row.q1, row.median, row.q3, row.position) == (
        4,
        True,
        None,
        None,
        None,
        "",
    )
    assert row.own == pytest.approx(0.2)  # the organisation's own figure is still shown
    network_ensure(name=network.name, coordinator=network.coordinator, members=[others[4].organisation])
    row = row_for(benchmark.benchmark(actor=actor), "DS1")
    assert (row.organisations, row.too_few) == (5, False)
    assert row.median == pytest.approx(0.5)


def test_an_organisation_that_raised_k_counts_only_its_larger_blocks(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = own_and_others()
    strict = member("Streng Kommune")
    strict.put("DS1", 8, 8)  # published with k = 5; the organisation has since raised k to 10
    strict.put("DS1", 10, 0)
    organisation_min_group_size_set(organisation=strict.organisation, size=10)
    network_of([o.organisation for o in (own, *others, strict)])
    _user, actor = admin_of(own.organisation)
    row = row_for(benchmark.benchmark(actor=actor), "DS1")
    # Six others; Streng counts with its block of ten only (0 of 10): 0, 0.1, 0.3, 0.4, 0.8, 0.9.
    assert row.organisations == 6
    assert row.q1 == pytest.approx((0.0 + 0.1 + 0.3) / 3)
    # The reader's own k applies to its own figure too.
    organisation_min_group_size_set(organisation=own.organisation, size=6)
    row = row_for(benchmark.benchmark(actor=actor), "DS1")
    assert (row.own, row.own_people) == (None, None)


def test_a_focus_area_figure_is_the_share_of_all_its_targets_met(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own = member()
    own.put("DS1", 6, 6)
    own.put("DS2", 10, 1)
    network_of([own.organisation])
    _user, actor = admin_of(own.organisation)
    data = benchmark.benchmark(actor=actor)
    assert (row_for(data, "DS1").own, row_for(data, "DS2").own) == (pytest.approx(1.0), pytest.approx(0.1))
    assert row_for(data, "DS").own == pytest.approx(7 / 16)
    assert row_for(data, "BK").own is None


def test_the_own_figure_equals_the_dashboards_whole_organisation_cell(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    for index, person in enumerate(team.members):
        answer(campaign, person, 1 + index % 4)
    close(campaign)
    network_of([team.organisation])
    actor = actor_for(team.admin, team.organisation)
    heatmap = selectors.heatmap(actor=actor, unit=None, filters=selectors.Filters())
    total = heatmap.rows[0]
    data = benchmark.benchmark(actor=actor)
    compared = 0
    for cell in total.cells:
        row = row_for(data, cell.competence.code)
        assert row.own_percent == cell.share, cell.competence.code
        assert row.own_people == cell.people, cell.competence.code
        compared += cell.share is not None
    assert compared == 14  # every competence the SOSU assistants have a target in


def test_the_campaign_basis_uses_each_organisations_latest_closed_round_that_year(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own = member()
    own_campaign = own.campaign(closes_on=TODAY)
    own.put("DS1", 10, 5, campaign=own_campaign)
    own.put("DS1", 10, 0, campaign=own.campaign(closes_on=TODAY - dt.timedelta(days=1)))
    others = [member() for _n in range(7)]
    for other, at in zip(others[:5], (6, 7, 9, 10, 10), strict=True):
        other.put("DS1", 10, 0, campaign=other.campaign(closes_on=TODAY - dt.timedelta(days=1)))
        other.put("DS1", 10, at, campaign=other.campaign(closes_on=TODAY))
    open_round = others[5].campaign(closes_on=TODAY, status=CampaignStatus.OPEN)
    others[5].put("DS1", 10, 10, campaign=open_round)
    others[6].put("DS1", 10, 10, campaign=others[6].campaign(closes_on=TODAY - dt.timedelta(days=400)))
    network_of([o.organisation for o in (own, *others)])
    _user, actor = admin_of(own.organisation)
    data = benchmark.benchmark(actor=actor, campaign=own_campaign)
    assert data.period == TODAY.year
    row = row_for(data, "DS1")
    assert row.own == pytest.approx(0.5)  # the chosen round, not the later one of the day before
    assert row.organisations == 5  # the five with a closed round this year; not the open or old one
    assert row.median == pytest.approx((0.7 + 0.9 + 1.0) / 3)
    assert row.position == benchmark.Position.BELOW


# --- Naming and contributing -----------------------------------------------------------------------


def test_named_organisations_are_shown_by_name_and_left_out_of_the_spread(
    admin_of: Callable[[Organisation], tuple[User, Actor]], client_for: Callable[[User], Client]
) -> None:
    own, others = own_and_others(count=6)
    others[5].organisation.name = "Åbenby Kommune"
    others[5].organisation.save()
    network, _operator = network_of([own.organisation, *(o.organisation for o in others)])
    for organisation in (own.organisation, others[5].organisation):
        NetworkMember.objects.filter(network=network, organisation=organisation).update(
            named_in_benchmarks=True
        )
    user, actor = admin_of(own.organisation)
    data = benchmark.benchmark(actor=actor)
    assert data.named == [others[5].organisation]  # never the organisation itself in the list
    row = row_for(data, "DS1")
    (figure,) = row.named
    assert (figure.organisation, figure.percent) == (others[5].organisation, 10)
    # The spread is over the five unnamed others: the named value could otherwise be subtracted.
    assert row.organisations == 5
    assert row.median == pytest.approx(0.5)
    html = client_for(user).get(reverse("analytics:benchmark")).content.decode()
    assert "Kommuner, der har valgt at blive nævnt" in html
    assert "Åbenby Kommune" in html
    for other in others[:5]:
        assert other.organisation.name not in html


def test_nobody_is_named_when_nobody_chose(
    admin_of: Callable[[Organisation], tuple[User, Actor]], client_for: Callable[[User], Client]
) -> None:
    own, others = own_and_others()
    network_of([own.organisation, *(o.organisation for o in others)])
    user, actor = admin_of(own.organisation)
    assert benchmark.benchmark(actor=actor).named == []
    html = client_for(user).get(reverse("analytics:benchmark")).content.decode()
    assert "Kommuner, der har valgt at blive nævnt" not in html
    assert "Anden Kommune" not in html


def test_an_organisation_that_does_not_contribute_is_in_no_network_figure(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = own_and_others(count=6)
    network, _operator = network_of([own.organisation, *(o.organisation for o in others)])
    _user, actor = admin_of(own.organisation)
    assert row_for(benchmark.benchmark(actor=actor), "DS1").organisations == 6
    # Named without contributing means neither: its figures are not shown, by name or in the spread.
    NetworkMember.objects.filter(network=network, organisation=others[0].organisation).update(
        contributes_to_benchmarks=False, named_in_benchmarks=True
    )
    NetworkMember.objects.filter(network=network, organisation=others[1].organisation).update(
        contributes_to_benchmarks=False
    )
    data = benchmark.benchmark(actor=actor)
    assert (data.members, data.contributing) == (7, 5)
    assert data.named == []
    row = row_for(data, "DS1")
    assert (row.organisations, row.too_few, row.median) == (4, True, None)
    # The organisation's own figure does not depend on whether it contributes.
    NetworkMember.objects.filter(network=network, organisation=own.organisation).update(
        contributes_to_benchmarks=False
    )
    assert row_for(benchmark.benchmark(actor=actor), "DS1").own == pytest.approx(0.2)


def test_a_competence_admin_chooses_whether_the_organisation_contributes_and_is_named(
    client: Client, make_member: Callable[..., User]
) -> None:
    mine, other = OrganisationFactory(), OrganisationFactory()
    coordinator = OrganisationFactory(kind=OrganisationKind.NETWORK_OPERATOR, kommunekode=None)
    network = network_ensure(name="Testnetværk", coordinator=coordinator, members=[mine, other])
    admin = make_member(mine, "competence_admin")
    employee = make_member(mine, "employee")
    url = reverse("analytics:benchmark_naming")

    def choices(organisation: Organisation) -> tuple[bool, bool]:
        found = NetworkMember.objects.get(network=network, organisation=organisation)
        return (found.contributes_to_benchmarks, found.named_in_benchmarks)

    assert choices(mine) == (True, False)  # contributing without a name until the organisation chooses
    client.force_login(employee)
    assert client.post(url, {"network": network.pk, "contributes": "on", "named": "on"}).status_code == 403
    assert choices(mine) == (True, False)
    client.force_login(admin)
    response = client.post(url, {"network": network.pk, "contributes": "on", "named": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('analytics:benchmark')}?network={network.pk}"
    assert choices(mine) == (True, True)
    assert choices(other) == (True, False)
    # Named means contributing: naming without contributing is neither.
    client.post(url, {"network": network.pk, "named": "on"})
    assert choices(mine) == (False, False)
    client.post(url, {"network": network.pk, "contributes": "on"})
    assert choices(mine) == (True, False)
    client.post(url, {"network": network.pk})
    assert choices(mine) == (False, False)
    page = client.get(reverse("analytics:benchmark"), {"network": network.pk}).content.decode()
    assert 'name="contributes"' in page and 'name="named"' in page
    foreign = network_ensure(name="Andet netværk", coordinator=coordinator, members=[other])
    assert client.post(url, {"network": foreign.pk, "contributes": "on"}).status_code == 404
    assert client.post(url, {"network": "x"}).status_code == 404
    assert choices(other) == (True, False)


# --- Performance -----------------------------------------------------------------------------------


def test_the_benchmark_reads_all_organisations_in_a_fixed_number_of_queries(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = own_and_others()
    network, _operator = network_of([own.organisation, *(o.organisation for o in others)])
    _user, actor = admin_of(own.organisation)
    with CaptureQueriesContext(connection) as six:
        benchmark.benchmark(actor=actor)
    more = [member() for _n in range(6)]
    for other in more:
        other.put("DS1", 10, 5)
        other.put("BK1", 10, 5)
    network_ensure(name=network.name, coordinator=network.coordinator, members=[m.organisation for m in more])
    with CaptureQueriesContext(connection) as twelve:
        data = benchmark.benchmark(actor=actor)
    assert row_for(data, "DS1").organisations == 11
    assert len(twelve.captured_queries) == len(six.captured_queries) == 10
    grouped = [q["sql"] for q in twelve.captured_queries if "analytics_rollup" in q["sql"]]
    assert len(grouped) == 1


def test_the_page_shows_every_area_in_a_fixed_number_of_queries(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
    client_for: Callable[[User], Client],
    django_assert_num_queries: Any,
) -> None:
    own, others = own_and_others()
    own.put("BK1", 10, 5)
    others[0].put("BK1", 10, 5)
    network_of([own.organisation, *(o.organisation for o in others)])
    user, _actor = admin_of(own.organisation)
    client = client_for(user)
    with django_assert_num_queries(19):
        response = client.get(reverse("analytics:benchmark"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Under nedre kvartil" in html
    assert "For få kommuner (mindst 5)" in html  # BK1: one other organisation
    assert "Ingen kommuner har tal endnu" in html  # the other competences
    assert "6 kommuner er med." in html and "6 af dem bidrager til netværkets tal." in html
    assert " style=" not in html


# --- Who may see what ------------------------------------------------------------------------------


def test_a_network_coordinator_sees_the_network_figures_only(
    make_member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    own, others = own_and_others(own_at=6)
    network, operator = network_of([own.organisation, *(o.organisation for o in others)])
    NetworkMember.objects.filter(network=network).update(named_in_benchmarks=True)
    coordinator = make_member(operator, "network_coordinator")
    data = benchmark.benchmark(actor=actor_for(coordinator, operator))
    assert not data.member_view
    assert data.named == []
    row = row_for(data, "DS1")
    # A coordinator has no figure of its own: all six members are in the spread, none by name.
    assert (row.organisations, row.own, row.position) == (6, None, "")
    assert row.median == pytest.approx((0.3 + 0.4 + 0.6) / 3)
    response = client_for(coordinator).get(reverse("analytics:benchmark"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jeres andel" not in html
    for organisation in (own.organisation, *(o.organisation for o in others)):
        assert organisation.name not in html


def test_a_coordinator_cannot_open_another_network(
    make_member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    _network, operator = network_of([member().organisation])
    foreign, _other_operator = network_of([member().organisation], name="Østnetværket")
    coordinator = make_member(operator, "network_coordinator")
    client = client_for(coordinator)
    assert client.get(reverse("analytics:benchmark"), {"network": foreign.pk}).status_code == 404


def test_another_organisations_network_is_not_visible(
    admin_of: Callable[[Organisation], tuple[User, Actor]], client_for: Callable[[User], Client]
) -> None:
    own = member()
    mine, _operator = network_of([own.organisation])
    foreign, _other = network_of([member().organisation], name="Østnetværket")
    user, actor = admin_of(own.organisation)
    assert networks.benchmark_networks(actor=actor) == [mine]
    client = client_for(user)
    assert client.get(reverse("analytics:benchmark"), {"network": mine.pk}).status_code == 200
    assert client.get(reverse("analytics:benchmark"), {"network": foreign.pk}).status_code == 404


def test_a_campaign_of_another_organisation_cannot_be_chosen(
    admin_of: Callable[[Organisation], tuple[User, Actor]], client_for: Callable[[User], Client]
) -> None:
    own = member()
    other = member()
    network_of([own.organisation, other.organisation])
    today = timezone.localdate()
    mine = own.campaign(closes_on=today)
    theirs = other.campaign(closes_on=today)
    user, _actor = admin_of(own.organisation)
    client = client_for(user)
    assert client.get(reverse("analytics:benchmark"), {"campaign": mine.pk}).status_code == 200
    assert client.get(reverse("analytics:benchmark"), {"campaign": theirs.pk}).status_code == 404


def test_employees_and_leaders_may_not_see_the_benchmark(
    team: Team, client_for: Callable[[User], Client]
) -> None:
    for user in (team.users[0], team.leader):
        assert client_for(user).get(reverse("analytics:benchmark")).status_code == 403


def test_top_management_outside_any_network_is_told_so(
    make_member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    director = make_member(member().organisation, "top_management")
    response = client_for(director).get(reverse("analytics:benchmark"))
    assert response.status_code == 200
    assert "I er ikke med i et netværk af kommuner" in response.content.decode()
