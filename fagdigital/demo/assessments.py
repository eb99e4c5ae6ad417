"""Demo assessment campaigns: closed rounds with realistic results, and an open round to answer.

A closed round is history, so its rows are written in bulk — participants, one response per
(instrument, subject, respondent), answers, drawn test questions, chiefs' survey answers and evidence —
keeping the invariants the assessment services keep; the estimates and the dashboards' rollups are then
rebuilt with `assessments.services.estimates_rebuild` and `analytics.services.rollups_rebuild`.
`closed_round_create` writes one for any organisation with a given name, window and seed (the demo's
spring rounds, and two rounds over 45,000 people in the analytics benchmark, COPY on PostgreSQL). The
open round is created and opened through the services, as an HR consultant would do it, and a share of
the municipality has already answered it.

Results come from a small latent model, deterministic per organisation and round:
each person has a "true" level per competence = the role profile's target (or a default)
+ a person effect + a unit effect + known patterns (home care weaker in data security, leaders behind
their staff in AI tools and digital collaboration, AI the weakest topic for everyone) + what sets the
municipality apart (`Profile`). Self-assessment adds a personal bias (some are overconfident, a few
modest), leaders rate with their own leniency, and the knowledge test answers each item with a
probability that falls with the item's difficulty.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import json
import math
import random
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.analytics import services as analytics_services
from fagdigital.assessments import evidence_rule
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    CompetenceEstimate,
    Evidence,
    EvidenceSource,
    Instrument,
    ItemKind,
    Participant,
    RespondentType,
    Response,
    ResponseStatus,
    SurveyAnswer,
    SurveyItem,
    TestItem,
    TestQuestion,
    Visibility,
)
from fagdigital.frameworks.models import Competence, Framework, RoleTarget
from fagdigital.orgs.models import Engagement, OrgUnit, Person, UnitLeader
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Membership, Organisation, Role

from .models import SeedFingerprint

# Bump when the generated results change, so existing demo databases get the new history.
ROUNDS_SEED_VERSION = "2"

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
LEADER_COMPETENCE_EFFECTS: dict[str, float] = {"BK7": -1.3, "BK9": -0.8, "DS8": -1.1, "DS2": -0.5}
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
            if rater is None or rater in spec.exempt or rater not in by_id:
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


# --- reading what the model needs -------------------------------------------------------------------


def _framework_info(framework: Framework) -> tuple[list[CompetenceInfo], dict[str, dict[int, int]]]:
    competences = [
        CompetenceInfo(pk=pk, code=code, area=area)
        for pk, code, area in Competence.objects.filter(framework=framework, parent__isnull=True).values_list(
            "pk", "code", "area__code"
        )
    ]
    targets: dict[str, dict[int, int]] = defaultdict(dict)
    top = {c.pk for c in competences}
    for code, competence_id, level in RoleTarget.objects.filter(
        role_profile__framework=framework
    ).values_list("role_profile__code", "competence_id", "level"):
        if competence_id in top:
            targets[code][competence_id] = level
    return competences, dict(targets)


def _item_info(organisation: Organisation, framework: Framework) -> list[ItemInfo]:
    return [
        ItemInfo(
            pk=item.pk,
            competence_code=item.competence_code,
            difficulty=item.difficulty,
            kind=item.kind,
            keys=tuple(str(option["key"]) for option in item.options),
            correct=item.correct_keys,
            role_codes=frozenset(item.role_codes),
        )
        for item in TestItem.objects.filter(
            organisation=organisation, framework_key=framework.key, active=True
        )
    ]


def _members(campaign: Campaign) -> list[Member]:
    """The campaign's participants with their unit's names, whether they lead it, and who rates them."""
    units = {
        path: (pk, parent_id, name)
        for pk, path, parent_id, name in OrgUnit.objects.filter(
            organisation_id=campaign.organisation_id
        ).values_list("pk", "path", "parent_id", "name")
    }
    leaders: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id in (
        UnitLeader.objects.filter(organisation_id=campaign.organisation_id)
        .order_by("person_id")
        .values_list("unit_id", "person_id")
    ):
        leaders[unit_id].append(person_id)
    rows = Participant.objects.filter(campaign=campaign).values_list(
        "person_id", "person__employee_number", "unit_id", "unit_path", "role_profile_code"
    )
    members: list[Member] = []
    for person_id, number, unit_id, path, code in rows:
        leads = person_id in leaders.get(unit_id, [])
        rater_unit: int | None = unit_id
        if leads:
            rater_unit = units[path][1] if path in units else None
        rater = next(iter(leaders.get(rater_unit, [])), None) if rater_unit is not None else None
        names = frozenset(units[path[:end]][2] for end in range(4, len(path) + 1, 4) if path[:end] in units)
        members.append(
            Member(
                person_id=person_id,
                employee_number=number,
                unit_path=path,
                role_profile_code=code,
                leads=leads,
                rater_id=rater if rater != person_id else None,
                unit_names=names,
            )
        )
    return members


def _chief_types(organisation: Organisation, chiefs: Sequence[int]) -> dict[int, str]:
    """The kind of chief each chief answers as: by job function, a fagchef unless CHIEF_TYPES says else."""
    functions = dict(
        Engagement.objects.filter(active_engagements_q(), organisation=organisation, person_id__in=chiefs)
        .order_by("is_primary", "start_date")  # the primary engagement last, so it wins in the dict
        .values_list("person_id", "job_function__name")
    )
    fallback = RespondentType.SERVICE_AREA.value
    return {chief: CHIEF_TYPES.get(functions.get(chief, ""), fallback) for chief in chiefs}


def _chiefs(organisation: Organisation, members: Sequence[Member]) -> list[int]:
    """Top management: the leaders of the top units and the directors and digitalisation chief."""
    by_function = set(
        Engagement.objects.filter(
            active_engagements_q(),
            organisation=organisation,
            job_function__name__in=CHIEF_FUNCTIONS,
        ).values_list("person_id", flat=True)
    )
    top_leaders = {m.person_id for m in members if m.leads and len(m.unit_path) == 4}
    present = {m.person_id for m in members}
    return sorted((by_function | top_leaders) & present)


# --- users for the people who answered --------------------------------------------------------------


def _users_for(
    organisation: Organisation,
    person_ids: Iterable[int],
    *,
    leaders: set[int],
    chiefs: set[int],
) -> tuple[dict[int, int], int]:
    """User ids for these people, and how many logins were created.

    Whoever has no login gets one, as the sign-in link in their invitation would have made: no usable
    password, the employee role, and the leader and top-management roles where they are leaders or
    chiefs. Existing logins and their roles are left as they are.
    """
    people = list(Person.objects.filter(pk__in=set(person_ids)).values_list("pk", "user_id", "email", "name"))
    users = {pk: user_id for pk, user_id, _email, _name in people if user_id is not None}
    missing = [(pk, (email or "").strip().lower(), name) for pk, user, email, name in people if user is None]
    if not missing:
        return users, 0
    wanted = {email for _pk, email, _name in missing if email}
    linked = set(
        Person.objects.filter(organisation=organisation, user__email__in=wanted).values_list(
            "user__email", flat=True
        )
    )
    existing = dict(User.objects.filter(email__in=wanted).values_list("email", "pk"))
    new_users: list[tuple[int, User]] = []
    for pk, email, name in missing:
        if email in existing and email not in linked:
            users[pk] = existing[email]  # a login made for this person before (an earlier seed)
            linked.add(email)
            continue
        address = email
        if not address or address in existing:
            address = f"person-{pk}@{organisation.kommunekode or organisation.pk}.demo.invalid"
        # An unusable password, as for users made by a sign-in link (nothing to hash; one random
        # suffix per user, as make_password(None) makes it, but 40 times cheaper).
        password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
        new_users.append((pk, User(email=address, full_name=name, password=password)))
    User.objects.bulk_create([user for _pk, user in new_users], batch_size=5000)
    created = {pk: user.pk for pk, user in new_users}
    users.update(created)
    # One statement per person, pipelined (bulk_update's CASE per row costs more than the update).
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Person._meta.db_table} SET user_id = %s WHERE id = %s",  # noqa: S608 -- table name
            [(users[pk], pk) for pk, _email, _name in missing],
        )
    memberships = []
    for person_id, user_id in created.items():
        roles = {Role.EMPLOYEE.value}
        if person_id in leaders:
            roles.add(Role.LEADER.value)
        if person_id in chiefs:
            roles.add(Role.TOP_MANAGEMENT.value)
        memberships.append(Membership(user_id=user_id, organisation=organisation, roles=sorted(roles)))
    Membership.objects.bulk_create(memberships, batch_size=5000)
    return users, len(created)


# --- writing a planned round ------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenRound:
    participants: int
    responses: int
    submitted: int
    evidence: int
    users_created: int


Row = tuple[Any, ...]


def _insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Row]) -> int:
    """Insert plain rows in bulk: no model instances, no pk back (see `_insert_responses`).

    `bulk_create` builds an instance and prepares every value through the field API, which for the
    ~200,000 answer, question and evidence rows was most of the seed time; on PostgreSQL it also sends
    the rows as one huge statement, ten times slower than COPY. Here the values are already what the
    columns take, JSON columns included (serialised text); on SQLite dates and datetimes become its text
    format.
    """
    if not rows:
        return 0
    meta = model._meta
    fields: list[models.Field[Any, Any]] = []
    for name in columns:
        model_field = meta.get_field(name)
        assert isinstance(model_field, models.Field)
        fields.append(model_field)
    ops = connection.ops
    table = ops.quote_name(meta.db_table)
    names = ", ".join(
        ops.quote_name(name) for name in [*(f.column for f in fields), "created_at", "updated_at"]
    )
    if connection.vendor == "postgresql":
        return _copy(table, names, [_copy_converter(f) for f in fields], rows)
    adapters: list[Callable[[Any], Any] | None] = []
    for model_field in fields:
        kind = model_field.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    now = ops.adapt_datetimefield_value(timezone.now())
    prepared: list[tuple[Any, ...]] = [
        (
            *(value if adapt is None else adapt(value) for adapt, value in zip(adapters, row, strict=True)),
            now,
            now,
        )
        for row in rows
    ]
    marks = ", ".join(["%s"] * (len(fields) + 2))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)  # noqa: S608
    return len(prepared)


# COPY's text format: a tab between columns, a newline after a row, \N for NULL, backslash escapes.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_BOOLEANS = {True: "t", False: "f", None: "\\N"}
_COPY_CHUNK = 5_000


def _copy_text(value: str | None) -> str:
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_number(value: int | None) -> str:
    return "\\N" if value is None else str(value)


def _copy_converter(model_field: models.Field[Any, Any]) -> Callable[[Any], str]:
    """How one column's values are written: a plain `str` for the many non-null numbers."""
    kind = model_field.get_internal_type()
    if kind == "BooleanField":
        return _COPY_BOOLEANS.__getitem__
    if kind in {"CharField", "TextField", "SlugField", "JSONField"}:
        return _copy_text
    if kind in {"DateField", "DateTimeField"}:
        texts: dict[Any, str] = {}

        def moment(value: Any) -> str:
            found = texts.get(value)
            if found is None:
                found = texts[value] = "\\N" if value is None else str(value)
            return found

        return moment
    return _copy_number if model_field.null else str


