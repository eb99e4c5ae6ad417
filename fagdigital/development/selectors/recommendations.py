"""Explainable recommendations (decision 0018): which catalogue activities close whose gaps, and why.

For a person, each activity scores the sum over the competences it develops of

    gap × criticality weight × level fit

where the gap is the role's target minus the person's current level (only gaps: competences at or above
target, or without a level, score nothing), the weight is 3 for kritisk, 2 for vigtig and 1 for nyttig,
and the level fit says how well the activity's level suits the step the person needs:

    fit = (min(activity level, target) - current) / (target - current) × ½ ^ (levels beyond the target)

so an activity to exactly the target fits 1, one that goes halfway fits ½, and one a level beyond what
the role needs is halved. Each part comes with its reason in words and its arithmetic. Ties go to the
cheaper, then the shorter activity.

For a unit the same parts are summed over its published level distribution (analytics.demand: sums of
publication blocks, never individuals): each person-level below target that the activity lifts counts
with the same weight and fit, and the reason says how many people below target it reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from fagdigital.analytics.demand import UnitLevels
from fagdigital.assessments.feedback import PersonalProfile
from fagdigital.development.models import ActivityCompetence, LearningActivity
from fagdigital.frameworks.models import Competence, Criticality
from fagdigital.tenancy.models import Organisation

from .access import activities_visible_to_organisation

WEIGHT: dict[str, int] = {Criticality.CRITICAL: 3, Criticality.IMPORTANT: 2, Criticality.USEFUL: 1}
DEFAULT_LIMIT = 5


def level_fit(*, current: int, target: int, level: int) -> float:
    """How well an activity to `level` suits someone at `current` whose role needs `target` (0 to 1)."""
    if level <= current or target <= current:
        return 0.0
    closes = min(level, target) - current
    return closes / (target - current) * 0.5 ** max(0, level - target)


def criticality_label(criticality: str) -> str:
    return str(Criticality(criticality).label).lower() if criticality in Criticality.values else ""


# --- The catalogue's offers as plain data ----------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    activity: LearningActivity
    levels: dict[str, int]  # competence code → level developed

    @property
    def cost(self) -> int:
        return self.activity.cost_dkk

    @property
    def hours(self) -> Decimal:
        return self.activity.duration_hours


def offers_for(*, organisation: Organisation) -> list[Offer]:
    """The published activities the organisation's people may use, with the levels they develop."""
    activities = (
        activities_visible_to_organisation(organisation=organisation)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("competences", queryset=ActivityCompetence.objects.order_by("competence_code"))
        )
    )
    return [
        Offer(activity=a, levels={c.competence_code: c.level for c in a.competences.all()})
        for a in activities
    ]


# --- For a person ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonGap:
    competence: Competence
    current: int
    target: int
    criticality: str

    @property
    def gap(self) -> int:
        return self.target - self.current

    @property
    def weight(self) -> int:
        return WEIGHT.get(self.criticality, 1)


@dataclass(frozen=True)
class ReasonPart:
    gap: PersonGap
    level: int  # the level the activity develops the competence to
    fit: float

    @property
    def score(self) -> float:
        return self.gap.gap * self.gap.weight * self.fit

    @property
    def text(self) -> str:
        values = {
            "current": self.gap.current,
            "target": self.gap.target,
            "code": self.gap.competence.code,
            "level": self.level,
        }
        if self.level > self.gap.target:
            return (
                _(
                    "Du er på niveau %(current)s i %(code)s, din rolle kræver %(target)s; "
                    "dette forløb udvikler "
                    "%(code)s til niveau %(level)s, altså mere end din rolle kræver."
                )
                % values
            )
        if self.level < self.gap.target:
            return (
                _(
                    "Du er på niveau %(current)s i %(code)s, din rolle kræver %(target)s; "
                    "dette forløb udvikler "
                    "%(code)s til niveau %(level)s, et skridt på vejen."
                )
                % values
            )
        return (
            _(
                "Du er på niveau %(current)s i %(code)s, din rolle kræver %(target)s; dette forløb udvikler "
                "%(code)s til niveau %(level)s."
            )
            % values
        )

    @property
    def weight_text(self) -> str:
        return _("%(code)s er %(criticality)s for din rolle.") % {
            "code": self.gap.competence.code,
            "criticality": criticality_label(self.gap.criticality),
        }

    @property
    def arithmetic(self) -> str:
        return _("gab %(gap)s × betydning %(weight)s × niveaupas %(fit)s = %(score)s") % {
            "gap": self.gap.gap,
            "weight": self.gap.weight,
            "fit": _number(self.fit),
            "score": _number(self.score),
        }


def _number(value: float) -> str:
    """At most two decimals, in the active language's notation (0,5 in Danish, 0.5 in English)."""
    number = Decimal(f"{value:.2f}")
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number)


