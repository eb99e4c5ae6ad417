"""Role administration by HR: grant and remove leader, HR and top management roles, with an audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fagdigital.accounts.models import User
from fagdigital.conftest import actor_for
from fagdigital.orgs.models import OrgUnit, Person, UnitLeader
from fagdigital.orgs.selectors import led_unit_paths
from fagdigital.tenancy.models import Membership, Organisation, RoleChange
from fagdigital.testing.factories import (
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UnitLeaderFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Setup:
    organisation: Organisation
    top: OrgUnit
    team: OrgUnit
    hr: User
    hr_person: Person
    colleague: Person  # has a login
    colleague_user: User
    newcomer: Person  # no login, has an e-mail address
    leader: User


@pytest.fixture
def setup(
    organisation: Organisation, make_member: Callable[..., User], make_leader: Callable[..., User]
) -> Setup:
    top = OrgUnitFactory(organisation=organisation, name="Ældre og Sundhed")
    team = OrgUnitFactory(parent=top, name="Team Havnen")
    hr_person = PersonFactory(organisation=organisation, name="Hanne Hr")
    EngagementFactory(person=hr_person, unit=top)
    hr = make_member(organisation, "competence_admin", "employee", person=hr_person)
    colleague = PersonFactory(organisation=organisation, name="Carla Kollega")
    EngagementFactory(person=colleague, unit=team)
    colleague_user = make_member(organisation, "employee", person=colleague)
    newcomer = PersonFactory(organisation=organisation, name="Nikolaj Ny", email="nikolaj@testrup.dk")
    EngagementFactory(person=newcomer, unit=team)
    leader = make_leader(top)
    return Setup(organisation, top, team, hr, hr_person, colleague, colleague_user, newcomer, leader)


def grant(client: Client, person: Person, **data: Any) -> Any:
    return client.post(f"/struktur/personer/{person.pk}/roller/giv/", data, REMOTE_ADDR="203.0.113.9")


def revoke(client: Client, person: Person, **data: Any) -> Any:
    return client.post(f"/struktur/personer/{person.pk}/roller/fjern/", data, REMOTE_ADDR="203.0.113.9")


def test_hr_makes_a_colleague_leader_of_a_unit_and_it_is_audited(
    client_for: Callable[[User], Client], setup: Setup
) -> None:
    client = client_for(setup.hr)
    response = grant(client, setup.colleague, role="leader", unit=setup.team.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/struktur/personer/{setup.colleague.pk}/#roller"
    assert UnitLeader.objects.filter(person=setup.colleague, unit=setup.team).exists()
    membership = Membership.objects.get(user=setup.colleague_user, organisation=setup.organisation)
    assert set(membership.roles) == {"employee", "leader"}
    actor = actor_for(setup.colleague_user, setup.organisation)
    assert led_unit_paths(actor=actor) == [setup.team.path]
    change = RoleChange.objects.get(organisation=setup.organisation)
    assert (change.action, change.role, change.unit_label, change.ip_address) == (
        "grant",
        "leader",
        "Team Havnen",
        "203.0.113.9",
    )
    assert change.actor == setup.hr and change.subject_person_id == setup.colleague.pk
    assert not mail.outbox  # the colleague can already log in

    page = client.get(f"/struktur/personer/{setup.colleague.pk}/").content.decode()
    assert "har fået rollen Leder" in page and "Leder af" in page and "Team Havnen" in page
    trail = client.get("/struktur/roller/").content.decode()
    assert "Rolle givet: Leder" in trail and "203.0.113.9" in trail and "Carla Kollega" in trail


def test_granting_twice_changes_nothing_more(client_for: Callable[[User], Client], setup: Setup) -> None:
    client = client_for(setup.hr)
    grant(client, setup.colleague, role="top_management")
    response = grant(client, setup.colleague, role="top_management")
    assert response.status_code == 302
    assert RoleChange.objects.filter(organisation=setup.organisation).count() == 1
    assert "havde allerede rollen" in client.get(response["Location"]).content.decode()


def test_a_person_without_a_login_gets_one_and_an_invitation(
    client_for: Callable[[User], Client], setup: Setup, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(setup.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = grant(client, setup.newcomer, role="leader", unit=setup.team.pk)
    assert response.status_code == 302
    setup.newcomer.refresh_from_db()
    user = setup.newcomer.user
    assert user is not None and user.email == "nikolaj@testrup.dk" and user.full_name == "Nikolaj Ny"
    assert not user.has_usable_password()
    assert set(Membership.objects.get(user=user).roles) == {"employee", "leader"}
    [message] = mail.outbox
    assert message.to == ["nikolaj@testrup.dk"] and "/organisation/invitation/" in message.body
    actions = list(
        RoleChange.objects.filter(organisation=setup.organisation).values_list("action", flat=True)
    )
    assert sorted(actions) == ["grant", "invite"]
    # A second role in the same sitting sends no second invitation.
    with django_capture_on_commit_callbacks(execute=True):
        grant(client, setup.newcomer, role="top_management")
    assert len(mail.outbox) == 1
    page = client.get(f"/struktur/personer/{setup.newcomer.pk}/").content.decode()
    assert "har ikke valgt en adgangskode endnu" in page and "Send invitationen igen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/struktur/personer/{setup.newcomer.pk}/invitation/")
    assert response.status_code == 302 and len(mail.outbox) == 2


def test_a_person_without_an_email_address_cannot_get_a_role(
    client_for: Callable[[User], Client], setup: Setup
) -> None:
    nobody = PersonFactory(organisation=setup.organisation, email="")
    client = client_for(setup.hr)
    page = client.get(f"/struktur/personer/{nobody.pk}/").content.decode()
    assert "Personen har ingen e-mailadresse" in page
    response = grant(client, nobody, role="competence_admin")
    assert response.status_code == 422
    assert "har ingen e-mailadresse" in response.content.decode()
    assert 'data-module="error-summary"' in response.content.decode()
    assert not RoleChange.objects.exists() and not User.objects.filter(persons=nobody).exists()


def test_a_leader_grant_needs_a_unit_of_the_organisation(
    client_for: Callable[[User], Client], setup: Setup
) -> None:
    client = client_for(setup.hr)
    response = grant(client, setup.colleague, role="leader")
    body = response.content.decode()
    assert response.status_code == 422
    assert "Vælg den enhed, personen skal være leder af." in body
    assert 'href="#id_unit"' in body  # the error summary links to the field
    foreign = OrgUnitFactory(organisation=OrganisationFactory())
    response = grant(client, setup.colleague, role="leader", unit=foreign.pk)
    assert response.status_code == 422 and "Vælg en enhed fra listen." in response.content.decode()
    response = grant(client, setup.colleague, role="platform_admin")
    assert response.status_code == 422
    assert not RoleChange.objects.exists() and not UnitLeader.objects.filter(person=setup.colleague).exists()


def test_removing_the_last_unit_removes_the_leader_role(
    client_for: Callable[[User], Client], setup: Setup
) -> None:
    client = client_for(setup.hr)
    grant(client, setup.colleague, role="leader", unit=setup.team.pk)
    grant(client, setup.colleague, role="leader", unit=setup.top.pk)
    revoke(client, setup.colleague, role="leader", unit=setup.team.pk)
    membership = Membership.objects.get(user=setup.colleague_user)
    assert "leader" in membership.roles
    response = revoke(client, setup.colleague, role="leader", unit=setup.top.pk)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.roles == ["employee"]
    assert not UnitLeader.objects.filter(person=setup.colleague).exists()
    revokes = RoleChange.objects.filter(action="revoke").order_by("pk")
    assert [c.unit_label for c in revokes] == ["Team Havnen", "Ældre og Sundhed"]


def test_the_last_hr_cannot_remove_their_own_role(client_for: Callable[[User], Client], setup: Setup) -> None:
    client = client_for(setup.hr)
    response = revoke(client, setup.hr_person, role="competence_admin")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "eneste kompetencekonsulent/HR" in page
    assert "competence_admin" in Membership.objects.get(user=setup.hr).roles
    assert not RoleChange.objects.exists()

    # With a second HR, they can: and they are sent to the home page, as this page is no longer theirs.
    grant(client, setup.colleague, role="competence_admin")
    response = revoke(client, setup.hr_person, role="competence_admin")
    assert response["Location"] == "/"
    assert "competence_admin" not in Membership.objects.get(user=setup.hr).roles
    assert client.get("/struktur/roller/").status_code == 403


@pytest.mark.parametrize("roles", [("leader", "employee"), ("top_management",), ("employee",)])
def test_only_hr_administers_roles(
    client_for: Callable[[User], Client],
    make_member: Callable[..., User],
    setup: Setup,
    roles: tuple[str, ...],
) -> None:
    other = make_member(setup.organisation, *roles)
    if "leader" in roles:
        UnitLeaderFactory(unit=setup.top, person=PersonFactory(organisation=setup.organisation, user=other))
    client = client_for(other)
    assert grant(client, setup.colleague, role="competence_admin", unit="").status_code == 403
    assert revoke(client, setup.leader.persons.get(), role="leader").status_code == 403
    assert client.post(f"/struktur/personer/{setup.newcomer.pk}/invitation/").status_code == 403
    assert client.get("/struktur/roller/").status_code == 403
    assert not RoleChange.objects.exists()
    assert "competence_admin" not in Membership.objects.get(user=setup.colleague_user).roles


def test_another_organisations_hr_cannot_touch_these_people(
    client_for: Callable[[User], Client], setup: Setup
) -> None:
    outsider = MembershipFactory(roles=["competence_admin"]).user
    client = client_for(outsider)
    assert grant(client, setup.colleague, role="competence_admin").status_code == 404
    assert revoke(client, setup.leader.persons.get(), role="leader", unit=setup.top.pk).status_code == 404
    assert not RoleChange.objects.exists()
    assert UnitLeader.objects.filter(unit=setup.top).exists()


def test_the_person_page_shows_roles_to_readers_but_the_forms_to_hr_only(
    client_for: Callable[[User], Client], setup: Setup
) -> None:
    leader_page = client_for(setup.leader).get(f"/struktur/personer/{setup.colleague.pk}/").content.decode()
    assert "Roller og adgang" in leader_page and "Medarbejder" in leader_page
    assert "Giv en rolle" not in leader_page and "/roller/fjern/" not in leader_page
    hr_page = client_for(setup.hr).get(f"/struktur/personer/{setup.colleague.pk}/").content.decode()
    assert "Giv en rolle" in hr_page and "Team Havnen" in hr_page


def test_min_side_without_an_employee_record_explains_instead_of_404(
    client_for: Callable[[User], Client], make_member: Callable[..., User], organisation: Organisation
) -> None:
    user = make_member(organisation, "top_management")
    response = client_for(user).get("/struktur/mig/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "ingen medarbejderregistrering" in body and user.email in body


def test_the_roles_page_lists_holders_in_a_fixed_number_of_queries(
    client_for: Callable[[User], Client], make_member: Callable[..., User], setup: Setup
) -> None:
    client = client_for(setup.hr)
    grant(client, setup.colleague, role="top_management")
    client.get("/struktur/roller/")
    with CaptureQueriesContext(connection) as few:
        client.get("/struktur/roller/")
    for _index in range(5):
        unit = OrgUnitFactory(parent=setup.top)
        person = PersonFactory(organisation=setup.organisation)
        UnitLeaderFactory(unit=unit, person=person)
        make_member(setup.organisation, "leader", person=person)
        grant(client, person, role="leader", unit=setup.team.pk)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/struktur/roller/")
    assert response.status_code == 200
    assert len(many) == len(few)


def test_an_imported_leader_registration_gets_the_role_that_lets_them_use_it(
    client_for: Callable[[User], Client], setup: Setup
) -> None:
    UnitLeaderFactory(unit=setup.team, person=setup.colleague)  # from the HR system's file
    client = client_for(setup.hr)
    page = client.get(f"/struktur/personer/{setup.colleague.pk}/").content.decode()
    assert "kan ikke logge ind som leder endnu" in page
    grant(client, setup.colleague, role="leader", unit=setup.team.pk)
    assert "leader" in Membership.objects.get(user=setup.colleague_user).roles
    assert RoleChange.objects.get().unit_label == "Team Havnen"
    actor = actor_for(setup.colleague_user, setup.organisation)
    assert led_unit_paths(actor=actor) == [setup.team.path]
