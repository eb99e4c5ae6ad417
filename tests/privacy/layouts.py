"""Layouts for the privacy tests, built through the project's services: units, people in role profiles,
a round opened and answered (self-assessment, leader ratings) and closed, which publishes its figures."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, Instrument, Visibility
from fagdigital.conftest import actor_for
from fagdigital.frameworks.models import Framework, JobFunctionMapping
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import Engagement, JobFunction, OrgUnit, Person
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import (
    EngagementFactory,
    JobFunctionFactory,
    MembershipFactory,
    OrgUnitFactory,
    PersonFactory,
    UnitLeaderFactory,
    UserFactory,
)

ROLES = ("sosu-hjaelper", "sosu-assistent", "sygeplejerske", "leder")


@dataclass
class Layout:
    organisation: Organisation
    framework: Framework
    units: dict[str, OrgUnit]
    people: dict[str, Person]
    users: dict[str, User]
    jobs: dict[str, JobFunction]
    admin: User
    leaders: dict[str, User] = field(default_factory=dict)  # unit name → leader's login

    def actor(self, user: User):  # type: ignore[no-untyped-def]
        return actor_for(user, self.organisation)


def build(
    organisation: Organisation,
    *,
    units: Sequence[tuple[str, str | None]],
    people: Sequence[tuple[str, str, str]],
    leaders: Sequence[tuple[str, str]] = (),
) -> Layout:
    """`units`: (name, parent name); `people`: (name, unit name, role profile code); `leaders`: (unit
    name, person name) — the person leads the unit and gets a leader login."""
    framework = default_framework_install(organisation=organisation)
    jobs = {}
    for role in ROLES:
        job = JobFunctionFactory(organisation=organisation, name=f"Stilling {role}")
        JobFunctionMapping.objects.create(
            organisation=organisation, job_function=job, framework_key=framework.key, role_profile_code=role
        )
        jobs[role] = job
    made: dict[str, OrgUnit] = {}
    for name, parent in units:
        made[name] = OrgUnitFactory(organisation=organisation, name=name, parent=made.get(parent or ""))
    persons, users = {}, {}
    for name, unit, role in people:
        person = PersonFactory(organisation=organisation, name=name)
        EngagementFactory(person=person, unit=made[unit], job_function=jobs[role])
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation, roles=["employee"])
        person.user = user
        person.save(update_fields=["user"])
        persons[name], users[name] = person, user
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=organisation, roles=["competence_admin", "top_management"])
    layout = Layout(organisation, framework, made, persons, users, jobs, admin)
    for unit, name in leaders:
        UnitLeaderFactory(unit=made[unit], person=persons[name])
        membership = users[name].memberships.get(organisation=organisation)
        membership.roles = ["employee", "leader"]
        membership.save(update_fields=["roles"])
        layout.leaders[unit] = users[name]
    return layout


def open_round(
    layout: Layout,
    *,
    visibility: str = Visibility.ANONYMOUS,
    instruments: Sequence[str] = (Instrument.SELF,),
    name: str = "Måling",
) -> Campaign:
    today = timezone.localdate()
    roots = [u for u in layout.units.values() if u.parent_id is None]
    campaign = assessment_services.campaign_create(
        actor=layout.actor(layout.admin),
        values=assessment_services.CampaignSettings(
            name=name,
            framework=layout.framework,
            opens_on=today,
            closes_on=today + dt.timedelta(days=14),
            instruments=instruments,
            visibility=visibility,
            units=[(root, True) for root in roots],
        ),
    )
    return assessment_services.campaign_open(campaign=campaign)


Levels = Callable[[str, int], int | None]  # (person name, competence id) → level or "ved ikke"


def random_levels(seed: int) -> Levels:
    def level(name: str, competence_id: int) -> int | None:
        return random.Random(f"{seed}:{name}:{competence_id}").randint(1, 4)

    return level


def answer_self(layout: Layout, campaign: Campaign, names: Sequence[str], levels: Levels) -> None:
    for name in names:
        person = layout.people[name]
        role = campaign.participants.get(person=person).role_profile_code
        competences = assessment_selectors.questionnaire_competences(
            campaign=campaign, role_profile_code=role
        )
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.SELF, respondent=layout.users[name], subject=person
        )
        assessment_services.answers_save(
            response=response, levels={c.pk: levels(name, c.pk) for c in competences}
        )
        assessment_services.response_submit(response=response)


def rate(layout: Layout, campaign: Campaign, leader: User, names: Sequence[str], levels: Levels) -> None:
    for name in names:
        person = layout.people[name]
        role = campaign.participants.get(person=person).role_profile_code
        competences = assessment_selectors.questionnaire_competences(
            campaign=campaign, role_profile_code=role
        )
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.LEADER, respondent=leader, subject=person
        )
        assessment_services.answers_save(
            response=response, levels={c.pk: levels(name, c.pk) for c in competences}
        )
        assessment_services.response_submit(response=response)


def close(campaign: Campaign) -> Campaign:
    return assessment_services.campaign_close(campaign=campaign)


def move(layout: Layout, name: str, unit: str) -> None:
    """Move a person to another unit, as a re-import does: the old engagement ends, a new one starts."""
    today = timezone.localdate()
    person = layout.people[name]
    current = Engagement.objects.get(person=person, end_date__isnull=True)
    current.end_date = today - dt.timedelta(days=1)
    current.save(update_fields=["end_date"])
    EngagementFactory(
        person=person,
        unit=layout.units[unit],
        job_function=current.job_function,
        start_date=today,
    )
