"""The knowledge test as a participant takes it: the key stays on the server until submission."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from fagdigital.accounts.models import User
from fagdigital.assessments.models import (
    Campaign,
    Evidence,
    EvidenceSource,
    Instrument,
    ItemKind,
    Response,
    ResponseStatus,
    TestItem,
    TestQuestion,
)
from fagdigital.assessments.tests.conftest import Team

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _draw_multiple_choice_too(campaign: Campaign) -> None:
    """The draw is random: leave DS2 its role-neutral multiple-choice items and only as many single-choice
    ones as it takes to fill the competence's questions, so every test has multiple-choice questions."""
    ds2 = TestItem.objects.filter(
        organisation_id=campaign.organisation_id, competence_code="DS2", role_codes=[]
    )
    multiple = ds2.filter(kind=ItemKind.MULTIPLE).count()
    assert multiple >= 2
    keep = list(
        ds2.filter(kind=ItemKind.SINGLE).order_by("key")[: campaign.test_items_per_competence - multiple]
    )
    TestItem.objects.filter(organisation_id=campaign.organisation_id, competence_code="DS2").exclude(
        kind=ItemKind.MULTIPLE, role_codes=[]
    ).exclude(pk__in=[item.pk for item in keep]).update(active=False)


def _start(client: Client, campaign: Campaign) -> None:
    started = client.post(reverse("assessments:test_start", args=[campaign.pk]))
    assert started.status_code == 302
    assert started["Location"] == reverse("assessments:test_questions", args=[campaign.pk])


def _questions(user: User) -> list[TestQuestion]:
    return list(
        TestQuestion.objects.filter(response__respondent=user, response__instrument=Instrument.TEST)
        .select_related("item")
        .order_by("position")
    )


def _wrong_keys(question: TestQuestion) -> list[str]:
    wrong = [str(o["key"]) for o in question.item.options if not o["correct"]]
    return wrong[:1]


def _answers(questions: list[TestQuestion], pick: Callable[[TestQuestion], list[str]]) -> dict[str, Any]:
    data: dict[str, Any] = {"shown": [str(q.pk) for q in questions]}
    for question in questions:
        data[f"q{question.pk}"] = pick(question)
    return data


def _close(campaign: Campaign) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=yesterday - dt.timedelta(days=7), closes_on=yesterday
    )


def _option_markup(html: str, question: TestQuestion) -> dict[str, str]:
    """Each option's markup on the page, with its own key and text replaced by placeholders."""
    markup = {}
    for option in question.item.options:
        key = str(option["key"])
        match = re.search(
            rf'<div class="form-group-(?:radio|checkbox) level-choice">\s*<input[^>]*'
            rf'id="q{question.pk}-{re.escape(key)}"[^>]*>\s*<label[^>]*>[^<]*</label>\s*</div>',
            html,
        )
        assert match is not None, f"option {key} of question {question.pk} is not on the page"
        text = match.group(0).replace(escape(str(option["da"])), "TEXT")
        text = re.sub(rf'(q{question.pk}-){re.escape(key)}"', r'\1KEY"', text)
        text = text.replace(f'value="{key}"', 'value="KEY"')
        # Whether an option is ticked is the person's own choice, not the key.
        markup[key] = " ".join(text.replace("checked", "").split())
    return markup


