"""The leader's team grid over real HTTP and PostgreSQL: who is on it, per-cell saves, submissions.

Who a leader may rate is `orgs.selectors.people_led_by` / `leader_may_see` (decision 0012); the tests
change the organisation the way a municipality does (an engagement ends, a new unit) and check the grid
follows, and that a save or submission for anyone else is a 404 that writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors, services
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    CompetenceEstimate,
    Evidence,
    EvidenceSource,
    Instrument,
    Response,
    ResponseStatus,
)
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import Area, Competence
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import Engagement, Person
from fagdigital.testing.factories import (
    EngagementFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}
ROLE = "sosu-assistent"


def _area(campaign: Campaign, code: str) -> Area:
    return Area.objects.get(framework=campaign.framework, code=code)


def _asked(campaign: Campaign, code: str) -> list[Competence]:
    """The competences of an area a SOSU assistant is asked, in questionnaire order."""
    return [
        c
        for c in selectors.questionnaire_competences(campaign=campaign, role_profile_code=ROLE)
        if c.area.code == code
    ]


def _grid(campaign: Campaign, area: Area) -> str:
    return reverse("assessments:leader_grid", args=[campaign.pk, area.pk])


def _cell(name: str, campaign: Campaign, area: Area, person: Person) -> str:
    return reverse(f"assessments:leader_grid_{name}", args=[campaign.pk, area.pk, person.pk])


def _close(campaign: Campaign) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=yesterday - dt.timedelta(days=7), closes_on=yesterday
    )


def _leader_person(team: Team) -> Person:
    return Person.objects.get(user=team.leader)


def _rating(campaign: Campaign, team: Team, person: Person) -> Response:
    return Response.objects.get(
        campaign=campaign, instrument=Instrument.LEADER, respondent=team.leader, subject=person
    )


def _rate_all(client: Client, campaign: Campaign, person: Person, level: str = "2") -> None:
    """Answer every competence of the person's questionnaire, one area's grid at a time."""
    for code in ("BK", "DS"):
        area = _area(campaign, code)
        data = {f"c{c.pk}": level for c in _asked(campaign, code)}
        assert client.post(_cell("save", campaign, area, person), data, headers=JSON).status_code == 200


# --- Who is on the grid ----------------------------------------------------------------------------


def test_the_grid_shows_the_people_the_leader_leads_now_by_the_areas_competences(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    # One member's engagement ends: from today the leader no longer leads them (decision 0012).
    gone = team.members[5]
    Engagement.objects.filter(person=gone).update(end_date=timezone.localdate() - dt.timedelta(days=1))
    area = _area(campaign, "DS")
    client = client_for(team.leader)
    page = client.get(_grid(campaign, area))
    assert page.status_code == 200
    html = page.content.decode()
    for member in team.members[:5]:
        assert f'id="r{member.pk}"' in html
        assert member.name in html
    for stranger in (team.outsider, _leader_person(team), gone):
        assert f'id="r{stranger.pk}"' not in html
    asked = _asked(campaign, "DS")
    assert len(asked) == 8
    columns = re.findall(r'<th scope="col"\s+id="col(\d+)"', html)
    assert columns == [str(c.pk) for c in asked]
    assert html.count('class="lg-cell"') == 5 * 8
    # Every level descriptor of the area's competences is on the page for the side panel and chooser.
    assert asked[0].descriptors.get(level=3).text_da in html
    assert 'data-readonly="false"' in html
    assert (
        client.post(_cell("save", campaign, area, gone), {f"c{asked[0].pk}": "2"}, headers=JSON).status_code
        == 404
    )


def test_the_persons_own_answers_are_never_on_the_grid(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    member = team.members[0]
    (first, *_rest) = _asked(campaign, "BK")
    own = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=team.users[0], subject=member
    )
    services.answers_save(response=own, levels={first.pk: 4}, comments={first.pk: "Min egen note"})
    html = client_for(team.leader).get(_grid(campaign, _area(campaign, "BK"))).content.decode()
    assert "Min egen note" not in html
    assert 'data-value="4"' not in html
    assert "selected>4" not in html


def test_strangers_the_leader_themself_and_another_organisation_get_404(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    make_leader: Callable[..., User],
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "BK")
    first = _asked(campaign, "BK")[0]
    client = client_for(team.leader)
    for person in (team.outsider, _leader_person(team)):
        assert (
            client.post(
                _cell("save", campaign, area, person), {f"c{first.pk}": "3"}, headers=JSON
            ).status_code
            == 404
        )
        assert client.post(_cell("submit", campaign, area, person), {f"c{first.pk}": "3"}).status_code == 404
    # Another municipality's round, area and people: 404 whatever is combined with what.
    other = OrganisationFactory(name="Anden Kommune")
    other_framework = default_framework_install(organisation=other)
    other_area = other_framework.areas.get(code="BK")
    other_person = PersonFactory(organisation=other, name="Hemmelige Hansen")
    other_campaign = Campaign.objects.create(
        organisation=other,
        name="Deres måling",
        framework=other_framework,
        status="open",
        opens_on=campaign.opens_on,
        closes_on=campaign.closes_on,
        instruments=["leader"],
        visibility="development",
    )
    assert client.get(_grid(other_campaign, other_area)).status_code == 404
    assert client.get(_grid(campaign, other_area)).status_code == 404
    assert client.post(_cell("save", campaign, area, other_person), {}, headers=JSON).status_code == 404
    assert (
        client.post(_cell("save", other_campaign, other_area, other_person), {}, headers=JSON).status_code
        == 404
    )
    submit_all = reverse("assessments:leader_grid_submit_finished", args=[other_campaign.pk, other_area.pk])
    assert client.post(submit_all).status_code == 404
    # An employee without the leader role reaches nothing.
    employee = client_for(team.users[1])
    assert employee.get(_grid(campaign, area)).status_code in (403, 404)
    assert employee.post(
        _cell("save", campaign, area, team.members[0]), {f"c{first.pk}": "3"}
    ).status_code in (403, 404)
    assert not Answer.objects.filter(response__instrument=Instrument.LEADER).exists()


# --- Saving a cell ---------------------------------------------------------------------------------


def test_a_cell_saves_on_its_own_and_saving_it_again_changes_nothing(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "BK")
    first, second, *_rest = _asked(campaign, "BK")
    member = team.members[0]
    client = client_for(team.leader)
    url = _cell("save", campaign, area, member)

    saved = client.post(url, {f"c{first.pk}": "3"}, headers=JSON)
    assert saved.status_code == 200
    data = saved.json()
    assert data["ok"] is True
    assert data["message"].startswith("Gemt kl.")
    assert data["values"] == {str(first.pk): "3"}
    assert (data["status"], data["area_finished"], data["finished"]) == ("draft", False, False)
    assert "1 af 6 her" in data["status_html"]
    assert "1 af 14 i alt" in data["status_html"]
    answer = Answer.objects.get(response__subject=member, competence=first)
    assert answer.level == 3
    response = _rating(campaign, team, member)

    # The same value again (a retry, a second tab): nothing is written.
    again = client.post(url, {f"c{first.pk}": "3"}, headers=JSON)
    assert again.status_code == 200
    answer_after = Answer.objects.get(pk=answer.pk)
    assert answer_after.updated_at == answer.updated_at
    assert _rating(campaign, team, member).saved_at == response.saved_at

    # "ved ikke", then withdrawing the answer.
    client.post(url, {f"c{second.pk}": "dont_know"}, headers=JSON)
    assert Answer.objects.get(response=response, competence=second).level is None
    cleared = client.post(url, {f"c{second.pk}": ""}, headers=JSON)
    assert cleared.json()["values"] == {str(second.pk): ""}
    assert not Answer.objects.filter(response=response, competence=second).exists()
    assert Answer.objects.filter(response=response).count() == 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["1", "2", "3", "4", "dont_know", ""])), max_size=25
    )
)
def test_any_sequence_of_cell_saves_leaves_the_last_value_of_each_cell(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    saves: list[tuple[int, str]],
) -> None:
    campaign = Campaign.objects.filter(name="Egenskab").first() or make_campaign(name="Egenskab")
    area = _area(campaign, "BK")
    asked = _asked(campaign, "BK")
    member = team.members[0]
    Answer.objects.filter(response__campaign=campaign).delete()
    client = client_for(team.leader)
    expected: dict[int, str] = {}
    for index, value in saves:
        competence = asked[index]
        assert (
            client.post(
                _cell("save", campaign, area, member), {f"c{competence.pk}": value}, headers=JSON
            ).status_code
            == 200
        )
        expected[competence.pk] = value
    stored = {
        a.competence_id: "dont_know" if a.level is None else str(a.level)
        for a in Answer.objects.filter(response__campaign=campaign, response__subject=member)
    }
    assert stored == {c: v for c, v in expected.items() if v != ""}


def test_a_bad_cell_is_refused_whole_and_saves_nothing(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "BK")
    bk = _asked(campaign, "BK")[0]
    ds = _asked(campaign, "DS")[0]
    client = client_for(team.leader)
    url = _cell("save", campaign, area, team.members[0])
    outside = client.post(url, {f"c{bk.pk}": "2", f"c{ds.pk}": "2"}, headers=JSON)
    assert outside.status_code == 422
    assert "hører ikke til dette fokusområde" in outside.json()["message"]
    for value in ("5", "0", "x", "99"):
        refused = client.post(url, {f"c{bk.pk}": value}, headers=JSON)
        assert refused.status_code == 422, value
        assert "Vælg et af niveauerne" in refused.json()["message"]
    assert not Answer.objects.filter(response__instrument=Instrument.LEADER).exists()


def test_withdrawing_an_answer_with_a_comment_is_refused_so_the_comment_is_kept(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "BK")
    first = _asked(campaign, "BK")[0]
    member = team.members[0]
    client = client_for(team.leader)
    client.post(
        reverse("assessments:leader_save", args=[campaign.pk, member.pk]),
        {f"c{first.pk}": "2", f"comment{first.pk}": "Hjælper nye kolleger."},
    )
    html = client.get(_grid(campaign, area)).content.decode()
    assert "Har en kommentar" in html
    refused = client.post(_cell("save", campaign, area, member), {f"c{first.pk}": ""}, headers=JSON)
    assert refused.status_code == 409
    assert "kommentar" in refused.json()["message"]
    assert Answer.objects.get(competence=first).comment == "Hjælper nye kolleger."
    # Changing the level keeps the comment.
    client.post(_cell("save", campaign, area, member), {f"c{first.pk}": "3"}, headers=JSON)
    answer = Answer.objects.get(competence=first)
    assert (answer.level, answer.comment) == (3, "Hjælper nye kolleger.")


def test_without_javascript_a_row_is_a_form_that_saves_and_comes_back_to_the_row(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "BK")
    asked = _asked(campaign, "BK")
    member = team.members[2]
    client = client_for(team.leader)
    html = client.get(_grid(campaign, area)).content.decode()
    assert f'<form id="f{member.pk}"' in html
    assert f'form="f{member.pk}"' in html
    # The row's selects post every cell: answered ones with a value, the rest empty.
    data = {f"c{c.pk}": "" for c in asked} | {
        f"c{asked[0].pk}": "4",
        f"c{asked[1].pk}": "dont_know",
        "side": "1",
    }
    saved = client.post(_cell("save", campaign, area, member), data)
    assert saved.status_code == 302
    assert saved["Location"] == _grid(campaign, area) + f"#r{member.pk}"
    levels = dict(Answer.objects.filter(response__subject=member).values_list("competence_id", "level"))
    assert levels == {asked[0].pk: 4, asked[1].pk: None}
    page = client.get(saved["Location"]).content.decode()
    assert "Din vurdering af" in page
    assert re.search(r'<option value="4"\s+selected>', page)
    # "Indsend" in the row submits the posted row.
    submitted = client.post(_cell("submit", campaign, area, member), data)
    assert submitted.status_code == 302
    assert Evidence.objects.get(person=member, source=EvidenceSource.LEADER).level == 4


# --- Submitting --------------------------------------------------------------------------------------


def test_submitting_one_person_from_the_grid_is_idempotent(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "BK")
    first = _asked(campaign, "BK")[0]
    member = team.members[0]
    client = client_for(team.leader)
    empty = client.post(_cell("submit", campaign, area, member), headers=JSON)
    assert empty.status_code == 422
    assert "mindst én kompetence" in empty.json()["message"]
    client.post(_cell("save", campaign, area, member), {f"c{first.pk}": "3"}, headers=JSON)
    submitted = client.post(_cell("submit", campaign, area, member), headers=JSON)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert "er indsendt" in submitted.json()["message"]
    again = client.post(_cell("submit", campaign, area, member), headers=JSON)
    assert "allerede indsendt" in again.json()["message"]
    assert Evidence.objects.filter(person=member).count() == 1
    # A change after submitting shows as changed until submitted again.
    changed = client.post(_cell("save", campaign, area, member), {f"c{first.pk}": "4"}, headers=JSON)
    assert changed.json()["status"] == "changed"
    client.post(_cell("submit", campaign, area, member), headers=JSON)
    assert Evidence.objects.get(person=member).level == 4


def test_a_withdrawn_answer_withdraws_its_evidence_when_submitted_again(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "BK")
    first, second, *_rest = _asked(campaign, "BK")
    member = team.members[0]
    client = client_for(team.leader)
    client.post(
        _cell("save", campaign, area, member), {f"c{first.pk}": "3", f"c{second.pk}": "2"}, headers=JSON
    )
    client.post(_cell("submit", campaign, area, member), headers=JSON)
    assert Evidence.objects.filter(person=member).count() == 2
    client.post(_cell("save", campaign, area, member), {f"c{second.pk}": ""}, headers=JSON)
    assert Evidence.objects.filter(person=member).count() == 2  # counts only when submitted
    client.post(_cell("submit", campaign, area, member), headers=JSON)
    assert list(Evidence.objects.filter(person=member).values_list("competence_id", flat=True)) == [first.pk]
    assert set(CompetenceEstimate.objects.filter(person=member).values_list("competence_id", flat=True)) == {
        first.pk
    }


def test_submit_all_finished_submits_exactly_the_finished_unsubmitted_ratings(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "DS")
    client = client_for(team.leader)
    finished, partial, submitted, changed = team.members[:4]
    _rate_all(client, campaign, finished, "3")
    client.post(
        _cell("save", campaign, area, partial), {f"c{_asked(campaign, 'DS')[0].pk}": "2"}, headers=JSON
    )
    for person in (submitted, changed):
        _rate_all(client, campaign, person, "2")
        client.post(_cell("submit", campaign, area, person), headers=JSON)
    ds1 = _asked(campaign, "DS")[0]
    client.post(_cell("save", campaign, area, changed), {f"c{ds1.pk}": "4"}, headers=JSON)
    submitted_at = _rating(campaign, team, submitted).submitted_at

    grid = client.get(_grid(campaign, area)).content.decode()
    assert re.search(r'data-count="submittable">2<', grid)
    url = reverse("assessments:leader_grid_submit_finished", args=[campaign.pk, area.pk])
    done = client.post(url, follow=True)
    assert "2 vurderinger er indsendt" in done.content.decode()
    assert _rating(campaign, team, finished).status == ResponseStatus.SUBMITTED
    assert Evidence.objects.filter(person=finished, source=EvidenceSource.LEADER).count() == 14
    assert set(Evidence.objects.filter(person=finished).values_list("level", flat=True)) == {3}
    assert _rating(campaign, team, partial).status == ResponseStatus.DRAFT
    assert not Evidence.objects.filter(person=partial).exists()
    assert _rating(campaign, team, submitted).submitted_at == submitted_at
    assert Evidence.objects.get(person=changed, competence=ds1).level == 4
    assert not _rating(campaign, team, changed).changed_since_submit
    # Again: nothing is finished and unsubmitted any more.
    again = client.post(url, follow=True)
    assert "ingen færdige vurderinger" in again.content.decode()
    assert Evidence.objects.filter(person__in=[finished, changed]).count() == 28


# --- A closed round -----------------------------------------------------------------------------------


def test_a_closed_rounds_grid_is_read_only_and_refuses_every_change(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    area = _area(campaign, "BK")
    first = _asked(campaign, "BK")[0]
    member = team.members[0]
    client = client_for(team.leader)
    client.post(_cell("save", campaign, area, member), {f"c{first.pk}": "3"}, headers=JSON)
    _close(campaign)
    html = client.get(_grid(campaign, area)).content.decode()
    assert 'data-readonly="true"' in html
    assert "Målingen er lukket" in html
    assert "<form" not in html.split('id="rating-grid"', 1)[1].split("</table>", 1)[0]
    assert "indsend-faerdige" not in html
    assert 'data-value="3"' in html
    refused = client.post(_cell("save", campaign, area, member), {f"c{first.pk}": "1"}, headers=JSON)
    assert refused.status_code == 409
    assert "Målingen er lukket" in refused.json()["message"]
    assert client.post(_cell("submit", campaign, area, member), headers=JSON).status_code == 409
    never_rated = team.members[1]
    assert (
        client.post(
            _cell("save", campaign, area, never_rated), {f"c{first.pk}": "1"}, headers=JSON
        ).status_code
        == 409
    )
    submit_all = client.post(
        reverse("assessments:leader_grid_submit_finished", args=[campaign.pk, area.pk]), follow=True
    )
    assert submit_all.status_code == 200
    assert Answer.objects.get(competence=first).level == 3
    assert not Evidence.objects.exists()
    assert not Response.objects.filter(subject=never_rated, instrument=Instrument.LEADER).exists()
    team_page = client.get(reverse("assessments:leader_team", args=[campaign.pk])).content.decode()
    assert "Se teamet i" in team_page
    assert "Vurdér teamet i" not in team_page


# --- The per-person page: on to the next person ------------------------------------------------------


def test_after_submitting_one_person_the_next_unsubmitted_person_follows(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    first = _asked(campaign, "BK")[0]
    client = client_for(team.leader)
    in_order = sorted(team.members, key=lambda p: (p.name, p.pk))
    # The third person in the list is submitted already; the second person is next to the first.
    client.post(
        reverse("assessments:leader_submit", args=[campaign.pk, in_order[2].pk]), {f"c{first.pk}": "2"}
    )
    after_first = client.post(
        reverse("assessments:leader_submit", args=[campaign.pk, in_order[0].pk]), {f"c{first.pk}": "2"}
    )
    assert after_first["Location"] == reverse("assessments:leader_rate", args=[campaign.pk, in_order[1].pk])
    after_second = client.post(
        reverse("assessments:leader_submit", args=[campaign.pk, in_order[1].pk]), {f"c{first.pk}": "2"}
    )
    # The third is skipped (submitted): on to the fourth, not back to page 1 of the list.
    assert after_second["Location"] == reverse("assessments:leader_rate", args=[campaign.pk, in_order[3].pk])
    for person in in_order[3:5]:
        client.post(
            reverse("assessments:leader_submit", args=[campaign.pk, person.pk]), {f"c{first.pk}": "2"}
        )
    # The last one wraps round to nobody left: back to the list, which says so.
    last = client.post(
        reverse("assessments:leader_submit", args=[campaign.pk, in_order[5].pk]),
        {f"c{first.pk}": "2"},
        follow=True,
    )
    assert last.redirect_chain[-1][0] == reverse("assessments:leader_team", args=[campaign.pk])
    assert "alle dine medarbejdere" in last.content.decode()
    # The page itself names who comes next.
    client.post(
        reverse("assessments:leader_save", args=[campaign.pk, in_order[4].pk]),
        {f"c{first.pk}": "3"},
    )
    page = client.get(reverse("assessments:leader_rate", args=[campaign.pk, in_order[0].pk])).content.decode()
    assert f"går du videre til {in_order[4].name}" in page


def test_the_team_page_links_to_each_areas_grid_and_to_the_next_person(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    client = client_for(team.leader)
    html = client.get(reverse("assessments:leader_team", args=[campaign.pk])).content.decode()
    for code in ("BK", "DS"):
        assert _grid(campaign, _area(campaign, code)) in html
    assert _grid(campaign, _area(campaign, "DL")) not in html  # nobody on the team is asked about it
    assert "6 kompetencer" in html
    first = sorted(team.members, key=lambda p: (p.name, p.pk))[0]
    assert f"Fortsæt med {first.name}" in html


def test_a_large_team_grid_is_read_in_a_fixed_number_of_queries_and_paged(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    subunit = OrgUnitFactory(parent=team.unit, name="Hjemmeplejen Nord, Aften")
    job = Engagement.objects.filter(person=team.members[0]).get().job_function
    for index in range(54):
        person = PersonFactory(organisation=team.organisation, name=f"Kollega {index:02d} Jensen")
        EngagementFactory(person=person, unit=subunit, job_function=job)
    campaign = make_campaign()
    area = _area(campaign, "BK")
    client = client_for(team.leader)
    _rate_all(client, campaign, team.members[0])
    # However many people: the team, the ratings, their answers, the questionnaires and the descriptors.
    with django_assert_max_num_queries(16):
        first_page = client.get(_grid(campaign, area)).content.decode()
    assert first_page.count('<tr id="r') == 50
    assert "Side 1 af 2" in first_page
    with django_assert_max_num_queries(16):
        second_page = client.get(_grid(campaign, area), {"side": "2"}).content.decode()
    assert second_page.count('<tr id="r') == 60 - 50
