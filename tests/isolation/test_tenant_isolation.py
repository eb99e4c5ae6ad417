"""Every URL pattern, for every role, with another organisation's object ids: 404 or 403, never their data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments.models import Campaign, CampaignStatus, Participant, SurveyItem, TestItem
from fagdigital.development.tests.isolation import development_objects
from fagdigital.frameworks.models import FrameworkImport
from fagdigital.frameworks.services import default_framework_install, framework_new_version
from fagdigital.orgs.models import ImportStatus, OrgUnit, PeopleImport
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


def other_organisation_objects(
    other: Organisation,
    *,
    name: str = SECRET_NAME,
    unit_name: str = SECRET_UNIT,
    unit: OrgUnit | None = None,
    uploaded_by: User | None = None,
    edit_draft: bool = False,
) -> dict[str, int]:
    """One object of every kind a URL names, in `other` (by default with the secret names)."""
    unit = unit or OrgUnitFactory(organisation=other, name=unit_name)
    person = PersonFactory(organisation=other, name=name)
    EngagementFactory(person=person, unit=unit)
    if unit_name == SECRET_UNIT:
        UnitLeaderFactory(unit=unit, person=person)
    people_import = PeopleImport.objects.create(
        organisation=other,
        filename=f"{unit_name}.csv",
        content=b"",
        status=ImportStatus.VALIDATED,
        uploaded_by=uploaded_by,
    )
    framework = default_framework_install(organisation=other)
    # The editor's URLs need a draft: the rounds below use the published version.
    editable = framework_new_version(framework=framework) if edit_draft else framework
    framework_import = FrameworkImport.objects.create(
        organisation=other,
        filename=f"{unit_name}.json",
        file_format="json",
        content=b"{}",
        status="invalid",
        uploaded_by=uploaded_by,
    )
    campaign = Campaign.objects.create(
        organisation=other,
        name=unit_name,
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
    survey_item = SurveyItem.objects.create(organisation=other, campaign=campaign, code="x", text_da=name)
    test_item = TestItem.objects.create(
        organisation=other,
        framework_key=framework.key,
        competence_code="DS1",
        key="DS1-E01",
        kind="single",
        question_da=name,
        explanation_da=name,
        options=[{"key": "a", "da": name, "en": "", "correct": True}],
    )
    return {
        "campaign_id": campaign.pk,
        "participant_id": participant.pk,
        "item_id": survey_item.pk,
        "test_item_id": test_item.pk,
        "unit_id": unit.pk,
        "person_id": person.pk,
        "import_id": people_import.pk,
        "framework_id": editable.pk,
        "framework_import_id": framework_import.pk,
        "competence_id": editable.competences.first().pk,
        "area_id": editable.areas.first().pk,
        # A round's pages name areas of the round's (published) version.
        "round_area_id": framework.areas.first().pk,
        "role_profile_id": editable.role_profiles.first().pk,
        "descriptor_id": editable.competences.first().descriptors.first().pk,
        **development_objects(other, person=person, unit=unit, name=unit_name),
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
    own = other_organisation_objects(
        mine,
        name="Egen Person",
        unit_name="Egen Enhed",
        unit=my_unit,
        uploaded_by=users[Role.COMPETENCE_ADMIN],
        edit_draft=True,
    )
    for user in users.values():  # everyone takes part in their own round, so its pages open for them
        Participant.objects.create(
            organisation=mine,
            campaign_id=own["campaign_id"],
            person=user.persons.get(),
            unit=my_unit,
            unit_path=my_unit.path,
        )
    return {"users": users, "ids": other_organisation_objects(other), "own_ids": own}


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


def _url(route: str, values: dict[str, Any]) -> str:
    return "/" + re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: str({**values, **STRING_PARAMETERS}[m.group(1)]), route
    )


def _reaches(client: Client, user: User, url: str) -> bool:
    """Whether the user gets past the object lookup (anything but 403/404; POST-only URLs by POST)."""
    client.force_login(user)
    status = client.get(url).status_code
    if status == 405:
        status = client.post(url).status_code
    return status not in {403, 404, 405}


def test_swapping_one_id_for_another_organisations_is_refused_for_every_role(
    client: Client, setup: dict[str, Any]
) -> None:
    """My round + their person, my framework + their competence, my round + their participant …: every URL
    with two or more ids, with all ids mine except one. The all-mine URL must work for some role, so
    the refusal comes from the foreign id and not from a URL that never works."""
    own, theirs = setup["own_ids"], setup["ids"]
    swapped = 0
    for route, _pattern in all_patterns():
        names = [n for n in re.findall(r"<(?:\w+:)?(\w+)>", route) if n not in STRING_PARAMETERS]
        if len(set(names)) < 2 or set(names) <= TOKEN_PARAMETERS:
            continue
        mine = {**own, "area_id": own["round_area_id"]} if route.startswith("maalinger/") else own
        works_for = [
            role for role, user in setup["users"].items() if _reaches(client, user, _url(route, mine))
        ]
        assert works_for, f"{route}: no role can open it with its own ids; the swap test would prove nothing"
        for foreign in sorted(set(names)):
            url = _url(route, {**mine, foreign: theirs[foreign]})
            for role in works_for:
                client.force_login(setup["users"][role])
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    assert response.status_code in {403, 404, 405}, (
                        f"{role} {method.upper()} {url} (foreign {foreign}) answered {response.status_code}"
                    )
                    body = response.content.decode(errors="replace")
                    assert SECRET_NAME not in body and SECRET_UNIT not in body, f"{role} {url} leaks data"
                    swapped += 1
    assert swapped > 0
