"""The knowledge test: the item bank, drawing a person's questions, answers and scoring."""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
from fagdigital.frameworks.models import Competence
from fagdigital.tenancy.models import Organisation

from .base import AnswerRefusedError, SubmitResult, check_accepts, touch
from .evidence import estimates_recompute, evidence_changed

ITEM_BANK_PATH = Path(__file__).parent.parent / "data" / "security_item_bank.json"

# Knowledge-test score (difficulty-weighted share correct) → level; see docs/decisions/0007.
TEST_LEVEL_THRESHOLDS: tuple[tuple[float, int], ...] = ((0.9, 4), (0.6, 3), (0.3, 2), (0.0, 1))


def item_bank_install(*, organisation: Organisation, framework_key: str, path: Path = ITEM_BANK_PATH) -> int:
    """Add the bundled items the organisation does not have yet (by key); returns how many were added."""
    bank = json.loads(path.read_text(encoding="utf-8"))
    if bank.get("framework_key") != framework_key:
        return 0
    existing = set(
        TestItem.objects.filter(organisation=organisation, framework_key=framework_key).values_list(
            "key", flat=True
        )
    )
    new = [
        TestItem(
            organisation=organisation,
            framework_key=framework_key,
            competence_code=item["competence"],
            key=item["key"],
            kind=item["kind"],
            difficulty=item["difficulty"],
            scenario_da=item.get("scenario", {}).get("da", ""),
            scenario_en=item.get("scenario", {}).get("en", ""),
            question_da=item["question"]["da"],
            question_en=item["question"].get("en", ""),
            explanation_da=item["explanation"]["da"],
            explanation_en=item["explanation"].get("en", ""),
            options=[
                {
                    "key": o["key"],
                    "da": o["text"]["da"],
                    "en": o["text"].get("en", ""),
                    "correct": bool(o["correct"]),
                }
                for o in item["options"]
            ],
        )
        for item in bank["items"]
        if item["key"] not in existing
    ]
    TestItem.objects.bulk_create(new)
    return len(new)


# --- Knowledge tests -----------------------------------------------------------------------------


def _draw_items(items: list[TestItem], count: int, rng: random.Random) -> list[TestItem]:
    """Pick `count` items spread over difficulty: one from each difficulty in turn, at random within it."""
    strata: dict[int, list[TestItem]] = defaultdict(list)
    for item in items:
        strata[item.difficulty].append(item)
    for bucket in strata.values():
        rng.shuffle(bucket)
    levels = sorted(strata)
    rng.shuffle(levels)
    chosen: list[TestItem] = []
    while len(chosen) < count and any(strata.values()):
        for difficulty in levels:
            if strata[difficulty] and len(chosen) < count:
                chosen.append(strata[difficulty].pop())
    return chosen


def test_competences(*, campaign: Campaign) -> list[Competence]:
    """The competences of the campaign's test areas that have items in the organisation's bank."""
    with_items = set(
        TestItem.objects.filter(
            organisation_id=campaign.organisation_id, framework_key=campaign.framework.key, active=True
        ).values_list("competence_code", flat=True)
    )
    return [
        competence
        for competence in Competence.objects.filter(
            framework=campaign.framework, area__code__in=campaign.test_area_codes
        ).order_by("area__position", "position", "code")
        if competence.code in with_items
    ]


def seen_item_ids(*, person_id: int) -> set[int]:
    """Items whose answer key the person has seen: those of every knowledge test they submitted."""
    return set(
        TestQuestion.objects.filter(
            response__subject_id=person_id,
            response__instrument=Instrument.TEST,
            response__status=ResponseStatus.SUBMITTED,
        ).values_list("item_id", flat=True)
    )


@dataclass(frozen=True)
class DrawPool:
    """One competence's items for one person's draw: those they have not seen the key for, and the rest."""

    competence: Competence
    fresh: list[TestItem]
    seen: list[TestItem]

    def at_risk(self, count: int) -> list[TestItem]:
        """Seen items the draw may pick: all of them when fewer than `count` fresh ones remain."""
        return self.seen if len(self.fresh) < count else []

    def draw(self, count: int, rng: random.Random) -> list[TestItem]:
        chosen = _draw_items(list(self.fresh), count, rng)
        if len(chosen) < count:
            chosen += _draw_items(list(self.seen), count - len(chosen), rng)
        return chosen


