from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "test-password-123"


def login(client: Client, email: str, password: str = PASSWORD) -> int:
    return client.post("/konto/log-ind/", {"username": email, "password": password}).status_code


def test_login_by_email_ignores_case_and_lands_on_the_front_page(client: Client) -> None:
    user = UserFactory(email="anne.jensen@kommune.dk")
    MembershipFactory(user=user)
    response = client.post("/konto/log-ind/", {"username": "Anne.Jensen@Kommune.dk", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Velkommen til fagdigital" in client.get("/").content.decode()


def test_wrong_password_gives_a_danish_message_and_no_session(client: Client) -> None:
    UserFactory(email="anne@kommune.dk")
    response = client.post("/konto/log-ind/", {"username": "anne@kommune.dk", "password": "forkert"})
    assert response.status_code == 200
    assert "E-mail eller adgangskode er forkert" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_english_is_used_only_when_chosen(client: Client) -> None:
    response = client.get("/konto/log-ind/", headers={"accept-language": "en-US,en;q=0.9"})
    assert 'lang="da"' in response.content.decode()
    assert "Glemt adgangskode?" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/konto/log-ind/"})
    response = client.get("/konto/log-ind/")
    body = response.content.decode()
    assert 'lang="en"' in body
    assert "Forgot your password?" in body and "Glemt adgangskode?" not in body


def test_repeated_failures_lock_the_login_even_with_the_right_password(client: Client) -> None:
    UserFactory(email="anne@kommune.dk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "anne@kommune.dk", "forkert")
    response = client.post("/konto/log-ind/", {"username": "anne@kommune.dk", "password": PASSWORD})
    assert response.status_code == 429
    assert "For mange forsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client: Client) -> None:
    user = UserFactory()
    MembershipFactory(user=user)
    client.force_login(user)
    assert client.post("/konto/log-ud/").status_code == 302
    assert client.get("/").status_code == 302


def test_sessions_expire_after_idle_time_and_at_browser_close() -> None:
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_reset_sends_a_working_one_time_link(client: Client) -> None:
    UserFactory(email="anne@kommune.dk")
    response = client.post("/konto/nulstil-adgangskode/", {"email": "anne@kommune.dk"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/konto/nulstil-adgangskode/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Vælg ny adgangskode" in form_page.content.decode()
    new_password = "Et-helt-nyt-kodeord-42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    assert login(client, "anne@kommune.dk", new_password) == 302
    client.logout()
    assert "ugyldigt eller udløbet" in client.get(link.group(1), follow=True).content.decode()


def test_password_reset_for_an_unknown_email_reveals_nothing(client: Client) -> None:
    response = client.post("/konto/nulstil-adgangskode/", {"email": "ukendt@kommune.dk"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_organisation_switcher_changes_the_current_organisation_only_to_own_memberships(
    client: Client,
) -> None:
    user = UserFactory()
    first = OrganisationFactory(name="Aaa Kommune")
    second = OrganisationFactory(name="Bbb Kommune")
    stranger = OrganisationFactory(name="Ccc Kommune")
    MembershipFactory(user=user, organisation=first)
    MembershipFactory(user=user, organisation=second)
    client.force_login(user)
    assert "Aaa Kommune" in client.get("/").content.decode().split("<main")[0]

    client.post("/organisation/skift/", {"organisation": second.pk, "next": "/"})
    assert "Bbb Kommune" in client.get("/").content.decode().split("<main")[0]

    assert client.post("/organisation/skift/", {"organisation": stranger.pk}).status_code == 403
    assert "Bbb Kommune" in client.get("/").content.decode().split("<main")[0]
