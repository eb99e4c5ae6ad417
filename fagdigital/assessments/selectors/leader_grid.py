"""Reads of the leader's team grid: people (rows) by one focus area's competences (columns).

The team is `leader.leader_team` (who the leader leads now, decision 0012). A person's columns are the
competences of their own questionnaire (their role profile's, as on the per-person page), so a cell of a
competence outside it is shown as not applying. The person's own answers are never read here.

The whole grid is built in a fixed number of queries, however many people and role profiles there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.http import Http404

from fagdigital.assessments.models import Answer, Campaign, Participant, Response
from fagdigital.frameworks.models import Area, Competence, Framework, LevelDescriptor, RoleTarget
from fagdigital.tenancy.actor import Actor

from .leader import TeamOverview, leader_response_states, leader_status, leader_team

# The statuses whose rating still has to be submitted: "next person" skips only the submitted ones.
UNSUBMITTED = ("not_started", "draft", "changed")


def get_grid_area(*, campaign: Campaign, area_id: int) -> Area:
    """A focus area of the round's framework version; 404 for any other."""
    area = Area.objects.filter(framework_id=campaign.framework_id, pk=area_id).first()
    if area is None:
        raise Http404
    return area


# --- Which competences a person is asked ----------------------------------------------------------


@dataclass(frozen=True)
class FrameworkQuestions:
    """The top-level competences of a framework version and which of them each role profile asks."""

    competences: list[Competence]  # in questionnaire order (area, position, code)
    targeted: dict[str, frozenset[int]]  # role profile code → targeted competence ids

    def ids_for(self, role_profile_code: str) -> frozenset[int]:
        """A person's questionnaire, as `self_assessment.framework_competences` chooses it: the role
        profile's targeted competences, or the whole framework without (or with an unknown) profile."""
        targeted = self.targeted.get(role_profile_code) if role_profile_code else None
        return targeted or frozenset(c.pk for c in self.competences)


def framework_questions(*, framework: Framework, role_profile_codes: set[str]) -> FrameworkQuestions:
    """In two queries, whatever the number of role profiles."""
    competences = list(
        Competence.objects.filter(framework=framework, parent__isnull=True)
        .select_related("area")
        .order_by("area__position", "area__code", "position", "code")
    )
    top = {c.pk for c in competences}
    targeted: dict[str, set[int]] = defaultdict(set)
    codes = {code for code in role_profile_codes if code}
    if codes:
        for code, competence_id in RoleTarget.objects.filter(
            role_profile__framework=framework, role_profile__code__in=codes
        ).values_list("role_profile__code", "competence_id"):
            if competence_id in top:
                targeted[code].add(competence_id)
    return FrameworkQuestions(
        competences=competences, targeted={code: frozenset(ids) for code, ids in targeted.items()}
    )


@lru_cache(maxsize=512)
def _questions(
    framework_id: int, published_at: str, role_profile_code: str
) -> tuple[frozenset[int], dict[int, int]]:
    # Safe to keep: rounds use published versions, which never change (keyed on the publication time
    # too, so a reused id in another database cannot hit a stale entry). → (ids, competence → area).
    framework = Framework.objects.get(pk=framework_id)
    questions = framework_questions(framework=framework, role_profile_codes={role_profile_code})
    areas = {c.pk: c.area_id for c in questions.competences}
    return questions.ids_for(role_profile_code), areas


# --- Progress of one person ----------------------------------------------------------------------


@dataclass(frozen=True)
class RowProgress:
    """How far the leader's rating of one person is: in this area, and in the whole questionnaire."""

    status: str  # leader.leader_status: not_started, draft, submitted, changed
    answered: int
    total: int
    area_answered: int
    area_total: int

    @property
    def finished(self) -> bool:
        """Every competence of the person's questionnaire has an answer (a level or "ved ikke")."""
        return self.total > 0 and self.answered >= self.total

    @property
    def area_finished(self) -> bool:
        return self.area_total > 0 and self.area_answered >= self.area_total

    @property
    def submittable(self) -> bool:
        """Finished and not submitted as it stands: what "Indsend alle færdige" submits."""
        return self.finished and self.status != "submitted"


