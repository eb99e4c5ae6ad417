"""Reads of the assessments app, always given the acting user (and so their organisation) explicitly."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fagdigital.frameworks.models import Area, Competence, Framework, LevelDescriptor
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.orgs.selectors import led_unit_paths, person_for_actor
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from .models import (
    Answer,
    Campaign,
    CampaignStatus,
    Instrument,
    Participant,
    Response,
    ResponseStatus,
    SurveyAnswer,
    SurveyItem,
    TestQuestion,
    Visibility,
)


def today() -> dt.date:
    return timezone.localdate()


# --- Campaigns for admins ------------------------------------------------------------------------


def campaigns_for_organisation(*, actor: Actor) -> QuerySet[Campaign]:
    return Campaign.objects.filter(organisation=actor.organisation).select_related("framework")


def get_campaign_for_user(*, actor: Actor, campaign_id: int) -> Campaign:
    """A campaign of the actor's organisation that the actor may take part in or manage."""
    campaign = (
        Campaign.objects.filter(organisation=actor.organisation, pk=campaign_id)
        .select_related("framework")
        .first()
    )
    if campaign is None:
        raise Http404
    if actor.has_role(Role.COMPETENCE_ADMIN):
        return campaign
    if campaign.status == CampaignStatus.DRAFT:
        raise Http404
    return campaign


def get_managed_campaign_for_user(*, actor: Actor, campaign_id: int) -> Campaign:
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        raise Http404
    return get_campaign_for_user(actor=actor, campaign_id=campaign_id)


def participant_for_actor(*, actor: Actor, campaign: Campaign) -> Participant | None:
    person = person_for_actor(actor=actor)
    if person is None:
        return None
    return Participant.objects.filter(campaign=campaign, person=person).select_related("person").first()


def get_participation_for_user(*, actor: Actor, campaign_id: int) -> Participant:
    """The actor's own participation in a campaign; 404 for anyone not asked."""
    campaign = get_campaign_for_user(actor=actor, campaign_id=campaign_id)
    participant = participant_for_actor(actor=actor, campaign=campaign)
    if participant is None:
        raise Http404
    participant.campaign = campaign  # already loaded: saves a query on every page
    return participant


# --- "Mine målinger" -----------------------------------------------------------------------------


@dataclass
class MyTask:
    instrument: str
    label: str
    status: str  # "not_started", "draft", "submitted", "changed"
    saved_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None


@dataclass
class MyCampaign:
    campaign: Campaign
    accepts_answers: bool
    tasks: list[MyTask] = field(default_factory=list)
    team_size: int = 0


def _task_status(response: Response | None) -> str:
    if response is None:
        return "not_started"
    if response.is_submitted:
        return "changed" if response.changed_since_submit else "submitted"
    return "draft"


def my_campaigns(*, actor: Actor) -> list[MyCampaign]:
    """Open and finished campaigns the actor answers: as participant, leader or chief."""
    person = person_for_actor(actor=actor)
    campaigns: dict[int, Campaign] = {}
    if person is not None:
        for participant in Participant.objects.filter(
            campaign__organisation=actor.organisation, person=person
        ).select_related("campaign"):
            campaigns[participant.campaign_id] = participant.campaign
    is_chief = actor.has_role(Role.TOP_MANAGEMENT)
    leads = bool(led_unit_paths(actor=actor))
    if is_chief or leads:
        extra = Campaign.objects.filter(organisation=actor.organisation).exclude(status=CampaignStatus.DRAFT)
        for campaign in extra:
            if (is_chief and campaign.uses(Instrument.CHIEFS)) or (
                leads and campaign.uses(Instrument.LEADER)
            ):
                campaigns.setdefault(campaign.pk, campaign)
    responses = {
        (r.campaign_id, r.instrument): r
        for r in Response.objects.filter(campaign_id__in=campaigns, respondent=actor.user).exclude(
            instrument=Instrument.LEADER
        )
    }
    day = today()
    result = []
    for campaign in sorted(
        campaigns.values(), key=lambda c: (c.status != CampaignStatus.OPEN, -c.opens_on.toordinal())
    ):
        item = MyCampaign(campaign=campaign, accepts_answers=campaign.accepts_answers(today=day))
        is_participant = (
            person is not None and Participant.objects.filter(campaign=campaign, person=person).exists()
        )
        for instrument in (Instrument.SELF, Instrument.TEST):
            if campaign.uses(instrument) and is_participant:
                response = responses.get((campaign.pk, instrument))
                item.tasks.append(
                    MyTask(
                        instrument=instrument,
                        label=str(instrument.label),
                        status=_task_status(response),
                        saved_at=response.saved_at if response else None,
                        submitted_at=response.submitted_at if response else None,
                    )
                )
        if campaign.uses(Instrument.LEADER) and leads:
            item.team_size = len(leader_team(actor=actor, campaign=campaign))
            item.tasks.append(
                MyTask(instrument=Instrument.LEADER, label=str(Instrument.LEADER.label), status="team")
            )
        if campaign.uses(Instrument.CHIEFS) and is_chief:
            response = responses.get((campaign.pk, Instrument.CHIEFS))
            item.tasks.append(
                MyTask(
                    instrument=Instrument.CHIEFS,
                    label=str(Instrument.CHIEFS.label),
                    status=_task_status(response),
                    saved_at=response.saved_at if response else None,
                    submitted_at=response.submitted_at if response else None,
                )
            )
        if item.tasks:
            result.append(item)
    return result


