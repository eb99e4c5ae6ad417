"""generate_municipality on the database, and what the demo commands refuse.

These tests may run after the package's seeded demo was made (see conftest.py), so they look at what
they change, never at an empty database.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.test import override_settings

from fagdigital.demo.services import demo_seed
from fagdigital.demo.tests.helpers import snapshot
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.tenancy.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_without_debug() -> None:
    before = snapshot()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before


def test_demo_seed_service_refuses_without_debug() -> None:
    before = snapshot()
    with override_settings(DEBUG=False), pytest.raises(Exception, match="DEBUG"):
        demo_seed()
    assert snapshot() == before


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


@pytest.mark.parametrize("code", ["0101", "101", "0999", "0998", "0993", "0990", "12345", "abc"])
def test_generate_municipality_refuses_real_and_demo_codes(code: str) -> None:
    people = Person.objects.count()
    with pytest.raises(CommandError):
        call_command("generate_municipality", "--employees", "50", "--kommunekode", code, stdout=StringIO())
    assert Person.objects.count() == people
