from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fagdigital.accounts.models import User
from fagdigital.orgs.models import OrgUnit
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import EngagementFactory, OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(organisation: Organisation) -> dict[str, OrgUnit]:
    top = OrgUnitFactory(organisation=organisation, name="Social og Sundhed")
    care = OrgUnitFactory(parent=top, name="Hjemmeplejen")
    north = OrgUnitFactory(parent=care, name="Team Nord")
    south = OrgUnitFactory(parent=care, name="Team Syd")
    schools = OrgUnitFactory(organisation=organisation, name="Børn og Unge")
    for unit, names in [(north, ["Anne Nord", "Bo Nord"]), (south, ["Carl Syd"]), (schools, ["Dorte Skole"])]:
        for name in names:
            EngagementFactory(unit=unit, person=PersonFactory(organisation=organisation, name=name))
    return {"top": top, "care": care, "north": north, "south": south, "schools": schools}


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get("/struktur/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/log-ind/")


def test_admin_overview_lists_top_units_with_subtree_counts(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    tree: dict[str, OrgUnit],
) -> None:
    client = client_for(make_member(organisation, "competence_admin"))
    response = client.get("/struktur/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Social og Sundhed" in body and "Børn og Unge" in body
    assert "3 personer" in body and "1 person" in body
    assert "Hjemmeplejen" not in body  # children load lazily


def test_htmx_request_for_a_unit_returns_only_its_children(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    tree: dict[str, OrgUnit],
) -> None:
    client = client_for(make_member(organisation, "competence_admin"))
    response = client.get(f"/struktur/enheder/{tree['care'].pk}/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Team Nord" in body and "Team Syd" in body
    assert "2 personer" in body


def test_unit_page_shows_people_sub_units_and_breadcrumbs(
    client_for: Callable[[User], Client],
    make_leader: Callable[[OrgUnit], User],
    tree: dict[str, OrgUnit],
) -> None:
    leader = make_leader(tree["care"])
    response = client_for(leader).get(f"/struktur/enheder/{tree['north'].pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Anne Nord" in body and "Bo Nord" in body
    assert "Hjemmeplejen" in body  # breadcrumb inside the leader's scope
    assert "Social og Sundhed" not in body  # above the leader's scope: not shown


def test_leader_cannot_open_a_unit_outside_their_subtree(
    client_for: Callable[[User], Client], make_leader: Callable[[OrgUnit], User], tree: dict[str, OrgUnit]
) -> None:
    client = client_for(make_leader(tree["care"]))
    assert client.get(f"/struktur/enheder/{tree['schools'].pk}/").status_code == 404
    overview = client.get("/struktur/").content.decode()
    assert "Hjemmeplejen" in overview and "Børn og Unge" not in overview


def test_employee_is_refused_the_structure_but_sees_own_page(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    tree: dict[str, OrgUnit],
) -> None:
    me = tree["north"].engagements.first().person  # type: ignore[union-attr]
    client = client_for(make_member(organisation, "employee", person=me))
    assert client.get("/struktur/").status_code == 403
    response = client.get("/struktur/mig/", follow=True)
    assert response.status_code == 200
    assert me.name in response.content.decode()


def test_people_search_finds_people_in_scope(
    client_for: Callable[[User], Client], make_leader: Callable[[OrgUnit], User], tree: dict[str, OrgUnit]
) -> None:
    client = client_for(make_leader(tree["care"]))
    body = client.get("/struktur/personer/", {"q": "nord"}).content.decode()
    assert "Anne Nord" in body and "Bo Nord" in body
    assert "Dorte" not in client.get("/struktur/personer/", {"q": "dorte"}).content.decode()


def test_overview_query_count_does_not_grow_with_the_tree(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    tree: dict[str, OrgUnit],
) -> None:
    client = client_for(make_member(organisation, "competence_admin"))
    client.get("/struktur/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/struktur/enheder/{tree['care'].pk}/")
    for i in range(10):
        unit = OrgUnitFactory(parent=tree["care"], name=f"Team {i}")
        EngagementFactory(unit=unit, person=PersonFactory(organisation=organisation))
    with CaptureQueriesContext(connection) as large:
        client.get(f"/struktur/enheder/{tree['care'].pk}/")
    assert len(large) == len(small)
    assert len(small) <= 14
