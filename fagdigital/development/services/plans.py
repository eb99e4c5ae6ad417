"""Writes of individual development plans: draft → review → approved → done (decision 0018).

Every function takes the `PlanAccess` its caller got from `selectors.access.get_plan_for_user` (the
employee, or a current leader of theirs) and refuses what that access does not allow in the plan's
status, with a message saying why; nothing is changed then.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.development.models import (
    OPEN_PLAN_STATES,
    CommentKind,
    CompletionSource,
    DevelopmentPlan,
    GoalStatus,
    ItemStatus,
    LearningActivity,
    PlanActivity,
    PlanComment,
    PlanGoal,
    PlanStatus,
)
from fagdigital.development.selectors.access import PlanAccess, activities_visible_to_organisation
from fagdigital.frameworks.models import LEVEL_COUNT, Competence
from fagdigital.frameworks.selectors import published_framework
from fagdigital.orgs.models import Person
from fagdigital.tenancy.actor import Actor

from . import reminders
from .completions import completion_record

MAX_DEADLINE_YEARS = 3
COMMENT_MAX = 4000


class PlanRefusedError(ValidationError):
    """The change is not allowed for this reader in the plan's current status (the message says why)."""


def display_name(user: User | None) -> str:
    """How plans name a person acting on them: their name, else their e-mail address."""
    if user is None:
        return ""
    return user.full_name or user.email


def _refuse(message: str) -> PlanRefusedError:
    return PlanRefusedError(message)


def _log(plan: DevelopmentPlan, actor: Actor, kind: CommentKind, text: str = "") -> None:
    PlanComment.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        author=actor.user,
        author_name=display_name(actor.user),
        kind=kind,
        text=text,
    )


def _locked(access: PlanAccess) -> DevelopmentPlan:
    return DevelopmentPlan.objects.select_for_update().get(pk=access.plan.pk)


def _fresh(access: PlanAccess, plan: DevelopmentPlan) -> PlanAccess:
    return PlanAccess(plan=plan, is_owner=access.is_owner, is_leader=access.is_leader)


@transaction.atomic
def plan_create(*, actor: Actor, person: Person, title: str) -> DevelopmentPlan:
    """A new draft plan for the person (themselves, or a person the actor leads: the caller checks)."""
    title = title.strip() or _("Udviklingsplan %(year)s") % {"year": timezone.localdate().year}
    if DevelopmentPlan.objects.filter(person=person, status__in=OPEN_PLAN_STATES).exists():
        raise _refuse(_("Der er allerede en plan i gang. Afslut den, før en ny begynder."))
    try:
        with transaction.atomic():
            plan = DevelopmentPlan.objects.create(
                organisation_id=person.organisation_id,
                person=person,
                title=title[:200],
                created_by=actor.user,
            )
    except IntegrityError as error:  # a second click, or the leader at the same moment
        raise _refuse(_("Der er allerede en plan i gang. Afslut den, før en ny begynder.")) from error
    return plan


def _competence(person: Person, code: str) -> Competence:
    framework = published_framework(organisation=person.organisation)
    competence = (
        Competence.objects.filter(framework=framework, code=code).first() if framework is not None else None
    )
    if competence is None:
        raise PlanRefusedError({"competence_code": [_("Vælg en kompetence fra kompetencerammen.")]})
    return competence


