"""The benchmark across municipalities: quartiles over at least 5 organisations, never naming one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.analytics import indicators, selectors
from fagdigital.analytics.models import Rollup, RollupSource
from fagdigital.analytics.tests.conftest import Team
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument, Visibility
from fagdigital.conftest import actor_for
from fagdigital.frameworks.models import Competence, Framework
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import OrgUnit
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind
from fagdigital.tenancy.services import network_ensure
from fagdigital.testing.factories import OrganisationFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


@dataclass
class Member:
    organisation: Organisation
    framework: Framework
    root: OrgUnit
    competences: dict[str, Competence]

    def put(
        self,
        code: str,
        people: int,
        at_target: int,
        *,
        campaign: Campaign | None = None,
        unit: OrgUnit | None = None,
    ) -> None:
        """Rollup rows made directly (allowed in tests): `people` with a target, `at_target` of them."""
        unit = unit or self.root
        Rollup.objects.create(
            organisation=self.organisation,
            campaign=campaign,
            source=RollupSource.ESTIMATE,
            unit=unit,
            unit_path=unit.path,
            role_profile_code="sosu-assistent",
            competence=self.competences[code],
            people=people,
            level_1=people - at_target,
            level_4=at_target,
            with_target=people,
            at_target=at_target,
        )

    def campaign(self, *, closes_on: dt.date, status: str = CampaignStatus.CLOSED) -> Campaign:
        return Campaign.objects.create(
            organisation=self.organisation,
            name=f"Måling {closes_on:%d.%m.%Y}",
            framework=self.framework,
            status=status,
            opens_on=closes_on - dt.timedelta(days=14),
            closes_on=closes_on,
            instruments=[Instrument.SELF],
            visibility=Visibility.ANONYMOUS,
        )


def member(name: str | None = None, *, min_group_size: int = 5) -> Member:
    organisation = OrganisationFactory(min_group_size=min_group_size, **({"name": name} if name else {}))
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


def row_for(data: indicators.Benchmark, code: str) -> indicators.BenchmarkRow:
    for area in data.areas:
        if area.area.code == code:
            return area.total
        for row in area.competences:
            if row.code == code:
                return row
    raise LookupError(code)


def five_with_ds1(own_people: int = 10, own_at: int = 2) -> tuple[Member, list[Member]]:
    """The organisation and four others with DS1 shares 20, 40, 60, 80 and 100 %."""
    own = member("Egen Kommune")
    if own_people:
        own.put("DS1", own_people, own_at)
    others = [member(f"Anden Kommune {n}") for n in range(4)]
    for other, at in zip(others, (4, 6, 8, 10), strict=True):
        other.put("DS1", 10, at)
    return own, others


# --- The figures -----------------------------------------------------------------------------------


def test_quartiles_and_position_over_five_organisations(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = five_with_ds1(own_people=0)
    # The organisation's own figure is summed over its whole tree: 1 of 3 and 1 of 7 placed in two units.
    own.put("DS1", 3, 1, unit=OrgUnitFactory(parent=own.root))
    own.put("DS1", 7, 1, unit=OrgUnitFactory(parent=own.root))
    network_of([own.organisation, *(o.organisation for o in others)])
    _user, actor = admin_of(own.organisation)
    data = indicators.benchmark(actor=actor)
    assert data.member_view
    assert data.members == 5
    row = row_for(data, "DS1")
    assert row.organisations == 5
    assert (row.q1, row.median, row.q3) == (pytest.approx(0.4), pytest.approx(0.6), pytest.approx(0.8))
    assert row.own == pytest.approx(0.2)
    assert row.own_people == 10
    assert row.position == indicators.Position.BELOW
    # The focus area figure is the share of all the area's targets met (here only DS1 has figures).
    area = row_for(data, "DS")
    assert (area.organisations, area.median) == (5, pytest.approx(0.6))
    assert row_for(data, "DS2").organisations == 0


def test_four_organisations_give_no_network_figure_and_five_do(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = five_with_ds1()
    network, _operator = network_of([own.organisation, *(o.organisation for o in others[:3])])
    _user, actor = admin_of(own.organisation)
    row = row_for(indicators.benchmark(actor=actor), "DS1")
    assert (row.organisations, row.too_few, row.median, row.position) == (4, True, None, "")
    assert row.own == pytest.approx(0.2)  # the organisation's own figure is still shown
    network_ensure(name=network.name, coordinator=network.coordinator, members=[others[3].organisation])
    row = row_for(indicators.benchmark(actor=actor), "DS1")
    assert (row.organisations, row.too_few) == (5, False)
    assert row.median == pytest.approx(0.6)


def test_the_own_figure_is_hidden_under_k_and_small_organisations_do_not_count(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = five_with_ds1(own_people=4, own_at=4)
    small = member("Lille Kommune")
    small.put("DS1", 3, 3)
    strict = member("Streng Kommune", min_group_size=10)
    strict.put("DS1", 8, 8)  # 8 people, but this organisation shows nothing under 10
    network_of([o.organisation for o in (own, *others, small, strict)])
    _user, actor = admin_of(own.organisation)
    row = row_for(indicators.benchmark(actor=actor), "DS1")
    assert (row.own, row.own_hidden, row.own_people, row.position) == (None, True, None, "")
    assert row.organisations == 4  # the four others; not the organisation itself, Lille or Streng
    assert row.too_few


def test_a_focus_area_figure_leaves_out_competences_under_k(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own = member()
    own.put("DS1", 6, 6)
    own.put("DS2", 3, 0)  # hidden: must not pull the area figure down (6 of 9), or it could be derived
    network_of([own.organisation])
    _user, actor = admin_of(own.organisation)
    data = indicators.benchmark(actor=actor)
    assert row_for(data, "DS2").own_hidden
    area = row_for(data, "DS")
    assert area.own == pytest.approx(1.0)
    only_hidden = member()
    only_hidden.put("BK1", 2, 1)
    network_of([only_hidden.organisation], name="Andet netværk")
    _user, actor = admin_of(only_hidden.organisation)
    area = row_for(indicators.benchmark(actor=actor), "BK")
    assert (area.own, area.own_hidden) == (None, True)


def test_the_own_figure_equals_the_dashboards_whole_organisation_cell(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign()
    competences = assessment_selectors.questionnaire_competences(
        campaign=campaign, role_profile_code="sosu-assistent"
    )
    for index, (user, person) in enumerate(zip(team.users, team.members, strict=True)):
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.SELF, respondent=user, subject=person
        )
        assessment_services.answers_save(response=response, levels={c.pk: 1 + index % 4 for c in competences})
        assessment_services.response_submit(response=response)
    network_of([team.organisation])
    actor = actor_for(team.admin, team.organisation)
    heatmap = selectors.heatmap(actor=actor, unit=None, filters=selectors.Filters())
    total = heatmap.rows[0]
    data = indicators.benchmark(actor=actor)
    compared = 0
    for cell in total.cells:
        row = row_for(data, cell.competence.code)
        assert row.own_percent == cell.share, cell.competence.code
        compared += cell.share is not None
    assert compared > 0


def test_the_campaign_basis_uses_each_organisations_latest_closed_campaign_that_year(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    today = timezone.localdate()
    own = member()
    own_campaign = own.campaign(closes_on=today)
    own.put("DS1", 10, 5, campaign=own_campaign)
    own.put("DS1", 10, 0)  # current estimates: not used on the campaign basis
    others = [member() for _n in range(6)]
    for other in others[:4]:
        older = other.campaign(closes_on=today - dt.timedelta(days=1))
        other.put("DS1", 10, 0, campaign=older)
        latest = other.campaign(closes_on=today)
        other.put("DS1", 10, 10, campaign=latest)
    others[4].put("DS1", 10, 10, campaign=others[4].campaign(closes_on=today, status=CampaignStatus.OPEN))
    others[5].put("DS1", 10, 10, campaign=others[5].campaign(closes_on=today - dt.timedelta(days=400)))
    network_of([o.organisation for o in (own, *others)])
    _user, actor = admin_of(own.organisation)
    data = indicators.benchmark(actor=actor, campaign=own_campaign)
    assert data.period == today.year
    row = row_for(data, "DS1")
    assert row.own == pytest.approx(0.5)
    assert row.organisations == 5  # own + the four with a closed campaign this year
    assert row.median == pytest.approx(1.0)
    assert row.q1 == pytest.approx(1.0)
    assert row.position == indicators.Position.BELOW


# --- Naming ----------------------------------------------------------------------------------------


def test_other_organisations_are_named_only_when_they_chose(
    admin_of: Callable[[Organisation], tuple[User, Actor]], client_for: Callable[[User], Client]
) -> None:
    own, others = five_with_ds1()
    others[0].organisation.name = "Åbenby Kommune"
    others[0].organisation.save()
    network, _operator = network_of([own.organisation, *(o.organisation for o in others)])
    NetworkMember.objects.filter(
        network=network, organisation__in=[own.organisation, others[0].organisation]
    ).update(named_in_benchmarks=True)
    user, actor = admin_of(own.organisation)
    data = indicators.benchmark(actor=actor)
    assert data.named == [others[0].organisation]  # never the organisation itself in the list
    figure = row_for(data, "DS1").named[0]
    assert (figure.organisation, figure.percent, figure.hidden) == (others[0].organisation, 40, False)
    html = client_for(user).get(reverse("analytics:benchmark")).content.decode()
    assert "Kommuner, der har valgt at blive nævnt" in html
    assert "Åbenby Kommune" in html
    for other in others[1:]:
        assert other.organisation.name not in html


def test_nobody_is_named_when_nobody_chose(
    admin_of: Callable[[Organisation], tuple[User, Actor]], client_for: Callable[[User], Client]
) -> None:
    own, others = five_with_ds1()
    network_of([own.organisation, *(o.organisation for o in others)])
    user, actor = admin_of(own.organisation)
    assert indicators.benchmark(actor=actor).named == []
    html = client_for(user).get(reverse("analytics:benchmark")).content.decode()
    assert "Kommuner, der har valgt at blive nævnt" not in html
    assert "Anden Kommune" not in html


# --- Performance -----------------------------------------------------------------------------------


def test_the_benchmark_reads_all_organisations_in_a_fixed_number_of_queries(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
) -> None:
    own, others = five_with_ds1()
    network, _operator = network_of([own.organisation, *(o.organisation for o in others)])
    _user, actor = admin_of(own.organisation)
    with CaptureQueriesContext(connection) as five:
        indicators.benchmark(actor=actor)
    more = [member() for _n in range(6)]
    for other in more:
        other.put("DS1", 10, 5)
        other.put("BK1", 10, 5)
    network_ensure(name=network.name, coordinator=network.coordinator, members=[m.organisation for m in more])
    with CaptureQueriesContext(connection) as eleven:
        data = indicators.benchmark(actor=actor)
    assert row_for(data, "DS1").organisations == 11
    assert len(eleven.captured_queries) == len(five.captured_queries) <= 8
    grouped = [q["sql"] for q in eleven.captured_queries if "analytics_rollup" in q["sql"]]
    assert len(grouped) == 1


def test_the_page_shows_every_area_in_a_bounded_number_of_queries(
    admin_of: Callable[[Organisation], tuple[User, Actor]],
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    own, others = five_with_ds1()
    own.put("BK1", 10, 5)
    others[0].put("BK1", 10, 5)
    network_of([own.organisation, *(o.organisation for o in others)])
    user, _actor = admin_of(own.organisation)
    client = client_for(user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("analytics:benchmark"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Under nedre kvartil" in html
    assert "For få kommuner (mindst 5)" in html  # BK1: two organisations
    assert "Ingen kommuner har tal endnu" in html  # the other competences
    assert " style=" not in html


# --- Who may see what ------------------------------------------------------------------------------


def test_a_network_coordinator_sees_the_network_figures_only(
    make_member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    own, others = five_with_ds1()
    network, operator = network_of([own.organisation, *(o.organisation for o in others)])
    NetworkMember.objects.filter(network=network).update(named_in_benchmarks=True)
    coordinator = make_member(operator, "network_coordinator")
    data = indicators.benchmark(actor=actor_for(coordinator, operator))
    assert not data.member_view
    assert data.named == []
    row = row_for(data, "DS1")
    assert (row.organisations, row.own, row.position) == (5, None, "")
    assert row.median == pytest.approx(0.6)
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
    assert indicators.benchmark_networks(actor=actor) == [mine]
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


def test_a_competence_admin_chooses_whether_the_organisation_is_named(client: Any, make_member: Any) -> None:
    mine, other = OrganisationFactory(), OrganisationFactory()
    coordinator = OrganisationFactory(kind="network_operator", kommunekode=None)
    network = network_ensure(name="Testnetværk", coordinator=coordinator, members=[mine, other])
    admin = make_member(mine, "competence_admin")
    employee = make_member(mine, "employee")
    client.force_login(employee)
    assert (
        client.post("/analyse/benchmark/navngivning/", {"network": network.pk, "named": "on"}).status_code
        == 403
    )
    client.force_login(admin)
    response = client.post("/analyse/benchmark/navngivning/", {"network": network.pk, "named": "on"})
    assert response.status_code == 302
    assert NetworkMember.objects.get(network=network, organisation=mine).named_in_benchmarks
    assert not NetworkMember.objects.get(network=network, organisation=other).named_in_benchmarks
    client.post("/analyse/benchmark/navngivning/", {"network": network.pk})
    assert not NetworkMember.objects.get(network=network, organisation=mine).named_in_benchmarks
    foreign = network_ensure(name="Andet netværk", coordinator=coordinator, members=[other])
    assert (
        client.post("/analyse/benchmark/navngivning/", {"network": foreign.pk, "named": "on"}).status_code
        == 404
    )
