"""The chiefs' survey as top management answers it: autosave, submit once, only for chiefs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments.models import (
    Campaign,
    Evidence,
    Instrument,
    Response,
    ResponseStatus,
    SurveyAnswer,
    SurveyItem,
)
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import Area

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def chief(team: Team, make_member: Callable[..., User]) -> User:
    return make_member(team.organisation, "top_management")


def _url(name: str, campaign: Campaign) -> str:
    return reverse(f"assessments:{name}", args=[campaign.pk])


def _items(campaign: Campaign) -> list[SurveyItem]:
    return list(SurveyItem.objects.filter(campaign=campaign).order_by("position"))


def test_the_survey_autosaves_and_keeps_the_answers_on_reload(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign()
    first, second = _items(campaign)[:2]
    client = client_for(chief)
    page = client.get(_url("survey", campaign))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "I hvor høj grad besidder medarbejderne de digitale kompetencer, som kommunen har behov for?" in html
    )
    for label in ("Slet ikke", "I mindre grad", "I nogen grad", "I høj grad", "I meget høj grad", "Ved ikke"):
        assert label in html
    assert "direktion og kompetencekonsulenter" in html
    assert not Response.objects.exists()  # looking is not answering
    saved = client.post(
        _url("survey_save", campaign), {f"s{first.pk}": "4", f"s{second.pk}": "dont_know"}, headers=HX
    )
    assert saved.status_code == 200
    assert "Gemt kl." in saved.content.decode()
    assert "2 af" in saved.content.decode()
    reloaded = client.get(_url("survey", campaign)).content.decode()
    assert re.search(rf'id="s{first.pk}-4"\s+value="4"\s+checked', reloaded)
    assert re.search(rf'id="s{second.pk}-dont-know"\s+value="dont_know"\s+checked', reloaded)
    assert SurveyAnswer.objects.get(item=second).value is None


def test_the_headline_statements_come_first_then_each_focus_area(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign()
    html = client_for(chief).get(_url("survey", campaign)).content.decode()
    items = _items(campaign)
    headline = [i for i in items if not i.area_code and not i.theme]
    by_area = [i for i in items if i.area_code]
    themed = [i for i in items if i.theme in ("barrier", "need")]
    assert headline and by_area and themed
    last_headline = max(html.index(f'id="item-{i.pk}"') for i in headline)
    assert all(html.index(f'id="item-{i.pk}"') > last_headline for i in by_area)
    # Barriers, then needs, after every focus area; each statement says where its wording comes from.
    last_area = max(html.index(f'id="item-{i.pk}"') for i in by_area)
    assert all(html.index(f'id="item-{i.pk}"') > last_area for i in themed)
    assert html.index("Barrierer for kommunens digitalisering") < html.index("Kommunens behov for at styrke")
    assert "Som i Rambølls IT i Praksis (ordlyd efter artiklens gengivelse)" in html
    assert "fagdigitals eget spørgsmål" in html
    areas = Area.objects.filter(framework=campaign.framework, code__in={i.area_code for i in by_area})
    positions = [html.index(area.name_da) for area in areas.order_by("position")]
    assert positions == sorted(positions)


def test_submitting_twice_gives_one_submission_and_changes_can_be_resubmitted(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign()
    (first,) = _items(campaign)[:1]
    client = client_for(chief)
    refused = client.post(_url("survey_submit", campaign), {f"s{first.pk}": "5"})
    assert refused.status_code == 409
    assert "Vælg, hvilken rolle du svarer ud fra, før du indsender." in refused.content.decode()
    assert SurveyAnswer.objects.get(item=first).value == 5  # the answer on the page is kept
    submitted = client.post(
        _url("survey_submit", campaign), {f"s{first.pk}": "5", "respondent_type": "fagchef"}
    )
    assert submitted.status_code == 302
    response = Response.objects.get(instrument=Instrument.CHIEFS)
    assert response.status == ResponseStatus.SUBMITTED
    submitted_at = response.submitted_at
    again = client.post(_url("survey_submit", campaign), {f"s{first.pk}": "5"}, follow=True)
    assert "allerede indsendt" in again.content.decode()
    response.refresh_from_db()
    assert response.submitted_at == submitted_at
    assert Response.objects.filter(instrument=Instrument.CHIEFS).count() == 1
    assert not Evidence.objects.exists()  # the organisation's statements are not evidence about a person

    client.post(_url("survey_save", campaign), {f"s{first.pk}": "3"}, headers=HX)
    response.refresh_from_db()
    assert response.changed_since_submit
    assert "Indsend igen" in client.get(_url("survey", campaign)).content.decode()
    resubmitted = client.post(_url("survey_submit", campaign), follow=True)
    assert "Dine ændringer i ledelsesmålingen er indsendt" in resubmitted.content.decode()
    response.refresh_from_db()
    assert not response.changed_since_submit
    assert SurveyAnswer.objects.get(item=first).value == 3


def test_a_plain_employee_cannot_answer_the_survey(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    (first,) = _items(campaign)[:1]
    client = client_for(team.users[0])
    assert client.get(_url("survey", campaign)).status_code in (403, 404)
    assert client.post(_url("survey_save", campaign), {f"s{first.pk}": "4"}, headers=HX).status_code in (
        403,
        404,
    )
    assert client.post(_url("survey_submit", campaign)).status_code in (403, 404)
    assert not Response.objects.filter(instrument=Instrument.CHIEFS).exists()


def test_a_campaign_without_the_survey_has_no_survey_page(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    assert client_for(chief).get(_url("survey", campaign)).status_code == 404


def test_bad_answers_are_refused_and_nothing_of_the_page_saved(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign()
    first, second = _items(campaign)[:2]
    other = make_campaign(name="En anden måling")
    foreign = _items(other)[0]
    client = client_for(chief)
    for data in ({f"s{first.pk}": "4", f"s{second.pk}": "6"}, {f"s{first.pk}": "4", f"s{foreign.pk}": "2"}):
        refused = client.post(_url("survey_save", campaign), data, headers=HX)
        assert refused.status_code == 409
    assert not SurveyAnswer.objects.exists()


def test_after_close_the_answers_are_kept_and_submitting_refused(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign()
    (first,) = _items(campaign)[:1]
    client = client_for(chief)
    client.post(_url("survey_save", campaign), {f"s{first.pk}": "2"}, headers=HX)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=yesterday - dt.timedelta(days=7), closes_on=yesterday
    )
    refused = client.post(_url("survey_submit", campaign))
    assert refused.status_code == 409
    assert "Målingen er lukket" in refused.content.decode()
    assert client.post(_url("survey_save", campaign), {f"s{first.pk}": "5"}, headers=HX).status_code == 409
    assert SurveyAnswer.objects.get(item=first).value == 2
    assert Response.objects.get(instrument=Instrument.CHIEFS).status == ResponseStatus.DRAFT
    page = client.get(_url("survey", campaign)).content.decode()
    assert re.search(rf'id="s{first.pk}-2"\s+value="2"\s+checked\s+disabled', page)
    assert "data-autosave" not in page


def test_without_javascript_saving_returns_to_the_survey(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign()
    (first,) = _items(campaign)[:1]
    saved = client_for(chief).post(_url("survey_save", campaign), {f"s{first.pk}": "1"})
    assert saved.status_code == 302
    assert saved["Location"] == _url("survey", campaign)
    assert SurveyAnswer.objects.get(item=first).value == 1


def test_an_empty_survey_cannot_be_submitted(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign()
    refused = client_for(chief).post(_url("survey_submit", campaign))
    assert refused.status_code == 422
    assert "mindst ét spørgsmål" in refused.content.decode()
    assert not Response.objects.filter(status=ResponseStatus.SUBMITTED).exists()


def test_the_chief_chooses_the_kind_of_chief_they_answer_as_and_it_is_stored(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client], chief: User
) -> None:
    campaign = make_campaign()
    (first,) = _items(campaign)[:1]
    client = client_for(chief)
    html = client.get(_url("survey", campaign)).content.decode()
    assert "Hvilken rolle svarer du ud fra?" in html
    for label in ("Topchef (kommunaldirektør eller direktør)", "Digitaliserings- eller it-chef", "Fagchef"):
        assert label in html
    assert "mindst 5 har svaret i gruppen" in html
    # A made-up kind is refused, and nothing of the page is saved.
    refused = client.post(
        _url("survey_save", campaign), {"respondent_type": "borgmester", f"s{first.pk}": "4"}, headers=HX
    )
    assert refused.status_code == 409
    assert not SurveyAnswer.objects.exists()
    saved = client.post(_url("survey_save", campaign), {"respondent_type": "digitaliseringschef"}, headers=HX)
    assert saved.status_code == 200 and "Gemt kl." in saved.content.decode()
    response = Response.objects.get(instrument=Instrument.CHIEFS)
    assert response.respondent_type == "digitaliseringschef"
    reloaded = client.get(_url("survey", campaign)).content.decode()
    assert re.search(
        r'id="respondent-type-digitaliseringschef"\s+value="digitaliseringschef"\s+checked', reloaded
    )
    # Changing it after submitting means submitting again, like any other answer.
    client.post(_url("survey_submit", campaign), {f"s{first.pk}": "4"})
    client.post(_url("survey_save", campaign), {"respondent_type": "topchef"}, headers=HX)
    response.refresh_from_db()
    assert (response.respondent_type, response.changed_since_submit) == ("topchef", True)
