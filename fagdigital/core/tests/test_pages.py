"""The status page, English dates, the favicon and the shared error summary."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django import forms
from django.db.utils import OperationalError
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult, get_date_max

from fagdigital.core import status

pytestmark = pytest.mark.django_db


def test_driftsstatus_is_a_page_for_people(client: Client) -> None:
    response = client.get("/driftsstatus/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Driftsstatus</h1>" in body and "Svarer" in body
    assert status.version() and status.version() in body
    # The footer links to it, not to the machines' JSON.
    assert 'href="/driftsstatus/"' in body and 'href="/healthz"' not in body


def test_driftsstatus_says_when_the_database_is_down(client: Client) -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/driftsstatus/")
    assert response.status_code == 503
    assert "Svarer ikke" in response.content.decode()


def test_the_queue_age_is_how_long_the_oldest_due_task_has_waited(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": status.DATABASE_QUEUE_BACKEND}}
    now = timezone.now()
    assert status.queue_status(now=now).oldest_wait is None

    def queued(minutes_ago: int, *, run_after: dt.datetime | None = None) -> None:
        task = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="fagdigital.tenancy.tasks.send_invitation",
            backend_name="default",
            run_after=run_after or get_date_max(),
        )
        DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=now - dt.timedelta(minutes=minutes_ago))

    queued(3)
    # Deferred until two minutes ago: it has waited two minutes, not the hour since it was queued.
    queued(60, run_after=now - dt.timedelta(minutes=2))
    queued(90, run_after=now + dt.timedelta(hours=1))  # not due yet
    queue = status.queue_status(now=now)
    assert queue.waiting == 2
    assert queue.oldest_wait is not None and round(queue.oldest_wait.total_seconds()) == 180
    assert not queue.delayed
    queued(11)
    assert status.queue_status(now=now).delayed


def test_english_dates_name_the_month_day_first() -> None:
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} / {{ day|date:"DATE_FORMAT" }}')
    day = dt.date(2026, 9, 3)
    with translation.override("en"):
        assert template.render(Context({"day": day})) == "3 Sep 2026 / 3 September 2026"
    with translation.override("da"):
        assert template.render(Context({"day": day})) == "03.09.2026 / 3. september 2026"


def test_english_forms_read_dates_day_first() -> None:
    field = forms.DateField()
    with translation.override("en"):
        assert field.clean("03/09/2026") == dt.date(2026, 9, 3)
        assert field.clean("2026-09-03") == dt.date(2026, 9, 3)


def test_the_favicon_is_served_at_the_root_and_linked_as_svg_and_png(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    body = client.get("/konto/log-ind/").content.decode()
    assert 'rel="icon" href="/static/fagdigital/img/favicon.svg" type="image/svg+xml"' in body
    assert 'href="/static/fagdigital/img/favicon-32.png"' in body


def test_a_form_with_errors_opens_with_an_error_summary_linking_to_the_fields(client: Client) -> None:
    response = client.post("/konto/nulstil-adgangskode/", {"email": "ikke en adresse"})
    body = response.content.decode()
    assert 'data-module="error-summary"' in body and 'tabindex="-1"' in body
    assert "Der er problemer" in body
    assert 'href="#id_email"' in body
    # Non-field errors are listed too (the login page's wrong password).
    body = client.post(
        "/konto/log-ind/", {"username": "x@example.dk", "password": "forkert"}
    ).content.decode()
    assert body.count('data-module="error-summary"') == 1
    assert "E-mail eller adgangskode er forkert" in body
