"""Reads of development plans: a plan as its reader may see it, the employee's page, the leader's team,
the provider's enrolments and HR's overview (decision 0018).

A plan shows each goal's current level from the person's profile as *the reader* may see it: all of the
person's own evidence for the person, and for a leader only what the leader may see anyway (no evidence
from anonymous rounds: `development_campaigns_only`). In anonymous rounds a plan thus uses only the
person's own data, and nobody else learns anything from it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from fagdigital.assessments import feedback
from fagdigital.assessments.feedback import PersonalProfile, ProfileItem
from fagdigital.development.models import (
    OPEN_PLAN_STATES,
    Completion,
    DevelopmentPlan,
    ItemStatus,
    LearningActivity,
    PlanActivity,
    PlanComment,
    PlanGoal,
    PlanStatus,
)
from fagdigital.frameworks.models import Competence
from fagdigital.frameworks.selectors import published_framework
from fagdigital.orgs import selectors as org_selectors
from fagdigital.orgs.models import Person
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from .access import PlanAccess


def reader_profile(*, person: Person, for_leader: bool, today: dt.date) -> PersonalProfile | None:
    framework = feedback.profile_framework(person=person)
    if framework is None:
        return None
    return feedback.personal_profile(
        person=person, framework=framework, today=today, development_campaigns_only=for_leader
    )


@dataclass
class GoalView:
    goal: PlanGoal
    competence: Competence | None
    item: ProfileItem | None  # the competence in the reader's view of the person's profile
    activities: list[PlanActivity]

    @property
    def current(self) -> int | None:
        return self.item.estimate.level if self.item is not None and self.item.estimate is not None else None

    @property
    def role_target(self) -> int | None:
        return self.item.target_level if self.item is not None else None

    @property
    def reached_by_level(self) -> bool:
        current = self.current
        return current is not None and current >= self.goal.target_level


@dataclass
class PlanView:
    access: PlanAccess
    goals: list[GoalView]
    comments: list[PlanComment]
    profile: PersonalProfile | None
    completions: list[Completion] = field(default_factory=list)

    @property
    def plan(self) -> DevelopmentPlan:
        return self.access.plan

    @property
    def awaiting_confirmation(self) -> list[PlanActivity]:
        return [a for g in self.goals for a in g.activities if a.status == ItemStatus.REPORTED]

    @property
    def progress(self) -> tuple[int, int]:
        items = [a for g in self.goals for a in g.activities]
        return sum(1 for a in items if a.status == ItemStatus.COMPLETED), len(items)


def plan_view(*, access: PlanAccess, today: dt.date) -> PlanView:
    plan = access.plan
    profile = reader_profile(person=plan.person, for_leader=not access.is_owner, today=today)
    items = {item.competence.code: item for item in profile.items} if profile is not None else {}
    goals = list(
        PlanGoal.objects.filter(plan=plan).prefetch_related(
            Prefetch(
                "activities",
                queryset=PlanActivity.objects.select_related("activity", "activity__organisation").order_by(
                    "planned_on", "pk"
                ),
            )
        )
    )
    framework = (
        profile.framework
        if profile is not None
        else published_framework(organisation=plan.person.organisation)
    )
    competences = (
        {
            c.code: c
            for c in Competence.objects.filter(
                framework=framework, code__in=[g.competence_code for g in goals]
            )
        }
        if framework is not None
        else {}
    )
    views = [
        GoalView(
            goal=goal,
            competence=competences.get(goal.competence_code),
            item=items.get(goal.competence_code),
            activities=list(goal.activities.all()),
        )
        for goal in goals
    ]
    return PlanView(
        access=access,
        goals=views,
        comments=list(PlanComment.objects.filter(plan=plan).order_by("created_at", "pk")),
        profile=profile,
        completions=list(
            Completion.objects.filter(person=plan.person, withdrawn_at__isnull=True)
            .select_related("activity")
            .order_by("-completed_on")[:20]
        ),
    )


def current_plan(*, person: Person) -> DevelopmentPlan | None:
    """The person's open plan, else their latest."""
    plans = DevelopmentPlan.objects.filter(person=person).order_by("-created_at", "-pk")
    return plans.filter(status__in=OPEN_PLAN_STATES).first() or plans.first()


def earlier_plans(*, person: Person) -> list[DevelopmentPlan]:
    return list(
        DevelopmentPlan.objects.filter(person=person, status=PlanStatus.DONE).order_by("-done_at", "-pk")
    )


def completions_of(*, person: Person) -> list[Completion]:
    return list(
        Completion.objects.filter(person=person, withdrawn_at__isnull=True)
        .select_related("activity", "activity__organisation")
        .order_by("-completed_on", "-pk")
    )


