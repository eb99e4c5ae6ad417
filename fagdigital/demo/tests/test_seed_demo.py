"""seed_demo and generate_municipality on the database, through the people import."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Max
from django.test import override_settings

from fagdigital.accounts.models import User
from fagdigital.demo.generator import demo_rows, nabo_rows
from fagdigital.demo.services import (
    DEMO_KOMMUNEKODE,
    HOME_CARE_AREA,
    NETWORK_MUNICIPALITIES,
    demo_seed,
    login_email,
)
from fagdigital.frameworks.models import Framework, FrameworkStatus, JobFunctionMapping
from fagdigital.frameworks.selectors import role_profile_for_person
from fagdigital.orgs.models import Engagement, OrgUnit, Person, UnitLeader
from fagdigital.orgs.selectors import led_unit_paths, visible_people
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "medarbejder": {"Demo Kommune": {"employee"}},
    "leder": {"Demo Kommune": {"employee", "leader"}},
    "hr": {"Demo Kommune": {"competence_admin", "employee"}},
    "direktion": {"Demo Kommune": {"top_management"}},
    "udbyder": {"Demo Professionshøjskole": {"education_provider"}},
    "netvaerk": {"Demo Kommunenetværk": {"network_coordinator"}},
    "admin": {
        "Demo Kommune": {"platform_admin", "competence_admin"},
        "Nabo Kommune": {"platform_admin", "competence_admin"},
    },
}


def seed() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, tuple[Any, ...]]:
    """Per table: rows, highest id and latest change — equal snapshots mean nothing was written."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        fields = {field.name for field in model._meta.concrete_fields}
        aggregates = {"top": Max("pk")} if isinstance(model._meta.pk, models.IntegerField) else {}
        if "updated_at" in fields:
            aggregates["changed"] = Max("updated_at")
        if "last_login" in fields:
            aggregates["login"] = Max("last_login")
        found = model._default_manager.aggregate(**aggregates)
        state[model._meta.label] = (model._default_manager.count(), *sorted(found.items()))
    return state


def actor(email: str, organisation: Organisation) -> Actor:
    user = User.objects.get(email=email)
    roles = frozenset(user.memberships.get(organisation=organisation).roles)
    return Actor(user=user, organisation=organisation, roles=roles)


def test_seed_demo_builds_the_demo() -> None:
    output = seed()

    demo = Organisation.objects.get(kommunekode="0999")
    nabo = Organisation.objects.get(kommunekode="0998")
    assert (demo.name, demo.kind) == ("Demo Kommune", OrganisationKind.MUNICIPALITY)
    assert (nabo.name, nabo.kind) == ("Nabo Kommune", OrganisationKind.MUNICIPALITY)
    assert Person.objects.filter(organisation=demo).count() == len(demo_rows()) > 1_900
    assert Person.objects.filter(organisation=nabo).count() == len(nabo_rows())
    demo_units = OrgUnit.objects.filter(organisation=demo)
    assert demo_units.count() == len({row.unit_path for row in demo_rows()})
    assert not demo_units.exclude(pk__in=UnitLeader.objects.values("unit")).exists(), "a leader on every unit"
    assert Engagement.objects.filter(organisation=demo, end_date__isnull=True).count() == len(demo_rows())

    for slug, expected in EXPECTED_ROLES.items():
        user = User.objects.get(email=login_email(slug))
        assert user.check_password("demo"), slug
        assert user.full_name
        roles = {m.organisation.name: set(m.roles) for m in user.memberships.select_related("organisation")}
        assert roles == expected, slug
    admin = User.objects.get(email=login_email("admin"))
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.exclude(email=login_email("admin")).filter(is_staff=True).exists()

    employee = Person.objects.get(user__email=login_email("medarbejder"))
    assert employee.engagements.get().unit.name == "Team Nord 1"
    leader = actor(login_email("leder"), demo)
    [area] = led_unit_paths(actor=leader)
    assert OrgUnit.objects.get(organisation=demo, path=area).name == HOME_CARE_AREA[-1]
    in_area = [row for row in demo_rows() if row.unit_path[: len(HOME_CARE_AREA)] == HOME_CARE_AREA]
    assert visible_people(actor=leader).count() == len(in_area)

    provider = Organisation.objects.get(name="Demo Professionshøjskole")
    assert provider.kind == OrganisationKind.EDUCATION_PROVIDER
    network = Network.objects.get(name="Demo-netværket")
    assert network.coordinator is not None
    assert (network.coordinator.name, network.coordinator.kind) == ("Demo Kommunenetværk", "network_operator")
    assert {org.kommunekode for org in network.members.all()} == {"0999", "0998", *NETWORK_MUNICIPALITIES}
    assert "Demo data ready" in output


