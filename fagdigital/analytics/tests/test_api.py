"""The heatmap as JSON: the same figures and rules as the page, never cached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fagdigital.accounts.models import User
from fagdigital.analytics.tests.conftest import Team
from fagdigital.analytics.tests.helpers import (
    ROLE,
    answer,
    answer_team,
    answered_round,
    close,
    count_queries,
    grow,
    query,
)
from fagdigital.assessments.models import Campaign
from fagdigital.orgs.models import Person
from fagdigital.testing.factories import OrganisationFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db

GROUPED_TEXT = (
    "Færre end 5 med samme rolleprofil her, så de indgår ikke i tallet her, men i en større gruppe højere "
    "oppe, hvor der er nok."
)


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


def test_cells_without_a_figure_carry_no_numbers_and_rows_say_whom_they_cover(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = answered_round(team, make_campaign)
    response = client_for(team.admin).get(
        reverse("analytics:api_heatmap_unit", args=[team.root.pk]), query(campaign)
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["k"] == 5
    assert "refused" not in data
    assert data["filters"] == {
        "campaign": campaign.pk,
        "source": "self",
        "area": None,
        "role_profile": None,
        "rows": "units",
    }
    assert data["basis"] == {"campaign": campaign.pk, "framework_version": 1, "current": False}
    rows = rows_by_label(data)
    assert list(rows) == ["Kommunen", "Hjemmeplejen Nord", "Hjemmeplejen Syd"]
    assert [(r["total"], r["participants"], r["participants_in_figures"]) for r in data["rows"]] == [
        (True, 8, 7),
        (False, 7, 7),
        (False, 1, 0),
    ]
    code = "DS1"
    for label in ("Kommunen", "Hjemmeplejen Nord"):
        cell = next(c for c in rows[label]["cells"] if c["competence"] == code)
        assert cell == {
            "competence": code,
            "people": 6,
            "at_target": 6,
            "share": 100,
            "missing": None,
            "missing_text": None,
        }
    syd = next(c for c in rows["Hjemmeplejen Syd"]["cells"] if c["competence"] == code)
    assert syd == {
        "competence": code,
        "people": None,
        "at_target": None,
        "share": None,
        "missing": "grouped",
        "missing_text": GROUPED_TEXT,
    }
    assert rows["Hjemmeplejen Syd"]["unit_id"] == team.other_unit.pk
    nobody = next(c for c in rows["Kommunen"]["cells"] if c["competence"] == "DL1")
    assert (nobody["people"], nobody["missing"]) == (None, "nobody")
    assert [c["code"] for c in data["competences"]] == [c["competence"] for c in rows["Kommunen"]["cells"]]


def test_the_api_and_the_page_show_the_same_heatmap(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = answered_round(team, make_campaign)
    client = client_for(team.admin)
    for params in (query(campaign), query(None), query(campaign, rows="roles", source="estimate")):
        data = client.get(reverse("analytics:api_heatmap_unit", args=[team.root.pk]), params).json()
        page = client.get(reverse("analytics:dashboard_unit", args=[team.root.pk]), params)
        shown = [
            (
                row.label,
                row.coverage.covered,
                row.coverage.participants,
                *(
                    (cell.competence.code, cell.people, cell.at_target, cell.missing or None)
                    for cell in row.cells
                ),
            )
            for row in page.context["heatmap"].rows
        ]
        returned = [
            (
                row["label"],
                row["participants_in_figures"],
                row["participants"],
                *(
                    (cell["competence"], cell["people"], cell["at_target"], cell["missing"])
                    for cell in row["cells"]
                ),
            )
            for row in data["rows"]
        ]
        assert returned == shown
        assert any(cell["people"] for row in data["rows"] for cell in row["cells"])


def test_an_open_round_cannot_be_asked_for_and_the_current_level_has_nothing_until_it_closes(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    answer_team(team, campaign)
    client = client_for(team.admin)
    url = reverse("analytics:api_heatmap_unit", args=[team.root.pk])
    refused = client.get(url, query(campaign))
    assert refused.status_code == 400
    assert "campaign" in refused.json()["errors"]
    current = client.get(url, query(None)).json()
    assert current["basis"]["campaign"] is None
    assert current["rows"] == []

    close(campaign)
    current = client.get(url, query(None)).json()
    assert current["basis"] == {"campaign": campaign.pk, "framework_version": 1, "current": True}
    assert any(cell["people"] == 6 for cell in rows_by_label(current)["Hjemmeplejen Nord"]["cells"])
    assert client.get(url, query(campaign)).status_code == 200


def test_a_role_filter_returns_only_that_role_profiles_blocks(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = answered_round(team, make_campaign)
    client = client_for(team.admin)
    data = client.get(
        reverse("analytics:api_heatmap_unit", args=[team.other_unit.pk]), query(campaign, role_profile=ROLE)
    ).json()
    assert data["filters"]["role_profile"] == ROLE
    assert all(cell["people"] is None for row in data["rows"] for cell in row["cells"])
    assert {cell["missing"] for row in data["rows"] for cell in row["cells"]} == {"grouped", "nobody"}
    other = client.get(
        reverse("analytics:api_heatmap_unit", args=[team.root.pk]), query(campaign, role_profile="laerer")
    ).json()
    assert {cell["missing"] for row in other["rows"] for cell in row["cells"]} == {"nobody"}


def test_filters_come_from_the_query_string(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = answered_round(team, make_campaign)
    data = (
        client_for(team.admin)
        .get(reverse("analytics:api_heatmap"), query(campaign, area="DS", rows="roles"))
        .json()
    )
    assert {c["area"] for c in data["competences"]} == {"DS"}
    assert data["filters"]["rows"] == "roles"
    assert [row["label"] for row in data["rows"]] == [team.organisation.name, "Social- og sundhedsassistent"]
    assert all(row["unit_id"] is None for row in data["rows"])


def test_an_invalid_filter_is_a_bad_request(team: Team, client_for: Callable[[User], Client]) -> None:
    response = client_for(team.admin).get(reverse("analytics:api_heatmap"), {"source": "gæt"})
    assert response.status_code == 400
    assert "source" in response.json()["errors"]
    assert response["Cache-Control"] == "no-store"


def test_the_api_query_count_does_not_grow_with_units_or_people(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    small = answered_round(team, make_campaign, name="Lille")
    grow(team, units=4, people=5)
    big = make_campaign(name="Stor")
    answer_team(team, big)
    for person in Person.objects.filter(
        organisation=team.organisation, engagements__unit__name__startswith="Team"
    ):
        answer(big, person, 2)
    close(big)
    client = client_for(team.admin)
    url = reverse("analytics:api_heatmap_unit", args=[team.root.pk])
    assert count_queries(client, url, query(small)) == count_queries(client, url, query(big)) == 20
    assert len(client.get(url, query(big)).json()["rows"]) == 7