def draw_pools(*, campaign: Campaign, person_id: int) -> list[DrawPool]:
    """Per competence of the round's test, the active bank items split by whether the person saw the key."""
    competences = test_competences(campaign=campaign)
    by_code: dict[str, list[TestItem]] = defaultdict(list)
    for item in TestItem.objects.filter(
        organisation_id=campaign.organisation_id,
        framework_key=campaign.framework.key,
        active=True,
        competence_code__in=[c.code for c in competences],
    ).order_by("key"):
        by_code[item.competence_code].append(item)
    seen = seen_item_ids(person_id=person_id)
    return [
        DrawPool(
            competence=competence,
            fresh=[item for item in by_code[competence.code] if item.pk not in seen],
            seen=[item for item in by_code[competence.code] if item.pk in seen],
        )
        for competence in competences
    ]


@transaction.atomic
def test_start(*, response: Response, today: dt.date | None = None) -> list[TestQuestion]:
    """Draw the person's questions once (stratified by difficulty per competence); later calls reuse them.

    Items whose key the person has seen (after an earlier test) are drawn only when the bank has too
    few others for a competence (docs/decisions/0012).
    """
    today = today or timezone.localdate()
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("campaign__framework")
        .get(pk=response.pk)
    )
    existing = list(response.questions.select_related("item"))
    if existing or response.is_submitted:
        return existing
    check_accepts(response.campaign, today)
    campaign = response.campaign
    assert response.subject_id is not None
    pools = draw_pools(campaign=campaign, person_id=response.subject_id)
    rng = random.Random(secrets.randbits(64))  # noqa: S311 — the draw needs spread, not secrecy
    questions: list[TestQuestion] = []
    for pool in pools:
        for item in pool.draw(campaign.test_items_per_competence, rng):
            order = [str(option["key"]) for option in item.options]
            rng.shuffle(order)
            questions.append(
                TestQuestion(
                    organisation_id=response.organisation_id,
                    response=response,
                    item=item,
                    position=len(questions) + 1,
                    option_order=order,
                )
            )
    return TestQuestion.objects.bulk_create(questions)


@transaction.atomic
def test_answer_save(
    *, response: Response, question: TestQuestion, selected: Iterable[str], today: dt.date | None = None
) -> TestQuestion:
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    check_accepts(response.campaign, today)
    if response.is_submitted:
        raise AnswerRefusedError(_("Testen er indsendt, og svarene kan ikke ændres."))
    if question.response_id != response.pk:
        raise AnswerRefusedError(_("Spørgsmålet hører ikke til din test."))
    chosen = sorted(set(selected))
    if set(chosen) - set(question.option_order):
        raise AnswerRefusedError(_("Vælg et af de viste svar."))
    if question.item.kind == ItemKind.SINGLE and len(chosen) > 1:
        raise AnswerRefusedError(_("Vælg ét svar."))
    if question.selected != chosen:
        question.selected = chosen
        question.answered = bool(chosen)
        question.save(update_fields=["selected", "answered", "updated_at"])
        touch(response)
    return question


def test_level(score: float) -> int:
    return next(level for threshold, level in TEST_LEVEL_THRESHOLDS if score >= threshold)


@transaction.atomic
def test_submit(*, response: Response, today: dt.date | None = None) -> SubmitResult:
    """Score the test on the server: one evidence row per competence with the score behind the level."""
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    if response.is_submitted:
        return SubmitResult(response=response, applied=False)
    check_accepts(response.campaign, today)
    assert response.subject_id is not None
    questions = list(response.questions.select_related("item"))
    if not questions:
        raise AnswerRefusedError(_("Testen er ikke startet."))
    competences = {c.code: c for c in Competence.objects.filter(framework_id=response.campaign.framework_id)}
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question in questions:
        is_correct = frozenset(question.selected) == question.item.correct_keys
        question.correct = is_correct
        code = question.item.competence_code
        possible[code] += question.item.difficulty
        earned[code] += question.item.difficulty if is_correct else 0
        counts[code][0] += int(is_correct)
        counts[code][1] += 1
    TestQuestion.objects.bulk_update(questions, ["correct"])
    touched: set[int] = set()
    for code, total in possible.items():
        competence = competences.get(code)
        if competence is None:
            continue
        score = earned[code] / total if total else 0.0
        Evidence.objects.update_or_create(
            response=response,
            competence=competence,
            defaults={
                "organisation_id": response.organisation_id,
                "person_id": response.subject_id,
                "source": EvidenceSource.TEST,
                "level": test_level(score),
                "observed_on": today,
                "campaign_id": response.campaign_id,
                "detail": {"score": round(score, 3), "correct": counts[code][0], "items": counts[code][1]},
            },
        )
        touched.add(competence.pk)
    estimates_recompute(person_id=response.subject_id, competence_ids=touched, today=today)
    evidence_changed(response, touched)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at", "updated_at"])
    return SubmitResult(response=response, applied=True)