# --- Questionnaires ------------------------------------------------------------------------------


@dataclass
class QuestionnaireItem:
    competence: Competence
    descriptors: list[LevelDescriptor]
    answer: Answer | None
    target_level: int | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def chosen(self) -> str:
        if self.answer is None:
            return ""
        return "dont_know" if self.answer.level is None else str(self.answer.level)


@dataclass
class QuestionnaireArea:
    area: Area
    items: list[QuestionnaireItem]

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.answered)


@dataclass
class Questionnaire:
    campaign: Campaign
    response: Response
    areas: list[QuestionnaireArea]

    @property
    def total(self) -> int:
        return sum(len(area.items) for area in self.areas)

    @property
    def answered(self) -> int:
        return sum(area.answered for area in self.areas)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    def area_by_id(self, area_id: int) -> QuestionnaireArea | None:
        return next((a for a in self.areas if a.area.pk == area_id), None)


def questionnaire_competences(*, campaign: Campaign, role_profile_code: str) -> list[Competence]:
    """The competences a person answers: their role profile's targets, or the whole framework without one."""
    return framework_competences(framework=campaign.framework, role_profile_code=role_profile_code)


def framework_competences(*, framework: Framework, role_profile_code: str) -> list[Competence]:
    """A role profile's targeted competences in a framework (all of them for no or an unknown profile)."""
    competences = Competence.objects.filter(framework=framework, parent__isnull=True).select_related("area")
    if role_profile_code:
        targeted = competences.filter(
            targets__role_profile__code=role_profile_code, targets__role_profile__framework=framework
        )
        if targeted.exists():
            competences = targeted
    return list(competences.order_by("area__position", "area__code", "position", "code"))


@lru_cache(maxsize=512)
def _competence_ids(framework_id: int, published_at: str, role_profile_code: str) -> frozenset[int]:
    # Safe to keep: campaigns use published framework versions, which never change (keyed on the
    # publication time too, so a reused id in another database cannot hit a stale entry).
    framework = Framework.objects.get(pk=framework_id)
    competences = framework_competences(framework=framework, role_profile_code=role_profile_code)
    return frozenset(c.pk for c in competences)


def answer_progress(*, response: Response, role_profile_code: str) -> tuple[int, int]:
    """(answered, total) of a questionnaire in one small query: what the autosave status line shows."""
    framework = response.campaign.framework
    ids = _competence_ids(framework.pk, str(framework.published_at), role_profile_code)
    answered = Answer.objects.filter(response=response, competence_id__in=ids).count()
    return answered, len(ids)


def questionnaire(*, response: Response, role_profile_code: str) -> Questionnaire:
    """Everything the self- or leader-assessment pages show, in four queries."""
    campaign = response.campaign
    competences = questionnaire_competences(campaign=campaign, role_profile_code=role_profile_code)
    descriptors: dict[int, list[LevelDescriptor]] = defaultdict(list)
    for descriptor in LevelDescriptor.objects.filter(competence__in=competences).order_by("level"):
        descriptors[descriptor.competence_id].append(descriptor)
    answers = {a.competence_id: a for a in Answer.objects.filter(response=response)}
    areas: dict[int, QuestionnaireArea] = {}
    for competence in competences:
        area = areas.setdefault(competence.area_id, QuestionnaireArea(area=competence.area, items=[]))
        area.items.append(
            QuestionnaireItem(
                competence=competence,
                descriptors=descriptors[competence.pk],
                answer=answers.get(competence.pk),
            )
        )
    return Questionnaire(campaign=campaign, response=response, areas=list(areas.values()))


def test_questions(*, response: Response) -> list[TestQuestion]:
    return list(response.questions.select_related("item").order_by("position"))


def survey_form(*, response: Response) -> list[tuple[SurveyItem, SurveyAnswer | None]]:
    answers = {a.item_id: a for a in SurveyAnswer.objects.filter(response=response)}
    return [(item, answers.get(item.pk)) for item in SurveyItem.objects.filter(campaign=response.campaign)]


# --- Leader assessment ---------------------------------------------------------------------------


