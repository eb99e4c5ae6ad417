"""Item statistics and reliability of a closed round's knowledge test, for HR (docs/decisions/0016).

Per item: n (answers), p (the share answering right) and the discrimination: the point-biserial
correlation between the item and the rest of the person's items in the same competence (corrected
item-total correlation). Per competence: Cronbach's alpha (KR-20 for right/wrong items) over the people
who were asked the round's full number of items in it, with n.

Every person draws their own items, so alpha is taken over the draw positions (the first, second, …
item drawn in the competence): it estimates the reliability of a randomly drawn test of that length
(randomly parallel items), not of one fixed form.

A figure is shown only when it rests on at least k people (`privacy.rules.min_group`), and only for a
closed round, whose answers no longer change.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from fagdigital.assessments.evidence_rule import MIN_ITEMS_FOR_TEST_LEVEL
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    ResponseStatus,
    TestItem,
    TestQuestion,
)
from fagdigital.frameworks.models import Competence
from fagdigital.privacy.rules import min_group


def _variance(values: Sequence[float]) -> float:
    """Population variance (the p·q of a right/wrong item), as KR-20 uses it."""
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either side does not vary."""
    vx, vy = _variance(xs), _variance(ys)
    if vx == 0 or vy == 0:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / len(xs)
    return covariance / math.sqrt(vx * vy)


def cronbach_alpha(scores: Sequence[Sequence[float]]) -> float | None:
    """Alpha of a people-by-items matrix (KR-20 for 0/1 items); None with fewer than 2 items or no spread."""
    if not scores or len(scores[0]) < 2:
        return None
    k = len(scores[0])
    totals = [sum(row) for row in scores]
    total_variance = _variance(totals)
    if total_variance == 0:
        return None
    item_variance = sum(_variance([row[j] for row in scores]) for j in range(k))
    return (k / (k - 1)) * (1 - item_variance / total_variance)


@dataclass(frozen=True)
class ItemStat:
    item: TestItem
    competence: Competence | None
    n: int
    shown: bool  # n reaches k
    p: float | None
    discrimination: float | None


@dataclass(frozen=True)
class CompetenceReliability:
    competence: Competence | None
    code: str
    items_per_person: int
    gives_level: bool
    people: int
    shown: bool
    alpha: float | None


@dataclass(frozen=True)
class RoundStatistics:
    campaign: Campaign
    closed: bool
    k: int
    competences: list[CompetenceReliability]
    items: list[ItemStat]


def round_statistics(*, campaign: Campaign) -> RoundStatistics:
    k = min_group(campaign.organisation)
    closed = campaign.status == CampaignStatus.CLOSED
    if not closed:
        return RoundStatistics(campaign=campaign, closed=False, k=k, competences=[], items=[])
    rows = list(
        TestQuestion.objects.filter(
            response__campaign=campaign,
            response__instrument=Instrument.TEST,
            response__status=ResponseStatus.SUBMITTED,
        )
        .order_by("response_id", "position")
        .values_list("response_id", "item_id", "item__competence_code", "correct")
    )
    # response → competence → [(item, right)] in the order drawn.
    answers: dict[int, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for response_id, item_id, code, correct in rows:
        answers[response_id][code].append((item_id, int(bool(correct))))
    competences = {
        c.code: c
        for c in Competence.objects.filter(framework_id=campaign.framework_id).select_related("area")
    }
    items = {i.pk: i for i in TestItem.objects.filter(pk__in={row[1] for row in rows})}
    return RoundStatistics(
        campaign=campaign,
        closed=True,
        k=k,
        competences=_reliability(campaign, answers, competences, k),
        items=_item_stats(answers, items, competences, k),
    )


def _reliability(
    campaign: Campaign,
    answers: dict[int, dict[str, list[tuple[int, int]]]],
    competences: dict[str, Competence],
    k: int,
) -> list[CompetenceReliability]:
    length = campaign.test_items_per_competence
    by_code: dict[str, list[list[float]]] = defaultdict(list)
    for per_code in answers.values():
        for code, drawn in per_code.items():
            if len(drawn) == length:
                by_code[code].append([float(right) for _item, right in drawn])
    codes = sorted({code for per_code in answers.values() for code in per_code})
    order = {code: (c.area.position, c.position) for code, c in competences.items()}
    codes.sort(key=lambda code: order.get(code, (99, 99)))
    result = []
    for code in codes:
        scores = by_code.get(code, [])
        shown = len(scores) >= k
        result.append(
            CompetenceReliability(
                competence=competences.get(code),
                code=code,
                items_per_person=length,
                gives_level=length >= MIN_ITEMS_FOR_TEST_LEVEL,
                people=len(scores),
                shown=shown,
                alpha=cronbach_alpha(scores) if shown else None,
            )
        )
    return result


def _item_stats(
    answers: dict[int, dict[str, list[tuple[int, int]]]],
    items: dict[int, TestItem],
    competences: dict[str, Competence],
    k: int,
) -> list[ItemStat]:
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)  # item → [(right, rest of the competence)]
    for per_code in answers.values():
        for drawn in per_code.values():
            total = sum(right for _item, right in drawn)
            for item_id, right in drawn:
                pairs[item_id].append((right, total - right))
    result = []
    for item_id, values in pairs.items():
        item = items[item_id]
        shown = len(values) >= k
        result.append(
            ItemStat(
                item=item,
                competence=competences.get(item.competence_code),
                n=len(values),
                shown=shown,
                p=sum(right for right, _rest in values) / len(values) if shown else None,
                discrimination=correlation([v[0] for v in values], [v[1] for v in values]) if shown else None,
            )
        )
    order = {code: (c.area.position, c.position) for code, c in competences.items()}
    result.sort(key=lambda s: (order.get(s.item.competence_code, (99, 99)), s.item.key, s.item.revision))
    return result