def _progress(
    *, status: str, answered_ids: set[int], asked: frozenset[int], area_ids: frozenset[int]
) -> RowProgress:
    in_area = asked & area_ids
    return RowProgress(
        status=status,
        answered=len(answered_ids & asked),
        total=len(asked),
        area_answered=len(answered_ids & in_area),
        area_total=len(in_area),
    )


def row_progress(*, response: Response, role_profile_code: str, area: Area) -> RowProgress:
    """One person's progress after a save (the hot path of the grid): one small query."""
    framework = response.campaign.framework
    asked, areas = _questions(framework.pk, str(framework.published_at), role_profile_code)
    area_ids = frozenset(c for c, a in areas.items() if a == area.pk)
    answered = (
        set(Answer.objects.filter(response=response).values_list("competence_id", flat=True))
        if response.pk
        else set()
    )
    return _progress(
        status=leader_status(response if response.pk else None),
        answered_ids=answered,
        asked=asked,
        area_ids=area_ids,
    )


def grid_competence_ids(*, campaign: Campaign, role_profile_code: str, area: Area) -> frozenset[int]:
    """The competences of this area the person is asked: the only ones the grid saves for them."""
    framework = campaign.framework
    asked, areas = _questions(framework.pk, str(framework.published_at), role_profile_code)
    return frozenset(c for c in asked if areas.get(c) == area.pk)


# --- The grid ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridColumn:
    competence: Competence
    descriptors: list[LevelDescriptor]


@dataclass(frozen=True)
class GridCell:
    competence_id: int
    applies: bool  # the competence is in the person's questionnaire
    value: str  # "" (not rated), "1".."4", or "dont_know"
    has_comment: bool


@dataclass(frozen=True)
class GridRow:
    participant: Participant
    cells: list[GridCell]
    progress: RowProgress

    @property
    def person_id(self) -> int:
        return self.participant.person_id


@dataclass(frozen=True)
class GridArea:
    """A focus area the team is rated in, for the links to its grid."""

    area: Area
    competences: int  # columns
    people: int  # rows
    finished: int  # people rated in every competence of the area


@dataclass(frozen=True)
class LeaderGrid:
    area: Area
    columns: list[GridColumn]
    rows: list[GridRow]  # every team member asked about at least one competence of the area
    areas: list[GridArea]  # every area the team is rated in, for the links between the grids

    @property
    def area_finished(self) -> int:
        return sum(1 for row in self.rows if row.progress.area_finished)

    @property
    def submitted(self) -> int:
        return sum(1 for row in self.rows if row.progress.status == "submitted")

    @property
    def submittable(self) -> int:
        return sum(1 for row in self.rows if row.progress.submittable)


def _answers(responses: list[Response]) -> dict[int, dict[int, tuple[int | None, bool]]]:
    """response id → competence id → (level, has a comment)."""
    answers: dict[int, dict[int, tuple[int | None, bool]]] = defaultdict(dict)
    if not responses:
        return answers
    for response_id, competence_id, level, comment in Answer.objects.filter(
        response__in=[r.pk for r in responses]
    ).values_list("response_id", "competence_id", "level", "comment"):
        answers[response_id][competence_id] = (level, bool(comment))
    return answers


@dataclass(frozen=True)
class _TeamRatings:
    team: list[Participant]
    states: dict[int, Response]
    questions: FrameworkQuestions
    answers: dict[int, dict[int, tuple[int | None, bool]]]

    def answered(self, participant: Participant) -> dict[int, tuple[int | None, bool]]:
        response = self.states.get(participant.person_id)
        return self.answers.get(response.pk, {}) if response is not None else {}

    def progress(self, participant: Participant, area_ids: frozenset[int]) -> RowProgress:
        return _progress(
            status=leader_status(self.states.get(participant.person_id)),
            answered_ids=set(self.answered(participant)),
            asked=self.questions.ids_for(participant.role_profile_code),
            area_ids=area_ids,
        )


def _team_ratings(*, actor: Actor, campaign: Campaign, overview: TeamOverview | None = None) -> _TeamRatings:
    """The team, the actor's ratings of it and their answers, and the questionnaires: five queries, or
    three when the team overview was read already."""
    if overview is not None:
        team = [row.participant for row in overview.rows]
        states = overview.responses
    else:
        team = leader_team(actor=actor, campaign=campaign)
        states = leader_response_states(actor=actor, campaign=campaign) if team else {}
    questions = framework_questions(
        framework=campaign.framework, role_profile_codes={p.role_profile_code for p in team}
    )
    return _TeamRatings(
        team=team, states=states, questions=questions, answers=_answers(list(states.values()))
    )


