from __future__ import annotations

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client, RequestFactory

from fagdigital.core.views import server_error
from fagdigital.testing.factories import MembershipFactory


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client: Client) -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_login_page_is_danish_by_default(client: Client) -> None:
    response = client.get("/konto/log-ind/")
    assert response.status_code == 200
    assert 'lang="da"' in response.content.decode()
    assert "Log ind" in response.content.decode()


@pytest.mark.django_db
def test_error_pages_use_the_site_layout(client: Client) -> None:
    response = client.get("/findes-ikke/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Siden findes ikke" in body
    assert 'class="skipnav"' in body and "<main" in body and "Tilgængelighedserklæring" in body
    assert body.count("<h1") == 1


@pytest.mark.django_db
def test_forbidden_page_uses_the_site_layout(client: Client) -> None:
    client.force_login(MembershipFactory(roles=["employee"]).user)
    response = client.get("/struktur/")
    assert response.status_code == 403
    assert "Du har ikke adgang til denne side" in response.content.decode()


def test_server_error_page_renders_without_a_database() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Der skete en fejl hos os" in response.content.decode()
