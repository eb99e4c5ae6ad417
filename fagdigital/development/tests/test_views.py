"""The development pages over HTTP (Django's test client): each role's pages, the plan workflow by form
posts, the catalogue editor, import and export, HR's matching, the provider's and coordinator's
workplaces, and query counts on the list pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fagdigital.conftest import actor_for
from fagdigital.development.models import (
    ActivityShare,
    CatalogueImport,
    Completion,
    DevelopmentPlan,
    LearningActivity,
    PlanStatus,
    ShareState,
    Statement,
    StatementCredential,
    TeamPlan,
)
from fagdigital.development.selectors.access import get_plan_for_user
from fagdigital.development.services import catalogue, completions, plans, statements

from .conftest import Dev, record, set_level

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ok(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def test_every_role_reaches_its_development_pages(dev: Dev) -> None:
    employee = _client(dev.team.users[0])
    for url in ("/udvikling/", "/udvikling/katalog/", "/udvikling/min-udvikling/"):
        _ok(employee, url)
    _ok(employee, f"/udvikling/katalog/{dev.activities['uc-ds'].pk}/")
    leader = _client(dev.team.leader)
    _ok(leader, "/udvikling/team/")
    _ok(leader, f"/udvikling/team/enhed/{dev.team.unit.pk}/")
    hr = _client(dev.team.admin)
    for url in ("/udvikling/hr/", "/udvikling/xapi-udsagn/", "/udvikling/noegler/", "/udvikling/katalog/ny/"):
        _ok(hr, url)
    provider = _client(dev.provider_user)
    for url in (
        "/udvikling/udbyder/",
        "/udvikling/efterspoergsel/",
        "/udvikling/katalog/",
        "/udvikling/noegler/",
    ):
        _ok(provider, url)
    coordinator = _client(dev.coordinator)
    body = _ok(coordinator, f"/udvikling/netvaerk/{dev.network.pk}/")
    assert "Phishing og MFA (UC)" in body  # the provider's shared activity
    # Roles without the page are refused.
    assert employee.get("/udvikling/hr/").status_code == 403
    assert employee.get("/udvikling/udbyder/").status_code == 403
    assert provider.get("/udvikling/team/").status_code == 403


def test_the_employee_page_explains_recommendations_in_words(dev: Dev) -> None:
    person = dev.team.members[0]
    set_level(person, "DS3", 1)
    body = _ok(_client(dev.team.users[0]), "/udvikling/min-udvikling/")
    assert "Du er på niveau 1 i DS3, din rolle kræver 2; dette forløb udvikler DS3 til niveau 2." in body
    assert "gab 1 × betydning 3 × niveaupas 1 = 3" in body
    assert f"/udvikling/katalog/{dev.activities['ds3-ds4'].pk}/til-plan/?kompetence=DS3" in body


def test_the_whole_plan_workflow_over_http(dev: Dev) -> None:
    employee = _client(dev.team.users[0])
    activity = dev.activities["ds3-kursus"]
    deadline = timezone.localdate() + dt.timedelta(days=40)
    response = employee.post(
        f"/udvikling/katalog/{activity.pk}/til-plan/",
        {
            "competence_code": "DS3",
            "target_level": "2",
            "deadline": deadline.isoformat(),
            "note": "Persondata",
        },
    )
    plan = DevelopmentPlan.objects.get(person=dev.team.members[0])
    assert response.status_code == 302 and response["Location"] == f"/udvikling/plan/{plan.pk}/"
    body = _ok(employee, f"/udvikling/plan/{plan.pk}/")
    assert "Persondata i hverdagen" in body and "Send til din leder" in body
    employee.post(f"/udvikling/plan/{plan.pk}/handling/", {"action": "submit", "text": ""})
    leader = _client(dev.team.leader)
    body = _ok(leader, f"/udvikling/plan/{plan.pk}/")
    assert "Godkend planen" in body and "anonyme målinger er ikke med" in body
    leader.post(f"/udvikling/plan/{plan.pk}/handling/", {"action": "approve", "text": "Fint"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    item = plan.goals.get().activities.get()
    day = timezone.localdate().isoformat()
    employee.post(f"/udvikling/planaktivitet/{item.pk}/gennemfoert/", {"completed_on": day})
    item.refresh_from_db()
    assert item.status == "reported" and not Completion.objects.exists()
    leader.post(f"/udvikling/planaktivitet/{item.pk}/gennemfoert/", {"completed_on": day})
    assert Completion.objects.filter(person=dev.team.members[0], activity=activity).exists()
    # The team page shows the plan; a colleague and HR cannot open it.
    assert "Godkendt" in _ok(leader, "/udvikling/team/")
    assert _client(dev.team.users[1]).get(f"/udvikling/plan/{plan.pk}/").status_code == 404
    assert _client(dev.team.admin).get(f"/udvikling/plan/{plan.pk}/").status_code == 404


def test_a_refused_step_says_why_and_changes_nothing(dev: Dev) -> None:
    employee = _client(dev.team.users[2])
    employee.post("/udvikling/plan/ny/", {"title": "Plan"})
    plan = DevelopmentPlan.objects.get(person=dev.team.members[2])
    response = employee.post(f"/udvikling/plan/{plan.pk}/handling/", {"action": "submit"}, follow=True)
    assert "Tilføj mindst ét mål" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    # A goal with a date in the past: the form says so and nothing is saved.
    response = employee.post(
        f"/udvikling/plan/{plan.pk}/maal/",
        {"competence_code": "DS3", "target_level": "2", "deadline": "2000-01-01"},
    )
    assert response.status_code == 422
    assert "Fristen kan ikke ligge før i dag." in response.content.decode()
    assert not plan.goals.exists()


def test_the_catalogue_editor_saves_and_validates(dev: Dev) -> None:
    hr = _client(dev.team.admin)
    data = {
        "title_da": "Mikrolæring: phishing på 5 minutter",
        "format": "micro_learning",
        "duration_hours": "0,5",
        "cost_dkk": "0",
        "language": "da",
        "delivery": "online",
        "status": "published",
        "level_DS1": "2",
        "networks": [str(dev.network.pk)],
    }
    response = hr.post("/udvikling/katalog/ny/", data)
    created = LearningActivity.objects.get(title_da="Mikrolæring: phishing på 5 minutter")
    assert response.status_code == 302
    assert list(created.competences.values_list("competence_code", "level")) == [("DS1", 2)]
    # A municipality proposes; the coordinator decides.
    assert ActivityShare.objects.get(activity=created).state == ShareState.PROPOSED
    missing = {**data, "title_da": "Uden kompetencer", "level_DS1": ""}
    response = hr.post("/udvikling/katalog/ny/", missing)
    assert response.status_code == 422 and "Vælg mindst én kompetence" in response.content.decode()
    assert not LearningActivity.objects.filter(title_da="Uden kompetencer").exists()
    # Another municipality's HR cannot edit it.
    assert _client(dev.team.leader).get(f"/udvikling/katalog/{created.pk}/rediger/").status_code == 403


def test_a_coordinator_shares_a_members_proposal(dev: Dev) -> None:
    proposal = catalogue.activity_save(
        actor=dev.hr, record=record("forslag", {"BK1": 3}), network_ids=[dev.network.pk]
    )
    coordinator = _client(dev.coordinator)
    body = _ok(coordinator, f"/udvikling/netvaerk/{dev.network.pk}/")
    assert "Foreslået af kommunerne" in body and proposal.title_da in body
    coordinator.post(f"/udvikling/netvaerk/{dev.network.pk}/del/", {"activity": proposal.pk})
    assert ActivityShare.objects.get(activity=proposal).state == ShareState.SHARED
    # An activity neither the network's nor proposed to it cannot be shared by id.
    loose = catalogue.activity_save(actor=dev.hr, record=record("loes", {"BK1": 3}))
    assert (
        coordinator.post(f"/udvikling/netvaerk/{dev.network.pk}/del/", {"activity": loose.pk}).status_code
        == 404
    )


def test_import_reports_lines_and_columns_and_saves_nothing_then_applies_a_good_file(dev: Dev) -> None:
    hr = _client(dev.team.admin)
    bad = (
        "titel;form;varighed (timer);kompetencer\n"
        "Godt kursus;kursus;7;DS3:2\n"
        "Dårligt kursus;forelæsning;syv;XX9:2\n"
    ).encode()
    response = hr.post("/udvikling/katalog/import/", {"file": SimpleUploadedFile("katalog.csv", bad)})
    check = CatalogueImport.objects.get()
    assert response["Location"] == f"/udvikling/katalog/import/{check.pk}/"
    body = _ok(hr, f"/udvikling/katalog/import/{check.pk}/")
    assert "Linje 3" in body and "kolonne B (»form«)" in body and "kolonne C (»varighed (timer)«)" in body
    assert "»XX9« er ikke en kompetence i rammen" in body
    before = LearningActivity.objects.count()
    hr.post(f"/udvikling/katalog/import/{check.pk}/")
    assert LearningActivity.objects.count() == before
    good = b"titel;form;varighed (timer);kompetencer\nGodt kursus;kursus;7,5;DS3:2; DS4:2\n"
    hr.post("/udvikling/katalog/import/", {"file": SimpleUploadedFile("katalog.csv", good)})
    check = CatalogueImport.objects.latest("pk")
    assert "1 nye" in _ok(hr, f"/udvikling/katalog/import/{check.pk}/")
    hr.post(f"/udvikling/katalog/import/{check.pk}/")
    created = LearningActivity.objects.get(key="godt-kursus")
    assert str(created.duration_hours) == "7.5"


def test_export_then_import_changes_nothing(dev: Dev) -> None:
    hr = _client(dev.team.admin)
    for file_format in ("csv", "json"):
        exported = hr.get(f"/udvikling/katalog/eksport.{file_format}")
        assert exported.status_code == 200
        upload = SimpleUploadedFile(f"katalog.{file_format}", exported.content)
        hr.post("/udvikling/katalog/import/", {"file": upload})
        check = CatalogueImport.objects.latest("pk")
        assert check.status == "valid", check.problems
        assert check.summary["unchanged"] == 4 and check.summary["created"] == check.summary["updated"] == 0
    assert (
        json.loads(hr.get("/udvikling/katalog/eksport.json").content)["format"]
        == "fagdigital-learning-catalogue"
    )
    assert _client(dev.team.users[0]).get("/udvikling/katalog/eksport.csv").status_code == 403


def test_the_provider_marks_an_enrolled_persons_completion(dev: Dev) -> None:
    employee = actor_for(dev.team.users[3], dev.team.organisation)
    leader = actor_for(dev.team.leader, dev.team.organisation)
    plan = plans.plan_create(actor=employee, person=dev.team.members[3], title="Plan")
    access = get_plan_for_user(actor=employee, plan_id=plan.pk)
    goal = plans.goal_save(
        access=access,
        actor=employee,
        goal=None,
        competence_code="DS1",
        target_level=2,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        note="",
    )
    plans.plan_activity_add(access=access, goal=goal, activity=dev.activities["uc-ds"])
    provider = _client(dev.provider_user)
    assert dev.team.members[3].name not in _ok(provider, "/udvikling/udbyder/")  # not approved yet
    plans.plan_submit(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    plans.plan_approve(access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader)
    body = _ok(provider, "/udvikling/udbyder/")
    assert dev.team.members[3].name in body and dev.team.organisation.name in body
    item = goal.activities.get()
    provider.post(
        f"/udvikling/udbyder/tilmelding/{item.pk}/", {"completed_on": timezone.localdate().isoformat()}
    )
    completion = Completion.objects.get(person=dev.team.members[3])
    assert (completion.source, completion.reported_by) == ("provider", dev.provider)
    # Another provider sees nothing of it.
    assert (
        provider.post(f"/udvikling/udbyder/tilmelding/{item.pk}/", {"completed_on": "2026-01-01"}).status_code
        == 404
    )


def test_hr_matches_an_unknown_learner_on_the_page(dev: Dev) -> None:
    new = statements.credential_create(actor=dev.hr, label="Kommunens LMS")
    statements.statements_store(
        credential=new.credential,
        statements=[
            {
                "actor": {"mbox": "mailto:ukendt@lms.example"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {"id": dev.activities["ds3-kursus"].xapi_id},
            }
        ],
    )
    hr = _client(dev.team.admin)
    body = _ok(hr, "/udvikling/xapi-udsagn/")
    assert "ukendt@lms.example" in body
    statement = Statement.objects.get()
    person = dev.team.members[5]
    body = _ok(hr, f"/udvikling/xapi-udsagn/{statement.pk}/?q={person.name.split()[0]}")
    assert person.name in body
    response = hr.post(f"/udvikling/xapi-udsagn/{statement.pk}/", {"person": person.pk})
    assert response.status_code == 302
    assert Completion.objects.filter(person=person).exists()


def test_keys_show_the_secret_once(dev: Dev) -> None:
    provider = _client(dev.provider_user)
    response = provider.post("/udvikling/noegler/", {"label": "Moodle"})
    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    credential = StatementCredential.objects.get()
    assert credential.key_id in body and "Hemmelighed" in body
    assert "Hemmelighed" not in _ok(provider, "/udvikling/noegler/")
    provider.post(f"/udvikling/noegler/{credential.pk}/spaer/")
    credential.refresh_from_db()
    assert credential.revoked_at is not None


def test_team_plans_from_the_unit_page(dev: Dev) -> None:
    leader = _client(dev.team.leader)
    response = leader.post(
        f"/udvikling/team/enhed/{dev.team.unit.pk}/", {"title": "Sikker brug af data 2026"}
    )
    team_plan = TeamPlan.objects.get()
    assert response["Location"] == f"/udvikling/teamplan/{team_plan.pk}/"
    owner = dev.team.members[0]
    leader.post(
        f"/udvikling/teamplan/{team_plan.pk}/",
        {
            "activity": dev.activities["ds3-kursus"].pk,
            "owner": owner.pk,
            "due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        },
    )
    item = team_plan.items.get()
    assert (item.owner, item.competence_codes) == (owner, ["DS3"])
    # Someone outside the unit cannot be the owner.
    response = leader.post(
        f"/udvikling/teamplan/{team_plan.pk}/",
        {"own_title": "Møde", "owner": dev.team.outsider.pk, "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 422 and team_plan.items.count() == 1
    # The sibling unit is not the leader's.
    assert leader.get(f"/udvikling/team/enhed/{dev.team.other_unit.pk}/").status_code == 404


def test_ratings_need_a_completion_and_show_only_pooled(dev: Dev) -> None:
    activity = dev.activities["ds3-kursus"]
    employee = _client(dev.team.users[0])
    assert employee.post(f"/udvikling/katalog/{activity.pk}/vurder/", {"stars": "5"}).status_code == 404
    completions.completion_record(
        person=dev.team.members[0], activity=activity, completed_on=timezone.localdate(), source="leader"
    )
    employee.post(f"/udvikling/katalog/{activity.pk}/vurder/", {"stars": "4", "used_for": "Til journalen"})
    body = _ok(employee, f"/udvikling/katalog/{activity.pk}/")
    assert "Til journalen" not in body.split("Deltagernes vurderinger")[1].split("Din vurdering")[0]
    assert "Vurderingerne vises samlet, når mindst 5" in body


def test_list_pages_read_in_a_fixed_number_of_queries(dev: Dev) -> None:
    hr = _client(dev.team.admin)
    leader = _client(dev.team.leader)

    def count(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = {url: count(hr, url) for url in ("/udvikling/katalog/", "/udvikling/hr/")}
    team_before = count(leader, "/udvikling/team/")
    for index in range(6):
        catalogue.activity_save(actor=dev.hr, record=record(f"ekstra-{index}", {"DS5": 2, "DS6": 2}))
    after = {url: count(hr, url) for url in before}
    assert after == before
    assert count(leader, "/udvikling/team/") == team_before