def _copy(table: str, names: str, converters: Sequence[Callable[[Any], str]], rows: Sequence[Row]) -> int:
    """COPY the rows in text format, written by hand: psycopg's per-row `write_row` cost twice as much
    as the database took to store them (millions of rows for a big municipality)."""
    now = str(timezone.now())
    tail = f"\t{now}\t{now}\n"
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for start in range(0, len(rows), _COPY_CHUNK):
            copy.write(
                "".join(
                    [
                        "\t".join([convert(value) for convert, value in zip(converters, row, strict=True)])
                        + tail
                        for row in rows[start : start + _COPY_CHUNK]
                    ]
                )
            )
    return len(rows)


@contextlib.contextmanager
def bulk_writes() -> Iterator[None]:
    """Around writing (or rebuilding from) millions of generated rows: no cyclic garbage collection
    and, on PostgreSQL as a superuser inside a transaction, no per-row foreign-key triggers.

    None of the rows form reference cycles, and the collector's passes over an ever larger heap made a
    big municipality's round half again as slow. Every id in the rows was read from the database in the
    same transaction, so none can dangle (the demo tests check every foreign key of the generated
    tables); for a round of a 45,000-person municipality the deferred checks of some 10 million
    references took longer than writing the rows. Elsewhere (SQLite, an ordinary role, autocommit) the
    references are checked as usual.
    """
    collecting = gc.isenabled()
    gc.disable()
    trusted = connection.vendor == "postgresql" and connection.in_atomic_block and _superuser()
    try:
        if trusted:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        if trusted:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        # After an error the rollback (of the transaction or a savepoint around this) undoes the SET.
    finally:
        if collecting:
            gc.enable()


