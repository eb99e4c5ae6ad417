"""The gap dashboard pages: who may see what, hidden cells without numbers, filters, HTMX and queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fagdigital.accounts.models import User
from fagdigital.analytics.tests.conftest import Team
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, Instrument
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UnitLeaderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLE = "sosu-assistent"


def answer(campaign: Campaign, person: Person, level: int) -> None:
    """Submit a self-assessment for the person (a login is made if they have none)."""
    if person.user_id is None:
        person.user = UserFactory()
        person.save(update_fields=["user"])
    assert person.user is not None
    competences = assessment_selectors.questionnaire_competences(campaign=campaign, role_profile_code=ROLE)
    response = assessment_services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=person.user, subject=person
    )
    assessment_services.answers_save(response=response, levels={c.pk: level for c in competences})
    assessment_services.response_submit(response=response)


def answer_team(team: Team, campaign: Campaign) -> None:
    """Nord's six answer at the top level and Syd's one person at the lowest: Syd is a group of one,
    so Nord (total minus Syd) is hidden with it."""
    for person in team.members:
        answer(campaign, person, 4)
    answer(campaign, team.outsider, 1)


def query(campaign: Campaign, **extra: str) -> dict[str, str]:
    return {"campaign": str(campaign.pk), "source": "self", **extra}


def row_html(html: str, label: str) -> str:
    """The <tr> of the heatmap whose row header names `label`."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        header = re.search(r"<th scope=\"row\"[^>]*>(.*?)</th>", row, flags=re.S)
        if header and label in header.group(1):
            return str(row)
    raise AssertionError(f"no heatmap row for {label}")


