"""Individual plans: draft → review → approved → done, with who may do what (the employee, a current
leader; never a former leader, never HR, never another organisation), progress and reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from fagdigital.conftest import actor_for
from fagdigital.development.models import (
    CommentKind,
    Completion,
    CompletionSource,
    DevelopmentPlan,
    ItemStatus,
    PlanStatus,
)
from fagdigital.development.selectors.access import get_led_person, get_plan_for_user
from fagdigital.development.services import plans, reminders
from fagdigital.development.services.plans import PlanRefusedError
from fagdigital.orgs.models import Engagement
from fagdigital.testing.factories import (
    EngagementFactory,
    MembershipFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    UnitLeaderFactory,
    UserFactory,
)

from .conftest import Dev

pytestmark = pytest.mark.django_db


def _plan_with_goal(dev: Dev, index: int = 0) -> tuple[DevelopmentPlan, object]:
    employee = actor_for(dev.team.users[index], dev.team.organisation)
    plan = plans.plan_create(actor=employee, person=dev.team.members[index], title="Min plan 2026")
    access = get_plan_for_user(actor=employee, plan_id=plan.pk)
    goal = plans.goal_save(
        access=access,
        actor=employee,
        goal=None,
        competence_code="DS3",
        target_level=2,
        deadline=timezone.localdate() + dt.timedelta(days=60),
        note="Jeg vil blive sikker i, hvad der er følsomme oplysninger.",
    )
    plans.plan_activity_add(access=access, goal=goal, activity=dev.activities["ds3-kursus"])
    return plan, goal


def test_the_whole_workflow_from_draft_to_done_with_its_history(dev: Dev) -> None:
    employee = actor_for(dev.team.users[0], dev.team.organisation)
    leader = actor_for(dev.team.leader, dev.team.organisation)
    plan, _goal = _plan_with_goal(dev)
    plans.plan_submit(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    access = get_plan_for_user(actor=leader, plan_id=plan.pk)
    assert access.is_leader and access.can_review
    plans.plan_return(access=access, actor=leader, text="Skriv også noget om Digital Post.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    plans.plan_submit(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    plans.plan_approve(access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader, text="Godt.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == dev.team.leader
    plans.plan_finish(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE
    kinds = list(plan.comments.values_list("kind", flat=True))
    assert kinds == [
        CommentKind.SUBMITTED,
        CommentKind.RETURNED,
        CommentKind.SUBMITTED,
        CommentKind.APPROVED,
        CommentKind.DONE,
    ]


def test_steps_out_of_turn_are_refused_and_change_nothing(dev: Dev) -> None:
    employee = actor_for(dev.team.users[0], dev.team.organisation)
    leader = actor_for(dev.team.leader, dev.team.organisation)
    plan, goal = _plan_with_goal(dev)
    with pytest.raises(PlanRefusedError):  # the employee cannot approve their own plan
        plans.plan_approve(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    with pytest.raises(PlanRefusedError):  # nor can a leader approve a draft they were never sent
        plans.plan_approve(access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader)
    with pytest.raises(PlanRefusedError):  # only the employee submits
        plans.plan_submit(access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader)
    plans.plan_submit(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    with pytest.raises(PlanRefusedError):  # under review the goals are the leader's to adjust
        plans.goal_save(
            access=get_plan_for_user(actor=employee, plan_id=plan.pk),
            actor=employee,
            goal=goal,
            competence_code="DS3",
            target_level=3,
            deadline=goal.deadline,
            note="",
        )
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert plan.status == PlanStatus.REVIEW and goal.target_level == 2


def test_an_empty_plan_cannot_be_submitted_and_one_open_plan_at_a_time(dev: Dev) -> None:
    employee = actor_for(dev.team.users[3], dev.team.organisation)
    plan = plans.plan_create(actor=employee, person=dev.team.members[3], title="")
    assert plan.title.startswith("Udviklingsplan")
    with pytest.raises(PlanRefusedError):
        plans.plan_submit(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    with pytest.raises(PlanRefusedError):
        plans.plan_create(actor=employee, person=dev.team.members[3], title="En til")
    assert DevelopmentPlan.objects.filter(person=dev.team.members[3]).count() == 1


def test_a_goal_needs_a_framework_competence_a_level_and_a_deadline_ahead(dev: Dev) -> None:
    employee = actor_for(dev.team.users[4], dev.team.organisation)
    plan = plans.plan_create(actor=employee, person=dev.team.members[4], title="Plan")
    access = get_plan_for_user(actor=employee, plan_id=plan.pk)
    with pytest.raises(PlanRefusedError) as refused:
        plans.goal_save(
            access=access,
            actor=employee,
            goal=None,
            competence_code="XX9",
            target_level=5,
            deadline=timezone.localdate() - dt.timedelta(days=1),
            note="",
        )
    assert set(refused.value.message_dict) == {"competence_code"}
    with pytest.raises(PlanRefusedError) as refused:
        plans.goal_save(
            access=access,
            actor=employee,
            goal=None,
            competence_code="DS3",
            target_level=5,
            deadline=timezone.localdate() - dt.timedelta(days=1),
            note="",
        )
    assert set(refused.value.message_dict) == {"target_level", "deadline"}
    assert not plan.goals.exists()


def test_who_may_open_a_plan_the_employee_and_current_leaders_only(dev: Dev) -> None:
    plan, _goal = _plan_with_goal(dev)
    organisation = dev.team.organisation
    # A colleague, HR, another organisation's HR: all refused.
    colleague = actor_for(dev.team.users[1], organisation)
    hr = actor_for(dev.team.admin, organisation)
    other = OrganisationFactory()
    other_hr_user = UserFactory()
    MembershipFactory(user=other_hr_user, organisation=other, roles=["competence_admin", "leader"])
    for actor in (colleague, hr, actor_for(other_hr_user, other)):
        with pytest.raises(Http404):
            get_plan_for_user(actor=actor, plan_id=plan.pk)
    # A leader of a parent unit leads the person too.
    parent_leader_person = PersonFactory(organisation=organisation)
    EngagementFactory(person=parent_leader_person, unit=dev.team.root)
    UnitLeaderFactory(unit=dev.team.root, person=parent_leader_person)
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, roles=["leader"])
    parent_leader_person.user = user
    parent_leader_person.save()
    assert get_plan_for_user(actor=actor_for(user, organisation), plan_id=plan.pk).is_leader


def test_a_former_leader_loses_the_plan_the_day_the_person_moves(dev: Dev) -> None:
    plan, _goal = _plan_with_goal(dev)
    leader = actor_for(dev.team.leader, dev.team.organisation)
    assert get_plan_for_user(actor=leader, plan_id=plan.pk).is_leader
    person = dev.team.members[0]
    today = timezone.localdate()
    Engagement.objects.filter(person=person).update(end_date=today - dt.timedelta(days=1))
    EngagementFactory(person=person, unit=dev.team.other_unit, start_date=today)
    with pytest.raises(Http404):
        get_plan_for_user(actor=leader, plan_id=plan.pk)
    # The employee still has their plan.
    assert get_plan_for_user(
        actor=actor_for(dev.team.users[0], dev.team.organisation), plan_id=plan.pk
    ).is_owner


def test_progress_the_employee_reports_and_the_leader_confirms_as_learning(dev: Dev) -> None:
    employee = actor_for(dev.team.users[0], dev.team.organisation)
    leader = actor_for(dev.team.leader, dev.team.organisation)
    plan, goal = _plan_with_goal(dev)
    own = plans.plan_activity_add(
        access=get_plan_for_user(actor=employee, plan_id=plan.pk),
        goal=goal,
        activity=None,
        own_title="Følg Anne",
    )
    plans.plan_submit(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    plans.plan_approve(access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader)
    item = goal.activities.get(activity=dev.activities["ds3-kursus"])
    day = timezone.localdate() - dt.timedelta(days=2)
    plans.plan_activity_done(
        access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee, item=item, completed_on=day
    )
    plans.plan_activity_done(
        access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee, item=own, completed_on=day
    )
    item.refresh_from_db()
    own.refresh_from_db()
    # The employee's own activity is done; a catalogue activity awaits the leader (it becomes evidence).
    assert (item.status, own.status) == (ItemStatus.REPORTED, ItemStatus.COMPLETED)
    assert not Completion.objects.filter(person=dev.team.members[0]).exists()
    plans.plan_activity_done(
        access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader, item=item, completed_on=day
    )
    item.refresh_from_db()
    completion = Completion.objects.get(person=dev.team.members[0])
    assert item.status == ItemStatus.COMPLETED
    assert (completion.source, completion.confirmed_by, completion.completed_on) == (
        CompletionSource.LEADER,
        dev.team.leader,
        day,
    )


def test_reminders_go_before_deadlines_once_per_reminder_day(dev: Dev, settings: Any) -> None:
    settings.DEVELOPMENT_REMINDER_DAYS = [14, 3]
    employee = actor_for(dev.team.users[0], dev.team.organisation)
    leader = actor_for(dev.team.leader, dev.team.organisation)
    plan, goal = _plan_with_goal(dev)
    plans.plan_submit(access=get_plan_for_user(actor=employee, plan_id=plan.pk), actor=employee)
    plans.plan_approve(access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader)
    deadline = goal.deadline
    mail.outbox.clear()
    assert reminders.plan_reminders_send_due(today=deadline - dt.timedelta(days=20)) == 0
    assert reminders.plan_reminders_send_due(today=deadline - dt.timedelta(days=14)) == 1
    assert reminders.plan_reminders_send_due(today=deadline - dt.timedelta(days=14)) == 0
    # A worker that was down catches up once, at the nearest day.
    assert reminders.plan_reminders_send_due(today=deadline - dt.timedelta(days=1)) == 1
    assert reminders.plan_reminders_send_due(today=deadline) == 0
    assert len(mail.outbox) == 2
    assert "DS3" in mail.outbox[0].body and f"/udvikling/plan/{plan.pk}/" in mail.outbox[0].body
    assert mail.outbox[0].to == [dev.team.users[0].email]


def test_a_draft_plan_gets_no_reminders(dev: Dev) -> None:
    _plan, goal = _plan_with_goal(dev)
    mail.outbox.clear()
    assert reminders.plan_reminders_send_due(today=goal.deadline - dt.timedelta(days=3)) == 0


def test_a_leader_can_start_a_plan_with_a_person_they_lead_but_not_others(dev: Dev) -> None:
    leader = actor_for(dev.team.leader, dev.team.organisation)
    assert get_led_person(actor=leader, person_id=dev.team.members[5].pk) == dev.team.members[5]
    with pytest.raises(Http404):
        get_led_person(actor=leader, person_id=dev.team.outsider.pk)
    stranger = PersonFactory(organisation=dev.team.organisation)
    EngagementFactory(person=stranger, unit=OrgUnitFactory(organisation=dev.team.organisation))
    with pytest.raises(Http404):
        get_led_person(actor=leader, person_id=stranger.pk)