def _superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _insert_responses(campaign_id: int, columns: Sequence[str], rows: Sequence[Row]) -> list[int]:
    """Insert a new campaign's responses and return their ids in the order given: ids are drawn in row
    order, so the campaign's responses ordered by id line up with the rows."""
    _insert(Response, columns, rows)
    return list(Response.objects.filter(campaign_id=campaign_id).order_by("pk").values_list("pk", flat=True))


def _write(
    *,
    campaign: Campaign,
    planned: Sequence[PlannedResponse],
    users: dict[int, int],
    progress: Callable[[int], None],
) -> tuple[int, int, int]:
    """Responses, answers, questions, survey answers and evidence, as the services would have left them
    after each submission; returns (responses, submitted, evidence)."""
    organisation_id = campaign.organisation_id
    campaign_id = campaign.pk
    kept = [p for p in planned if p.respondent_id in users]
    submitted, draft = ResponseStatus.SUBMITTED.value, ResponseStatus.DRAFT.value
    response_ids = _insert_responses(
        campaign_id,
        (
            "organisation_id",
            "campaign_id",
            "instrument",
            "respondent_id",
            "subject_id",
            "status",
            "saved_at",
            "submitted_at",
            "changed_since_submit",
            "respondent_type",
        ),
        [
            (
                organisation_id,
                campaign_id,
                str(p.instrument),
                users[p.respondent_id],
                p.subject_id,
                submitted if p.submitted else draft,
                p.at,
                p.at if p.submitted else None,
                False,
                p.respondent_type,
            )
            for p in kept
        ],
    )
    if len(response_ids) != len(kept):
        raise RuntimeError("the campaign had responses before its round was written")
    progress(1)
    answers: list[Row] = []
    questions: list[Row] = []
    survey: list[Row] = []
    evidence: list[Row] = []
    codes = dict(Competence.objects.filter(framework_id=campaign.framework_id).values_list("code", "pk"))
    # JSON columns take serialised text; option orders and choices repeat, so each is serialised once.
    dumped: dict[tuple[str, ...], str] = {}

    def dump(keys: Sequence[str]) -> str:
        key = tuple(keys)
        found = dumped.get(key)
        if found is None:
            found = dumped[key] = json.dumps(list(keys))
        return found

    sources = {
        Instrument.SELF.value: EvidenceSource.SELF.value,
        Instrument.LEADER.value: EvidenceSource.LEADER.value,
    }
    for plan, response_id in zip(kept, response_ids, strict=True):
        observed = timezone.localdate(plan.at)
        source = sources.get(plan.instrument)
        counts_as_evidence = plan.submitted and source is not None and plan.subject_id is not None
        for competence_id, level, comment in plan.answers:
            answers.append((organisation_id, response_id, competence_id, level, comment))
            if counts_as_evidence and level is not None:
                evidence.append(
                    (
                        organisation_id,
                        plan.subject_id,
                        competence_id,
                        source,
                        level,
                        observed,
                        campaign_id,
                        response_id,
                        "{}",
                    )
                )
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for position, question in enumerate(plan.questions, start=1):
            correct = question.correct if plan.submitted else None
            questions.append(
                (
                    organisation_id,
                    response_id,
                    question.item.pk,
                    position,
                    dump(question.order),
                    dump(question.selected),
                    question.answered,
                    correct,
                )
            )
            code = question.item.competence_code
            counts[code][0] += int(question.correct)
            counts[code][1] += 1
        if plan.submitted and plan.instrument == Instrument.TEST and plan.subject_id is not None:
            # Scored as the service scores (assessments.evidence_rule): share right, capped, and no level
            # from fewer than 4 items.
            for code, (right, items) in counts.items():
                if code not in codes:
                    continue
                test_level = evidence_rule.knowledge_level_for(correct=right, items=items)
                if test_level is None:
                    continue
                detail = {"correct": right, "items": items, "cap": evidence_rule.DEFAULT_KNOWLEDGE_CAP}
                level = test_level
                evidence.append(
                    (
                        organisation_id,
                        plan.subject_id,
                        codes[code],
                        EvidenceSource.TEST.value,
                        level,
                        observed,
                        campaign_id,
                        response_id,
                        json.dumps(detail),
                    )
                )
        survey.extend((organisation_id, response_id, item_id, value) for item_id, value in plan.survey)
    _insert(Answer, ("organisation_id", "response_id", "competence_id", "level", "comment"), answers)
    progress(2)
    _insert(
        TestQuestion,
        (
            "organisation_id",
            "response_id",
            "item_id",
            "position",
            "option_order",
            "selected",
            "answered",
            "correct",
        ),
        questions,
    )
    _insert(SurveyAnswer, ("organisation_id", "response_id", "item_id", "value"), survey)
    progress(3)
    evidence_columns = (
        "organisation_id",
        "person_id",
        "competence_id",
        "source",
        "level",
        "observed_on",
        "campaign_id",
        "response_id",
        "detail",
    )
    _insert(Evidence, evidence_columns, evidence)
    progress(4)
    return len(response_ids), sum(1 for p in kept if p.submitted), len(evidence)


