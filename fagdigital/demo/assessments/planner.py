"""The demo's latent model and the planner that turns it into rounds: who answers what, at which level."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from fagdigital.assessments.models import (
    Instrument,
    ItemKind,
    RespondentType,
)

ROUNDS_SEED_VERSION = "3"

TEST_AREAS = ("DS",)
# A test gives a level only from 4 items per competence (assessments.evidence_rule, decision 0016).
HISTORY_TEST_ITEMS = 4
OPEN_TEST_ITEMS = 4
REMINDER_DAYS = (7, 2)
# Who answers the chiefs' survey: the leaders of the top units and these job functions.
CHIEF_FUNCTIONS = frozenset({"Kommunaldirektør", "Direktør", "Digitaliseringschef"})
# The kind of chief each answers as (a chief chooses it on the survey page); other top leaders are fagchefer.
CHIEF_TYPES = {
    "Kommunaldirektør": RespondentType.TOP.value,
    "Direktør": RespondentType.TOP.value,
    "Digitaliseringschef": RespondentType.DIGITAL.value,
}

Progress = Callable[[str, int, int], None]


# --- rounds and their dates -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rounds:
    """The demo's two rounds for a given day: last spring (closed) and one that opened a few days ago."""

    history_name: str
    history_opens: dt.date
    history_closes: dt.date
    open_name: str
    open_opens: dt.date
    open_closes: dt.date


def rounds_for(today: dt.date) -> Rounds:
    """Names and windows relative to `today`, so a demo built any day has a recent history (inside the
    estimates' validity period) and an open round; the two names never clash."""
    spring_year = today.year if today.month >= 5 else today.year - 1
    ninth_of_march = dt.date(spring_year, 3, 9)
    opens = ninth_of_march - dt.timedelta(days=ninth_of_march.weekday())  # a Monday
    season = "forår" if today.month <= 4 else "efterår" if today.month >= 7 else "sommer"
    return Rounds(
        history_name=f"Digital faglighed {spring_year} – forår",  # noqa: RUF001 -- Danish title dash
        history_opens=opens,
        history_closes=opens + dt.timedelta(days=32),  # the Friday four and a half weeks later
        open_name=f"Digital faglighed {today.year} – {season}",  # noqa: RUF001 -- Danish title dash
        open_opens=today - dt.timedelta(days=3),
        open_closes=today + dt.timedelta(days=21),
    )


# --- the latent model -----------------------------------------------------------------------------

# Differences every municipality knows: AI is new to everyone, secure sending and welfare technology lag.
COMPETENCE_EFFECTS: dict[str, float] = {"DS8": -0.5, "BK9": -0.4, "DS4": -0.25, "BK6": -0.2, "DS1": 0.1}
# (unit name anywhere on the person's path, area code, effect): where the gaps and strengths are.
UNIT_EFFECTS: tuple[tuple[str, str, float], ...] = (
    ("Hjemmeplejen", "DS", -0.65),
    ("Plejecentre", "DS", -0.3),
    ("Dagtilbud", "DS", -0.3),
    ("Driftsgården", "DS", -0.45),
    ("Digitalisering og IT", "DS", 0.7),
    ("Informationssikkerhed", "DS", 1.0),
    ("HR", "DS", 0.3),
    ("Sekretariat og Jura", "DS", 0.4),
    ("Borgerservice", "BK", 0.3),
    ("Digital udvikling", "BK", 0.5),
)
# Leaders (anyone leading a unit) against their own targets: behind in digital leadership, and behind
# their own staff in AI tools, digital collaboration and MFA.
LEADER_AREA_EFFECTS: dict[str, float] = {"DL": -0.6, "DS": -0.25}
LEADER_COMPETENCE_EFFECTS: dict[str, float] = {"BK7": -1.8, "BK9": -0.8, "DS8": -1.1, "DS2": -0.5}
# Without a target (no role profile): where a person usually stands.
DEFAULT_LEVEL = {"DL": 1.4, "BK": 2.0, "DS": 2.0}
DEFAULT_LEADER_LEVEL = {"DL": 2.2, "BK": 2.2, "DS": 2.3}

