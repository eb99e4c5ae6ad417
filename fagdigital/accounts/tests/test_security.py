"""Limits on e-mails a visitor can ask for, lockouts behind a reverse proxy, and the production key
(docs/decisions/0012)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from hypothesis import given
from hypothesis import strategies as st

from fagdigital.accounts.client_ip import client_ip
from fagdigital.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "test-password-123"
RESET = "/konto/nulstil-adgangskode/"


def _reset(client: Client, email: str, ip: str = "10.0.0.1") -> int:
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip).status_code


# --- Password reset: per address and per client --------------------------------------------------


def test_password_reset_is_limited_per_address_whether_or_not_it_exists(client: Client) -> None:
    UserFactory(email="anne@kommune.dk")
    limit = settings.EMAIL_REQUEST_LIMIT_PER_ADDRESS
    for address in ("anne@kommune.dk", "ukendt@kommune.dk"):
        # Different clients: only the per-address limit can stop them.
        statuses = [_reset(client, address, ip=f"10.0.1.{n}") for n in range(limit + 1)]
        assert statuses == [302] * limit + [429]
    assert len(mail.outbox) == limit  # only the known address got mail, and only up to the limit
    refused = client.post(RESET, {"email": "ANNE@kommune.dk"}, REMOTE_ADDR="10.0.1.99")
    assert refused.status_code == 429
    assert "Vent 60 minutter" in refused.content.decode()
    assert len(mail.outbox) == limit


def test_password_reset_is_limited_per_client_address(client: Client) -> None:
    limit = settings.EMAIL_REQUEST_LIMIT_PER_IP
    statuses = [_reset(client, f"person{n}@kommune.dk", ip="10.0.2.1") for n in range(limit + 1)]
    assert statuses == [302] * limit + [429]
    # Another client is not affected.
    assert _reset(client, "someone@kommune.dk", ip="10.0.2.2") == 302


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client: Client) -> None:
    UserFactory(email="anne@kommune.dk")
    known = client.post(RESET, {"email": "anne@kommune.dk"}, REMOTE_ADDR="10.0.3.1")
    unknown = client.post(RESET, {"email": "ukendt@kommune.dk"}, REMOTE_ADDR="10.0.3.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


# --- The client's address behind reverse proxies --------------------------------------------------


def _request(remote: str, forwarded: str | None = None) -> object:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_proxies_the_forwarded_header_is_ignored() -> None:
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"  # type: ignore[arg-type]


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_with_two_proxies_the_client_is_what_the_outer_proxy_saw() -> None:
    # client → proxy A (appends the client) → proxy B (appends A) → app (REMOTE_ADDR = B).
    request = _request("10.0.0.2", "6.6.6.6, 198.51.100.9, 10.0.0.1")
    assert client_ip(request) == "198.51.100.9"  # type: ignore[arg-type]
    # Fewer hops than proxies: only the socket is trusted.
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"  # type: ignore[arg-type]


@given(
    spoofed=st.lists(st.ip_addresses(v=4).map(str), max_size=4),
    client=st.ip_addresses(v=4).map(str),
)
def test_a_client_cannot_choose_its_address_by_writing_the_header(spoofed: list[str], client: str) -> None:
    """Whatever a client puts in X-Forwarded-For, one trusted proxy makes it the address the proxy saw."""
    with override_settings(TRUSTED_PROXY_COUNT=1):
        forwarded = ", ".join([*spoofed, client])
        assert client_ip(_request("10.0.0.1", forwarded)) == client  # type: ignore[arg-type]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_client_cannot_lock_another_users_account_from_a_different_address(
    client: Client,
) -> None:
    UserFactory(email="anne@kommune.dk")
    proxy = "10.0.0.1"  # every request reaches the app from the proxy
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(
            "/konto/log-ind/",
            {"username": "anne@kommune.dk", "password": "forkert"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    attacker = client.post(
        "/konto/log-ind/",
        {"username": "anne@kommune.dk", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert attacker.status_code == 429  # the attacker's own address is locked for this account
    owner = Client()
    response = owner.post(
        "/konto/log-ind/",
        {"username": "anne@kommune.dk", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302
    assert "_auth_user_id" in owner.session


# --- The production secret key --------------------------------------------------------------------


def _check_with_key(key: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "FAGDIGITAL_TESTING"}}
    env.update(
        DEBUG="0",
        FAGDIGITAL_TESTING="0",
        SECRET_KEY=key,
        ALLOWED_HOSTS="fagdigital.kommune.dk",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/fagdigital-deploy-check.sqlite3"),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_a_short_secret_key() -> None:
    result = _check_with_key("k" * 49)
    assert result.returncode != 0
    assert "SECRET_KEY is 49 characters long; production needs at least 50" in result.stderr
    assert _check_with_key("k" * 50).returncode == 0
