"""Every URL pattern, for every role, with another organisation's object ids: 404 or 403, never their data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from fagdigital.assessments.models import Campaign, CampaignStatus, Participant, SurveyItem
from fagdigital.frameworks.models import FrameworkImport
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import ImportStatus, PeopleImport
from fagdigital.tenancy.models import Organisation, Role
from fagdigital.testing.factories import (
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UnitLeaderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET_NAME = "Hemmelige Hansen"
SECRET_UNIT = "Hemmelig Afdeling"
# URL parameters that are not object ids, with a value that would otherwise be valid.
STRING_PARAMETERS = {"file_format": "json"}
# Password reset links name a user by a signed token, not an organisation's object.
TOKEN_PARAMETERS = {"uidb64", "token"}


def all_patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, route)
        else:
            yield route, entry


def other_organisation_objects(other: Organisation) -> dict[str, int]:
    unit = OrgUnitFactory(organisation=other, name=SECRET_UNIT)
    person = PersonFactory(organisation=other, name=SECRET_NAME)
    EngagementFactory(person=person, unit=unit)
    UnitLeaderFactory(unit=unit, person=person)
    people_import = PeopleImport.objects.create(
        organisation=other, filename="hemmelig.csv", content=b"", status=ImportStatus.VALIDATED
    )
    framework = default_framework_install(organisation=other)
    framework_import = FrameworkImport.objects.create(
        organisation=other, filename="hemmelig.json", file_format="json", content=b"{}", status="invalid"
    )
    campaign = Campaign.objects.create(
        organisation=other,
        name=SECRET_UNIT,
        framework=framework,
        status=CampaignStatus.OPEN,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
        instruments=["self", "leader", "test", "chiefs"],
        visibility="development",
    )
    participant = Participant.objects.create(
        organisation=other, campaign=campaign, person=person, unit=unit, unit_path=unit.path
    )
    survey_item = SurveyItem.objects.create(
        organisation=other, campaign=campaign, code="x", text_da=SECRET_NAME
    )
    return {
        "campaign_id": campaign.pk,
        "participant_id": participant.pk,
        "item_id": survey_item.pk,
        "unit_id": unit.pk,
        "person_id": person.pk,
        "import_id": people_import.pk,
        "framework_id": framework.pk,
        "framework_import_id": framework_import.pk,
        "competence_id": framework.competences.first().pk,
        "area_id": framework.areas.first().pk,
        "role_profile_id": framework.role_profiles.first().pk,
        "descriptor_id": framework.competences.first().descriptors.first().pk,
    }


@pytest.fixture
def setup() -> dict[str, Any]:
    mine = OrganisationFactory(name="Min Kommune")
    other = OrganisationFactory(name="Anden Kommune")
    my_unit = OrgUnitFactory(organisation=mine)
    users = {}
    for role in Role.values:
        user = UserFactory()
        MembershipFactory(user=user, organisation=mine, roles=[role])
        person = PersonFactory(organisation=mine, user=user)
        EngagementFactory(person=person, unit=my_unit)
        if role == Role.LEADER:
            UnitLeaderFactory(unit=my_unit, person=person)
        users[role] = user
    return {"users": users, "ids": other_organisation_objects(other)}


def test_every_url_with_another_organisations_ids_is_refused_for_every_role(
    client: Client, setup: dict[str, Any]
) -> None:
    ids = setup["ids"]
    checked = 0
    for route, _pattern in all_patterns():
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        names = [n for n in names if n not in STRING_PARAMETERS]
        if not names or set(names) <= TOKEN_PARAMETERS or route.startswith("i18n/"):
            continue
        unknown = set(names) - set(ids)
        assert not unknown, f"{route}: add other-organisation objects for {unknown} to this test"
        url = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: str({**ids, **STRING_PARAMETERS}[m.group(1)]), route
        )
        for role, user in setup["users"].items():
            client.force_login(user)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in {403, 404, 405}, f"{role} {method.upper()} {url}"
                body = response.content.decode(errors="replace")
                assert SECRET_NAME not in body and SECRET_UNIT not in body, f"{role} {url} leaks data"
                checked += 1
    assert checked > 0


def test_pages_without_ids_never_show_another_organisations_data(
    client: Client, setup: dict[str, Any]
) -> None:
    for route, _pattern in all_patterns():
        if re.search(r"<", route) or route.startswith("i18n/"):
            continue
        url = "/" + route
        for role, user in setup["users"].items():
            client.force_login(user)
            for query in ("", "?q=Hemmelige", "?q=Hansen"):
                response = client.get(url + query)
                body = response.content.decode(errors="replace")
                assert SECRET_NAME not in body and SECRET_UNIT not in body, (
                    f"{role} GET {url}{query} leaks data"
                )
