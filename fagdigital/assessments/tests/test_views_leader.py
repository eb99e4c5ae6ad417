"""The leader assessment as a leader uses it: their own team only, rated independently."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors, services
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    Evidence,
    EvidenceSource,
    Instrument,
    Response,
    ResponseStatus,
    Visibility,
)
from fagdigital.assessments.tests.conftest import Team, make_legacy_anonymous
from fagdigital.frameworks.models import Competence
from fagdigital.orgs.models import Person
from fagdigital.testing.factories import EngagementFactory, OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _competences(campaign: Campaign, count: int = 2) -> list[Competence]:
    return selectors.questionnaire_competences(campaign=campaign, role_profile_code="sosu-assistent")[:count]


def _url(name: str, campaign: Campaign, person: Person) -> str:
    return reverse(f"assessments:{name}", args=[campaign.pk, person.pk])


def _close(campaign: Campaign) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=yesterday - dt.timedelta(days=7), closes_on=yesterday
    )


def _leader_person(team: Team) -> Person:
    return Person.objects.get(user=team.leader)


def test_a_leader_rates_a_team_member_and_it_becomes_leader_evidence(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    member = team.members[0]
    first, second = _competences(campaign)
    client = client_for(team.leader)
    page = client.get(_url("leader_rate", campaign, member))
    assert page.status_code == 200
    html = page.content.decode()
    assert member.name in html
    assert team.unit.name in html
    assert f'name="comment{first.pk}"' in html
    assert "data-autosave" in html

    saved = client.post(
        _url("leader_save", campaign, member),
        {
            f"c{first.pk}": "3",
            f"c{second.pk}": "dont_know",
            f"comment{first.pk}": "Hjælper kolleger med journalen.",
        },
        headers=HX,
    )
    assert saved.status_code == 200
    assert "Gemt kl." in saved.content.decode()
    assert Answer.objects.get(competence=first).comment == "Hjælper kolleger med journalen."

    submitted = client.post(_url("leader_submit", campaign, member))
    assert submitted.status_code == 302
    # On to the next person in the list (by name), not back to the list.
    in_order = sorted(team.members, key=lambda p: (p.name, p.pk))
    following = in_order[(in_order.index(member) + 1) % len(in_order)]
    assert submitted["Location"] == _url("leader_rate", campaign, following)
    evidence = Evidence.objects.get(person=member)  # "ved ikke" gives no evidence
    assert (evidence.source, evidence.level, evidence.competence_id) == (EvidenceSource.LEADER, 3, first.pk)
    response = Response.objects.get(instrument=Instrument.LEADER, subject=member)
    assert response.respondent == team.leader
    assert response.status == ResponseStatus.SUBMITTED
    # A repeated submit changes nothing.
    again = client.post(_url("leader_submit", campaign, member), follow=True)
    assert "allerede indsendt" in again.content.decode()
    assert Evidence.objects.filter(person=member).count() == 1


def test_submitting_without_javascript_saves_the_posted_page_first(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    (first,) = _competences(campaign, 1)
    member = team.members[1]
    client = client_for(team.leader)
    submitted = client.post(_url("leader_submit", campaign, member), {f"c{first.pk}": "2"})
    assert submitted.status_code == 302
    assert Evidence.objects.get(person=member, competence=first).level == 2


def test_the_sibling_units_person_and_the_leader_themself_get_404(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    (first,) = _competences(campaign, 1)
    client = client_for(team.leader)
    for person in (team.outsider, _leader_person(team)):
        assert client.get(_url("leader_rate", campaign, person)).status_code == 404
        assert (
            client.post(_url("leader_save", campaign, person), {f"c{first.pk}": "3"}, headers=HX).status_code
            == 404
        )
        assert client.post(_url("leader_submit", campaign, person)).status_code == 404
    assert not Answer.objects.exists()
    team_page = client.get(reverse("assessments:leader_team", args=[campaign.pk])).content.decode()
    assert team.outsider.name not in team_page
    assert _leader_person(team).name not in team_page
    for member in team.members:
        assert member.name in team_page


def test_an_employee_without_the_leader_role_is_refused(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    client = client_for(team.users[0])
    colleague = team.members[1]
    assert client.get(reverse("assessments:leader_team", args=[campaign.pk])).status_code in (403, 404)
    assert client.get(_url("leader_rate", campaign, colleague)).status_code in (403, 404)
    assert client.post(_url("leader_save", campaign, colleague), {}).status_code in (403, 404)
    assert client.post(_url("leader_submit", campaign, colleague)).status_code in (403, 404)
    assert not Response.objects.filter(instrument=Instrument.LEADER).exists()


def test_a_campaign_without_the_leader_assessment_has_no_leader_pages(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    client = client_for(team.leader)
    assert client.get(reverse("assessments:leader_team", args=[campaign.pk])).status_code == 404
    assert client.get(_url("leader_rate", campaign, team.members[0])).status_code == 404


def test_the_rating_page_does_not_show_the_persons_self_assessment(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    (first,) = _competences(campaign, 1)
    member = team.members[0]
    own = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=team.users[0], subject=member
    )
    services.answers_save(response=own, levels={first.pk: 3}, comments={first.pk: "Min egen note"})
    html = client_for(team.leader).get(_url("leader_rate", campaign, member)).content.decode()
    assert re.search(rf'id="c{first.pk}-3"\s+value="3"\s*>', html)  # not checked
    assert "checked" not in html
    assert "Min egen note" not in html


def test_the_profile_link_follows_the_visibility_mode(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    member = team.members[0]
    for visibility, shown in ((Visibility.DEVELOPMENT, True), (Visibility.ANONYMOUS, False)):
        campaign = make_campaign(name=f"Måling {visibility}")
        if visibility == Visibility.ANONYMOUS:
            make_legacy_anonymous(campaign)  # anonymous rounds refuse the leader assessment now
        client = client_for(team.leader)
        client.post(_url("leader_submit", campaign, member), {f"c{_competences(campaign, 1)[0].pk}": "2"})
        profile = _url("team_member_profile", campaign, member)
        assert (profile in client.get(_url("leader_rate", campaign, member)).content.decode()) is shown
        team_page = client.get(reverse("assessments:leader_team", args=[campaign.pk])).content.decode()
        assert (profile in team_page) is shown
        assert '<span class="badge badge-success">Indsendt</span>' in team_page


def test_the_team_list_shows_each_persons_state(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    (first,) = _competences(campaign, 1)
    client = client_for(team.leader)
    client.get(_url("leader_rate", campaign, team.members[0]))  # opened, nothing saved
    client.post(_url("leader_save", campaign, team.members[1]), {f"c{first.pk}": "2"}, headers=HX)
    client.post(_url("leader_submit", campaign, team.members[2]), {f"c{first.pk}": "2"})
    html = client.get(reverse("assessments:leader_team", args=[campaign.pk])).content.decode()
    assert html.count("Ikke startet") >= 4  # three untouched, the opened one, and the filter option
    assert "Påbegyndt" in html
    assert "Du har indsendt 1 af 6 vurderinger" in html
    submitted_only = client.get(
        reverse("assessments:leader_team", args=[campaign.pk]), {"status": "submitted"}
    ).content.decode()
    assert team.members[2].name in submitted_only
    assert team.members[0].name not in submitted_only


def test_a_long_team_is_paged_searchable_and_read_in_few_queries(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    subunit = OrgUnitFactory(parent=team.unit, name="Hjemmeplejen Nord, Gruppe 2")
    for index in range(34):
        person = PersonFactory(organisation=team.organisation, name=f"Kollega {index:02d} Hansen")
        EngagementFactory(person=person, unit=subunit)
    campaign = make_campaign()
    client = client_for(team.leader)
    for member in team.members[:3]:
        client.get(_url("leader_rate", campaign, member))
    url = reverse("assessments:leader_team", args=[campaign.pk])
    # The same number for any team size: the links to the team grid add the questionnaires and answers.
    with django_assert_max_num_queries(13):
        page = client.get(url)
    html = page.content.decode()
    assert "Viser 1\u201325 af 40" in html
    assert "Hjemmeplejen Nord, Gruppe 2" in html
    with django_assert_max_num_queries(13):
        second = client.get(url, {"side": "2"}).content.decode()
    assert "Viser 26\u201340 af 40" in second
    found = client.get(url, {"q": "kollega 07"}, headers=HX)
    partial = found.content.decode()
    assert "Kollega 07 Hansen" in partial
    assert "Kollega 08 Hansen" not in partial
    assert "<h1" not in partial


def test_after_close_the_rating_is_kept_and_submitting_refused(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    (first,) = _competences(campaign, 1)
    member = team.members[0]
    client = client_for(team.leader)
    client.post(_url("leader_save", campaign, member), {f"c{first.pk}": "3"}, headers=HX)
    _close(campaign)
    refused = client.post(_url("leader_submit", campaign, member), {f"c{first.pk}": "1"})
    assert refused.status_code == 409
    assert "Målingen er lukket" in refused.content.decode()
    refused_save = client.post(_url("leader_save", campaign, member), {f"c{first.pk}": "1"}, headers=HX)
    assert refused_save.status_code == 409
    assert Answer.objects.get(competence=first).level == 3
    assert not Evidence.objects.exists()
    page = client.get(_url("leader_rate", campaign, member)).content.decode()
    assert re.search(rf'id="c{first.pk}-3"\s+value="3"\s+checked\s+disabled', page)
    assert "data-autosave" not in page


def test_an_overlong_comment_is_refused_and_nothing_saved(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    (first,) = _competences(campaign, 1)
    refused = client_for(team.leader).post(
        _url("leader_save", campaign, team.members[0]),
        {f"c{first.pk}": "3", f"comment{first.pk}": "x" * 2001},
        headers=HX,
    )
    assert refused.status_code == 409
    assert "2000 tegn" in refused.content.decode()
    assert not Answer.objects.exists()


def test_an_empty_rating_cannot_be_submitted(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    refused = client_for(team.leader).post(_url("leader_submit", campaign, team.members[0]))
    assert refused.status_code == 422
    assert "mindst én kompetence" in refused.content.decode()
    assert not Response.objects.filter(instrument=Instrument.LEADER, status=ResponseStatus.SUBMITTED).exists()
