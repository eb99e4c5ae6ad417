"""The platform administrator's page: organisations, users by role and usage, setting up a municipality."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fagdigital.accounts.models import User
from fagdigital.frameworks.models import Framework, FrameworkStatus
from fagdigital.tenancy.models import Membership, Organisation, RoleChange
from fagdigital.testing.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_member: Callable[..., User], organisation: Organisation) -> User:
    return make_member(organisation, "platform_admin")


def test_the_platform_page_counts_each_organisations_users_people_and_rounds(
    client_for: Callable[[User], Client], admin: User
) -> None:
    other = OrganisationFactory(name="Fjernby Kommune")
    hr = MembershipFactory(organisation=other, roles=["competence_admin", "employee"]).user
    hr.full_name, hr.email = "Hilda Hr", "hilda@fjernby.dk"
    hr.save()
    for _index in range(3):
        MembershipFactory(organisation=other, roles=["employee"])
    PersonFactory.create_batch(4, organisation=other, name="Hemmelig Medarbejder")
    body = client_for(admin).get("/platform/").content.decode()
    row = body.split("Fjernby Kommune", 1)[1].split("</tr>", 1)[0]
    assert "4 brugere" in row and "Medarbejder: 4" in row and "Kompetencekonsulent/HR: 1" in row
    assert "Hilda Hr" in row and "hilda@fjernby.dk" in row
    assert ">4</td>" in row  # people, counted, never named
    assert "Hemmelig Medarbejder" not in body


def test_the_platform_page_takes_a_fixed_number_of_queries(
    client_for: Callable[[User], Client], admin: User
) -> None:
    client = client_for(admin)
    client.get("/platform/")
    with CaptureQueriesContext(connection) as few:
        client.get("/platform/")
    for _index in range(4):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation, roles=["competence_admin"])
        PersonFactory(organisation=organisation)
    with CaptureQueriesContext(connection) as many:
        client.get("/platform/")
    assert len(many) == len(few)


@pytest.mark.parametrize("roles", [("competence_admin",), ("top_management",), ("network_coordinator",)])
def test_only_platform_administrators_get_the_platform_page(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    organisation: Organisation,
    roles: tuple[str, ...],
) -> None:
    client = client_for(make_member(organisation, *roles))
    assert client.get("/platform/").status_code == 403
    assert client.post("/platform/ny-kommune/", {"organisation": organisation.pk}).status_code == 403


def test_setting_up_a_municipality_installs_the_framework_and_invites_the_first_hr(
    client_for: Callable[[User], Client], admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    municipality = Organisation.objects.get(kommunekode="0101")
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/platform/ny-kommune/",
            {"organisation": municipality.pk, "email": "hr@kk.dk", "full_name": "Kira Kbh"},
            REMOTE_ADDR="192.0.2.44",
        )
    assert response.status_code == 302
    framework = Framework.objects.get(organisation=municipality)
    assert framework.status == FrameworkStatus.PUBLISHED and framework.version == 1
    user = User.objects.get(email="hr@kk.dk")
    assert Membership.objects.get(user=user, organisation=municipality).roles == ["competence_admin"]
    [message] = mail.outbox
    assert message.to == ["hr@kk.dk"] and "Københavns Kommune" in message.subject
    change = RoleChange.objects.get(organisation=municipality, action="grant")
    assert (change.actor, change.role, change.ip_address) == (admin, "competence_admin", "192.0.2.44")
    page = client.get("/platform/").content.decode()
    assert "Københavns Kommune er sat op" in page and "hr@kk.dk har fået en invitation" in page

    # Again for the same municipality: the framework stays, a second HR user is added.
    existing = UserFactory(email="anden@kk.dk")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/platform/ny-kommune/", {"organisation": municipality.pk, "email": "anden@kk.dk"})
    assert Framework.objects.filter(organisation=municipality).count() == 1
    assert "competence_admin" in Membership.objects.get(user=existing, organisation=municipality).roles
    assert len(mail.outbox) == 1  # they can already log in


def test_setting_up_needs_a_municipality_and_an_address(
    client_for: Callable[[User], Client], admin: User
) -> None:
    response = client_for(admin).post(
        "/platform/ny-kommune/", {"organisation": "", "email": "ikke-en-adresse"}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-module="error-summary"' in body
    assert "Vælg den kommune, der skal sættes op." in body and "Skriv en gyldig e-mailadresse" in body
    assert not Framework.objects.exists() and not RoleChange.objects.exists()