def _step_reporter(progress: Progress | None, label: str, total: int) -> Callable[[int], None]:
    def report(done: int) -> None:
        if progress is not None:
            progress(label, done, total)

    return report


def _survey_items(campaign: Campaign) -> list[tuple[int, str]]:
    return list(
        SurveyItem.objects.filter(campaign=campaign).order_by("position", "pk").values_list("pk", "code")
    )


def _generate(
    *,
    campaign: Campaign,
    spec: RoundSpec,
    framework: Framework,
    report: Callable[[int], None],
) -> WrittenRound:
    """Plan a round over the campaign's participants and write it (users first)."""
    organisation = campaign.organisation
    competences, targets = _framework_info(framework)
    planner = Planner(
        spec=spec,
        organisation_key=organisation.kommunekode or str(organisation.pk),
        competences=competences,
        targets=targets,
        items=_item_info(organisation, framework),
    )
    members = _members(campaign)
    chiefs = _chiefs(organisation, members) if spec.uses_chiefs else []
    chief_types = _chief_types(organisation, chiefs)
    with bulk_writes():
        planned = planner.plan(members, chiefs=chiefs, survey_items=_survey_items(campaign))
        for plan in planned:
            if plan.instrument == Instrument.CHIEFS:
                plan.respondent_type = chief_types.get(plan.respondent_id, "")
        users, created = _users_for(
            organisation,
            {p.respondent_id for p in planned},
            leaders={m.person_id for m in members if m.leads},
            chiefs=set(chiefs),
        )
        responses, submitted, evidence = _write(
            campaign=campaign, planned=planned, users=users, progress=report
        )
    return WrittenRound(
        participants=len(members),
        responses=responses,
        submitted=submitted,
        evidence=evidence,
        users_created=created,
    )


