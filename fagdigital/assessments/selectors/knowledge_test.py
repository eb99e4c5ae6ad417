"""Reads for the knowledge test.

Before a knowledge test is submitted its pages are built only from a `TestSheet`, which holds no answer
key and no explanation: a template cannot show what it is not given. `TestResult` (with the key) is
built only for a submitted response.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from fagdigital.assessments.evidence_rule import MIN_ITEMS_FOR_TEST_LEVEL
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Evidence,
    Instrument,
    ItemKind,
    Participant,
    Response,
    TestQuestion,
)
from fagdigital.assessments.services.knowledge_test import draw_pools
from fagdigital.frameworks.models import Area, Competence


def test_questions(*, response: Response) -> list[TestQuestion]:
    return list(response.questions.select_related("item").order_by("position"))


# --- Knowledge test: before submission (no answer key) -------------------------------------------


def _option_text(option: Mapping[str, Any]) -> str:
    if translation.get_language() == "en" and option.get("en"):
        return str(option["en"])
    return str(option.get("da", ""))


@dataclass(frozen=True)
class SheetOption:
    key: str
    text: str


@dataclass(frozen=True)
class SheetQuestion:
    """A drawn question as the respondent sees it while answering: no key, no explanation."""

    pk: int
    number: int
    multiple: bool
    scenario: str
    question: str
    options: tuple[SheetOption, ...]
    selected: frozenset[str]

    @property
    def answered(self) -> bool:
        return bool(self.selected)

    @property
    def hint(self) -> str:
        """ "Vælg alle rigtige svar" for a multiple-choice question, unless its text already says so."""
        text = _("Vælg alle rigtige svar")
        return text if self.multiple and text.casefold() not in self.question.casefold() else ""


@dataclass(frozen=True)
class SheetGroup:
    competence: Competence | None
    questions: tuple[SheetQuestion, ...]


@dataclass(frozen=True)
class TestSheet:
    groups: tuple[SheetGroup, ...]

    @property
    def questions(self) -> list[SheetQuestion]:
        return [question for group in self.groups for question in group.questions]

    @property
    def total(self) -> int:
        return sum(len(group.questions) for group in self.groups)

    @property
    def answered(self) -> int:
        return sum(1 for question in self.questions if question.answered)


def _competences_by_code(campaign: Campaign, codes: Iterable[str]) -> dict[str, Competence]:
    return {
        c.code: c for c in Competence.objects.filter(framework_id=campaign.framework_id, code__in=set(codes))
    }


def _grouped(questions: list[TestQuestion]) -> list[tuple[str, list[tuple[int, TestQuestion]]]]:
    """Questions grouped by competence in the order drawn, each with its number in the whole test."""
    groups: dict[str, list[tuple[int, TestQuestion]]] = {}
    for number, question in enumerate(questions, start=1):
        groups.setdefault(question.item.competence_code, []).append((number, question))
    return list(groups.items())


def test_sheet(*, campaign: Campaign, questions: list[TestQuestion]) -> TestSheet:
    """The questions to answer, grouped by competence, in the shown option order, without the key."""
    competences = _competences_by_code(campaign, (q.item.competence_code for q in questions))
    groups = []
    for code, numbered in _grouped(questions):
        sheet_questions = []
        for number, question in numbered:
            options = {str(option["key"]): option for option in question.item.options}
            sheet_questions.append(
                SheetQuestion(
                    pk=question.pk,
                    number=number,
                    multiple=question.item.kind == ItemKind.MULTIPLE,
                    scenario=question.item.t("scenario"),
                    question=question.item.t("question"),
                    options=tuple(
                        SheetOption(key=key, text=_option_text(options[key]))
                        for key in question.option_order
                        if key in options
                    ),
                    selected=frozenset(question.selected),
                )
            )
        groups.append(SheetGroup(competence=competences.get(code), questions=tuple(sheet_questions)))
    return TestSheet(groups=tuple(groups))


@dataclass(frozen=True)
class TestPlanRow:
    competence: Competence
    questions: int

    @property
    def gives_level(self) -> bool:
        return self.questions >= MIN_ITEMS_FOR_TEST_LEVEL


@dataclass(frozen=True)
class TestPlanArea:
    area: Area
    rows: list[TestPlanRow]


@dataclass(frozen=True)
class TestPlan:
    areas: list[TestPlanArea]

    @property
    def rows(self) -> list[TestPlanRow]:
        return [row for area in self.areas for row in area.rows]

    @property
    def total(self) -> int:
        return sum(row.questions for row in self.rows)

    @property
    def without_level(self) -> list[TestPlanRow]:
        return [row for row in self.rows if not row.gives_level]


def test_plan(*, campaign: Campaign, person_id: int) -> TestPlan:
    """What the person's test covers before it is drawn: per focus area the competences of their role
    and how many questions each will have (fewer than asked where the bank has too few for the role)."""
    pools = draw_pools(campaign=campaign, person_id=person_id)
    per_competence = campaign.test_items_per_competence
    areas = {
        area.pk: TestPlanArea(area=area, rows=[])
        for area in Area.objects.filter(
            framework_id=campaign.framework_id, pk__in={p.competence.area_id for p in pools}
        ).order_by("position", "code")
    }
    for pool in pools:
        available = len(pool.fresh) + len(pool.seen)
        areas[pool.competence.area_id].rows.append(
            TestPlanRow(competence=pool.competence, questions=min(per_competence, available))
        )
    return TestPlan(areas=list(areas.values()))


# --- Knowledge test: after submission (with the key) ----------------------------------------------


@dataclass(frozen=True)
class ResultOption:
    key: str
    text: str
    chosen: bool
    correct: bool


@dataclass(frozen=True)
class ResultQuestion:
    number: int
    multiple: bool
    scenario: str
    question: str
    options: tuple[ResultOption, ...]
    is_correct: bool
    explanation: str
    # The name of the open round that may ask this item again: then no key, verdict or explanation.
    withheld_for: str = ""

    @property
    def chosen(self) -> list[ResultOption]:
        return [option for option in self.options if option.chosen]

    @property
    def correct_options(self) -> list[ResultOption]:
        return [option for option in self.options if option.correct]


@dataclass(frozen=True)
class ResultGroup:
    competence: Competence | None
    evidence: Evidence | None
    questions: tuple[ResultQuestion, ...]

    @property
    def correct(self) -> int:
        """Right answers in the competence: from the scoring (withheld questions carry no verdict)."""
        if self.evidence is not None and "correct" in self.evidence.detail:
            return int(self.evidence.detail["correct"])
        return sum(1 for question in self.questions if question.is_correct)

    @property
    def withheld(self) -> int:
        return sum(1 for question in self.questions if question.withheld_for)

    @property
    def too_few(self) -> bool:
        """No level because the competence had too few questions (evidence_rule.MIN_ITEMS_FOR_TEST_LEVEL)."""
        return self.evidence is None and len(self.questions) < MIN_ITEMS_FOR_TEST_LEVEL


@dataclass(frozen=True)
class TestResult:
    groups: tuple[ResultGroup, ...]

    @property
    def total(self) -> int:
        return sum(len(group.questions) for group in self.groups)

    @property
    def correct(self) -> int:
        return sum(group.correct for group in self.groups)

    @property
    def too_few(self) -> list[ResultGroup]:
        return [group for group in self.groups if group.too_few]


def withheld_items(*, person_id: int, today: dt.date) -> dict[int, str]:
    """Items whose key the person's result pages must not show now: item id → the open round's name.

    Those drawn in a knowledge test the person has not submitted yet in an open round; before that
    test is drawn, those the draw may still pick (seen items of a competence with too few fresh ones,
    `services.knowledge_test.DrawPool.at_risk`). See docs/decisions/0012.
    """
    participations = Participant.objects.filter(
        person_id=person_id, campaign__status=CampaignStatus.OPEN, campaign__closes_on__gte=today
    ).select_related("campaign__framework")
    result: dict[int, str] = {}
    for participant in participations:
        campaign = participant.campaign
        if not campaign.uses(Instrument.TEST):
            continue
        response = Response.objects.filter(
            campaign=campaign, instrument=Instrument.TEST, subject_id=person_id
        ).first()
        if response is not None and response.is_submitted:
            continue
        drawn = list(response.questions.values_list("item_id", flat=True)) if response is not None else []
        if drawn:
            result.update(dict.fromkeys(drawn, campaign.name))
            continue
        for pool in draw_pools(campaign=campaign, person_id=person_id):
            result.update(
                {item.pk: campaign.name for item in pool.at_risk(campaign.test_items_per_competence)}
            )
    return result


def test_result(
    *, response: Response, questions: list[TestQuestion], withheld: Mapping[int, str] | None = None
) -> TestResult:
    """A submitted test: per competence the score and level, per question the answer and the key.

    Questions in `withheld` (see `withheld_items`) get no key, verdict or explanation: the open round
    named there may ask them again.
    """
    withheld = withheld or {}
    if not response.is_submitted:
        raise ValueError("the answer key is only read for a submitted test")
    campaign = response.campaign
    competences = _competences_by_code(campaign, (q.item.competence_code for q in questions))
    evidence = {e.competence_id: e for e in Evidence.objects.filter(response=response)}
    groups = []
    for code, numbered in _grouped(questions):
        competence = competences.get(code)
        result_questions = []
        for number, question in numbered:
            options = {str(option["key"]): option for option in question.item.options}
            # Options not in the stored order (added to the item later) were never shown.
            chosen = set(question.selected)
            held_for = withheld.get(question.item_id, "")
            result_questions.append(
                ResultQuestion(
                    number=number,
                    multiple=question.item.kind == ItemKind.MULTIPLE,
                    scenario=question.item.t("scenario"),
                    question=question.item.t("question"),
                    options=tuple(
                        ResultOption(
                            key=key,
                            text=_option_text(options[key]),
                            chosen=key in chosen,
                            correct=not held_for and bool(options[key].get("correct")),
                        )
                        for key in question.option_order
                        if key in options
                    ),
                    is_correct=not held_for and bool(question.correct),
                    explanation="" if held_for else question.item.t("explanation"),
                    withheld_for=held_for,
                )
            )
        groups.append(
            ResultGroup(
                competence=competence,
                evidence=evidence.get(competence.pk) if competence is not None else None,
                questions=tuple(result_questions),
            )
        )
    return TestResult(groups=tuple(groups))