@dataclass(frozen=True)
class Recommendation:
    activity: LearningActivity
    parts: tuple[ReasonPart, ...]

    @property
    def score(self) -> float:
        return sum(part.score for part in self.parts)

    @property
    def score_text(self) -> str:
        return _number(self.score)

    @property
    def codes(self) -> list[str]:
        return [part.gap.competence.code for part in self.parts]


def person_gaps(profile: PersonalProfile) -> list[PersonGap]:
    """The person's gaps: competences with a current level below the role's target."""
    return [
        PersonGap(
            competence=item.competence,
            current=item.estimate.level,
            target=item.target_level,
            criticality=item.criticality,
        )
        for item in profile.items
        if item.estimate is not None
        and item.target_level is not None
        and item.estimate.level < item.target_level
    ]


def rank_for_person(
    gaps: Sequence[PersonGap], offers: Iterable[Offer], *, limit: int = DEFAULT_LIMIT
) -> list[Recommendation]:
    """Offers that close some of the gaps, best first (see the module's doc for the score)."""
    by_code = {gap.competence.code: gap for gap in gaps}
    found = []
    for offer in offers:
        parts = []
        for code, level in offer.levels.items():
            gap = by_code.get(code)
            if gap is None:
                continue
            fit = level_fit(current=gap.current, target=gap.target, level=level)
            if fit > 0:
                parts.append(ReasonPart(gap=gap, level=level, fit=fit))
        if parts:
            parts.sort(key=lambda p: (-p.score, p.gap.competence.code))
            found.append(Recommendation(activity=offer.activity, parts=tuple(parts)))
    found.sort(
        key=lambda r: (
            -r.score,
            r.activity.cost_dkk,
            r.activity.duration_hours,
            r.activity.title_da,
            r.activity.pk,
        )
    )
    return found[:limit]


def person_recommendations(
    *, profile: PersonalProfile, offers: Iterable[Offer] | None = None, limit: int = DEFAULT_LIMIT
) -> list[Recommendation]:
    """Recommendations from a person's own profile (their own data only: the caller shows them to the
    person, or builds the profile as a leader may see it)."""
    chosen = offers if offers is not None else offers_for(organisation=profile.person.organisation)
    return rank_for_person(person_gaps(profile), chosen, limit=limit)


# --- For a unit (published figures only) ------------------------------------------------------------------


@dataclass
class TeamPart:
    competence: Competence
    level: int
    below: int  # people below target in the competence (published)
    reached: int  # of them, below the activity's level: those it lifts
    score: float
    critical_for: list[str] = field(default_factory=list)  # role codes for which it is kritisk

    @property
    def text(self) -> str:
        return _(
            "I enheden er %(below)s under målniveauet i %(code)s; dette forløb udvikler %(code)s til niveau "
            "%(level)s og når %(reached)s af dem."
        ) % {"below": self.below, "code": self.competence.code, "level": self.level, "reached": self.reached}


@dataclass
class TeamRecommendation:
    activity: LearningActivity
    parts: list[TeamPart]

    @property
    def score(self) -> float:
        return sum(part.score for part in self.parts)

    @property
    def reached(self) -> int:
        """Person-competences below target the activity lifts (a person can count once per competence)."""
        return sum(part.reached for part in self.parts)


def rank_for_unit(
    levels: UnitLevels, offers: Iterable[Offer], *, limit: int = DEFAULT_LIMIT
) -> list[TeamRecommendation]:
    by_code = {c.code: c for c in levels.competences}
    found = []
    for offer in offers:
        parts = []
        for code, level in offer.levels.items():
            competence = by_code.get(code)
            rows = levels.by_competence.get(competence.pk, []) if competence is not None else []
            below = reached = 0
            score = 0.0
            critical = []
            for row in rows:
                if row.target is None:
                    continue
                weight = WEIGHT.get(row.criticality, 1)
                below += row.below
                for current in range(1, row.target):
                    people = row.levels[current - 1]
                    fit = level_fit(current=current, target=row.target, level=level)
                    if people and fit > 0:
                        reached += people
                        score += people * (row.target - current) * weight * fit
                if row.criticality == Criticality.CRITICAL and row.below:
                    critical.append(row.role_code)
            if competence is not None and reached:
                parts.append(
                    TeamPart(
                        competence=competence,
                        level=level,
                        below=below,
                        reached=reached,
                        score=score,
                        critical_for=critical,
                    )
                )
        if parts:
            parts.sort(key=lambda p: (-p.score, p.competence.code))
            found.append(TeamRecommendation(activity=offer.activity, parts=parts))
    found.sort(
        key=lambda r: (
            -r.score,
            r.activity.cost_dkk,
            r.activity.duration_hours,
            r.activity.title_da,
            r.activity.pk,
        )
    )
    return found[:limit]
