from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_every_response_carries_a_strict_content_security_policy_and_security_headers(client: Client) -> None:
    response = client.get("/konto/log-ind/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_contain_no_inline_script_or_style(client: Client) -> None:
    body = client.get("/konto/log-ind/").content.decode()
    assert "<script>" not in body and "<style" not in body and " style=" not in body
    assert all(" src=" in tag for tag in body.split("<script")[1:])


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "FAGDIGITAL_TESTING"}}
    env.update(
        DEBUG="0",
        FAGDIGITAL_TESTING="0",
        SECRET_KEY="a-production-like-secret-key-that-is-long-and-random-9f8e7d6c5b4a3210",
        ALLOWED_HOSTS="fagdigital.kommune.dk",
        DATABASE_URL=os.environ.get("DATABASE_URL", "sqlite:////tmp/fagdigital-deploy-check.sqlite3"),
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_requests_are_logged_as_structured_lines_without_personal_data(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="fagdigital.request"):
        client.get("/konto/log-ind/?email=anne@kommune.dk")
    record = next(r for r in caplog.records if r.name == "fagdigital.request")
    assert record.path == "/konto/log-ind/"  # type: ignore[attr-defined]
    assert record.status == 200  # type: ignore[attr-defined]
    assert "anne@kommune.dk" not in str(record.__dict__)
