"""Roles taken away, the last competence admin, the append-only audit trail and invitations."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from fagdigital.accounts.models import User
from fagdigital.tenancy.invitations import invitation_link, invitation_token
from fagdigital.tenancy.models import AppendOnlyError, Membership, RoleChange, RoleChangeAction
from fagdigital.tenancy.selectors import members_with_roles, role_changes
from fagdigital.tenancy.services import (
    LastCompetenceAdminError,
    membership_invite,
    membership_role_revoke,
    role_change_record,
)
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_last_competence_admin_cannot_lose_the_role() -> None:
    only = MembershipFactory(roles=["competence_admin", "employee"])
    with pytest.raises(LastCompetenceAdminError, match="eneste kompetencekonsulent"):
        membership_role_revoke(user=only.user, organisation=only.organisation, role="competence_admin")
    only.refresh_from_db()
    assert only.roles == ["competence_admin", "employee"]


def test_a_competence_admin_can_go_when_another_remains() -> None:
    first = MembershipFactory(roles=["competence_admin", "employee"])
    MembershipFactory(organisation=first.organisation, roles=["competence_admin"])
    membership_role_revoke(user=first.user, organisation=first.organisation, role="competence_admin")
    first.refresh_from_db()
    assert first.roles == ["employee"]


def test_an_inactive_or_other_organisations_admin_does_not_count_as_another() -> None:
    only = MembershipFactory(roles=["competence_admin"])
    MembershipFactory(roles=["competence_admin"])  # another organisation's
    gone = MembershipFactory(organisation=only.organisation, roles=["competence_admin"])
    gone.user.is_active = False
    gone.user.save()
    with pytest.raises(LastCompetenceAdminError):
        membership_role_revoke(user=only.user, organisation=only.organisation, role="competence_admin")


def test_members_with_roles_matches_whole_role_values() -> None:
    organisation = OrganisationFactory()
    leader = MembershipFactory(organisation=organisation, roles=["employee", "leader"])
    MembershipFactory(organisation=organisation, roles=["employee"])
    assert [m.pk for m in members_with_roles(organisation=organisation, roles=["leader"])] == [leader.pk]


def _change(**overrides: Any) -> RoleChange:
    organisation = overrides.pop("organisation", None) or OrganisationFactory()
    values: dict[str, Any] = {
        "organisation": organisation,
        "actor": UserFactory(),
        "action": RoleChangeAction.GRANT,
        "subject_label": "Anne Hansen",
        "role": "leader",
        "ip_address": "192.0.2.7",
    }
    values.update(overrides)
    return role_change_record(**values)


def test_role_changes_are_append_only_in_the_application() -> None:
    change = _change()
    change.subject_label = "Someone else"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        RoleChange.objects.filter(pk=change.pk).update(role="competence_admin")
    with pytest.raises(AppendOnlyError):
        RoleChange.objects.filter(pk=change.pk).delete()
    assert RoleChange.objects.get(pk=change.pk).subject_label == "Anne Hansen"


def test_role_changes_are_append_only_in_the_database() -> None:
    change = _change()
    for statement in (
        "UPDATE tenancy_rolechange SET role = 'competence_admin' WHERE id = %s",
        "UPDATE tenancy_rolechange SET actor_id = NULL, subject_label = 'x' WHERE id = %s",
        "DELETE FROM tenancy_rolechange WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [change.pk])
    assert RoleChange.objects.get(pk=change.pk).role == "leader"


def test_deleting_a_user_keeps_their_changes_with_their_name() -> None:
    actor = UserFactory(full_name="Hanne HR", email="hanne@example.dk")
    change = _change(actor=actor)
    actor.delete()
    change = RoleChange.objects.get(pk=change.pk)
    assert change.actor_id is None
    assert change.actor_label == "Hanne HR <hanne@example.dk>"


def test_the_trail_is_per_organisation_newest_first() -> None:
    organisation = OrganisationFactory()
    older = _change(organisation=organisation)
    newer = _change(organisation=organisation, action=RoleChangeAction.REVOKE)
    _change()  # another organisation's
    assert list(role_changes(organisation=organisation)) == [newer, older]


def test_inviting_creates_the_user_grants_records_and_mails_a_working_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    organisation = OrganisationFactory(name="Testrup Kommune")
    admin = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership, invited = membership_invite(
            organisation=organisation,
            email="  Ny.HR@Testrup.dk ",
            full_name="Nina Ny",
            roles=["competence_admin"],
            invited_by=admin,
            ip_address="198.51.100.4",
        )
    user = membership.user
    assert invited and user.email == "ny.hr@testrup.dk" and not user.has_usable_password()
    assert membership.roles == ["competence_admin"]
    assert [(c.action, c.role, c.ip_address) for c in role_changes(organisation=organisation)] == [
        ("invite", "", "198.51.100.4"),
        ("grant", "competence_admin", "198.51.100.4"),
    ]
    [message] = mail.outbox
    assert message.to == ["ny.hr@testrup.dk"]
    assert "Testrup Kommune" in message.subject and "Kompetencekonsulent/HR" in message.body
    link = re.search(r"http://\S+/organisation/invitation/\S+/", message.body)
    assert link is not None
    path = link.group(0).split("127.0.0.1:8000", 1)[1]

    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert "Vælg din adgangskode" in response.content.decode()
    set_url = response.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "et-langt-kodeord-42", "new_password2": "et-langt-kodeord-42"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200  # logged in, with the organisation
    user.refresh_from_db()
    assert user.check_password("et-langt-kodeord-42")
    # The link worked once.
    client.logout()
    assert "Linket er ugyldigt" in client.get(path, follow=True).content.decode()


def test_inviting_a_user_who_can_log_in_grants_without_a_mail(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory(email="kendt@example.dk")
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership, invited = membership_invite(
            organisation=organisation, email="KENDT@example.dk", roles=["competence_admin"], invited_by=None
        )
    assert not invited and membership.user == user and not mail.outbox
    assert User.objects.filter(email="kendt@example.dk").count() == 1
    assert Membership.objects.get(user=user, organisation=organisation).roles == ["competence_admin"]


def test_inviting_refuses_a_malformed_address_and_changes_nothing() -> None:
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError, match="ikke en gyldig e-mailadresse"):
        membership_invite(
            organisation=organisation, email="ikke-en-adresse", roles=["leader"], invited_by=None
        )
    assert not Membership.objects.filter(organisation=organisation).exists()
    assert not RoleChange.objects.filter(organisation=organisation).exists()


def test_an_invitation_link_expires(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    user = User.objects.create_user(email="sent@example.dk", password=None)
    token = invitation_link(user=user).rstrip("/").rsplit("/", 1)[1]
    assert invitation_token.check_token(user, token)
    later = invitation_token._now() + dt.timedelta(days=settings.SIGNIN_LINK_MAX_AGE_DAYS, hours=1)
    monkeypatch.setattr(invitation_token, "_now", lambda: later)
    assert not invitation_token.check_token(user, token)
    # Django's own password-reset links are not invitations, and the other way round.
    assert not invitation_token.check_token(user, "abc-def")