# --- the closed round -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeededCampaign:
    organisation: str
    name: str
    created: bool  # False when the campaign was there already and nothing was written
    written: WrittenRound | None = None


def _root_units(organisation: Organisation) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(organisation=organisation, parent__isnull=True).order_by("path"))


def _delete_campaign(campaign: Campaign) -> None:
    """Remove a generated campaign bottom-up (each step one DELETE, rather than the ORM's collector)."""
    CompetenceEstimate.objects.filter(evidence__campaign=campaign).delete()
    Evidence.objects.filter(campaign=campaign).delete()
    Answer.objects.filter(response__campaign=campaign).delete()
    TestQuestion.objects.filter(response__campaign=campaign).delete()
    SurveyAnswer.objects.filter(response__campaign=campaign).delete()
    Response.objects.filter(campaign=campaign).delete()
    campaign.delete()


@dataclass(frozen=True)
class Profile:
    """What sets one municipality's results apart from another's (for the network's benchmark)."""

    levels: Mapping[str, float] = field(default_factory=dict)  # per area or competence code
    self_rate: float = 0.80
    survey_shift: float = 0.0


@dataclass(frozen=True)
class ClosedRound:
    """A closed round with results, for any organisation: its name, window and the latent model's knobs.

    The same organisation, people and seed always give the same answers; two rounds with different
    seeds give the same people's traits (stable per person) with fresh noise, plus `growth`.
    """

    name: str
    opens_on: dt.date
    closes_on: dt.date
    seed: str = ""  # the model's seed; the name when empty
    self_rate: float = 0.80  # mean share who submit their self-assessment
    # Added to the true levels per area or competence code: what sets the organisation apart, and
    # growth since its previous round.
    growth: Mapping[str, float] = field(default_factory=dict)
    survey_shift: float = 0.0  # the chiefs' mood: > 0 more "i høj grad", < 0 fewer
    test_items: int = HISTORY_TEST_ITEMS

    def key(self) -> str:
        """What the generated rows depend on, for fingerprints."""
        growth = sorted(self.growth.items())
        return f"{self.name}|{self.opens_on}|{self.closes_on}|{self.seed}|{self.self_rate}|{growth}|" + (
            f"{self.survey_shift}|{self.test_items}"
        )


