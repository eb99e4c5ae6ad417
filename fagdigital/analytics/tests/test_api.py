"""The heatmap as JSON: the same figures and rules as the page, never cached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fagdigital.accounts.models import User
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.test_views import ROLE, answer_team, count_queries, grow, query
from fagdigital.assessments.models import Campaign
from fagdigital.testing.factories import OrganisationFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


def rows_by_label(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["label"]: row for row in data["rows"]}


def test_an_employee_may_not_read_the_api(team: Team, client_for: Callable[[User], Client]) -> None:
    client = client_for(team.users[0])
    assert client.get(reverse("analytics:api_heatmap")).status_code == 403
    assert client.get(reverse("analytics:api_heatmap_unit", args=[team.unit.pk])).status_code == 403


def test_a_leader_reads_only_their_own_units(team: Team, client_for: Callable[[User], Client]) -> None:
    client = client_for(team.leader)
    assert client.get(reverse("analytics:api_heatmap_unit", args=[team.other_unit.pk])).status_code == 404
    assert client.get(reverse("analytics:api_heatmap_unit", args=[team.root.pk])).status_code == 404
    response = client.get(reverse("analytics:api_heatmap"))
    assert response.status_code == 200
    assert response.json()["unit"] == {"id": team.unit.pk, "name": "Hjemmeplejen Nord"}


def test_another_organisations_unit_is_not_found(team: Team, client_for: Callable[[User], Client]) -> None:
    foreign = OrgUnitFactory(organisation=OrganisationFactory())
    response = client_for(team.admin).get(reverse("analytics:api_heatmap_unit", args=[foreign.pk]))
    assert response.status_code == 404


def test_hidden_cells_carry_no_numbers(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = client_for(team.admin).get(
        reverse("analytics:api_heatmap_unit", args=[team.root.pk]), query(campaign)
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["k"] == 5
    assert data["refused"] is None
    assert data["filters"] == {
        "campaign": campaign.pk,
        "source": "self",
        "area": None,
        "role_profile": None,
        "rows": "units",
    }
    rows = rows_by_label(data)
    answered = [cell for cell in rows["Kommunen"]["cells"] if cell["people"]]
    assert answered
    code = answered[0]["competence"]
    assert rows["Kommunen"]["total"] is True
    assert answered[0] == {
        "competence": code,
        "people": 7,
        "at_target": 6,
        "share": 86,
        "hidden": False,
        "reason": None,
        "reason_text": None,
    }
    for label, reason in (("Hjemmeplejen Syd", "small"), ("Hjemmeplejen Nord", "complement")):
        cell = next(c for c in rows[label]["cells"] if c["competence"] == code)
        assert cell["hidden"] is True
        assert cell["reason"] == reason
        assert (cell["people"], cell["at_target"], cell["share"]) == (None, None, None)
        assert rows[label]["unit_id"] is not None
    assert [c["code"] for c in data["competences"]] == [c["competence"] for c in rows["Kommunen"]["cells"]]


def test_the_api_and_the_page_show_the_same_heatmap(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    client = client_for(team.admin)
    data = client.get(reverse("analytics:api_heatmap_unit", args=[team.root.pk]), query(campaign)).json()
    page = client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), query(campaign))
    shown = [
        [(cell.competence.code, cell.people, cell.at_target, cell.hidden) for cell in row.cells]
        for row in page.context["heatmap"].rows
    ]
    returned = [
        [(cell["competence"], cell["people"], cell["at_target"], cell["hidden"]) for cell in row["cells"]]
        for row in data["rows"]
    ]
    assert returned == shown


def test_a_refused_filter_returns_no_rows(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    response = client_for(team.admin).get(
        reverse("analytics:api_heatmap_unit", args=[team.other_unit.pk]),
        query(campaign, role_profile=ROLE),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["refused"]
    assert data["rows"] == []


def test_filters_come_from_the_query_string(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    data = (
        client_for(team.admin)
        .get(reverse("analytics:api_heatmap"), query(campaign, area="DS", rows="roles"))
        .json()
    )
    assert {c["area"] for c in data["competences"]} == {"DS"}
    assert data["filters"]["rows"] == "roles"
    assert all(row["unit_id"] is None for row in data["rows"])


def test_an_invalid_filter_is_a_bad_request(team: Team, client_for: Callable[[User], Client]) -> None:
    response = client_for(team.admin).get(reverse("analytics:api_heatmap"), {"source": "gæt"})
    assert response.status_code == 400
    assert "source" in response.json()["errors"]
    assert response["Cache-Control"] == "no-store"


def test_the_api_query_count_does_not_grow_with_units_or_people(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    client = client_for(team.admin)
    data = query(campaign)
    url = reverse("analytics:api_heatmap_unit", args=[team.root.pk])
    before = count_queries(client, url, data)
    grow(team, campaign, units=4, people=5)
    with django_assert_max_num_queries(before):
        client.get(url, data)
    with django_assert_max_num_queries(20):
        client.get(url, data)
