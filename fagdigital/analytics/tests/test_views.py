"""The gap dashboard pages: who may see what, cells without a figure, coverage, rounds, filters, HTMX and
queries."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from fagdigital.accounts.models import User
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.helpers import (
    NURSE,
    ROLE,
    add_people,
    answer,
    answer_team,
    answered_round,
    cell_figures,
    close,
    count_queries,
    coverage_html,
    grow,
    query,
    row_html,
)
from fagdigital.assessments.models import Campaign
from fagdigital.frameworks.models import Competence, Criticality, RoleProfile
from fagdigital.frameworks.services import framework_new_version, framework_publish, role_target_set
from fagdigital.orgs.models import Person
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import OrganisationFactory, OrgUnitFactory, UnitLeaderFactory

pytestmark = pytest.mark.django_db

GROUPED_TEXT = (
    "Færre end 5 med samme rolleprofil her, så de indgår ikke i tallet her, men i en større gruppe højere "
    "oppe, hvor der er nok."
)
NO_FIGURES = "Der er ingen tal for det, du har valgt. Tallene kommer, når en måling er lukket."


@pytest.fixture
def admin_client(team: Team, client_for: Callable[[User], Client]) -> Client:
    return client_for(team.admin)


@pytest.fixture
def closed_round(team: Team, make_campaign: Callable[..., Campaign]) -> Campaign:
    """Nord's six answered at level 4 (a block of seven), Syd's one at level 1 (in no figure); closed."""
    return answered_round(team, make_campaign)


# --- Access -----------------------------------------------------------------------------------------


def test_an_employee_may_not_see_the_dashboard(team: Team, client_for: Callable[[User], Client]) -> None:
    client = client_for(team.users[0])
    assert client.get(reverse("analytics:dashboard")).status_code == 403
    assert client.get(reverse("analytics:dashboard_unit", args=[team.unit.pk])).status_code == 403


def test_a_leader_of_one_unit_sees_that_unit(team: Team, client_for: Callable[[User], Client]) -> None:
    response = client_for(team.leader).get(reverse("analytics:dashboard"))
    assert response.status_code == 200
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)
    assert h1 and "Hjemmeplejen Nord" in h1.group(1)
    assert response.context["unit"] == team.unit


def test_a_leader_may_not_open_a_unit_they_do_not_lead(
    team: Team, client_for: Callable[[User], Client]
) -> None:
    client = client_for(team.leader)
    assert client.get(reverse("analytics:dashboard_unit", args=[team.other_unit.pk])).status_code == 404
    # Nor the unit above their own: its figures cover people they do not lead.
    assert client.get(reverse("analytics:dashboard_unit", args=[team.root.pk])).status_code == 404
    assert client.get(reverse("analytics:dashboard_unit", args=[team.unit.pk])).status_code == 200


def test_a_leader_of_several_units_sees_each_units_own_figures_as_rows(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    leader_person = Person.objects.get(user=team.leader, organisation=team.organisation)
    UnitLeaderFactory(unit=team.other_unit, person=leader_person)
    campaign = answered_round(team, make_campaign)
    response = client_for(team.leader).get(reverse("analytics:dashboard"), query(campaign))
    assert response.status_code == 200
    heatmap = response.context["heatmap"]
    assert [row.label for row in heatmap.rows] == ["Hjemmeplejen Nord", "Hjemmeplejen Syd"]
    assert not any(row.is_total for row in heatmap.rows)
    html = response.content.decode()
    nord = row_html(html, "Hjemmeplejen Nord")
    assert "100&nbsp;%" in nord and "af 6" in nord
    assert coverage_html(nord) == "7 af 7 deltagere"
    # Syd's one person is counted in no figure: its row has no number but its coverage.
    syd = row_html(html, "Hjemmeplejen Syd")
    assert not cell_figures(syd)
    assert coverage_html(syd) == "0 af 1 deltagere"
    # The rows lead to each unit's own page.
    assert reverse("analytics:dashboard_unit", args=[team.other_unit.pk]) in html


def test_a_unit_of_another_organisation_is_not_found(team: Team, admin_client: Client) -> None:
    other: Organisation = OrganisationFactory()
    foreign = OrgUnitFactory(organisation=other, name="Fremmed enhed")
    assert admin_client.get(reverse("analytics:dashboard_unit", args=[foreign.pk])).status_code == 404


# --- What the heatmap shows -------------------------------------------------------------------------


def test_cells_without_a_figure_show_no_numbers_and_say_why(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(closed_round))
    assert response.status_code == 200
    html = response.content.decode()
    syd = row_html(html, "Hjemmeplejen Syd")
    assert not cell_figures(syd)
    assert "heat-hidden" in syd
    assert GROUPED_TEXT in syd
    assert coverage_html(syd) == "0 af 1 deltagere"
    # Nord's block is shown in Nord's row and is all of Kommunen's figure: nothing to subtract.
    nord = row_html(html, "Hjemmeplejen Nord")
    total = row_html(html, "Kommunen")
    for row in (nord, total):
        assert "100&nbsp;%" in row
        assert "af 6" in row
        assert "heat-high" in row
    assert coverage_html(nord) == "7 af 7 deltagere"
    assert coverage_html(total) == "7 af 8 deltagere"
    # The legend explains each kind of missing figure and the rule.
    assert "Alle tal er summer over grupper på mindst 5 personer med samme rolleprofil" in html
    assert "Færre end 5 svar med et niveau fra denne kilde." in html


def test_a_unit_whose_small_role_group_is_passed_up_says_whom_its_figures_cover(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    """Three nurses in Nord and three in Syd are too few in either unit: Nord shows its SOSU assistants'
    figure for seven of its ten, and Kommunen has a row for the six nurses across its units."""
    nurses = add_people(team, team.unit, 3, NURSE) + add_people(team, team.other_unit, 3, NURSE)
    campaign = make_campaign()
    answer_team(team, campaign)
    for person in nurses:
        answer(campaign, person, 1, role_code=NURSE)
    close(campaign)
    html = admin_client.get(
        reverse("analytics:dashboard_unit", args=[team.root.pk]), query(campaign)
    ).content.decode()
    nord = row_html(html, "Hjemmeplejen Nord")
    assert coverage_html(nord) == "7 af 10 deltagere"
    assert "100&nbsp;%" in nord and "af 6" in nord
    across = row_html(html, "Samlet på tværs af underenhederne")
    assert coverage_html(across) == "6 af 6 deltagere"
    assert "0&nbsp;%" in across and "af 6" in across  # the nurses answered level 1
    assert coverage_html(row_html(html, "Hjemmeplejen Syd")) == "0 af 4 deltagere"
    total = row_html(html, "Kommunen")
    assert coverage_html(total) == "13 af 14 deltagere"
    assert "50&nbsp;%" in total and "af 12" in total
    # On Nord's own page the same figure, with the same coverage.
    own = admin_client.get(reverse("analytics:dashboard_unit", args=[team.unit.pk]), query(campaign))
    assert coverage_html(row_html(own.content.decode(), "Hjemmeplejen Nord")) == "7 af 10 deltagere"


def test_the_page_has_every_section_with_a_table(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(closed_round))
    html = response.content.decode()
    for heading in ("heatmap-heading", "gaps-heading", "distribution-heading", "trend-heading"):
        assert f'id="{heading}"' in html
    assert 'id="calibration-heading"' in html
    # Level 4 everywhere: nobody is below a target, so there are no gaps to list.
    assert response.context["gaps"] == []
    # The distribution has a table alternative of the bars, whose widths add up to 100.
    rows = [row for row in response.context["distribution_rows"] if row.segments]
    assert rows
    assert all(sum(segment.width for segment in row.segments) == 100 for row in rows)
    assert all(row.distribution.people == 6 for row in rows)
    assert 'style="' not in html


def test_exports_are_linked_with_the_same_filters(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(closed_round))
    html = response.content.decode()
    csv_url = reverse("analytics:export_heatmap_unit", kwargs={"unit_id": team.root.pk, "file_format": "csv"})
    assert f'href="{csv_url}?campaign={closed_round.pk}&amp;source=self"' in html
    assert reverse("analytics:report_pdf_unit", args=[team.root.pk]) in html


def test_the_breadcrumbs_stay_within_the_leaders_units(
    team: Team, client_for: Callable[[User], Client]
) -> None:
    child = OrgUnitFactory(parent=team.unit, name="Team Nord 1")
    response = client_for(team.leader).get(reverse("analytics:dashboard_unit", args=[child.pk]))
    assert response.status_code == 200
    crumbs = re.search(r'<nav id="dashboard-breadcrumbs".*?</nav>', response.content.decode(), flags=re.S)
    assert crumbs
    assert "Kommunen" not in crumbs.group(0)
    assert "Team Nord 1" in crumbs.group(0)


def test_before_any_round_closes_the_page_says_so(team: Team, admin_client: Client) -> None:
    html = admin_client.get(reverse("analytics:dashboard")).content.decode()
    assert NO_FIGURES in html
    assert "Ingen måling er lukket endnu. Resultaterne vises, når den første måling er lukket." in html


def test_an_open_round_shows_no_figures_until_it_closes(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    url = reverse("analytics:dashboard_unit", args=[team.root.pk])
    asked = admin_client.get(url, query(campaign))
    # The round cannot be chosen while it is open: the form says so and shows the current level,
    # which has no closed round yet.
    assert asked.context["form"].errors["campaign"]
    assert asked.context["filters"].campaign is None
    assert NO_FIGURES in asked.content.decode()
    assert not asked.context["has_figures"]
    current = admin_client.get(url, query(None))
    assert NO_FIGURES in current.content.decode()

    close(campaign)
    for response in (admin_client.get(url, query(campaign)), admin_client.get(url, query(None))):
        html = response.content.decode()
        assert NO_FIGURES not in html
        assert "100&nbsp;%" in row_html(html, "Hjemmeplejen Nord")
    current = admin_client.get(url, query(None)).content.decode()
    assert "Nuværende niveau: resultaterne fra Måling 2026" in current


def test_the_current_level_says_which_round_and_version_it_reads(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    draft = framework_new_version(framework=team.framework)
    role_target_set(
        role_profile=RoleProfile.objects.get(framework=draft, code=ROLE),
        competence=Competence.objects.get(framework=draft, code="DS1"),
        level=4,
        criticality=Criticality.CRITICAL,
    )
    framework_publish(framework=draft)
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(None))
    html = " ".join(response.content.decode().split())
    assert "Nuværende niveau: resultaterne fra Måling 2026 (lukket " in html
    assert "målt på version 1 og vist mod målene i version 2 af kompetencerammen." in html
    assert "100&nbsp;%" in row_html(html, "Hjemmeplejen Nord")  # level 4 meets the new target too


# --- Filters ----------------------------------------------------------------------------------------


def test_the_area_filter_shows_only_that_areas_competences(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    url = reverse("analytics:dashboard_unit", args=[team.unit.pk])
    heatmap = admin_client.get(url, query(closed_round, area="DS")).context["heatmap"]
    assert [column.area.code for column in heatmap.areas] == ["DS"]
    assert {c.code[:2] for c in heatmap.competences} == {"DS"}
    everything = admin_client.get(url, query(closed_round))
    assert len(everything.context["heatmap"].areas) > 1


def test_the_source_filter_changes_the_figures(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    url = reverse("analytics:dashboard_unit", args=[team.root.pk])
    assert "100&nbsp;%" in row_html(admin_client.get(url, query(closed_round)).content.decode(), "Kommunen")
    # Nobody was rated by a leader: the targeted cells say too few answers from that source.
    response = admin_client.get(url, query(closed_round, source="leader"))
    html = response.content.decode()
    total = row_html(html, "Kommunen")
    assert not cell_figures(total)
    assert "Færre end 5 svar med et niveau fra denne kilde." in total
    assert coverage_html(total) == "7 af 8 deltagere"


def test_role_profiles_as_rows(team: Team, closed_round: Campaign, admin_client: Client) -> None:
    response = admin_client.get(
        reverse("analytics:dashboard_unit", args=[team.root.pk]), query(closed_round, rows="roles")
    )
    rows = response.context["heatmap"].rows
    assert [row.label for row in rows] == ["Kommunen", "Social- og sundhedsassistent"]
    assert rows[0].is_total
    assert rows[1].unit is None
    html = response.content.decode()
    assert "heat-unit-link" not in html
    assert coverage_html(row_html(html, "Social- og sundhedsassistent")) == "7 af 8 deltagere"


def test_a_role_filter_shows_only_that_role_profiles_blocks(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    response = admin_client.get(
        reverse("analytics:dashboard_unit", args=[team.other_unit.pk]), query(closed_round, role_profile=ROLE)
    )
    assert response.status_code == 200
    html = response.content.decode()
    syd = row_html(html, "Hjemmeplejen Syd")
    assert not cell_figures(syd)
    assert GROUPED_TEXT in syd
    assert coverage_html(syd) == "0 af 1 deltagere"
    assert all(item.hidden for item in response.context["distribution_rows"] for item in [item.distribution])
    assert not response.context["gaps"]


def test_an_unknown_campaign_is_reported_and_the_current_level_shown(
    team: Team, admin_client: Client
) -> None:
    response = admin_client.get(reverse("analytics:dashboard"), {"campaign": "999999"})
    assert response.status_code == 200
    assert response.context["filters"].campaign is None
    assert "form-error-message" in response.content.decode()


# --- HTMX -------------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_region(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    url = reverse("analytics:dashboard_unit", args=[team.unit.pk])
    response = admin_client.get(
        url, query(closed_round), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dashboard-region"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="app-nav"' not in html
    assert 'id="dashboard-region"' not in html  # its content only
    assert "<h1" in html and 'class="table heatmap"' in html
    assert "100&nbsp;%" in row_html(html, "Hjemmeplejen Nord")
    # The breadcrumbs and the status message are updated out of band; a drill-down focuses the heading.
    assert 'id="dashboard-breadcrumbs"' in html and 'hx-swap-oob="true"' in html
    assert 'id="dashboard-status" hx-swap-oob="innerHTML"' in html
    assert "autofocus" in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_filter_change_keeps_the_focus_on_the_form(team: Team, admin_client: Client) -> None:
    response = admin_client.get(
        reverse("analytics:dashboard"), HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="dashboard-filters"
    )
    assert "autofocus" not in response.content.decode()


def test_unit_rows_drill_down_with_htmx_and_without(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    html = admin_client.get(reverse("analytics:dashboard"), query(closed_round)).content.decode()
    url = (
        reverse("analytics:dashboard_unit", args=[team.root.pk])
        + f"?campaign={closed_round.pk}&amp;source=self"
    )
    link = re.search(r'<a href="' + re.escape(url) + r'"[^>]*>', html)
    assert link, "the unit row links to the unit with the same filters"
    assert f'hx-get="{url}"' in link.group(0)
    assert 'hx-push-url="true"' in link.group(0)


# --- Queries ----------------------------------------------------------------------------------------


def test_the_dashboard_query_count_does_not_grow_with_units_or_people(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    """A round over the small tree, then four more units with teams and a round over all of them: each
    page reads the same number of queries for either round (trend and filters list both rounds)."""
    small = answered_round(team, make_campaign, name="Lille")
    for child in grow(team, units=4, people=5):
        assert child.parent is not None
    big = make_campaign(name="Stor")
    answer_team(team, big)
    for person in Person.objects.filter(
        organisation=team.organisation, engagements__unit__name__startswith="Team"
    ):
        answer(big, person, 2)
    close(big)
    start = reverse("analytics:dashboard")
    unit = reverse("analytics:dashboard_unit", args=[team.root.pk])
    counts = {
        (page, campaign.name): count_queries(admin_client, page, query(campaign))
        for page in (start, unit)
        for campaign in (small, big)
    }
    assert counts == {(start, "Lille"): 51, (start, "Stor"): 51, (unit, "Lille"): 52, (unit, "Stor"): 52}
    heatmap = admin_client.get(unit, query(big)).context["heatmap"]
    assert len(heatmap.rows) == 7  # Kommunen, Nord, Syd and four more units, each with a figure of five
    assert [row.coverage.covered for row in heatmap.rows] == [27, 7, 0, 5, 5, 5, 5]


def test_a_unit_without_child_units_shows_its_total_only(
    team: Team, closed_round: Campaign, admin_client: Client
) -> None:
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.unit.pk]), query(closed_round))
    rows = response.context["heatmap"].rows
    assert [row.is_total for row in rows] == [True]
    # With a child unit, the people placed directly in the unit get their own row again.
    OrgUnitFactory(parent=team.unit, name="Team Nord 1")
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.unit.pk]), query(closed_round))
    labels = [row.label for row in response.context["heatmap"].rows]
    assert labels == ["Hjemmeplejen Nord", "Team Nord 1", "Placeret direkte i Hjemmeplejen Nord"]


def test_the_trend_has_a_column_per_closed_round(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    first = make_campaign(name="Forår")
    for person in team.members:
        answer(first, person, 1)
    close(first)
    second = answered_round(team, make_campaign, name="Efterår")
    make_campaign(name="Igangværende")  # open: not in the trend
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(second))
    assert [c.pk for c in response.context["trend_campaigns"]] == [first.pk, second.pk]
    html = response.content.decode()
    trend = re.search(r'<table class="table table--zebra trend-table">.*?</table>', html, flags=re.S)
    assert trend
    assert "Igangværende" not in trend.group(0)
    ds1 = re.search(r"DS1</span>.*?</tr>", trend.group(0), flags=re.S)
    assert ds1
    assert re.findall(r"(\d+)&nbsp;%", ds1.group(0)) == ["0", "100"]
