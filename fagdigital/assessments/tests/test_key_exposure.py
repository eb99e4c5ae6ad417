"""Knowledge-test keys do not leak across rounds (docs/decisions/0012).

A person who submitted a test in one round has seen its keys. In a later round the draw prefers items
they have not seen; where the bank is too small, the earlier result page withholds the key, the verdict
and the explanation of every item the open round may ask (before the draw) or asks (after it), until
the person has submitted that test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors, services
from fagdigital.assessments.models import Campaign, Instrument, TestQuestion
from fagdigital.assessments.tests.conftest import Team

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _take_test(client: Client, campaign: Campaign, user: User, *, submit: bool = True) -> list[TestQuestion]:
    """Start, answer every question wrongly, and (by default) submit, through the real pages."""
    assert client.post(reverse("assessments:test_start", args=[campaign.pk])).status_code == 302
    questions = list(
        TestQuestion.objects.filter(response__campaign=campaign, response__respondent=user)
        .select_related("item")
        .order_by("position")
    )
    data: dict[str, Any] = {"shown": [str(q.pk) for q in questions]}
    for question in questions:
        data[f"q{question.pk}"] = [str(o["key"]) for o in question.item.options if not o["correct"]][:1]
    assert (
        client.post(reverse("assessments:test_save", args=[campaign.pk]), data, headers=HX).status_code == 200
    )
    if submit:
        assert client.post(reverse("assessments:test_submit", args=[campaign.pk])).status_code == 302
    return questions


@dataclass
class ResultPage:
    html: str
    questions: dict[int, Any]  # the question's number in the test → what the page was given for it

    def shows_key(self, question: TestQuestion) -> bool:
        item, given = question.item, self.questions[question.position]
        correct = {escape(str(o["da"])) for o in item.options if o["correct"]}
        return (
            escape(item.explanation_da) in self.html
            and all(text in self.html for text in correct)
            and {escape(o.text) for o in given.correct_options} == correct
            and not given.withheld_for
        )

    def hides_key(self, question: TestQuestion) -> bool:
        """No explanation in the page, and the page was given no key, verdict or explanation for it."""
        item, given = question.item, self.questions[question.position]
        return (
            escape(item.explanation_da) not in self.html
            and not given.correct_options
            and not given.is_correct
            and not given.explanation
            and bool(given.withheld_for)
        )


def _result_page(client: Client, campaign: Campaign) -> ResultPage:
    response = client.get(reverse("assessments:test_result", args=[campaign.pk]))
    assert response.status_code == 200
    result = response.context["result"]
    questions = {q.number: q for group in result.groups for q in group.questions}
    return ResultPage(html=response.content.decode(), questions=questions)


def test_the_draw_avoids_items_whose_key_the_person_has_seen_while_the_bank_allows(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    user, person = team.users[0], team.members[0]
    client = client_for(user)
    spring = make_campaign(instruments=(Instrument.TEST,), name="Forår", test_items_per_competence=2)
    first = _take_test(client, spring, user)
    autumn = make_campaign(instruments=(Instrument.TEST,), name="Efterår", test_items_per_competence=2)
    # Every DS competence has 4 or more items for the role; two per round leave two or more fresh ones.
    assert selectors.withheld_items(person_id=person.pk, today=timezone.localdate()) == {}
    second = _take_test(client, autumn, user, submit=False)
    assert {q.item_id for q in first}.isdisjoint({q.item_id for q in second})
    page = _result_page(client, spring)
    assert all(page.shows_key(q) for q in first)
    assert "Vises igen" not in page.html


def test_a_small_bank_withholds_the_keys_the_open_round_may_ask_until_it_is_submitted(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    user, person = team.users[0], team.members[0]
    client = client_for(user)
    spring = make_campaign(instruments=(Instrument.TEST,), name="Forår", test_items_per_competence=3)
    first = _take_test(client, spring, user)
    seen = {q.item_id for q in first}
    assert seen == services.seen_item_ids(person_id=person.pk)
    page = _result_page(client, spring)
    assert all(page.shows_key(q) for q in first)

    # Autumn asks 4 per competence: the DS competences with fewer than 7 items for the role have fewer
    # than 4 fresh ones left.
    autumn = make_campaign(instruments=(Instrument.TEST,), name="Efterår", test_items_per_competence=4)
    pools = {p.competence.code: p for p in services.draw_pools(campaign=autumn, person_id=person.pk)}
    at_risk = {item.pk for pool in pools.values() for item in pool.at_risk(4)}
    assert at_risk, "the bank is small enough that seen items must be drawn again"
    assert at_risk <= seen
    # Before the draw: everything the draw may pick is withheld on the spring result page.
    withheld = selectors.withheld_items(person_id=person.pk, today=timezone.localdate())
    assert set(withheld) == at_risk
    assert set(withheld.values()) == {"Efterår"}
    page = _result_page(client, spring)
    for question in first:
        assert page.hides_key(question) if question.item_id in at_risk else page.shows_key(question)
    assert "Efterår" in page.html

    # After the draw: exactly the seen items that were drawn again are withheld.
    second = _take_test(client, autumn, user, submit=False)
    again = {q.item_id for q in second} & seen
    assert again, "the draw had to reuse seen items"
    for pool in pools.values():
        drawn_here = [q for q in second if q.item.competence_code == pool.competence.code]
        # Fresh items first: a seen item only fills what the fresh ones cannot.
        assert sum(q.item_id in seen for q in drawn_here) == max(0, len(drawn_here) - len(pool.fresh))
    withheld = selectors.withheld_items(person_id=person.pk, today=timezone.localdate())
    assert set(withheld) == {q.item_id for q in second}  # all drawn; of those, only `again` were seen
    page = _result_page(client, spring)
    for question in first:
        assert page.hides_key(question) if question.item_id in again else page.shows_key(question)

    # Submitted: the keys come back.
    assert client.post(reverse("assessments:test_submit", args=[autumn.pk])).status_code == 302
    assert selectors.withheld_items(person_id=person.pk, today=timezone.localdate()) == {}
    page = _result_page(client, spring)
    assert all(page.shows_key(q) for q in first)


def test_a_colleagues_keys_and_draws_do_not_affect_the_person(
    team: Team, make_campaign: Callable[..., Campaign], client_for: Callable[[User], Client]
) -> None:
    spring = make_campaign(instruments=(Instrument.TEST,), name="Forår", test_items_per_competence=3)
    _take_test(client_for(team.users[1]), spring, team.users[1])
    assert services.seen_item_ids(person_id=team.members[0].pk) == set()
    make_campaign(instruments=(Instrument.TEST,), name="Efterår", test_items_per_competence=4)
    assert selectors.withheld_items(person_id=team.members[0].pk, today=timezone.localdate()) == {}