# --- The leader's team ------------------------------------------------------------------------------


@dataclass
class TeamMember:
    person: Person
    plan: DevelopmentPlan | None
    next_deadline: dt.date | None
    to_confirm: int


def team_members(*, actor: Actor) -> list[TeamMember]:
    """The people the actor leads now, each with their open plan (if any): three queries in all."""
    people = list(org_selectors.people_led_by(actor=actor).order_by("name", "pk"))
    plans = {
        p.person_id: p for p in DevelopmentPlan.objects.filter(person__in=people, status__in=OPEN_PLAN_STATES)
    }
    deadlines: dict[int, dt.date] = {}
    to_confirm: Counter[int] = Counter()
    goals = PlanGoal.objects.filter(plan__in=plans.values()).values_list("plan_id", "deadline", "status")
    for plan_id, deadline, status in goals:
        if status == "open" and (plan_id not in deadlines or deadline < deadlines[plan_id]):
            deadlines[plan_id] = deadline
    reported = PlanActivity.objects.filter(
        goal__plan__in=plans.values(), status=ItemStatus.REPORTED
    ).values_list("goal__plan_id", flat=True)
    for plan_id in reported:
        to_confirm[plan_id] += 1
    result = []
    for person in people:
        plan = plans.get(person.pk)
        result.append(
            TeamMember(
                person=person,
                plan=plan,
                next_deadline=deadlines.get(plan.pk) if plan else None,
                to_confirm=to_confirm[plan.pk] if plan else 0,
            )
        )
    return result


# --- The provider's enrolments ---------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    item: PlanActivity
    person_name: str
    municipality: str
    activity: LearningActivity


def provider_enrolments(*, actor: Actor) -> list[Enrolment]:
    """People whose approved plan has one of the provider's activities not yet completed: what the
    provider needs to run the activity and report completions (the plan page tells the employee and
    leader before approval that the provider sees the name)."""
    if not actor.has_role(Role.EDUCATION_PROVIDER):
        return []
    items = (
        PlanActivity.objects.filter(
            activity__organisation=actor.organisation,
            goal__plan__status=PlanStatus.APPROVED,
        )
        .exclude(status=ItemStatus.COMPLETED)
        .select_related("activity", "goal__plan__person", "goal__plan__organisation")
        .order_by("activity__title_da", "goal__plan__person__name", "pk")
    )
    return [
        Enrolment(
            item=item,
            person_name=item.goal.plan.person.name,
            municipality=item.goal.plan.organisation.name,
            activity=item.activity,
        )
        for item in items
        if item.activity is not None
    ]


def get_enrolment_for_provider(*, actor: Actor, item_id: int) -> PlanActivity:
    found = next((e.item for e in provider_enrolments(actor=actor) if e.item.pk == item_id), None)
    if found is None:
        raise Http404
    return found


# --- HR's overview ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityUse:
    activity: LearningActivity
    planned: int
    completed: int

    @property
    def cost(self) -> int:
        return self.planned * self.activity.cost_dkk


@dataclass
class Overview:
    plans_by_status: dict[str, int]
    uses: list[ActivityUse]
    completions: int

    @property
    def total_cost(self) -> int:
        return sum(use.cost for use in self.uses)


def hr_overview(*, actor: Actor) -> Overview:
    """Counts for the organisation (no names, no goals): plans per status, and per catalogue activity how
    many have it planned and how many completed it — what HR needs for enrolment budgets."""
    organisation = actor.organisation
    by_status = dict(
        Counter(DevelopmentPlan.objects.filter(organisation=organisation).values_list("status", flat=True))
    )
    planned: dict[int, int] = defaultdict(int)
    for activity_id in (
        PlanActivity.objects.filter(
            organisation=organisation, activity__isnull=False, goal__plan__status__in=OPEN_PLAN_STATES
        )
        .exclude(status=ItemStatus.COMPLETED)
        .values_list("activity_id", flat=True)
    ):
        planned[activity_id] += 1
    completed = Counter(
        Completion.objects.filter(organisation=organisation, withdrawn_at__isnull=True).values_list(
            "activity_id", flat=True
        )
    )
    ids = set(planned) | set(completed)
    activities = {a.pk: a for a in LearningActivity.objects.filter(pk__in=ids).select_related("organisation")}
    uses = [
        ActivityUse(activity=activities[i], planned=planned.get(i, 0), completed=completed.get(i, 0))
        for i in ids
        if i in activities
    ]
    uses.sort(key=lambda u: (-u.planned, -u.completed, u.activity.title_da))
    return Overview(plans_by_status=by_status, uses=uses, completions=sum(completed.values()))
