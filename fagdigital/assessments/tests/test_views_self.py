"""The self-assessment as an employee uses it: autosave, resume, submit once, and after close."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.assessments import selectors
from fagdigital.assessments.models import Answer, Campaign, Evidence, Instrument, Response, ResponseStatus
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import Area, Competence

pytestmark = pytest.mark.django_db


def _first_competences(campaign: Campaign, count: int = 2) -> list[Competence]:
    """The first competences a SOSU assistant answers, all in the questionnaire's first area."""
    competences = selectors.questionnaire_competences(campaign=campaign, role_profile_code="sosu-assistent")
    first_area = [c for c in competences if c.area_id == competences[0].area_id]
    return first_area[:count]


def _login(client: Client, team: Team, index: int = 0) -> Client:
    client.force_login(team.users[index])
    return client


def test_pages_show_the_visibility_mode_before_answering(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign(visibility="anonymous")
    page = _login(client, team).get(reverse("assessments:self_start", args=[campaign.pk]))
    assert page.status_code == 200
    assert "Anonym måling" in page.content.decode()


def test_an_autosaved_answer_is_there_after_reload(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    first, second = _first_competences(campaign)
    client = _login(client, team)
    saved = client.post(
        reverse("assessments:self_save", args=[campaign.pk]),
        {f"c{first.pk}": "3", f"c{second.pk}": "dont_know"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert "Gemt kl." in saved.content.decode()
    page = client.get(reverse("assessments:self_area", args=[campaign.pk, first.area_id]))
    html = page.content.decode()
    assert re.search(rf'id="c{first.pk}-3"\s+value="3"\s+checked', html)
    assert re.search(rf'id="c{second.pk}-dont-know"\s+value="dont_know"\s+checked', html)


def test_resaving_the_same_page_changes_nothing(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    (first,) = _first_competences(campaign, 1)
    client = _login(client, team)
    url = reverse("assessments:self_save", args=[campaign.pk])
    client.post(url, {f"c{first.pk}": "2"}, headers={"HX-Request": "true"})
    before = Answer.objects.get(competence=first).updated_at
    client.post(url, {f"c{first.pk}": "2"}, headers={"HX-Request": "true"})
    assert Answer.objects.get(competence=first).updated_at == before
    assert Answer.objects.count() == 1


def test_a_bad_answer_saves_nothing_and_says_why(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    first, second = _first_competences(campaign)
    client = _login(client, team)
    response = client.post(
        reverse("assessments:self_save", args=[campaign.pk]),
        {f"c{first.pk}": "3", f"c{second.pk}": "9"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "Vælg et af niveauerne" in response.content.decode()
    assert not Answer.objects.exists()


def test_without_javascript_save_moves_to_the_next_area(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    (first,) = _first_competences(campaign, 1)
    areas = list(Area.objects.filter(framework=campaign.framework).order_by("position"))
    response = _login(client, team).post(
        reverse("assessments:self_save", args=[campaign.pk]),
        {f"c{first.pk}": "4", "next_area": str(areas[1].pk)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:self_area", args=[campaign.pk, areas[1].pk])
    assert Answer.objects.get(competence=first).level == 4


def test_repeated_submits_give_one_submission(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    (first,) = _first_competences(campaign, 1)
    client = _login(client, team)
    client.post(
        reverse("assessments:self_save", args=[campaign.pk]),
        {f"c{first.pk}": "3"},
        headers={"HX-Request": "true"},
    )
    url = reverse("assessments:self_review", args=[campaign.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    response = Response.objects.get(instrument=Instrument.SELF)
    assert response.status == ResponseStatus.SUBMITTED
    assert Evidence.objects.filter(response=response).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_give_one_submission(team: Team, make_campaign: Callable[..., Campaign]) -> None:
    """Two tabs submitting at the same moment: the row lock makes one of them a no-op."""
    campaign = make_campaign()
    competences = _first_competences(campaign, 2)
    user = team.users[0]
    setup = Client()
    setup.force_login(user)
    setup.post(
        reverse("assessments:self_save", args=[campaign.pk]),
        {f"c{c.pk}": "3" for c in competences},
        headers={"HX-Request": "true"},
    )

    def submit(_index: int) -> int:
        client = Client()
        client.force_login(user)
        try:
            return client.post(reverse("assessments:self_review", args=[campaign.pk])).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(submit, range(4)))
    assert codes == [302] * 4
    response = Response.objects.get(instrument=Instrument.SELF)
    assert Evidence.objects.filter(response=response).count() == 2
    assert Response.objects.filter(instrument=Instrument.SELF).count() == 1


def test_changes_after_submitting_count_once_resubmitted(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    (first,) = _first_competences(campaign, 1)
    client = _login(client, team)
    save = reverse("assessments:self_save", args=[campaign.pk])
    review = reverse("assessments:self_review", args=[campaign.pk])
    client.post(save, {f"c{first.pk}": "2"}, headers={"HX-Request": "true"})
    client.post(review)
    client.post(save, {f"c{first.pk}": "4"}, headers={"HX-Request": "true"})
    assert Response.objects.get(instrument=Instrument.SELF).changed_since_submit
    assert Evidence.objects.get(competence=first).level == 2  # not yet resubmitted
    client.post(review)
    evidence = Evidence.objects.get(competence=first)
    assert evidence.level == 4


def test_after_close_the_draft_is_shown_and_submit_refused(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    (first,) = _first_competences(campaign, 1)
    client = _login(client, team)
    client.post(
        reverse("assessments:self_save", args=[campaign.pk]),
        {f"c{first.pk}": "3"},
        headers={"HX-Request": "true"},
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=yesterday - dt.timedelta(days=7), closes_on=yesterday
    )

    refused = client.post(reverse("assessments:self_review", args=[campaign.pk]))
    assert refused.status_code == 409
    assert "Målingen er lukket" in refused.content.decode()
    refused_save = client.post(
        reverse("assessments:self_save", args=[campaign.pk]),
        {f"c{first.pk}": "1"},
        headers={"HX-Request": "true"},
    )
    assert refused_save.status_code == 409
    assert Answer.objects.get(competence=first).level == 3
    assert not Evidence.objects.exists()
    page = client.get(reverse("assessments:self_area", args=[campaign.pk, first.area_id])).content.decode()
    assert re.search(rf'id="c{first.pk}-3"\s+value="3"\s+checked\s+disabled', page)
    assert "data-autosave" not in page


def test_people_outside_the_campaign_get_404(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign(units=[(team.unit, False)])
    client.force_login(team.admin)  # no person record
    assert client.get(reverse("assessments:self_start", args=[campaign.pk])).status_code == 404


def test_mine_lists_open_campaigns_with_state(
    team: Team, make_campaign: Callable[..., Campaign], client: Client, django_assert_max_num_queries: Any
) -> None:
    campaign = make_campaign()
    client = _login(client, team)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("assessments:mine"))
    html = page.content.decode()
    assert campaign.name in html
    assert "Start selvvurderingen" in html
