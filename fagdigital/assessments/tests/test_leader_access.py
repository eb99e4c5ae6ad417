"""Leader access follows current leadership (docs/decisions/0012).

The organisation is built and changed through the people import, as a municipality does it: a round
opens, then a re-import moves a person from one unit to another and hands a unit to a new leader. Every
leader URL is then requested by the former and the new leaders, against the real database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors, services
from fagdigital.assessments.models import Campaign, Evidence, EvidenceSource, Instrument, Visibility
from fagdigital.conftest import actor_for
from fagdigital.frameworks.models import Framework, JobFunctionMapping
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import JobFunction, Person
from fagdigital.orgs.people_import import ImportRow
from fagdigital.orgs.selectors import leader_may_see, people_led_by
from fagdigital.orgs.services import people_import_apply, person_link_user
from fagdigital.tenancy.models import Organisation, Role
from fagdigital.tenancy.services import membership_grant

pytestmark = pytest.mark.django_db

JOB = "Social- og sundhedsassistent"
NORTH = ("Kommunen", "Hjemmeplejen Nord")
SOUTH = ("Kommunen", "Hjemmeplejen Syd")


def _row(number: str, unit: tuple[str, ...], *, leader: bool = False) -> ImportRow:
    return ImportRow(
        line=int(number) + 1,
        employee_number=number,
        name=f"{number} Hansen",  # no name is part of another
        email=f"p{number}@kommune.test",
        unit_path=unit,
        unit_external_id="",
        job_function=JOB,
        is_leader=leader,
    )


# 100 leads North, 200 leads South; 1..5 work in North, 6..8 in South; 300 will lead North later.
BEFORE = [
    _row("100", NORTH, leader=True),
    _row("200", SOUTH, leader=True),
    *(_row(str(n), NORTH) for n in range(1, 6)),
    *(_row(str(n), SOUTH) for n in range(6, 9)),
    _row("300", SOUTH),
]
# The re-import: person 1 moves North → South; North gets 300 as its leader, 100 stays but leads nothing.
AFTER = [
    _row("100", NORTH),
    _row("200", SOUTH, leader=True),
    _row("1", SOUTH),
    *(_row(str(n), NORTH) for n in range(2, 6)),
    *(_row(str(n), SOUTH) for n in range(6, 9)),
    _row("300", NORTH, leader=True),
]


@dataclass
class Moved:
    organisation: Organisation
    framework: Framework
    campaign: Campaign
    mover: Person
    former: User  # led North when the round opened; leads nothing after the re-import
    south: User  # leads South throughout: the mover's new leader
    new_north: User  # leads North after the re-import
    north_member: Person  # stays in North


def _login_for(organisation: Organisation, number: str, *roles: str) -> User:
    user = User.objects.create_user(email=f"p{number}@kommune.test", password="x" * 20)
    person_link_user(organisation=organisation, employee_number=number, user=user)
    membership_grant(user=user, organisation=organisation, roles=list(roles))
    return user


@pytest.fixture
def moved(organisation: Organisation, make_member: Callable[..., User]) -> Moved:
    today = timezone.localdate()
    framework = default_framework_install(organisation=organisation)
    people_import_apply(organisation=organisation, rows=BEFORE, today=today - dt.timedelta(days=30))
    JobFunctionMapping.objects.create(
        organisation=organisation,
        job_function=JobFunction.objects.get(organisation=organisation, name=JOB),
        framework_key=framework.key,
        role_profile_code="sosu-assistent",
    )
    former = _login_for(organisation, "100", Role.EMPLOYEE, Role.LEADER)
    south = _login_for(organisation, "200", Role.EMPLOYEE, Role.LEADER)
    new_north = _login_for(organisation, "300", Role.EMPLOYEE, Role.LEADER)
    admin = make_member(organisation, "competence_admin")
    root = Person.objects.get(organisation=organisation, employee_number="1").engagements.get().unit.parent
    assert root is not None
    campaign = services.campaign_create(
        actor=actor_for(admin, organisation),
        values=services.CampaignSettings(
            name="Forår",
            framework=framework,
            opens_on=today,
            closes_on=today + dt.timedelta(days=14),
            instruments=(Instrument.SELF, Instrument.LEADER),
            visibility=Visibility.DEVELOPMENT,
            units=[(root, True)],
        ),
    )
    campaign = services.campaign_open(campaign=campaign)
    # The re-import, today: the move and the new leader of North.
    people_import_apply(organisation=organisation, rows=AFTER, today=today)
    person = Person.objects.get
    return Moved(
        organisation=organisation,
        framework=framework,
        campaign=campaign,
        mover=person(organisation=organisation, employee_number="1"),
        former=former,
        south=south,
        new_north=new_north,
        north_member=person(organisation=organisation, employee_number="2"),
    )


def _answer_page(campaign: Campaign) -> dict[str, str]:
    competence = selectors.questionnaire_competences(campaign=campaign, role_profile_code="sosu-assistent")[0]
    return {f"c{competence.pk}": "3", f"comment{competence.pk}": "Godt arbejde"}


def _leader_urls(campaign: Campaign, person: Person) -> dict[str, tuple[str, str]]:
    args = [campaign.pk, person.pk]
    return {
        "rate": ("get", reverse("assessments:leader_rate", args=args)),
        "save": ("post", reverse("assessments:leader_save", args=args)),
        "submit": ("post", reverse("assessments:leader_submit", args=args)),
        "profile": ("get", reverse("assessments:team_member_profile", args=args)),
        "person page": ("get", reverse("orgs:person", args=[person.pk])),
    }


def _statuses(client: Client, campaign: Campaign, person: Person) -> dict[str, int]:
    result = {}
    for name, (method, url) in _leader_urls(campaign, person).items():
        if method == "get":
            result[name] = client.get(url).status_code
        else:
            result[name] = client.post(url, _answer_page(campaign)).status_code
    return result


def _team_names(client: Client, campaign: Campaign) -> str:
    response = client.get(reverse("assessments:leader_team", args=[campaign.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_former_leader_loses_every_leader_url_for_the_person_who_moved_away(
    moved: Moved, client_for: Callable[[User], Client]
) -> None:
    client = client_for(moved.former)
    assert _statuses(client, moved.campaign, moved.mover) == dict.fromkeys(
        ("rate", "save", "submit", "profile", "person page"), 404
    )
    # Leading nothing any more, the former leader sees nobody: not the mover, not those who stayed.
    assert _statuses(client, moved.campaign, moved.north_member) == dict.fromkeys(
        ("rate", "save", "submit", "profile", "person page"), 404
    )
    page = _team_names(client, moved.campaign)
    assert moved.mover.name not in page
    assert moved.north_member.name not in page
    assert not Evidence.objects.filter(source=EvidenceSource.LEADER).exists()


def test_the_new_leader_of_the_person_sees_and_rates_them(
    moved: Moved, client_for: Callable[[User], Client]
) -> None:
    client = client_for(moved.south)
    assert moved.mover.name in _team_names(client, moved.campaign)
    statuses = _statuses(client, moved.campaign, moved.mover)
    assert statuses == {"rate": 200, "save": 302, "submit": 302, "profile": 200, "person page": 200}
    rating = Evidence.objects.get(source=EvidenceSource.LEADER)
    assert rating.person_id == moved.mover.pk
    # South's leader does not see North's people.
    assert _statuses(client, moved.campaign, moved.north_member)["rate"] == 404


def test_the_new_leader_of_the_unit_sees_who_is_there_now_and_not_who_left(
    moved: Moved, client_for: Callable[[User], Client]
) -> None:
    client = client_for(moved.new_north)
    page = _team_names(client, moved.campaign)
    assert moved.north_member.name in page
    assert moved.mover.name not in page
    assert _statuses(client, moved.campaign, moved.mover) == dict.fromkeys(
        ("rate", "save", "submit", "profile", "person page"), 404
    )
    assert _statuses(client, moved.campaign, moved.north_member) == {
        "rate": 200,
        "save": 302,
        "submit": 302,
        "profile": 200,
        "person page": 200,
    }


def test_mine_counts_only_the_people_led_now(moved: Moved, client_for: Callable[[User], Client]) -> None:
    def team_size(user: User) -> int:
        items = selectors.my_campaigns(actor=actor_for(user, moved.organisation))
        return next(item.team_size for item in items if item.campaign.pk == moved.campaign.pk)

    assert team_size(moved.new_north) == 5  # 2..5 and the former leader 100, who stayed in North
    assert team_size(moved.south) == 4  # 6..8 and the mover
    assert not [
        i for i in selectors.my_campaigns(actor=actor_for(moved.former, moved.organisation)) if i.team_size
    ]


def test_a_leader_never_sees_themselves(moved: Moved) -> None:
    actor = actor_for(moved.south, moved.organisation)
    me = Person.objects.get(user=moved.south)
    assert not leader_may_see(actor=actor, person_id=me.pk)
    assert me not in people_led_by(actor=actor)
    assert leader_may_see(actor=actor, person_id=moved.mover.pk)


def test_a_rounds_profile_page_shows_that_rounds_results_only(
    moved: Moved, client_for: Callable[[User], Client]
) -> None:
    """A later round's result must not appear on an earlier round's page for the leader."""
    competence = selectors.questionnaire_competences(
        campaign=moved.campaign, role_profile_code="sosu-assistent"
    )[0]
    mover_user = _login_for(moved.organisation, "1", Role.EMPLOYEE)
    response = services.response_get_or_create(
        campaign=moved.campaign, instrument=Instrument.SELF, respondent=mover_user, subject=moved.mover
    )
    services.answers_save(response=response, levels={competence.pk: 2})
    services.response_submit(response=response)
    # Evidence from another (later) development round, level 4.
    later = Campaign.objects.create(
        organisation=moved.organisation,
        name="Efterår",
        framework=moved.framework,
        status="open",
        opens_on=moved.campaign.opens_on,
        closes_on=moved.campaign.closes_on,
        instruments=[Instrument.SELF],
        visibility=Visibility.DEVELOPMENT,
    )
    Evidence.objects.create(
        organisation=moved.organisation,
        person=moved.mover,
        competence=competence,
        source=EvidenceSource.SELF,
        level=4,
        observed_on=timezone.localdate() + dt.timedelta(days=1),
        campaign=later,
    )
    client = client_for(moved.south)
    page = client.get(reverse("assessments:team_member_profile", args=[moved.campaign.pk, moved.mover.pk]))
    assert page.status_code == 200
    assert page.context["profile"].round_name == "Forår"
    item = next(i for i in page.context["profile"].items if i.competence.pk == competence.pk)
    assert [s.level for s in item.sources] == [2]
    assert item.estimate is not None and item.estimate.level == 2
    assert "Kun resultaterne fra målingen »Forår« er med her." in page.content.decode()
