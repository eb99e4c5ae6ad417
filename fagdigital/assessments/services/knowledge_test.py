"""The knowledge test: drawing a person's questions for their role, answers and scoring.

The item bank itself (the bundled items, HR's own items and revisions) is `item_bank`. Scoring and the
knowledge cap follow `assessments.evidence_rule` (docs/decisions/0016).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.assessments import evidence_rule as rule
from fagdigital.assessments.models import (
    Campaign,
    Evidence,
    EvidenceSource,
    Instrument,
    ItemKind,
    Participant,
    Response,
    ResponseStatus,
    TestItem,
    TestQuestion,
)
from fagdigital.frameworks.models import Competence, RoleProfile, RoleTarget

from .base import AnswerRefusedError, SubmitResult, check_accepts, touch
from .evidence import estimates_recompute, evidence_changed, framework_knowledge_cap


def test_level(score: float, cap: int = rule.DEFAULT_KNOWLEDGE_CAP) -> int:
    """The level for a share of items right (0..1), never above the knowledge cap. A test level also needs
    enough items: use `evidence_rule.knowledge_level_for`, which says None below the minimum (the demo
    generator still calls this one)."""
    return rule.level_for_share(score, cap)


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


def test_role(*, campaign: Campaign, role_code: str) -> str:
    """The role code the draw follows: the person's role profile when the round's framework has it, else
    "" (no role: every competence of the test's areas, role-neutral items only)."""
    if role_code and RoleProfile.objects.filter(framework_id=campaign.framework_id, code=role_code).exists():
        return role_code
    return ""


def participant_role(*, campaign: Campaign, person_id: int) -> str:
    """The role profile the person had when the round opened (Participant), checked against its framework."""
    code = (
        Participant.objects.filter(campaign=campaign, person_id=person_id)
        .values_list("role_profile_code", flat=True)
        .first()
    )
    return test_role(campaign=campaign, role_code=code or "")


def _bank(campaign: Campaign) -> list[TestItem]:
    return list(
        TestItem.objects.filter(
            organisation_id=campaign.organisation_id, framework_key=campaign.framework.key, active=True
        ).order_by("key")
    )


def test_competences(*, campaign: Campaign, role_code: str = "") -> list[Competence]:
    """The competences a person of this role is tested in: those of the round's test areas that the role
    profile targets (all of them without a role) and that have items fitting the role."""
    role_code = test_role(campaign=campaign, role_code=role_code)
    with_items = {item.competence_code for item in _bank(campaign) if item.fits_role(role_code)}
    competences = Competence.objects.filter(
        framework=campaign.framework, area__code__in=campaign.test_area_codes
    )
    if role_code:
        competences = competences.filter(
            pk__in=RoleTarget.objects.filter(
                role_profile__framework_id=campaign.framework_id, role_profile__code=role_code
            ).values("competence_id")
        )
    return [
        competence
        for competence in competences.order_by("area__position", "position", "code")
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


def draw_pools(*, campaign: Campaign, person_id: int, role_code: str | None = None) -> list[DrawPool]:
    """Per competence the person is tested in, the active bank items that fit their role, split by whether
    the person has seen the key. `role_code` None: the role they had when the round opened."""
    role = (
        participant_role(campaign=campaign, person_id=person_id)
        if role_code is None
        else test_role(campaign=campaign, role_code=role_code)
    )
    competences = test_competences(campaign=campaign, role_code=role)
    wanted = {c.code for c in competences}
    by_code: dict[str, list[TestItem]] = defaultdict(list)
    for item in _bank(campaign):
        if item.competence_code in wanted and item.fits_role(role):
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

    Only competences the person's role profile targets, and only items whose scenario fits the role
    (docs/decisions/0016). Items whose key the person has seen (after an earlier test) are drawn only
    when the bank has too few others for a competence (docs/decisions/0012).
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


@transaction.atomic
def test_submit(*, response: Response, today: dt.date | None = None) -> SubmitResult:
    """Score the test on the server: per competence the number right of the items asked, and a level
    (evidence) only where enough items were asked for one (evidence_rule.knowledge_level_for)."""
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
    cap = framework_knowledge_cap(response.campaign.framework_id)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question in questions:
        question.correct = frozenset(question.selected) == question.item.correct_keys
        counts[question.item.competence_code][0] += int(question.correct)
        counts[question.item.competence_code][1] += 1
    TestQuestion.objects.bulk_update(questions, ["correct"])
    touched: set[int] = set()
    for code, (right, items) in counts.items():
        competence = competences.get(code)
        level = rule.knowledge_level_for(correct=right, items=items, cap=cap)
        if competence is None or level is None:
            continue
        Evidence.objects.update_or_create(
            response=response,
            competence=competence,
            defaults={
                "organisation_id": response.organisation_id,
                "person_id": response.subject_id,
                "source": EvidenceSource.TEST,
                "level": level,
                "observed_on": today,
                "campaign_id": response.campaign_id,
                "detail": {"correct": right, "items": items, "cap": cap},
            },
        )
        touched.add(competence.pk)
    estimates_recompute(person_id=response.subject_id, competence_ids=touched, today=today)
    evidence_changed(response, touched)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at", "updated_at"])
    return SubmitResult(response=response, applied=True)
