"""What the chiefs' indicators are read against (decision 0017).

- The published national reference figures: Rambøll's IT i Praksis as the background article cites them
  (assessments' bundled survey data), beside the organisation's and the network's shares.
- Beyond any survey: per focus area, the chiefs' own view of the staff's competences beside the measured
  share of employees at target. The measured share is the published round figures exactly as the
  dashboards show them (`selectors.heatmap`, the whole organisation, current level); nothing here counts
  people. Both sides keep their own privacy rules: the chiefs' answers only from a closed round with at
  least k respondents (chiefs.py), the measured figures only from published blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fagdigital.assessments.models import Campaign, SurveyTheme
from fagdigital.assessments.selectors import ReferenceFigure, survey_reference_figures
from fagdigital.frameworks.models import Area
from fagdigital.tenancy.actor import Actor

from . import selectors
from .chiefs import ChiefsIndicators, ItemIndicator, Proportion


def _percent(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


@dataclass(frozen=True)
class ReferenceRow:
    reference: ReferenceFigure
    indicator: ItemIndicator | None  # the organisation's statement with the same code, in the round shown


@dataclass(frozen=True)
class AreaComparison:
    area: Area
    perception: ItemIndicator | None  # the chiefs' statement about the area in the round shown, if asked
    with_target: int | None  # person-targets in the published figures; None: no published figure
    at_target: int | None

    @property
    def measured(self) -> Proportion | None:
        if not self.with_target or self.at_target is None:
            return None
        return Proportion(self.at_target, self.with_target)

    @property
    def perceived(self) -> Proportion | None:
        if self.perception is None or self.perception.tally is None or not self.perception.result.n:
            return None
        return self.perception.result

    @property
    def difference(self) -> int | None:
        """Percentage points by which the chiefs' share is above (positive) or below the measured share."""
        perceived, measured = self.perceived, self.measured
        if perceived is None or measured is None or perceived.percent is None or measured.percent is None:
            return None
        return perceived.percent - measured.percent

    @property
    def difference_abs(self) -> int | None:
        return None if self.difference is None else abs(self.difference)


@dataclass
class Comparisons:
    references: list[ReferenceRow]
    areas: list[AreaComparison] = field(default_factory=list)
    measured_campaign: Campaign | None = None  # the round whose published figures are the measured side

    @property
    def has_measured(self) -> bool:
        return any(area.measured is not None for area in self.areas)


def chiefs_comparisons(*, actor: Actor, indicators: ChiefsIndicators) -> Comparisons:
    """The reference figures for the statements that have them and, for an organisation's own readers, the
    chiefs' view beside the measured share at target per focus area."""
    by_code = {item.code: item for item in indicators.items}
    references = [
        ReferenceRow(reference=reference, indicator=by_code.get(code))
        for code, reference in survey_reference_figures().items()
    ]
    result = Comparisons(references=references)
    if indicators.coordinator_view:
        return result  # a network coordinator has no organisation of its own to measure
    view = selectors.heatmap(actor=actor, unit=None, filters=selectors.Filters())
    result.measured_campaign = view.basis.campaign
    total = view.rows[0] if view.rows else None
    cells = {cell.competence.pk: cell for cell in total.cells} if total else {}
    perceptions = {
        item.item.area_code: item
        for item in reversed(indicators.items)
        if item.item.theme == SurveyTheme.PERCEPTION and item.item.area_code
    }
    for columns in view.areas:
        figures = [cells[c.pk] for c in columns.competences if c.pk in cells]
        published = [cell for cell in figures if cell.people is not None and cell.at_target is not None]
        result.areas.append(
            AreaComparison(
                area=columns.area,
                perception=perceptions.get(columns.area.code),
                with_target=sum(cell.people or 0 for cell in published) if published else None,
                at_target=sum(cell.at_target or 0 for cell in published) if published else None,
            )
        )
    return result