def _grid_areas(ratings: _TeamRatings) -> list[GridArea]:
    by_area: dict[int, list[Competence]] = defaultdict(list)
    for competence in ratings.questions.competences:
        by_area[competence.area_id].append(competence)
    result = []
    for competences in by_area.values():
        area_ids = frozenset(c.pk for c in competences)
        asked_columns: set[int] = set()
        people = finished = 0
        for participant in ratings.team:
            asked = ratings.questions.ids_for(participant.role_profile_code) & area_ids
            if not asked:
                continue
            asked_columns |= asked
            people += 1
            finished += ratings.progress(participant, area_ids).area_finished
        if people:
            area = competences[0].area
            result.append(
                GridArea(area=area, competences=len(asked_columns), people=people, finished=finished)
            )
    return result


def grid_areas(*, actor: Actor, campaign: Campaign, overview: TeamOverview | None = None) -> list[GridArea]:
    """The focus areas with something to rate for the actor's team, with how far the team is in each.

    `overview` (`leader.team_overview` of the same actor and round) saves reading the team twice.
    """
    return _grid_areas(_team_ratings(actor=actor, campaign=campaign, overview=overview))


def leader_grid(*, actor: Actor, campaign: Campaign, area: Area) -> LeaderGrid:
    """The actor's team by the area's competences the team is asked, with the actor's answers."""
    ratings = _team_ratings(actor=actor, campaign=campaign)
    area_competences = [c for c in ratings.questions.competences if c.area_id == area.pk]
    area_ids = frozenset(c.pk for c in area_competences)
    asked_by_code = {
        code: ratings.questions.ids_for(code) & area_ids
        for code in {p.role_profile_code for p in ratings.team}
    }
    used = set().union(*asked_by_code.values()) if asked_by_code else set()
    columns_competences = [c for c in area_competences if c.pk in used]
    descriptors: dict[int, list[LevelDescriptor]] = defaultdict(list)
    for descriptor in LevelDescriptor.objects.filter(competence__in=columns_competences).order_by("level"):
        descriptors[descriptor.competence_id].append(descriptor)
    columns = [GridColumn(competence=c, descriptors=descriptors[c.pk]) for c in columns_competences]

    rows = []
    for participant in ratings.team:
        asked = asked_by_code[participant.role_profile_code]
        if not asked:
            continue
        answered = ratings.answered(participant)
        cells = []
        for column in columns:
            competence_id = column.competence.pk
            level, has_comment = answered.get(competence_id, (None, False))
            value = "" if competence_id not in answered else ("dont_know" if level is None else str(level))
            cells.append(
                GridCell(
                    competence_id=competence_id,
                    applies=competence_id in asked,
                    value=value,
                    has_comment=has_comment,
                )
            )
        rows.append(
            GridRow(participant=participant, cells=cells, progress=ratings.progress(participant, area_ids))
        )
    return LeaderGrid(area=area, columns=columns, rows=rows, areas=_grid_areas(ratings))


def submittable_responses(*, actor: Actor, campaign: Campaign) -> list[Response]:
    """The actor's ratings of people they lead now that are finished and not submitted as they stand."""
    ratings = _team_ratings(actor=actor, campaign=campaign)
    result = []
    for participant in ratings.team:
        response = ratings.states.get(participant.person_id)
        if response is not None and ratings.progress(participant, frozenset()).submittable:
            result.append(response)
    return result


def next_to_rate(*, actor: Actor, campaign: Campaign, after_person_id: int) -> Participant | None:
    """The next person in the team list after this one whose rating is not submitted (wrapping round
    to the start of the list), never this person; None when everyone else is submitted."""
    team = leader_team(actor=actor, campaign=campaign)
    states = leader_response_states(actor=actor, campaign=campaign) if team else {}
    index = next((i for i, p in enumerate(team) if p.person_id == after_person_id), -1)
    for participant in team[index + 1 :] + team[: max(index, 0)]:
        if participant.person_id == after_person_id:
            continue
        if leader_status(states.get(participant.person_id)) in UNSUBMITTED:
            return participant
    return None