# Knowledge test: P(correct) = logistic(SLOPE * (true level - (BASE + STEP * difficulty))), chosen so
# that the test's level (evidence_rule.knowledge_level_for) is on average close to the true level.
ITEM_SLOPE, ITEM_BASE, ITEM_STEP = 2.0, 0.6, 0.5

# Chiefs' survey: weights for slet ikke … i meget høj grad, per statement; most answer "i nogen grad"
# or "i mindre grad", as in the Danish surveys of municipal chiefs.
SURVEY_WEIGHTS: dict[str, tuple[float, ...]] = {
    "medarbejdere-kompetencer": (0.05, 0.4, 0.5, 0.05, 0.0),
    "medarbejdere-strategi": (0.15, 0.45, 0.3, 0.1, 0.0),
    "ledere-kompetencer": (0.05, 0.4, 0.45, 0.1, 0.0),
    "ledere-strategi": (0.25, 0.45, 0.25, 0.05, 0.0),
    "dl-forankring": (0.0, 0.35, 0.5, 0.15, 0.0),
    "dl-gevinster": (0.15, 0.5, 0.3, 0.05, 0.0),
    "bk-kernesystemer": (0.0, 0.2, 0.5, 0.3, 0.0),
    "bk-oplaering": (0.05, 0.4, 0.45, 0.1, 0.0),
    "ds-adfaerd": (0.0, 0.15, 0.45, 0.35, 0.05),
    "ds-haendelser": (0.05, 0.35, 0.45, 0.15, 0.0),
    "dl-kompetencer": (0.05, 0.45, 0.4, 0.1, 0.0),
    "bk-kompetencer": (0.0, 0.25, 0.5, 0.25, 0.0),
    "ds-kompetencer": (0.0, 0.2, 0.5, 0.3, 0.0),
    # Barriers and needs: most chiefs see time and competences as barriers, and the needs as real.
    "barriere-medarbejderkompetencer": (0.0, 0.15, 0.45, 0.35, 0.05),
    "barriere-ledelse": (0.05, 0.3, 0.45, 0.2, 0.0),
    "barriere-tid": (0.0, 0.1, 0.3, 0.45, 0.15),
    "barriere-sikkerhed": (0.05, 0.35, 0.4, 0.2, 0.0),
    "behov-brugerkompetencer": (0.0, 0.1, 0.4, 0.4, 0.1),
    "behov-ledelse": (0.0, 0.15, 0.4, 0.35, 0.1),
    "behov-sikkerhed": (0.0, 0.1, 0.35, 0.4, 0.15),
    "behov-data": (0.0, 0.1, 0.4, 0.4, 0.1),
}
SURVEY_DEFAULT_WEIGHTS = (0.05, 0.35, 0.45, 0.15, 0.0)

LEADER_COMMENTS = (
    "Vi taler om det til MUS.",
    "Er godt på vej og har hjulpet nye kolleger.",
    "Har brug for mere øvelse i det daglige.",
    "Superbruger i teamet.",
    "Vil gerne på kursus i foråret.",
)


def _clamp_level(value: float) -> int:
    return max(1, min(4, round(value)))


@dataclass(frozen=True)
class Member:
    """A participant with what the model needs about them."""

    person_id: int
    employee_number: str
    unit_path: str
    role_profile_code: str
    leads: bool
    rater_id: int | None  # the person who rates them: their unit's leader, or for a leader the next one up
    unit_names: frozenset[str]


@dataclass(frozen=True)
class CompetenceInfo:
    pk: int
    code: str
    area: str


@dataclass(frozen=True)
class ItemInfo:
    pk: int
    competence_code: str
    difficulty: int
    kind: str
    keys: tuple[str, ...]
    correct: frozenset[str]
    role_codes: frozenset[str] = frozenset()  # empty: fits every role

    def fits(self, role_code: str) -> bool:
        """As TestItem.fits_role: a person without a role profile ("") gets role-neutral items only."""
        return not self.role_codes or role_code in self.role_codes


