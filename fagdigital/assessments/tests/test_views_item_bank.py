"""HR's item editor and a closed round's item statistics, through the real pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors, services
from fagdigital.assessments.models import (
    Campaign,
    Instrument,
    ItemOrigin,
    ResponseStatus,
    TestItem,
    TestQuestion,
)
from fagdigital.assessments.tests.conftest import Team
from fagdigital.privacy.services import organisation_min_group_size_set

pytestmark = pytest.mark.django_db


def _valid(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "competence_code": "DS1",
        "kind": "single",
        "difficulty": "2",
        "role_codes": ["sosu-hjaelper"],
        "scenario_da": "En borger ringer og siger, at hun er fra banken.",
        "scenario_en": "A citizen calls and says she is from the bank.",
        "question_da": "Hvad gør du?",
        "question_en": "What do you do?",
        "explanation_da": "Banken beder aldrig om koder i telefonen.",
        "explanation_en": "The bank never asks for codes over the phone.",
        "option_1_da": "Lægger på og ringer selv til banken.",
        "option_1_en": "Hang up and call the bank yourself.",
        "option_1_correct": "on",
        "option_2_da": "Giver koden, hvis hun kender dit navn.",
        "option_2_en": "Give the code if she knows your name.",
        "option_3_da": "Beder hende sende en sms med koden.",
        "option_3_en": "Ask her to send a text message with the code.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def hr(team: Team, client_for: Callable[[User], Client]) -> Client:
    services.item_bank_install(organisation=team.organisation, framework_key=team.framework.key)
    return client_for(team.admin)


def test_only_competence_admins_reach_the_item_bank(
    team: Team, client_for: Callable[[User], Client], make_member: Callable[..., User]
) -> None:
    services.item_bank_install(organisation=team.organisation, framework_key=team.framework.key)
    item = TestItem.objects.filter(organisation=team.organisation).first()
    assert item is not None
    urls = [
        reverse("assessments:item_list"),
        reverse("assessments:item_create"),
        reverse("assessments:item_edit", args=[item.pk]),
        reverse("assessments:item_retire", args=[item.pk]),
    ]
    for user in (team.users[0], team.leader, make_member(team.organisation, "top_management")):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code in {403, 404}, url
            assert client.post(url, _valid()).status_code in {403, 404}, url
    assert (
        TestItem.objects.filter(organisation=team.organisation, origin=ItemOrigin.ORGANISATION).count() == 0
    )


def test_hr_lists_the_bank_with_its_coverage(team: Team, hr: Client) -> None:
    page = hr.get(reverse("assessments:item_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "DS1-08" in html and "Alle roller" in html
    assert page.context["coverage"]
    assert all(not row.short_roles for row in page.context["coverage"])
    only_ds1 = hr.get(reverse("assessments:item_list"), {"kompetence": "DS1"})
    assert {row.item.competence_code for row in only_ds1.context["rows"]} == {"DS1"}


def test_hr_creates_an_item_that_the_role_can_be_asked(team: Team, hr: Client) -> None:
    created = hr.post(reverse("assessments:item_create"), _valid())
    assert created.status_code == 302
    item = TestItem.objects.get(organisation=team.organisation, key="DS1-E01")
    assert (item.origin, item.role_codes, item.correct_keys) == (
        ItemOrigin.ORGANISATION,
        ["sosu-hjaelper"],
        {"a"},
    )
    assert item.options[1] == {
        "key": "b",
        "da": "Giver koden, hvis hun kender dit navn.",
        "en": "Give the code if she knows your name.",
        "correct": False,
    }
    assert created["Location"] == reverse("assessments:item_edit", args=[item.pk])
    page = hr.get(created["Location"]).content.decode()
    assert "oprettet" in page
    assert escape("Lægger på og ringer selv til banken.") in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"option_1_correct": None}, "options", "præcis én rigtig svarmulighed. Der er markeret 0"),
        ({"option_2_correct": "on"}, "options", "præcis én rigtig svarmulighed. Der er markeret 2"),
        ({"kind": "multiple"}, "options", "mindst to rigtige svarmuligheder"),
        ({"question_da": ""}, "question_da", "Skriv spørgsmålet på dansk."),
        ({"explanation_da": ""}, "explanation_da", "Skriv en forklaring på dansk."),
        ({"option_3_da": "", "option_3_en": ""}, "option_3_da", "Skriv svarmulighed 3 på dansk."),
        (
            {"option_2_da": "Lægger på og ringer selv til banken."},
            "option_2_da",
            "den samme som svarmulighed 1",
        ),
        ({"option_4_en": "Only in English."}, "option_4_da", "Svarmulighed 4 mangler en dansk tekst."),
        ({"question_en": ""}, "question_en", "Skriv også den engelske tekst"),
        ({"scenario_da": ""}, "scenario_da", "Skriv situationen på dansk, eller lad den engelske stå tom."),
        ({"question_da": "x" * 401}, "question_da", "Højst 400 tegn. Teksten har 401."),
        ({"competence_code": "XX9"}, "competence_code", "Vælg en kompetence fra listen."),
        ({"role_codes": ["ukendt"]}, "role_codes", "Vælg rolleprofiler fra listen."),
        ({"difficulty": "7"}, "difficulty", "Vælg sværhedsgrad 1, 2 eller 3."),
        ({"kind": "essay"}, "kind", "Vælg, om spørgsmålet har ét eller flere rigtige svar."),
    ],
)
def test_an_invalid_item_is_refused_with_the_reason_at_its_field_and_nothing_saved(
    team: Team, hr: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    before = TestItem.objects.count()
    refused = hr.post(reverse("assessments:item_create"), _valid(**overrides))
    assert refused.status_code == 422
    form = refused.context["form"]
    messages = form.options_errors if field == "options" else [str(m) for m in form.errors[field]]
    assert any(message in m for m in messages), messages
    html = refused.content.decode()
    assert escape(next(m for m in messages if message in m)) in html
    assert "Der er problemer" in html  # the error summary, with a link to the field
    assert TestItem.objects.count() == before


def test_the_preview_shows_the_item_as_the_employee_sees_it_without_saving(team: Team, hr: Client) -> None:
    before = TestItem.objects.count()
    preview = hr.post(reverse("assessments:item_create"), _valid(action="preview"))
    assert preview.status_code == 200
    assert TestItem.objects.count() == before
    html = preview.content.decode()
    assert "Det er ikke gemt endnu" in html
    previews = preview.context["previews"]
    assert [p.language for p in previews] == ["da", "en"]
    danish, english = previews
    assert danish.question.question == "Hvad gør du?" and english.question.question == "What do you do?"
    assert [o.text for o in danish.correct] == ["Lægger på og ringer selv til banken."]
    # The question is shown with the test's own markup: a radio button per option, nothing ticked.
    assert 'name="q9001"' in html and 'name="q9002"' in html
    assert escape("A citizen calls and says she is from the bank.") in html
    multiple = hr.post(
        reverse("assessments:item_create"), _valid(action="preview", kind="multiple", option_2_correct="on")
    )
    assert (
        'type="checkbox"' in multiple.content.decode()
        and "Vælg alle rigtige svar" in multiple.content.decode()
    )


def _ask(team: Team, campaign: Campaign) -> TestItem:
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.TEST, respondent=team.users[0], subject=team.members[0]
    )
    return services.test_start(response=response)[0].item


def test_changing_an_item_someone_was_asked_saves_a_new_revision(
    team: Team, hr: Client, make_campaign: Callable[..., Campaign]
) -> None:
    asked = _ask(team, make_campaign(instruments=(Instrument.TEST,)))
    form = hr.get(reverse("assessments:item_edit", args=[asked.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["explanation_da"] = "En bedre forklaring."
    saved = hr.post(reverse("assessments:item_edit", args=[asked.pk]), data)
    assert saved.status_code == 302
    asked.refresh_from_db()
    assert not asked.active and asked.explanation_da != "En bedre forklaring."
    new = TestItem.objects.get(organisation=team.organisation, key=asked.key, active=True)
    assert (new.revision, new.explanation_da, new.origin) == (
        asked.revision + 1,
        "En bedre forklaring.",
        "organisation",
    )
    assert saved["Location"] == reverse("assessments:item_edit", args=[new.pk])
    assert f"gemt som udgave {new.revision}" in hr.get(saved["Location"]).content.decode()
    # The person's test still shows the revision they were asked.
    assert TestQuestion.objects.filter(item=asked).exists()


def test_changing_an_unasked_item_changes_it_in_place(team: Team, hr: Client) -> None:
    item = TestItem.objects.get(organisation=team.organisation, key="DS2-01")
    data = {
        name: value
        for name, value in hr.get(reverse("assessments:item_edit", args=[item.pk]))
        .context["form"]
        .initial.items()
        if value not in (None, False)
    }
    data["difficulty"] = "3"
    assert hr.post(reverse("assessments:item_edit", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert (item.difficulty, item.revision, item.active, item.origin) == (3, 1, True, ItemOrigin.ORGANISATION)


def test_hr_retires_and_restores_an_item(
    team: Team, hr: Client, make_campaign: Callable[..., Campaign]
) -> None:
    item = TestItem.objects.get(organisation=team.organisation, key="DS2-01")
    ask = hr.get(reverse("assessments:item_retire", args=[item.pk]))
    assert ask.status_code == 200 and "Træk spørgsmålet DS2-01 tilbage?" in ask.content.decode()
    item.refresh_from_db()
    assert item.active  # asking changes nothing
    assert hr.post(reverse("assessments:item_retire", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert not item.active
    campaign = make_campaign(instruments=(Instrument.TEST,))
    pools = services.draw_pools(campaign=campaign, person_id=team.members[0].pk)
    assert all(item.pk not in {i.pk for i in p.fresh + p.seen} for p in pools)
    # A retired item cannot be changed until it is in use again.
    refused = hr.post(reverse("assessments:item_edit", args=[item.pk]), _valid(competence_code="DS2"))
    assert refused.status_code == 302
    item.refresh_from_db()
    assert item.competence_code == "DS2" and not item.active and item.question_da != "Hvad gør du?"
    assert hr.post(reverse("assessments:item_restore", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.active


# --- Statistics ------------------------------------------------------------------------------------


def _everyone_takes_the_test(team: Team, campaign: Campaign) -> None:
    for index, (user, person) in enumerate(zip(team.users, team.members, strict=True)):
        response = services.response_get_or_create(
            campaign=campaign, instrument=Instrument.TEST, respondent=user, subject=person
        )
        for number, question in enumerate(services.test_start(response=response)):
            right = (index + number) % 3 != 0  # a spread of right and wrong answers
            keys = sorted(question.item.correct_keys)
            wrong = [k for k in question.option_order if k not in question.item.correct_keys][:1]
            services.test_answer_save(response=response, question=question, selected=keys if right else wrong)
        services.test_submit(response=response)


def test_statistics_come_when_the_round_closes(
    team: Team, hr: Client, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.TEST,))
    _everyone_takes_the_test(team, campaign)
    page = hr.get(reverse("assessments:test_statistics", args=[campaign.pk]))
    assert page.status_code == 200
    assert "Statistikken kommer, når målingen er lukket" in page.content.decode()
    assert page.context["statistics"].items == []


def test_item_statistics_are_shown_only_from_k_answers_and_match_the_answers(
    team: Team, hr: Client, make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.TEST,))
    _everyone_takes_the_test(team, campaign)
    services.campaign_close(campaign=campaign)
    statistics = hr.get(reverse("assessments:test_statistics", args=[campaign.pk])).context["statistics"]
    # The oracle: straight from the stored answers.
    answers: dict[int, list[int]] = defaultdict(list)
    for item_id, correct in TestQuestion.objects.filter(
        response__campaign=campaign, response__status=ResponseStatus.SUBMITTED
    ).values_list("item_id", "correct"):
        answers[item_id].append(int(bool(correct)))
    assert {s.item.pk: s.n for s in statistics.items} == {item: len(v) for item, v in answers.items()}
    assert statistics.k == 5
    assert any(s.shown for s in statistics.items) and any(not s.shown for s in statistics.items)
    for stat in statistics.items:
        values = answers[stat.item.pk]
        assert stat.shown == (len(values) >= 5)
        if stat.shown:
            assert stat.p == pytest.approx(sum(values) / len(values))
        else:
            assert stat.p is None and stat.discrimination is None
    for row in statistics.competences:
        assert row.people == 6 and row.shown and row.items_per_person == 4 and row.gives_level

    # A higher k for the organisation hides what rests on fewer people.
    organisation_min_group_size_set(organisation=team.organisation, size=7)
    statistics = hr.get(reverse("assessments:test_statistics", args=[campaign.pk])).context["statistics"]
    assert statistics.k == 7
    assert not any(s.shown for s in statistics.items)
    assert all(not row.shown and row.alpha is None for row in statistics.competences)
    html = hr.get(reverse("assessments:test_statistics", args=[campaign.pk])).content.decode()
    assert "Færre end 7 svar" in html and "færre end 7" in html


def test_cronbachs_alpha_is_kr20() -> None:
    # A perfect Guttman pattern of four items: p = .8 .6 .4 .2, total variance 2, so 4/3 * (1 - .8/2).
    scores = [[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]]
    assert selectors.cronbach_alpha(scores) == pytest.approx(0.8)
    assert selectors.cronbach_alpha([[1, 1], [1, 1]]) is None  # no spread
    assert selectors.cronbach_alpha([[1], [0]]) is None  # one item


def test_statistics_are_for_competence_admins_of_the_round_only(
    team: Team, client_for: Callable[[User], Client], make_campaign: Callable[..., Campaign]
) -> None:
    campaign = make_campaign(instruments=(Instrument.TEST,))
    for user in (team.users[0], team.leader):
        assert client_for(user).get(
            reverse("assessments:test_statistics", args=[campaign.pk])
        ).status_code in {
            403,
            404,
        }
    without_test = make_campaign(instruments=(Instrument.SELF,))
    assert (
        client_for(team.admin).get(reverse("assessments:test_statistics", args=[without_test.pk])).status_code
        == 404
    )


def test_the_item_list_and_the_statistics_take_a_fixed_number_of_queries(
    team: Team, hr: Client, make_campaign: Callable[..., Campaign], django_assert_max_num_queries: Any
) -> None:
    campaign = make_campaign(instruments=(Instrument.TEST,))
    _everyone_takes_the_test(team, campaign)
    services.campaign_close(campaign=campaign)
    with django_assert_max_num_queries(18):
        assert hr.get(reverse("assessments:item_list"), {"vis": "alle"}).status_code == 200
    with django_assert_max_num_queries(14):
        assert hr.get(reverse("assessments:test_statistics", args=[campaign.pk])).status_code == 200