def test_the_answer_key_is_not_in_any_page_or_response_before_submission(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    _draw_multiple_choice_too(campaign)
    user = team.users[0]
    client = client_for(user)
    pages = [client.get(reverse("assessments:test_start", args=[campaign.pk])).content.decode()]
    _start(client, campaign)
    questions = _questions(user)
    assert len(questions) == 32  # 8 security competences, 4 items each
    assert any(q.item.kind == ItemKind.MULTIPLE for q in questions)
    questions_page = client.get(reverse("assessments:test_questions", args=[campaign.pk])).content.decode()
    pages.append(questions_page)
    save = reverse("assessments:test_save", args=[campaign.pk])
    # Every autosave answer, one question at a time, the right answer for half of them.
    data: dict[str, Any] = {"shown": [str(q.pk) for q in questions]}
    for index, question in enumerate(questions):
        keys = sorted(question.item.correct_keys) if index % 2 else _wrong_keys(question)
        data[f"q{question.pk}"] = keys
        saved = client.post(save, data, headers=HX)
        assert saved.status_code == 200
        pages.append(saved.content.decode())
    refused = client.post(save, {"q999999": "a"}, headers=HX)
    assert refused.status_code == 409
    pages.append(refused.content.decode())
    pages.append(client.post(save, data, follow=True).content.decode())  # without JavaScript → review
    pages.append(client.get(reverse("assessments:test_submit", args=[campaign.pk])).content.decode())
    pages.append(client.get(reverse("assessments:test_questions", args=[campaign.pk])).content.decode())

    for html in pages:
        assert "correct" not in html.lower()
        for question in questions:
            assert question.item.explanation_da not in html
            assert escape(question.item.explanation_da) not in html
    # The correct options are marked up exactly like the wrong ones, apart from their key and text.
    for question in questions:
        for page in (questions_page, pages[-1]):
            markup = _option_markup(page, question)
            assert len(set(markup.values())) == 1, markup
        # Shown in the stored (shuffled) order, not the bank's order.
        positions = [questions_page.index(f'id="q{question.pk}-{key}"') for key in question.option_order]
        assert positions == sorted(positions)
    assert "Vælg alle rigtige svar" in questions_page


def test_the_answer_key_is_shown_after_submission(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    user = team.users[0]
    client = client_for(user)
    _start(client, campaign)
    questions = _questions(user)
    client.post(
        reverse("assessments:test_save", args=[campaign.pk]), _answers(questions, _wrong_keys), headers=HX
    )
    submitted = client.post(reverse("assessments:test_submit", args=[campaign.pk]))
    assert submitted.status_code == 302
    assert submitted["Location"] == reverse("assessments:test_result", args=[campaign.pk])
    html = client.get(submitted["Location"]).content.decode()
    for question in questions:
        assert escape(question.item.explanation_da) in html
        for option in question.item.options:
            if option["correct"]:
                assert escape(str(option["da"])) in html
    assert "Forkert" in html
    assert "Rigtigt svar" in html or "Rigtige svar" in html
    assert reverse("assessments:my_profile") in html
    # The questions page now sends the person to the result.
    again = client.get(reverse("assessments:test_questions", args=[campaign.pk]))
    assert again.status_code == 302
    assert again["Location"] == reverse("assessments:test_result", args=[campaign.pk])


def test_scoring_gives_the_knowledge_cap_for_all_correct_and_the_lowest_for_all_wrong(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    for user, pick, level in (
        (team.users[0], lambda q: sorted(q.item.correct_keys), 3),
        (team.users[1], _wrong_keys, 1),
    ):
        client.force_login(user)
        _start(client, campaign)
        questions = _questions(user)
        client.post(
            reverse("assessments:test_save", args=[campaign.pk]), _answers(questions, pick), headers=HX
        )
        client.post(reverse("assessments:test_submit", args=[campaign.pk]))
        evidence = list(Evidence.objects.filter(response__respondent=user))
        assert len(evidence) == 8
        assert {e.level for e in evidence} == {level}
        assert {e.source for e in evidence} == {EvidenceSource.TEST}
        assert all(e.detail["items"] == 4 for e in evidence)
        page = client.get(reverse("assessments:test_result", args=[campaign.pk])).content.decode()
        assert campaign.framework.level_name(level) in page
        if level == 3:
            assert "Du svarede rigtigt på 32 af 32 spørgsmål" in page
        else:
            assert "Du svarede rigtigt på 0 af 32 spørgsmål" in page
        # One scoring: the number right per competence, no percentage of points beside it.
        assert " % af pointene" not in page
        assert "Score" not in page


def test_submitting_twice_gives_one_set_of_evidence(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    user = team.users[0]
    client = client_for(user)
    _start(client, campaign)
    questions = _questions(user)
    client.post(
        reverse("assessments:test_save", args=[campaign.pk]),
        _answers(questions, lambda q: sorted(q.item.correct_keys)),
        headers=HX,
    )
    url = reverse("assessments:test_submit", args=[campaign.pk])
    assert client.post(url).status_code == 302
    first = list(Evidence.objects.values_list("pk", flat=True).order_by("pk"))
    second = client.post(url, follow=True)
    assert "allerede indsendt" in second.content.decode()
    assert list(Evidence.objects.values_list("pk", flat=True).order_by("pk")) == first
    assert len(first) == 8
    assert Response.objects.filter(instrument=Instrument.TEST).count() == 1


def test_submit_after_close_is_refused_with_the_answers_kept(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    user = team.users[0]
    client = client_for(user)
    _start(client, campaign)
    questions = _questions(user)
    first = questions[0]
    client.post(
        reverse("assessments:test_save", args=[campaign.pk]),
        {"shown": [str(first.pk)], f"q{first.pk}": _wrong_keys(first)},
        headers=HX,
    )
    _close(campaign)

    refused = client.post(reverse("assessments:test_submit", args=[campaign.pk]))
    assert refused.status_code == 409
    assert "Målingen er lukket" in refused.content.decode()
    refused_save = client.post(
        reverse("assessments:test_save", args=[campaign.pk]),
        {"shown": [str(first.pk)], f"q{first.pk}": sorted(first.item.correct_keys)},
        headers=HX,
    )
    assert refused_save.status_code == 409
    assert "Målingen er lukket" in refused_save.content.decode()
    first.refresh_from_db()
    assert first.selected == _wrong_keys(first)
    assert not Evidence.objects.exists()
    assert Response.objects.get(instrument=Instrument.TEST).status == ResponseStatus.DRAFT
    page = client.get(reverse("assessments:test_questions", args=[campaign.pk])).content.decode()
    key = _wrong_keys(first)[0]
    assert re.search(rf'id="q{first.pk}-{key}"\s+value="{key}"\s+checked\s+disabled', page)
    assert "data-autosave" not in page
    assert "correct" not in page.lower()


def test_a_question_outside_the_persons_test_is_refused_and_nothing_saved(
    team: Team, make_campaign: Callable[..., Campaign], client: Client
) -> None:
    campaign = make_campaign()
    client.force_login(team.users[1])
    _start(client, campaign)
    others = _questions(team.users[1])
    client.force_login(team.users[0])
    _start(client, campaign)
    mine = _questions(team.users[0])
    refused = client.post(
        reverse("assessments:test_save", args=[campaign.pk]),
        {f"q{mine[0].pk}": _wrong_keys(mine[0]), f"q{others[0].pk}": _wrong_keys(others[0])},
        headers=HX,
    )
    assert refused.status_code == 409
    assert "hører ikke til din test" in refused.content.decode()
    assert not TestQuestion.objects.filter(answered=True).exists()


def test_an_unknown_option_saves_nothing_of_the_page(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    user = team.users[0]
    client = client_for(user)
    _start(client, campaign)
    first, second = _questions(user)[:2]
    refused = client.post(
        reverse("assessments:test_save", args=[campaign.pk]),
        {f"q{first.pk}": _wrong_keys(first), f"q{second.pk}": "zz"},
        headers=HX,
    )
    assert refused.status_code == 409
    assert not TestQuestion.objects.filter(answered=True).exists()


def test_unticking_every_box_clears_a_multiple_choice_answer(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    _draw_multiple_choice_too(campaign)
    user = team.users[0]
    client = client_for(user)
    _start(client, campaign)
    question = next(q for q in _questions(user) if q.item.kind == ItemKind.MULTIPLE)
    save = reverse("assessments:test_save", args=[campaign.pk])
    client.post(save, {"shown": [str(question.pk)], f"q{question.pk}": question.option_order[:2]}, headers=HX)
    question.refresh_from_db()
    assert question.answered
    saved = client.post(save, {"shown": [str(question.pk)]}, headers=HX)
    assert saved.status_code == 200
    assert "0 af 32 besvaret" in saved.content.decode()
    question.refresh_from_db()
    assert question.selected == []
    assert not question.answered


def test_the_result_before_submission_leads_to_the_questions(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign()
    client = client_for(team.users[0])
    result = client.get(reverse("assessments:test_result", args=[campaign.pk]))
    assert result.status_code == 302
    assert result["Location"] == reverse("assessments:test_questions", args=[campaign.pk])
    not_started = client.get(result["Location"])
    assert not_started["Location"] == reverse("assessments:test_start", args=[campaign.pk])
    intro = client.get(not_started["Location"]).content.decode()
    assert "Start testen" in intro
    assert "32 spørgsmål" in intro
    assert "Udviklingssamtale" in intro
    # Only looking does not count as starting ("Mine målinger" still says "not started").
    assert not Response.objects.filter(instrument=Instrument.TEST).exists()


def test_people_outside_the_campaign_get_404(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign(units=[(team.other_unit, False)])
    client = client_for(team.users[0])
    for name in ("test_start", "test_questions", "test_submit", "test_result"):
        assert client.get(reverse(f"assessments:{name}", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("assessments:test_save", args=[campaign.pk]), {}).status_code == 404


def test_a_campaign_without_a_test_has_no_test_pages(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    campaign = make_campaign(instruments=(Instrument.SELF,))
    client = client_for(team.users[0])
    assert client.get(reverse("assessments:test_start", args=[campaign.pk])).status_code == 404


def test_the_questions_page_uses_a_fixed_number_of_queries(
    team: Team,
    make_campaign: Callable[..., Campaign],
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    campaign = make_campaign(test_area_codes=["DS", "BK", "DL"])
    user = team.users[0]
    client = client_for(user)
    _start(client, campaign)
    assert len(_questions(user)) > 40
    with django_assert_max_num_queries(14):
        page = client.get(reverse("assessments:test_questions", args=[campaign.pk]))
    assert page.status_code == 200
    with django_assert_max_num_queries(14):
        review = client.get(reverse("assessments:test_submit", args=[campaign.pk]))
    assert review.status_code == 200