@dataclass(frozen=True)
class RoundSpec:
    """What one generated round looks like."""

    seed: str
    opens_on: dt.date
    closes_on: dt.date
    last_day: dt.date  # the last day with answers (yesterday for an open round)
    self_rate: float  # mean share of people who submit their self-assessment
    test_items: int
    uses_chiefs: bool
    # Added to the true levels, per area or competence code: growth since an earlier round, or what
    # sets one municipality apart from another.
    growth: dict[str, float] = field(default_factory=dict)
    raters_taking_part: float = 0.72
    survey_shift: float = 0.0  # chiefs' survey: > 0 leans towards "i høj grad", < 0 towards "slet ikke"
    forced: frozenset[int] = frozenset()  # people who answered everything (the demo logins)
    exempt: frozenset[int] = frozenset()  # people who have not answered anything yet


@dataclass
class PlannedQuestion:
    item: ItemInfo
    order: list[str]
    selected: list[str]
    answered: bool
    correct: bool


@dataclass
class PlannedResponse:
    instrument: str
    respondent_id: int  # a person; mapped to their user when written
    subject_id: int | None
    submitted: bool
    at: dt.datetime
    answers: list[tuple[int, int | None, str]] = field(default_factory=list)
    questions: list[PlannedQuestion] = field(default_factory=list)
    survey: list[tuple[int, int | None]] = field(default_factory=list)
    respondent_type: str = ""  # the chiefs' survey: the kind of chief (RespondentType)


@dataclass
class _Person:
    """Stable traits of a person: the same in every round (seeded by the employee number)."""

    ability: float
    self_bias: float
    deviations: dict[str, float]