def leader_team(*, actor: Actor, campaign: Campaign) -> list[Participant]:
    """Participants in the units the actor leads (subtrees included), except the actor themselves."""
    paths = led_unit_paths(actor=actor)
    if not paths or not campaign.uses(Instrument.LEADER):
        return []
    unit_q = Q()
    for path in paths:
        unit_q |= Q(unit_path__startswith=path)
    me = person_for_actor(actor=actor)
    team = Participant.objects.filter(unit_q, campaign=campaign).select_related("person", "unit")
    if me is not None:
        team = team.exclude(person=me)
    return list(team.order_by("person__name", "pk"))


def get_team_member_for_leader(*, actor: Actor, campaign: Campaign, person_id: int) -> Participant:
    """A participant the actor may rate; 404 for anyone outside the actor's units (or the actor)."""
    paths = led_unit_paths(actor=actor)
    me = person_for_actor(actor=actor)
    participant = (
        Participant.objects.filter(campaign=campaign, person_id=person_id)
        .select_related("person", "unit")
        .first()
    )
    if (
        participant is None
        or not campaign.uses(Instrument.LEADER)
        or not any(participant.unit_path.startswith(path) for path in paths)
        or (me is not None and participant.person_id == me.pk)
    ):
        raise Http404
    return participant


def leader_response_states(*, actor: Actor, campaign: Campaign) -> dict[int, Response]:
    return {
        r.subject_id: r
        for r in Response.objects.filter(
            campaign=campaign, instrument=Instrument.LEADER, respondent=actor.user
        )
        if r.subject_id is not None
    }


def may_see_individual_results(*, actor: Actor, campaign: Campaign, person: Person) -> bool:
    """The person always; their leaders only in a development-dialogue campaign (DESIGN.md §2)."""
    if person.user_id == actor.user.pk:
        return True
    if campaign.visibility != Visibility.DEVELOPMENT:
        return False
    paths = led_unit_paths(actor=actor)
    unit_path = (
        Participant.objects.filter(campaign=campaign, person=person)
        .values_list("unit_path", flat=True)
        .first()
    )
    return unit_path is not None and any(unit_path.startswith(path) for path in paths)


# --- Response rates ------------------------------------------------------------------------------


@dataclass
class RateRow:
    unit: OrgUnit
    depth: int
    invited: int | None
    submitted: int | None
    suppressed: bool

    @property
    def percent(self) -> int | None:
        if self.invited is None or self.submitted is None or not self.invited:
            return None
        return round(100 * self.submitted / self.invited)


def response_rates(*, campaign: Campaign, instrument: Instrument) -> list[RateRow]:
    """Participants and submissions per unit subtree that has participants, in tree order.

    In an anonymous campaign a subtree with fewer than the anonymity minimum shows no figures, and so
    does the smallest shown sibling when only one of a parent's children would be hidden (otherwise
    the parent's total minus the shown siblings would reveal it).
    """
    k = settings.ANONYMITY_MIN_GROUP
    done = set(
        Response.objects.filter(campaign=campaign, instrument=instrument, status=ResponseStatus.SUBMITTED)
        .exclude(subject__isnull=True)
        .values_list("subject_id", flat=True)
    )
    counts = Participant.objects.filter(campaign=campaign).values("unit_path", "person_id")
    invited: dict[str, int] = defaultdict(int)
    submitted: dict[str, int] = defaultdict(int)
    for row in counts:
        path = row["unit_path"]
        for end in range(4, len(path) + 1, 4):
            invited[path[:end]] += 1
            submitted[path[:end]] += int(row["person_id"] in done)
    units = list(
        OrgUnit.objects.filter(organisation_id=campaign.organisation_id, path__in=invited).order_by("path")
    )
    hidden: set[str] = set()
    if campaign.visibility == Visibility.ANONYMOUS:
        hidden = {u.path for u in units if invited[u.path] < k}
        by_parent: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in units:
            by_parent[unit.path[:-4]].append(unit)
        for siblings in by_parent.values():
            hidden_here = [u for u in siblings if u.path in hidden]
            shown_here = sorted((u for u in siblings if u.path not in hidden), key=lambda u: invited[u.path])
            if len(hidden_here) == 1 and shown_here:
                hidden.add(shown_here[0].path)
        # A hidden unit hides its whole subtree.
        hidden = {u.path for u in units if any(u.path.startswith(h) for h in hidden)}
    return [
        RateRow(
            unit=unit,
            depth=unit.depth,
            invited=None if unit.path in hidden else invited[unit.path],
            submitted=None if unit.path in hidden else submitted[unit.path],
            suppressed=unit.path in hidden,
        )
        for unit in units
    ]


def campaign_counts(*, campaign: Campaign) -> dict[str, int]:
    participants = Participant.objects.filter(campaign=campaign).count()
    by_instrument = dict(
        Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
        .values_list("instrument")
        .annotate(n=Count("pk"))
        .values_list("instrument", "n")
    )
    return {"participants": participants, **{str(k): v for k, v in by_instrument.items()}}


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
