"""Fixtures for assessment tests: a team under the default framework and campaigns over it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import services
from fagdigital.assessments.models import Campaign, Instrument, Visibility
from fagdigital.conftest import actor_for
from fagdigital.frameworks.models import Framework, JobFunctionMapping
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    OrgUnitFactory,
    PersonFactory,
)


@dataclass
class Team:
    organisation: Organisation
    framework: Framework
    root: OrgUnit
    unit: OrgUnit
    other_unit: OrgUnit
    leader: User
    members: list[Person]
    users: list[User]
    outsider: Person
    admin: User


@pytest.fixture
def team(
    organisation: Organisation, make_member: Callable[..., User], make_leader: Callable[[OrgUnit], User]
) -> Team:
    """A municipality with the default framework: a unit of 6 SOSU assistants with logins and a leader,
    and a sibling unit with one person the leader does not lead."""
    framework = default_framework_install(organisation=organisation)
    job = JobFunctionFactory(organisation=organisation, name="Social- og sundhedsassistent")
    JobFunctionMapping.objects.create(
        organisation=organisation,
        job_function=job,
        framework_key=framework.key,
        role_profile_code="sosu-assistent",
    )
    root = OrgUnitFactory(organisation=organisation, name="Kommunen")
    unit = OrgUnitFactory(parent=root, name="Hjemmeplejen Nord")
    other = OrgUnitFactory(parent=root, name="Hjemmeplejen Syd")
    members, users = [], []
    for _index in range(6):
        person = PersonFactory(organisation=organisation)
        EngagementFactory(person=person, unit=unit, job_function=job)
        members.append(person)
        users.append(make_member(organisation, "employee", person=person))
    outsider = PersonFactory(organisation=organisation)
    EngagementFactory(person=outsider, unit=other, job_function=job)
    leader = make_leader(unit)
    admin = make_member(organisation, "competence_admin")
    return Team(organisation, framework, root, unit, other, leader, members, users, outsider, admin)


@pytest.fixture
def make_campaign(team: Team, django_capture_on_commit_callbacks: Any) -> Callable[..., Campaign]:
    """Create (and by default open) a campaign over the whole team; invitations go out at once."""

    def make(
        *,
        instruments: tuple[str, ...] | None = None,
        visibility: str = Visibility.DEVELOPMENT,
        open_it: bool = True,
        **overrides: Any,
    ) -> Campaign:
        if instruments is None:
            # Every instrument the visibility allows: leader ratings belong to development rounds.
            instruments = tuple(
                i
                for i in (Instrument.SELF, Instrument.LEADER, Instrument.TEST, Instrument.CHIEFS)
                if i != Instrument.LEADER or visibility == Visibility.DEVELOPMENT
            )
        today = timezone.localdate()
        values: dict[str, Any] = {
            "name": "Måling 2026",
            "framework": team.framework,
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=14),
            "instruments": instruments,
            "visibility": visibility,
            "units": [(team.root, True)],
            "test_area_codes": ["DS"],
        }
        values.update(overrides)
        campaign = services.campaign_create(
            actor=actor_for(team.admin, team.organisation), values=services.CampaignSettings(**values)
        )
        if open_it:
            with django_capture_on_commit_callbacks(execute=True):
                campaign = services.campaign_open(campaign=campaign)
        return campaign

    return make


def make_legacy_anonymous(campaign: Campaign) -> Campaign:
    """A round from before anonymous rounds refused the leader assessment: anonymous, with leader ratings."""
    Campaign.objects.filter(pk=campaign.pk).update(visibility=Visibility.ANONYMOUS)
    campaign.refresh_from_db()
    return campaign