def _check_goal(person: Person, code: str, target_level: int, deadline: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    _competence(person, code)
    if not 1 <= target_level <= LEVEL_COUNT:
        errors["target_level"] = [_("Vælg et niveau fra 1 til 4.")]
    today = timezone.localdate()
    if deadline < today:
        errors["deadline"] = [_("Fristen kan ikke ligge før i dag.")]
    elif deadline > today + dt.timedelta(days=366 * MAX_DEADLINE_YEARS):
        errors["deadline"] = [_("Fristen kan højst ligge tre år ude i fremtiden.")]
    if errors:
        raise PlanRefusedError(errors)


@transaction.atomic
def goal_save(
    *,
    access: PlanAccess,
    actor: Actor,
    goal: PlanGoal | None,
    competence_code: str,
    target_level: int,
    deadline: dt.date,
    note: str,
) -> PlanGoal:
    plan = _locked(access)
    if not _fresh(access, plan).can_edit:
        raise _refuse(
            _("Planen kan ikke ændres nu: den er hos lederen eller godkendt. Åbn den for ændringer først.")
        )
    _check_goal(plan.person, competence_code, target_level, deadline)
    if goal is None:
        if PlanGoal.objects.filter(plan=plan, competence_code=competence_code).exists():
            raise PlanRefusedError(
                {"competence_code": [_("Planen har allerede et mål for denne kompetence.")]}
            )
        goal = PlanGoal(
            organisation_id=plan.organisation_id,
            plan=plan,
            position=PlanGoal.objects.filter(plan=plan).count(),
        )
    elif goal.plan_id != plan.pk:
        raise _refuse(_("Målet hører til en anden plan."))
    goal.competence_code = competence_code
    goal.target_level = target_level
    if goal.deadline != deadline:
        goal.reminders_sent = []
    goal.deadline = deadline
    goal.note = note.strip()[:COMMENT_MAX]
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, access: PlanAccess, goal: PlanGoal) -> None:
    plan = _locked(access)
    if not _fresh(access, plan).can_edit or goal.plan_id != plan.pk:
        raise _refuse(_("Planen kan ikke ændres nu."))
    if goal.activities.filter(status=ItemStatus.COMPLETED).exists():
        raise _refuse(
            _("Målet har en gennemført aktivitet og kan ikke slettes. Det bliver stående i planen.")
        )
    goal.delete()


@transaction.atomic
def plan_activity_add(
    *,
    access: PlanAccess,
    goal: PlanGoal,
    activity: LearningActivity | None,
    own_title: str = "",
    planned_on: dt.date | None = None,
) -> PlanActivity:
    plan = _locked(access)
    if not _fresh(access, plan).can_edit or goal.plan_id != plan.pk:
        raise _refuse(_("Planen kan ikke ændres nu."))
    if activity is None and not own_title.strip():
        raise PlanRefusedError({"own_title": [_("Vælg en aktivitet fra kataloget, eller skriv jeres egen.")]})
    if activity is not None:
        offered = activities_visible_to_organisation(organisation=plan.person.organisation).filter(
            pk=activity.pk
        )
        if not offered.exists():
            raise _refuse(_("Aktiviteten udbydes ikke i jeres kommune."))
        if PlanActivity.objects.filter(goal=goal, activity=activity).exists():
            raise _refuse(_("Aktiviteten står allerede under målet."))
    if planned_on is not None and planned_on > goal.deadline:
        raise PlanRefusedError({"planned_on": [_("Datoen ligger efter målets frist.")]})
    return PlanActivity.objects.create(
        organisation_id=plan.organisation_id,
        goal=goal,
        activity=activity,
        own_title=own_title.strip()[:200] if activity is None else "",
        planned_on=planned_on,
    )


@transaction.atomic
def plan_activity_remove(*, access: PlanAccess, item: PlanActivity) -> None:
    plan = _locked(access)
    if not _fresh(access, plan).can_edit or item.goal.plan_id != plan.pk:
        raise _refuse(_("Planen kan ikke ændres nu."))
    if item.status == ItemStatus.COMPLETED:
        raise _refuse(_("En gennemført aktivitet bliver stående i planen."))
    item.delete()


@transaction.atomic
def plan_submit(*, access: PlanAccess, actor: Actor, text: str = "") -> DevelopmentPlan:
    plan = _locked(access)
    if not _fresh(access, plan).can_submit:
        raise _refuse(_("Kun medarbejderen kan sende en plan, der er en kladde, til lederen."))
    if not plan.goals.exists():
        raise _refuse(_("Tilføj mindst ét mål, før planen sendes til lederen."))
    plan.status = PlanStatus.REVIEW
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    _log(plan, actor, CommentKind.SUBMITTED, text.strip()[:COMMENT_MAX])
    return plan


@transaction.atomic
def plan_return(*, access: PlanAccess, actor: Actor, text: str) -> DevelopmentPlan:
    """The leader sends the plan back to the employee with a comment on what to change."""
    plan = _locked(access)
    if not _fresh(access, plan).can_review:
        raise _refuse(
            _("Kun en leder af medarbejderen kan sende en plan tilbage, mens den er til gennemsyn.")
        )
    if not text.strip():
        raise PlanRefusedError({"text": [_("Skriv, hvad medarbejderen skal se på.")]})
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    _log(plan, actor, CommentKind.RETURNED, text.strip()[:COMMENT_MAX])
    return plan


