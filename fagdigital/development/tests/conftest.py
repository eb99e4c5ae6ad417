"""Fixtures for development tests: the assessments team (a municipality with the default framework, a
unit of six SOSU assistants and their leader), a catalogue, a provider admitted to the municipality's
network, and evidence at chosen levels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, CampaignStatus, Evidence, EvidenceSource, Visibility

# The assessments team and its campaigns, reused.
from fagdigital.assessments.tests.conftest import Team, make_campaign, team  # noqa: F401
from fagdigital.conftest import actor_for
from fagdigital.development.formats.catalogue import ActivityRecord
from fagdigital.development.models import LearningActivity, ProviderNetwork
from fagdigital.development.services import catalogue
from fagdigital.frameworks.models import Competence
from fagdigital.orgs.models import Person
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory


def record(key: str, competences: dict[str, int], **values: Any) -> ActivityRecord:
    defaults: dict[str, Any] = {
        "title_da": values.pop("title_da", key.replace("-", " ").capitalize()),
        "format": "course",
        "duration_hours": Decimal("7.0"),
    }
    defaults.update(values)
    return ActivityRecord(key=key, competences=tuple(sorted(competences.items())), **defaults)


def set_level(
    person: Person,
    code: str,
    level: int,
    *,
    source: str = EvidenceSource.SELF,
    campaign: Campaign | None = None,
    days_ago: int = 10,
) -> Evidence:
    """Evidence at a level (and the estimate recomputed), as a submitted round would leave it."""
    competence = Competence.objects.get(
        organisation=person.organisation, framework__status="published", code=code
    )
    evidence = Evidence.objects.create(
        organisation=person.organisation,
        person=person,
        competence=competence,
        source=source,
        level=level,
        observed_on=timezone.localdate() - dt.timedelta(days=days_ago),
        campaign=campaign,
    )
    assessment_services.estimates_recompute(person_id=person.pk, competence_ids=[competence.pk])
    return evidence


def closed_round(of: Team, *, visibility: str = Visibility.DEVELOPMENT) -> Campaign:
    today = timezone.localdate()
    return Campaign.objects.create(
        organisation=of.organisation,
        name=f"Runde {visibility}",
        framework=of.framework,
        status=CampaignStatus.CLOSED,
        opens_on=today - dt.timedelta(days=60),
        closes_on=today - dt.timedelta(days=30),
        instruments=["self", "leader"] if visibility == Visibility.DEVELOPMENT else ["self"],
        visibility=visibility,
    )


@dataclass
class Dev:
    team: Team
    hr: Actor
    network: Network
    provider: Organisation
    provider_user: User
    provider_actor: Actor
    coordinator_org: Organisation
    coordinator: User
    coordinator_actor: Actor
    activities: dict[str, LearningActivity]


@pytest.fixture
def dev(team: Team) -> Dev:  # noqa: F811 -- the imported fixture
    organisation = team.organisation
    hr = actor_for(team.admin, organisation)
    operator = OrganisationFactory(
        kind=OrganisationKind.NETWORK_OPERATOR, kommunekode=None, name="Netværket A/S"
    )
    network = Network.objects.create(name="Testnetværket", coordinator=operator)
    NetworkMember.objects.create(network=network, organisation=organisation)
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=operator, roles=["network_coordinator"])
    provider = OrganisationFactory(kind=OrganisationKind.EDUCATION_PROVIDER, kommunekode=None, name="Test UC")
    provider_user = UserFactory()
    MembershipFactory(user=provider_user, organisation=provider, roles=["education_provider"])
    ProviderNetwork.objects.create(network=network, provider=provider)
    activities = {
        "ds3-kursus": catalogue.activity_save(
            actor=hr, record=record("ds3-kursus", {"DS3": 2}, title_da="Persondata i hverdagen", cost_dkk=0)
        ),
        "ds3-ds4": catalogue.activity_save(
            actor=hr,
            record=record(
                "ds3-ds4", {"DS3": 2, "DS4": 2}, title_da="Sikker håndtering af data", cost_dkk=1500
            ),
        ),
        "ds3-diplom": catalogue.activity_save(
            actor=hr,
            record=record("ds3-diplom", {"DS3": 4}, title_da="Diplommodul i datasikkerhed", format="diploma"),
        ),
        "bk1": catalogue.activity_save(
            actor=hr, record=record("bk1", {"BK1": 3}, title_da="Superbruger i omsorgsjournalen")
        ),
    }
    provider_actor = Actor(user=provider_user, organisation=provider, roles=frozenset({"education_provider"}))
    activities["uc-ds"] = catalogue.activity_save(
        actor=provider_actor,
        record=record("uc-ds", {"DS1": 2, "DS2": 2}, title_da="Phishing og MFA (UC)"),
        network_ids=[network.pk],
    )
    return Dev(
        team=team,
        hr=hr,
        network=network,
        provider=provider,
        provider_user=provider_user,
        provider_actor=provider_actor,
        coordinator_org=operator,
        coordinator=coordinator,
        coordinator_actor=Actor(
            user=coordinator, organisation=operator, roles=frozenset({"network_coordinator"})
        ),
        activities=activities,
    )


@pytest.fixture
def employee_actor(team: Team) -> Callable[[int], Actor]:  # noqa: F811
    def make(index: int = 0) -> Actor:
        return actor_for(team.users[index], team.organisation)

    return make


@pytest.fixture
def leader_actor(team: Team) -> Actor:  # noqa: F811
    return actor_for(team.leader, team.organisation)
