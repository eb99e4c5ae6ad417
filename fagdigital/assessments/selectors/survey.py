"""Reads of the chiefs' survey: the sheet a chief answers and the organisation's results."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import translation

from fagdigital.assessments.models import (
    Campaign,
    Response,
    ResponseStatus,
    SurveyAnswer,
    SurveyItem,
    SurveyTheme,
)
from fagdigital.frameworks.models import Area

# The bundled chiefs' survey: its statements (installed per round by services.survey) and reference figures.
DEFAULT_SURVEY_PATH = Path(__file__).resolve().parents[1] / "data" / "chiefs_survey.json"
# Statements grouped by theme rather than by focus area on the survey page, in this order (after the areas).
THEME_GROUPS = (SurveyTheme.BARRIER, SurveyTheme.NEED)


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
    by_theme: dict[str, list[SurveyQuestion]] = defaultdict(list)
    other: list[SurveyQuestion] = []
    for item, answer in form:
        question = SurveyQuestion(item=item, answer=answer)
        if item.theme in THEME_GROUPS:
            by_theme[item.theme].append(question)
        elif not item.area_code:
            headline.append(question)
        elif item.area_code in areas:
            by_area[item.area_code].append(question)
        else:
            other.append(question)
    groups = [SurveyGroup(key="headline", area=None, questions=tuple(headline))] if headline else []
    for area in sorted(areas.values(), key=lambda a: (a.position, a.code)):
        groups.append(SurveyGroup(key=area.code, area=area, questions=tuple(by_area[area.code])))
    for theme in THEME_GROUPS:
        if by_theme[theme]:
            groups.append(SurveyGroup(key=theme, area=None, questions=tuple(by_theme[theme])))
    if other:
        groups.append(SurveyGroup(key="other", area=None, questions=tuple(other)))
    return SurveySheet(groups=tuple(groups))


# --- National reference figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceFigure:
    """A published national figure for a statement: the share answering "i høj grad" or "i meget høj grad"."""

    item_code: str
    percent: int
    year: int  # the year the source gives (the article's date; it does not name the survey's edition)
    statement_da: str  # the bundled survey's statement with the same code
    statement_en: str
    text_da: str  # what the figure says, as a sentence after the percentage
    text_en: str
    source_da: str
    source_en: str

    def t(self, field: str) -> str:
        """The text or source in the active language (English falls back to Danish)."""
        english = getattr(self, f"{field}_en")
        return str(
            english if translation.get_language() == "en" and english else getattr(self, f"{field}_da")
        )


@cache
def survey_reference_figures() -> dict[str, ReferenceFigure]:
    """The national reference figures of the bundled chiefs' survey, by statement code (data file)."""
    data = json.loads(DEFAULT_SURVEY_PATH.read_text(encoding="utf-8"))
    statements = {item["code"]: item["text"] for item in data["items"]}
    return {
        ref["item"]: ReferenceFigure(
            item_code=ref["item"],
            percent=int(ref["percent"]),
            year=int(ref["year"]),
            statement_da=statements[ref["item"]]["da"],
            statement_en=statements[ref["item"]]["en"],
            text_da=ref["text"]["da"],
            text_en=ref["text"]["en"],
            source_da=ref["source"]["da"],
            source_en=ref["source"]["en"],
        )
        for ref in data.get("references", [])
    }