@transaction.atomic
def plan_approve(*, access: PlanAccess, actor: Actor, text: str = "") -> DevelopmentPlan:
    plan = _locked(access)
    if not _fresh(access, plan).can_review:
        raise _refuse(_("Kun en leder af medarbejderen kan godkende planen, mens den er til gennemsyn."))
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = actor.user
    plan.approved_by_name = display_name(actor.user)
    plan.save(update_fields=["status", "approved_at", "approved_by", "approved_by_name", "updated_at"])
    _log(plan, actor, CommentKind.APPROVED, text.strip()[:COMMENT_MAX])
    reminders.schedule_plan(plan)
    return plan


@transaction.atomic
def plan_reopen(*, access: PlanAccess, actor: Actor, text: str = "") -> DevelopmentPlan:
    """Back to a draft to change it (it is then submitted and approved again)."""
    plan = _locked(access)
    if not _fresh(access, plan).can_reopen:
        raise _refuse(_("Planen kan ikke åbnes for ændringer nu."))
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    _log(plan, actor, CommentKind.REOPENED, text.strip()[:COMMENT_MAX])
    return plan


@transaction.atomic
def plan_finish(*, access: PlanAccess, actor: Actor, text: str = "") -> DevelopmentPlan:
    plan = _locked(access)
    if not _fresh(access, plan).can_finish:
        raise _refuse(_("Kun en godkendt plan kan afsluttes."))
    plan.status = PlanStatus.DONE
    plan.done_at = timezone.now()
    plan.save(update_fields=["status", "done_at", "updated_at"])
    _log(plan, actor, CommentKind.DONE, text.strip()[:COMMENT_MAX])
    return plan


@transaction.atomic
def plan_comment(*, access: PlanAccess, actor: Actor, text: str) -> PlanComment:
    plan = _locked(access)
    if not _fresh(access, plan).can_comment:
        raise _refuse(_("En afsluttet plan kan ikke kommenteres."))
    if not text.strip():
        raise PlanRefusedError({"text": [_("Skriv en kommentar.")]})
    return PlanComment.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        author=actor.user,
        author_name=display_name(actor.user),
        kind=CommentKind.COMMENT,
        text=text.strip()[:COMMENT_MAX],
    )


@transaction.atomic
def goal_reached(*, access: PlanAccess, goal: PlanGoal, reached: bool) -> PlanGoal:
    plan = _locked(access)
    if not _fresh(access, plan).can_record_progress or goal.plan_id != plan.pk:
        raise _refuse(_("Fremdrift registreres, når planen er godkendt."))
    goal.status = GoalStatus.REACHED if reached else GoalStatus.OPEN
    goal.save(update_fields=["status", "updated_at"])
    return goal


@transaction.atomic
def plan_activity_done(
    *, access: PlanAccess, actor: Actor, item: PlanActivity, completed_on: dt.date
) -> PlanActivity:
    """The employee reports an activity done (a catalogue activity then awaits the leader's confirmation);
    a leader confirms it — for a catalogue activity that records the completion, i.e. learning evidence."""
    plan = _locked(access)
    if not _fresh(access, plan).can_record_progress or item.goal.plan_id != plan.pk:
        raise _refuse(_("Gennemførte aktiviteter registreres, når planen er godkendt."))
    if completed_on > timezone.localdate():
        raise PlanRefusedError({"completed_on": [_("Datoen kan ikke ligge i fremtiden.")]})
    if item.status == ItemStatus.COMPLETED:
        return item
    if access.is_leader:
        if item.activity is not None:
            completion_record(
                person=plan.person,
                activity=item.activity,
                completed_on=completed_on,
                source=CompletionSource.LEADER,
                confirmed_by=actor.user,
            )
            item.refresh_from_db()
            return item
        item.status = ItemStatus.COMPLETED
    else:
        # An activity of the plan's own (no catalogue levels) is simply done; a catalogue activity
        # counts as learning only when a leader or the provider confirms it.
        item.status = ItemStatus.REPORTED if item.activity is not None else ItemStatus.COMPLETED
    item.reported_on = completed_on
    item.save(update_fields=["status", "reported_on", "updated_at"])
    return item
