"""Reads of the chiefs' survey: the sheet a chief answers and the organisation's results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from fagdigital.assessments.models import Campaign, Response, ResponseStatus, SurveyAnswer, SurveyItem
from fagdigital.frameworks.models import Area


def survey_form(*, response: Response) -> list[tuple[SurveyItem, SurveyAnswer | None]]:
    answers = {a.item_id: a for a in SurveyAnswer.objects.filter(response=response)}
    return [(item, answers.get(item.pk)) for item in SurveyItem.objects.filter(campaign=response.campaign)]


# --- Chiefs' survey results ----------------------------------------------------------------------


@dataclass
class SurveyResultRow:
    item: SurveyItem
    counts: list[int]  # per scale value 1..5
    dont_know: int

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def top_two_share(self) -> int | None:
        return round(100 * (self.counts[3] + self.counts[4]) / self.answered) if self.answered else None


def survey_results(*, campaign: Campaign) -> list[SurveyResultRow]:
    """The organisation's own statements: for its top management and competence admins only."""
    rows = {
        item.pk: SurveyResultRow(item=item, counts=[0] * 5, dont_know=0)
        for item in campaign.survey_items.all()
    }
    for item_id, value in SurveyAnswer.objects.filter(
        item__campaign=campaign, response__status=ResponseStatus.SUBMITTED
    ).values_list("item_id", "value"):
        row = rows.get(item_id)
        if row is None:
            continue
        if value is None:
            row.dont_know += 1
        else:
            row.counts[value - 1] += 1
    return list(rows.values())


# --- Chiefs' survey ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyQuestion:
    item: SurveyItem
    answer: SurveyAnswer | None

    @property
    def chosen(self) -> str:
        if self.answer is None:
            return ""
        return "dont_know" if self.answer.value is None else str(self.answer.value)


@dataclass(frozen=True)
class SurveyGroup:
    key: str
    area: Area | None
    questions: tuple[SurveyQuestion, ...]


@dataclass(frozen=True)
class SurveySheet:
    groups: tuple[SurveyGroup, ...]

    @property
    def questions(self) -> list[SurveyQuestion]:
        return [question for group in self.groups for question in group.questions]

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def answered(self) -> int:
        return sum(1 for question in self.questions if question.answer is not None)


def survey_sheet(*, response: Response) -> SurveySheet:
    """The survey's statements: the headline statements first, then per focus area in framework order.

    A statement whose area code is not in the framework comes last, under "other statements".
    """
    # An unsaved response (the survey only looked at, not yet answered) has no answers to read.
    if response.pk is None:
        form = [(item, None) for item in SurveyItem.objects.filter(campaign=response.campaign)]
    else:
        form = survey_form(response=response)
    areas = {
        area.code: area
        for area in Area.objects.filter(
            framework_id=response.campaign.framework_id,
            code__in={item.area_code for item, _answer in form if item.area_code},
        )
    }
    headline: list[SurveyQuestion] = []
    by_area: dict[str, list[SurveyQuestion]] = defaultdict(list)
    other: list[SurveyQuestion] = []
    for item, answer in form:
        question = SurveyQuestion(item=item, answer=answer)
        if not item.area_code:
            headline.append(question)
        elif item.area_code in areas:
            by_area[item.area_code].append(question)
        else:
            other.append(question)
    groups = [SurveyGroup(key="headline", area=None, questions=tuple(headline))] if headline else []
    for area in sorted(areas.values(), key=lambda a: (a.position, a.code)):
        groups.append(SurveyGroup(key=area.code, area=area, questions=tuple(by_area[area.code])))
    if other:
        groups.append(SurveyGroup(key="other", area=None, questions=tuple(other)))
    return SurveySheet(groups=tuple(groups))