def test_seed_demo_twice_changes_nothing() -> None:
    seed()
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "already seeded" in output
    assert "Created login" not in output


def test_seed_demo_recreates_a_deleted_login() -> None:
    seed()
    User.objects.filter(email=login_email("udbyder")).delete()
    assert "Created login udbyder@demo.fagdigital.dk" in seed()
    assert User.objects.get(email=login_email("udbyder")).check_password("demo")


def test_seed_demo_refuses_without_debug() -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Organisation.objects.filter(kommunekode__in=["0999", "0998"]).exists()
    assert not User.objects.exists()


def test_demo_seed_service_refuses_without_debug() -> None:
    with override_settings(DEBUG=False), pytest.raises(Exception, match="DEBUG"):
        demo_seed()


def test_generate_municipality_creates_and_refreshes() -> None:
    out = StringIO()
    call_command("generate_municipality", "--employees", "900", "--seed", "3", stdout=out)
    organisation = Organisation.objects.get(kommunekode="0997")
    assert (organisation.name, organisation.kind) == ("Stor Kommune", OrganisationKind.MUNICIPALITY)
    assert Person.objects.filter(organisation=organisation).count() == 900
    assert OrgUnit.objects.filter(organisation=organisation).count() == pytest.approx(50, abs=2)
    assert OrgUnit.objects.filter(organisation=organisation).aggregate(Max("depth"))["depth__max"] == 5
    text = out.getvalue()
    assert "900/900" in text
    assert "Done in" in text

    before = snapshot()
    call_command("generate_municipality", "--employees", "900", "--seed", "3", stdout=StringIO())
    assert snapshot()["orgs.Person"] == before["orgs.Person"]
    assert snapshot()["orgs.OrgUnit"] == before["orgs.OrgUnit"]


def test_generate_municipality_with_own_code_and_name() -> None:
    arguments = ["--employees", "200", "--seed", "1", "--kommunekode", "996", "--name", "Test Kommune"]
    call_command("generate_municipality", *arguments, stdout=StringIO())
    organisation = Organisation.objects.get(kommunekode="0996")
    assert organisation.name == "Test Kommune"
    assert Person.objects.filter(organisation=organisation).count() == 200


@pytest.mark.parametrize("code", ["0101", "101", "0999", "0998", "12345", "abc"])
def test_generate_municipality_refuses_real_and_demo_codes(code: str) -> None:
    with pytest.raises(CommandError):
        call_command("generate_municipality", "--employees", "50", "--kommunekode", code, stdout=StringIO())
    assert not Person.objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_has_the_default_framework_with_its_job_functions_mapped() -> None:
    demo_seed()
    demo = Organisation.objects.get(kommunekode=DEMO_KOMMUNEKODE)
    framework = Framework.objects.get(organisation=demo)
    assert framework.status == FrameworkStatus.PUBLISHED
    mapped = set(
        JobFunctionMapping.objects.filter(organisation=demo).values_list("role_profile_code", flat=True)
    )
    assert {
        "sosu-hjaelper",
        "sosu-assistent",
        "sygeplejerske",
        "paedagog",
        "laerer",
        "socialraadgiver",
    } <= mapped
    employee = Person.objects.get(organisation=demo, user__email="medarbejder@demo.fagdigital.dk")
    assert role_profile_for_person(person=employee, framework=framework) is not None