def cell_figures(row: str) -> list[str]:
    """Every number in a row's data cells (tags stripped), apart from k in "færre end k personer"."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", cell) for cell in cells)
    text = re.sub(r"færre end [0-9]+ personer", "", text)
    return re.findall(r"[0-9]+", text)


@pytest.fixture
def admin_client(team: Team, client_for: Callable[[User], Client]) -> Client:
    return client_for(team.admin)


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


def test_a_leader_of_several_units_sees_them_as_rows(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    leader_person = Person.objects.get(user=team.leader, organisation=team.organisation)
    UnitLeaderFactory(unit=team.other_unit, person=leader_person)
    campaign = make_campaign()
    answer_team(team, campaign)
    response = client_for(team.leader).get(reverse("analytics:dashboard"), query(campaign))
    assert response.status_code == 200
    heatmap = response.context["heatmap"]
    assert [row.label for row in heatmap.rows] == ["Hjemmeplejen Nord", "Hjemmeplejen Syd"]
    assert not any(row.is_total for row in heatmap.rows)
    html = response.content.decode()
    # Both are decided as in the unit above them: Syd is one person, so Nord is hidden too.
    assert not cell_figures(row_html(html, "Hjemmeplejen Syd"))
    assert not cell_figures(row_html(html, "Hjemmeplejen Nord"))
    # The rows lead to each unit's own page.
    assert reverse("analytics:dashboard_unit", args=[team.other_unit.pk]) in html


def test_a_unit_of_another_organisation_is_not_found(
    team: Team, admin_client: Client, make_member: Callable[..., User]
) -> None:
    other: Organisation = OrganisationFactory()
    foreign = OrgUnitFactory(organisation=other, name="Fremmed enhed")
    assert admin_client.get(reverse("analytics:dashboard_unit", args=[foreign.pk])).status_code == 404


# --- What the heatmap shows -------------------------------------------------------------------------


def test_hidden_cells_show_no_numbers_and_say_why(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    syd = row_html(html, "Hjemmeplejen Syd")
    nord = row_html(html, "Hjemmeplejen Nord")
    assert not cell_figures(syd)
    assert not cell_figures(nord)
    assert "heat-hidden" in syd and "heat-hidden" in nord
    assert "Skjult: færre end 5 personer" in syd
    assert "Skjult, så andre skjulte tal ikke kan regnes ud" in nord
    # The unit's total (seven people, six at their target) is shown as number and colour.
    total = row_html(html, "Kommunen")
    assert "86&nbsp;%" in total
    assert "af 7" in total
    assert "heat-high" in total


def test_the_page_has_every_section_with_a_table(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(campaign))
    html = response.content.decode()
    for heading in ("heatmap-heading", "gaps-heading", "distribution-heading", "trend-heading"):
        assert f'id="{heading}"' in html
    assert 'id="calibration-heading"' in html
    assert response.context["gaps"], "the unit's total is shown, so its gaps are listed"
    # The distribution has a table alternative of the bars, whose widths add up to 100.
    rows = [row for row in response.context["distribution_rows"] if row.segments]
    assert rows
    assert all(sum(segment.width for segment in row.segments) == 100 for row in rows)
    assert 'style="' not in html


def test_exports_are_linked_with_the_same_filters(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(campaign))
    html = response.content.decode()
    csv_url = reverse("analytics:export_heatmap_unit", kwargs={"unit_id": team.root.pk, "file_format": "csv"})
    assert f'href="{csv_url}?campaign={campaign.pk}&amp;source=self"' in html
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


def test_nothing_answered_says_so(team: Team, admin_client: Client) -> None:
    response = admin_client.get(reverse("analytics:dashboard"))
    assert response.status_code == 200
    assert "Der er ingen svar endnu" in response.content.decode()


# --- Filters ----------------------------------------------------------------------------------------


def test_the_area_filter_shows_only_that_areas_competences(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = admin_client.get(
        reverse("analytics:dashboard_unit", args=[team.unit.pk]), query(campaign, area="DS")
    )
    heatmap = response.context["heatmap"]
    assert [column.area.code for column in heatmap.areas] == ["DS"]
    everything = admin_client.get(reverse("analytics:dashboard_unit", args=[team.unit.pk]), query(campaign))
    assert len(everything.context["heatmap"].areas) > 1


def test_the_source_filter_changes_the_figures(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    url = reverse("analytics:dashboard_unit", args=[team.root.pk])
    assert admin_client.get(url, query(campaign)).context["has_figures"]
    # Nobody has been rated by a leader yet.
    response = admin_client.get(url, query(campaign, source="leader"))
    assert not response.context["has_figures"]
    assert "Der er ingen svar endnu" in response.content.decode()


def test_role_profiles_as_rows(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = admin_client.get(
        reverse("analytics:dashboard_unit", args=[team.root.pk]), query(campaign, rows="roles")
    )
    rows = response.context["heatmap"].rows
    assert rows[0].is_total
    assert all(row.unit is None for row in rows[1:])
    assert len(rows) >= 2
    assert "heat-unit-link" not in response.content.decode()


def test_a_filter_isolating_fewer_than_k_people_is_refused(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = admin_client.get(
        reverse("analytics:dashboard_unit", args=[team.other_unit.pk]), query(campaign, role_profile=ROLE)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filteret giver færre end 5 personer" in html
    assert 'class="table heatmap"' not in html
    assert not response.context["gaps"]
    assert not response.context["distribution_rows"]


def test_an_unknown_campaign_is_reported_and_the_current_level_shown(
    team: Team, admin_client: Client
) -> None:
    response = admin_client.get(reverse("analytics:dashboard"), {"campaign": "999999"})
    assert response.status_code == 200
    assert response.context["filters"].campaign is None
    assert "form-error-message" in response.content.decode()


# --- HTMX -------------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_region(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    url = reverse("analytics:dashboard_unit", args=[team.unit.pk])
    response = admin_client.get(
        url, query(campaign), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dashboard-region"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="app-nav"' not in html
    assert 'id="dashboard-region"' not in html  # its content only
    assert "<h1" in html and 'class="table heatmap"' in html
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
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    html = admin_client.get(reverse("analytics:dashboard"), query(campaign)).content.decode()
    url = (
        reverse("analytics:dashboard_unit", args=[team.root.pk]) + f"?campaign={campaign.pk}&amp;source=self"
    )
    link = re.search(r'<a href="' + re.escape(url) + r'"[^>]*>', html)
    assert link, "the unit row links to the unit with the same filters"
    assert f'hx-get="{url}"' in link.group(0)
    assert 'hx-push-url="true"' in link.group(0)


# --- Queries ----------------------------------------------------------------------------------------


def grow(team: Team, campaign: Campaign, units: int, people: int) -> None:
    """More units below the root, each with people who answer."""
    job = team.members[0].engagements.get().job_function
    for index in range(units):
        unit: OrgUnit = OrgUnitFactory(parent=team.root, name=f"Enhed {index}")
        child = OrgUnitFactory(parent=unit, name=f"Team {index}")
        for _person in range(people):
            person = PersonFactory(organisation=team.organisation)
            EngagementFactory(person=person, unit=child, job_function=job)
            answer(campaign, person, 2)


def count_queries(client: Client, url: str, data: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_query_count_does_not_grow_with_units_or_people(
    team: Team,
    make_campaign: Callable[..., Campaign],
    admin_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    data = query(campaign)
    start = reverse("analytics:dashboard")
    unit = reverse("analytics:dashboard_unit", args=[team.root.pk])
    small = (count_queries(admin_client, start, data), count_queries(admin_client, unit, data))
    grow(team, campaign, units=4, people=5)
    with django_assert_max_num_queries(small[0]):
        admin_client.get(start, data)
    with django_assert_max_num_queries(small[1]):
        admin_client.get(unit, data)
    with django_assert_max_num_queries(60):
        admin_client.get(unit, data)


def test_a_unit_without_child_units_shows_its_total_only(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.unit.pk]), query(campaign))
    rows = response.context["heatmap"].rows
    assert [row.is_total for row in rows] == [True]
    # With a child unit, the people placed directly in the unit get their own row again.
    OrgUnitFactory(parent=team.unit, name="Team Nord 1")
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.unit.pk]), query(campaign))
    labels = [row.label for row in response.context["heatmap"].rows]
    assert "Placeret direkte i Hjemmeplejen Nord" in labels


def test_the_trend_has_a_column_per_closed_campaign(
    team: Team, make_campaign: Callable[..., Campaign], admin_client: Client
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    assessment_services.campaign_close(campaign=campaign)
    response = admin_client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(campaign))
    assert [c.pk for c in response.context["trend_campaigns"]] == [campaign.pk]
    html = response.content.decode()
    trend = re.search(r'<table class="table table--zebra trend-table">.*?</table>', html, flags=re.S)
    assert trend
    assert "Måling 2026" in trend.group(0)
    assert "86&nbsp;%" in trend.group(0)