class Planner:
    """Draws one round's responses from the latent model; pure, so it is tested without a database."""

    def __init__(
        self,
        *,
        spec: RoundSpec,
        organisation_key: str,
        competences: Sequence[CompetenceInfo],
        targets: dict[str, dict[int, int]],
        items: Sequence[ItemInfo],
    ) -> None:
        self.spec = spec
        self.organisation_key = organisation_key
        self.competences = sorted(competences, key=lambda c: c.code)
        self.targets = targets
        self.items_by_code: dict[str, list[ItemInfo]] = defaultdict(list)
        for item in sorted(items, key=lambda i: i.pk):
            self.items_by_code[item.competence_code].append(item)
        self.test_competences = [
            c for c in self.competences if c.area in TEST_AREAS and self.items_by_code.get(c.code)
        ]
        self.rng = random.Random(f"fagdigital-demo-round-{organisation_key}-{spec.seed}")  # noqa: S311
        self._people: dict[str, _Person] = {}
        self._units: dict[str, tuple[float, float, float]] = {}
        self._raters: dict[int, tuple[bool, float, float]] = {}
        # Caches: a big municipality has ~50,000 members and ~1 million levels to draw per round.
        self._named: dict[tuple[str, str], float] = {}
        self._days: dict[tuple[dt.date, dt.date, bool], tuple[list[dt.date], list[float]]] = {}

    # -- stable traits --

    def person(self, member: Member) -> _Person:
        found = self._people.get(member.employee_number)
        if found is None:
            rng = random.Random(f"fagdigital-demo-person-{self.organisation_key}-{member.employee_number}")  # noqa: S311
            ability = rng.gauss(0, 0.45)
            kind = rng.random()
            # 9 % overconfident, 6 % modest, the rest a little above themselves (as people are).
            bias = 1.1 if kind < 0.09 else -0.6 if kind < 0.15 else rng.gauss(0.2, 0.25)
            deviations = {c.code: rng.gauss(0, 0.35) for c in self.competences}
            found = _Person(ability=ability, self_bias=bias, deviations=deviations)
            self._people[member.employee_number] = found
        return found

    def unit(self, path: str) -> tuple[float, float, float]:
        """(general effect, data-security effect, response-rate offset) of a unit, stable per unit."""
        found = self._units.get(path)
        if found is None:
            rng = random.Random(f"fagdigital-demo-unit-{self.organisation_key}-{path}")  # noqa: S311
            found = (rng.gauss(0, 0.2), rng.gauss(0, 0.3), rng.gauss(0, 0.07))
            self._units[path] = found
        return found

    def true_level(self, member: Member, competence: CompetenceInfo) -> float:
        target = self.targets.get(member.role_profile_code, {}).get(competence.pk)
        defaults = DEFAULT_LEADER_LEVEL if member.leads else DEFAULT_LEVEL
        value = float(target) if target is not None else defaults.get(competence.area, 2.0)
        traits = self.person(member)
        general, security, _rate = self.unit(member.unit_path)
        value += traits.ability + traits.deviations.get(competence.code, 0.0) + general
        value += COMPETENCE_EFFECTS.get(competence.code, 0.0)
        if competence.area == "DS":
            value += security
        value += self._named_effect(member, competence.area)
        if member.leads:
            value += LEADER_AREA_EFFECTS.get(competence.area, 0.0)
            value += LEADER_COMPETENCE_EFFECTS.get(competence.code, 0.0)
        growth = self.spec.growth
        if growth:
            value += growth.get(competence.area, 0.0) + growth.get(competence.code, 0.0)
        return max(0.6, min(4.4, value))

    def _named_effect(self, member: Member, area: str) -> float:
        """The UNIT_EFFECTS that apply to the member's unit path (cached per path: the unit names are
        the path's, and comparing the names' sets on every lookup cost more than the sum)."""
        key = (member.unit_path, area)
        found = self._named.get(key)
        if found is None:
            names = member.unit_names
            found = sum(effect for name, where, effect in UNIT_EFFECTS if where == area and name in names)
            self._named[key] = found
        return found

    def questionnaire(self, member: Member) -> list[CompetenceInfo]:
        """As `assessments.selectors.questionnaire_competences`: the role profile's targets, else all."""
        targeted = self.targets.get(member.role_profile_code)
        if targeted:
            return [c for c in self.competences if c.pk in targeted]
        return list(self.competences)

    # -- timing --

    def moment(self, first: dt.date, last: dt.date, *, busy_end: bool = False) -> dt.datetime:
        """A working-hours moment between two days: most answers come in the first days and around the
        reminders (7 and 2 days before closing); weekends are quiet."""
        first = max(first, self.spec.opens_on)
        last = min(last, self.spec.last_day)
        last = max(last, first)
        days, cumulative = self._calendar(first, last, busy_end=busy_end)
        day = self.rng.choices(days, cum_weights=cumulative)[0]
        clock = dt.time(self.rng.randint(7, 15), self.rng.randint(0, 59), self.rng.randint(0, 59))
        return timezone.make_aware(dt.datetime.combine(day, clock))

    def _calendar(
        self, first: dt.date, last: dt.date, *, busy_end: bool
    ) -> tuple[list[dt.date], list[float]]:
        """The days from first to last and their cumulative weights (computed once per window)."""
        key = (first, last, busy_end)
        found = self._days.get(key)
        if found is None:
            days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
            reminders = {self.spec.closes_on - dt.timedelta(days=d) for d in REMINDER_DAYS}
            weights = []
            for day in days:
                weight = 1.0
                if (day - self.spec.opens_on).days < 3:
                    weight = 3.0
                if day in reminders:
                    weight = 2.5
                if busy_end and (self.spec.closes_on - day).days < 14:
                    weight *= 2.5
                if day.weekday() >= 5:
                    weight = 0.15
                weights.append(weight)
            found = (days, list(itertools.accumulate(weights)))
            self._days[key] = found
        return found

    # -- instruments --

    def _assessment(
        self,
        member: Member,
        *,
        offset: float,
        noise: float,
        dont_know: float,
        share: float = 1.0,
        comments: bool = False,
    ) -> list[tuple[int, int | None, str]]:
        answers: list[tuple[int, int | None, str]] = []
        for competence in self.questionnaire(member):
            if share < 1.0 and self.rng.random() > share:
                continue
            untargeted_dl = competence.area == "DL" and not member.leads
            if self.rng.random() < (0.15 if untargeted_dl else dont_know):
                answers.append((competence.pk, None, ""))
                continue
            level = _clamp_level(self.true_level(member, competence) + offset + self.rng.gauss(0, noise))
            comment = ""
            if comments and self.rng.random() < 0.04:
                comment = self.rng.choice(LEADER_COMMENTS)
            answers.append((competence.pk, level, comment))
        return answers

    def self_answers(self, member: Member, *, share: float = 1.0) -> list[tuple[int, int | None, str]]:
        return self._assessment(
            member, offset=self.person(member).self_bias, noise=0.5, dont_know=0.03, share=share
        )

    def leader_answers(self, member: Member, leniency: float) -> list[tuple[int, int | None, str]]:
        return self._assessment(member, offset=leniency, noise=0.45, dont_know=0.06, comments=True)

    def test_questions(self, member: Member, *, finished: bool) -> list[PlannedQuestion]:
        questions: list[PlannedQuestion] = []
        # As the service draws: only competences the person's role profile targets, only items that fit it
        # (no role profile: items that fit every role).
        targeted = {c.pk for c in self.questionnaire(member)}
        role = member.role_profile_code
        for competence in self.test_competences:
            if competence.pk not in targeted:
                continue
            level = self.true_level(member, competence)
            fitting = [
                item
                for item in self.items_by_code[competence.code]
                if (item.fits(role) if role else not item.role_codes)
            ]
            for item in self._draw(fitting):
                order = list(item.keys)
                self.rng.shuffle(order)
                if not finished and self.rng.random() < 0.5:
                    questions.append(PlannedQuestion(item, order, [], answered=False, correct=False))
                    continue
                if self.rng.random() < 0.01:
                    questions.append(PlannedQuestion(item, order, [], answered=False, correct=False))
                    continue
                chance = 1 / (1 + math.exp(-ITEM_SLOPE * (level - (ITEM_BASE + ITEM_STEP * item.difficulty))))
                is_correct = self.rng.random() < chance
                selected = sorted(item.correct) if is_correct else self._wrong(item)
                questions.append(PlannedQuestion(item, order, selected, answered=True, correct=is_correct))
        return questions

    def _draw(self, items: list[ItemInfo]) -> list[ItemInfo]:
        """Like the service's stratified draw: one item of each difficulty in turn."""
        strata: dict[int, list[ItemInfo]] = defaultdict(list)
        for item in items:
            strata[item.difficulty].append(item)
        for bucket in strata.values():
            self.rng.shuffle(bucket)
        levels = sorted(strata)
        self.rng.shuffle(levels)
        chosen: list[ItemInfo] = []
        while len(chosen) < self.spec.test_items and any(strata.values()):
            for difficulty in levels:
                if strata[difficulty] and len(chosen) < self.spec.test_items:
                    chosen.append(strata[difficulty].pop())
        return chosen

    def _wrong(self, item: ItemInfo) -> list[str]:
        wrong = [key for key in item.keys if key not in item.correct]
        if item.kind == ItemKind.SINGLE or not wrong:
            return [self.rng.choice(wrong or list(item.keys))]
        # A typical multiple-choice mistake: one right option missed, or one wrong option added.
        chosen = set(item.correct)
        if len(chosen) > 1 and self.rng.random() < 0.5:
            chosen.discard(self.rng.choice(sorted(chosen)))
        else:
            chosen.add(self.rng.choice(wrong))
        return sorted(chosen)

    def survey_answers(self, survey_items: Sequence[tuple[int, str]]) -> list[tuple[int, int | None]]:
        answers: list[tuple[int, int | None]] = []
        for item_id, code in survey_items:
            if self.rng.random() < 0.04:
                answers.append((item_id, None))
                continue
            weights = SURVEY_WEIGHTS.get(code, SURVEY_DEFAULT_WEIGHTS)
            if self.spec.survey_shift:
                shift = self.spec.survey_shift
                weights = tuple(w * math.exp(shift * (value - 3)) for value, w in enumerate(weights, 1))
            answers.append((item_id, self.rng.choices(range(1, 6), weights=weights)[0]))
        return answers

    # -- the round --

    def plan(
        self, members: Sequence[Member], *, chiefs: Sequence[int], survey_items: Sequence[tuple[int, str]]
    ) -> list[PlannedResponse]:
        spec = self.spec
        planned: list[PlannedResponse] = []
        members = sorted(members, key=lambda m: m.employee_number)
        for member in members:
            if member.person_id in spec.exempt:
                continue
            forced = member.person_id in spec.forced
            rate = spec.self_rate + self.unit(member.unit_path)[2]
            rate += -0.06 if "Hjemmeplejen" in member.unit_names else 0.0
            rate += 0.07 if "Administration" in member.unit_names else 0.0
            rate += -0.12 if "Driftsgården" in member.unit_names or "Dagplejen" in member.unit_names else 0.0
            submits_self = forced or self.rng.random() < rate
            at = self.moment(spec.opens_on, spec.closes_on)
            if submits_self:
                planned.append(
                    PlannedResponse(
                        Instrument.SELF,
                        member.person_id,
                        member.person_id,
                        True,
                        at,
                        self.self_answers(member),
                    )
                )
            elif self.rng.random() < 0.15:
                draft = PlannedResponse(
                    Instrument.SELF,
                    member.person_id,
                    member.person_id,
                    False,
                    at,
                    self.self_answers(member, share=self.rng.uniform(0.2, 0.8)),
                )
                planned.append(draft)
            takes_test = forced or (self.rng.random() < (0.9 if submits_self else 0.03))
            if takes_test and self.test_competences:
                finished = forced or self.rng.random() > 0.03
                test_at = self.moment(
                    at.date(), at.date() + dt.timedelta(days=self.rng.choice((0, 0, 0, 1, 3)))
                )
                test_at = max(test_at, at) if test_at.date() == at.date() else test_at
                planned.append(
                    PlannedResponse(
                        Instrument.TEST,
                        member.person_id,
                        member.person_id,
                        finished,
                        test_at,
                        questions=self.test_questions(member, finished=finished),
                    )
                )
        by_id = {m.person_id: m for m in members}
        for member in members:
            rater = member.rater_id
            # Nobody exempt rates or is rated: the demo logins find the open round untouched.
            if rater is None or rater in spec.exempt or member.person_id in spec.exempt or rater not in by_id:
                continue
            takes_part, leniency, share = self._rater(rater, forced=rater in spec.forced)
            if not takes_part or self.rng.random() > share:
                continue
            submitted = self.rng.random() > 0.03
            at = self.moment(spec.opens_on, spec.closes_on, busy_end=True)
            planned.append(
                PlannedResponse(
                    Instrument.LEADER,
                    rater,
                    member.person_id,
                    submitted,
                    at,
                    self.leader_answers(member, leniency),
                )
            )
        if spec.uses_chiefs:
            for index, chief in enumerate(sorted(chiefs)):
                forced = chief in spec.forced
                # One chief (never a demo login) has not got round to submitting.
                submitted = forced or index != 1
                at = self.moment(spec.opens_on, spec.closes_on, busy_end=True)
                planned.append(
                    PlannedResponse(
                        Instrument.CHIEFS,
                        chief,
                        None,
                        submitted,
                        at,
                        survey=self.survey_answers(survey_items),
                    )
                )
        return planned

    def _rater(self, rater_id: int, *, forced: bool) -> tuple[bool, float, float]:
        """(takes part, leniency, share of their people rated) for a leader, drawn once per round."""
        found = self._raters.get(rater_id)
        if found is None:
            takes_part = forced or self.rng.random() < self.spec.raters_taking_part
            found = (takes_part, self.rng.gauss(0.1, 0.25), 1.0 if forced else self.rng.uniform(0.6, 1.0))
            self._raters[rater_id] = found
        return found