def closed_round_create(
    *,
    organisation: Organisation,
    framework: Framework,
    round_: ClosedRound,
    admin: User | None = None,
    forced: Iterable[int] = (),
    on: dt.date,
    progress: Progress | None = None,
) -> SeededCampaign:
    """Write a closed round over the whole organisation with every instrument and its results, in bulk.

    The participants are the staff employed `on` that day (also standing in for the staff of the round
    if it lies further back); `forced` people answer everything. The estimates and rollups are not
    rebuilt here: do that once per organisation after all its rounds (`estimates_and_rollups_rebuild`).
    """
    label = f"{organisation.name}: {round_.name}"
    report = _step_reporter(progress, label, 5)
    report(0)
    opened_at = timezone.make_aware(dt.datetime.combine(round_.opens_on, dt.time(8, 0)))
    closed_at = timezone.make_aware(
        dt.datetime.combine(round_.closes_on + dt.timedelta(days=1), dt.time(0, 5))
    )
    campaign = Campaign.objects.create(
        organisation=organisation,
        name=round_.name,
        framework=framework,
        status=CampaignStatus.CLOSED,
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        instruments=[Instrument.SELF, Instrument.LEADER, Instrument.TEST, Instrument.CHIEFS],
        visibility=Visibility.DEVELOPMENT,
        reminder_days=sorted(REMINDER_DAYS, reverse=True),
        test_area_codes=list(TEST_AREAS),
        test_items_per_competence=round_.test_items,
        created_by=admin,
        opened_at=opened_at,
        closed_at=closed_at,
    )
    CampaignUnit.objects.bulk_create(
        CampaignUnit(organisation=organisation, campaign=campaign, unit=unit, include_subtree=True)
        for unit in _root_units(organisation)
    )
    assessment_services.survey_items_install_default(campaign=campaign)
    assessment_services.item_bank_install(organisation=organisation, framework_key=framework.key)
    people = assessment_services.scope_people(campaign=campaign, on=on)
    Participant.objects.bulk_create(
        (
            Participant(
                organisation=organisation,
                campaign=campaign,
                person_id=person_id,
                unit_id=unit_id,
                unit_path=path,
                role_profile_code=code,
                invited_at=opened_at,
            )
            for person_id, unit_id, path, code in people
        ),
        batch_size=5000,
    )
    spec = RoundSpec(
        seed=round_.seed or round_.name,
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        last_day=round_.closes_on,
        self_rate=round_.self_rate,
        test_items=round_.test_items,
        uses_chiefs=True,
        growth=dict(round_.growth),
        survey_shift=round_.survey_shift,
        forced=frozenset(forced),
    )
    written = _generate(campaign=campaign, spec=spec, framework=framework, report=report)
    _mark_reminders(campaign)
    report(5)
    return SeededCampaign(organisation=organisation.name, name=campaign.name, created=True, written=written)


def estimates_and_rollups_rebuild(
    *, organisations: Sequence[Organisation], today: dt.date, progress: Progress | None = None
) -> dict[str, int]:
    """After bulk rounds: the estimates from all of each organisation's evidence, then the dashboards'
    rollups (the bulk rows bypassed the per-submission updates). Returns the estimates per organisation.

    The planner statistics are refreshed once for all of them (see `analyze`)."""
    if not organisations:
        return {}
    analyze(BULK_TABLES)
    estimates: dict[str, int] = {}
    for organisation in organisations:
        label = f"{organisation.name}: kompetenceestimater"
        if progress is not None:
            progress(label, 0, 1)
        estimates[organisation.name] = assessment_services.estimates_rebuild(
            organisation_id=organisation.pk, today=today
        )
        if progress is not None:
            progress(label, 1, 1)
    analyze([CompetenceEstimate._meta.db_table])
    for organisation in organisations:
        label = f"{organisation.name}: overblik (rollups)"
        if progress is not None:
            progress(label, 0, 1)
        analytics_services.rollups_rebuild(organisation_id=organisation.pk)
        if progress is not None:
            progress(label, 1, 1)
    return estimates


# What a round writes in bulk, and what the rebuilds join it with.
BULK_TABLES = tuple(
    model._meta.db_table
    for model in (Person, Engagement, OrgUnit, Participant, Response, Answer, TestQuestion, Evidence)
)


def analyze(tables: Iterable[str]) -> None:
    """Fresh planner statistics after a bulk load (autovacuum comes later on PostgreSQL, or in a test's
    transaction never; SQLite has none until asked). Without them the planners take the new rows for a
    handful and pick nested loops: the demo's rollup rebuild took minutes on PostgreSQL and 3 s instead
    of 0.7 s on SQLite."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(quote(table) for table in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")


def history_seed(
    *,
    organisation: Organisation,
    framework: Framework,
    basis: str,
    admin: User | None,
    forced: Iterable[int] = (),
    today: dt.date,
    profile: Profile | None = None,
    progress: Progress | None = None,
) -> SeededCampaign:
    """The closed spring round with results, written once per `basis` (the people's fingerprint).

    A second run with the same people finds the fingerprint and writes nothing; changed people (or a
    new seed version or profile) replace the round.
    """
    rounds = rounds_for(today)
    profile = profile or Profile()
    round_ = ClosedRound(
        name=rounds.history_name,
        opens_on=rounds.history_opens,
        closes_on=rounds.history_closes,
        self_rate=profile.self_rate,
        growth=profile.levels,
        survey_shift=profile.survey_shift,
    )
    key = f"rounds:{organisation.kommunekode or organisation.pk}"
    fingerprint = hashlib.sha256(
        f"{ROUNDS_SEED_VERSION}|{basis}|{round_.key()}|{framework.pk}".encode()
    ).hexdigest()
    existing = Campaign.objects.filter(organisation=organisation, name=rounds.history_name).first()
    stored = SeedFingerprint.objects.filter(key=key).values_list("fingerprint", flat=True).first()
    if existing is not None and stored == fingerprint:
        return SeededCampaign(organisation=organisation.name, name=rounds.history_name, created=False)
    if existing is not None:
        _delete_campaign(existing)
    seeded = closed_round_create(
        organisation=organisation,
        framework=framework,
        round_=round_,
        admin=admin,
        forced=forced,
        on=today,
        progress=progress,
    )
    SeedFingerprint.objects.update_or_create(key=key, defaults={"fingerprint": fingerprint})
    return seeded


def _mark_reminders(campaign: Campaign) -> None:
    """Record the reminders the closed round sent: to everyone without a submitted self-assessment on
    each reminder day."""
    submitted = dict(
        Response.objects.filter(
            campaign=campaign, instrument=Instrument.SELF, status=ResponseStatus.SUBMITTED
        ).values_list("subject_id", "submitted_at")
    )
    # Few distinct lists (nobody, the first reminder, both): one UPDATE per list and chunk of people.
    by_days: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for pk, person_id in Participant.objects.filter(campaign=campaign).values_list("pk", "person_id"):
        done_at = submitted.get(person_id)
        days = tuple(
            sorted(
                day
                for day in campaign.reminder_days
                if done_at is None
                or timezone.localdate(done_at) >= campaign.closes_on - dt.timedelta(days=day)
            )
        )
        if days:
            by_days[days].append(pk)
    for days, pks in by_days.items():
        for start in range(0, len(pks), 5000):
            Participant.objects.filter(pk__in=pks[start : start + 5000]).update(reminders_sent=list(days))


# --- the open round ---------------------------------------------------------------------------------


def open_round_seed(
    *,
    organisation: Organisation,
    framework: Framework,
    admin: User,
    invite_only: Person,
    untouched: Iterable[int] = (),
    today: dt.date,
    progress: Progress | None = None,
) -> SeededCampaign:
    """The round that opened a few days ago, created and opened through the services, once.

    Everybody counts as invited and reminded except `invite_only` (the demo employee), so opening it
    e-mails one person rather than the whole municipality. About a third have answered already; the people in
    `untouched` (the demo logins) have not, so they can try it. A later run that finds the round —
    open or closed by date — leaves it alone.
    """
    rounds = rounds_for(today)
    if Campaign.objects.filter(organisation=organisation, name=rounds.open_name).exists():
        return SeededCampaign(organisation=organisation.name, name=rounds.open_name, created=False)
    label = f"{organisation.name}: {rounds.open_name}"
    report = _step_reporter(progress, label, 5)
    report(0)
    roles = (
        Membership.objects.filter(user=admin, organisation=organisation)
        .values_list("roles", flat=True)
        .first()
    )
    actor = Actor(user=admin, organisation=organisation, roles=frozenset(roles or ()))
    values = assessment_services.CampaignSettings(
        name=rounds.open_name,
        framework=framework,
        opens_on=rounds.open_opens,
        closes_on=rounds.open_closes,
        instruments=[Instrument.SELF, Instrument.TEST, Instrument.LEADER],
        # Development dialogue: the leaders see their people's results for the MUS talks, which is what
        # the demo leader should be able to show; every respondent is told so before answering.
        visibility=Visibility.DEVELOPMENT,
        units=[(unit, True) for unit in _root_units(organisation)],
        reminder_days=REMINDER_DAYS,
        test_area_codes=TEST_AREAS,
        test_items_per_competence=OPEN_TEST_ITEMS,
    )
    campaign = assessment_services.campaign_create(actor=actor, values=values)
    campaign = assessment_services.campaign_open(campaign=campaign, today=today)
    opened_at = timezone.make_aware(dt.datetime.combine(rounds.open_opens, dt.time(8, 0)))
    Campaign.objects.filter(pk=campaign.pk).update(opened_at=opened_at)
    # Everyone else counts as invited and reminded (as if that had gone out by other means), so the
    # demo's outbox shows the demo employee's invitation and reminders, not 2,000 others.
    Participant.objects.filter(campaign=campaign).exclude(person=invite_only).update(
        invited_at=opened_at, reminders_sent=sorted(REMINDER_DAYS)
    )
    spec = RoundSpec(
        seed=rounds.open_name,
        opens_on=rounds.open_opens,
        closes_on=rounds.open_closes,
        last_day=today - dt.timedelta(days=1),
        self_rate=0.33,
        test_items=OPEN_TEST_ITEMS,
        uses_chiefs=False,
        growth={"DS": 0.15},  # the spring round was followed by security awareness work
        raters_taking_part=0.15,
        exempt=frozenset({invite_only.pk, *untouched}),
    )
    written = _generate(campaign=campaign, spec=spec, framework=framework, report=report)
    report(5)
    return SeededCampaign(organisation=organisation.name, name=campaign.name, created=True, written=written)


# --- both rounds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRequest:
    """A municipality that gets last spring's closed round."""

    organisation: Organisation
    framework: Framework
    basis: str  # the fingerprint of its people: new people, new history
    admin: User | None  # who created the campaigns
    forced: frozenset[int] = frozenset()  # people who answered everything (the demo logins)
    profile: Profile | None = None


@dataclass(frozen=True)
class OpenRequest:
    """The municipality that gets an open round, and its demo logins."""

    organisation: Organisation
    framework: Framework
    admin: User
    invite_only: Person
    untouched: frozenset[int]


@dataclass(frozen=True)
class RoundsResult:
    campaigns: tuple[SeededCampaign, ...]
    estimates: dict[str, int]  # per organisation whose estimates were rebuilt


def rounds_seed(
    *,
    history: Sequence[HistoryRequest],
    open_round: OpenRequest,
    today: dt.date,
    progress: Progress | None = None,
) -> RoundsResult:
    """Closed and open rounds, then the estimates of every organisation that got new evidence — once
    per organisation, as a rebuild reads all its evidence."""
    seeded = [
        history_seed(
            organisation=request.organisation,
            framework=request.framework,
            basis=request.basis,
            admin=request.admin,
            forced=request.forced,
            today=today,
            profile=request.profile,
            progress=progress,
        )
        for request in history
    ]
    seeded.append(
        open_round_seed(
            organisation=open_round.organisation,
            framework=open_round.framework,
            admin=open_round.admin,
            invite_only=open_round.invite_only,
            untouched=open_round.untouched,
            today=today,
            progress=progress,
        )
    )
    organisations = {request.organisation.name: request.organisation for request in history}
    organisations[open_round.organisation.name] = open_round.organisation
    changed = [
        organisation
        for name, organisation in organisations.items()
        if any(item.created and item.organisation == name for item in seeded)
    ]
    estimates = estimates_and_rollups_rebuild(organisations=changed, today=today, progress=progress)
    return RoundsResult(campaigns=tuple(seeded), estimates=estimates)
