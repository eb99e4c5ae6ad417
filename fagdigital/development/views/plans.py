"""Individual development plans: the employee's page, a plan, its goals and activities, and the steps of
the development conversation (decision 0018). Every plan page asks `access.get_plan_for_user`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.development.forms import DoneForm, GoalForm, PlanActionForm, PlanActivityForm, PlanCreateForm
from fagdigital.development.models import ActivityCompetence, DevelopmentPlan, PlanGoal
from fagdigital.development.selectors import access
from fagdigital.development.selectors.communities import sessions_for
from fagdigital.development.selectors.plans import (
    completions_of,
    current_plan,
    earlier_plans,
    plan_view,
    reader_profile,
)
from fagdigital.development.selectors.recommendations import person_recommendations
from fagdigital.development.services import plans
from fagdigital.frameworks.models import Competence
from fagdigital.frameworks.selectors import published_framework
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import OrganisationKind, Role

from .common import add_errors, form_context, own_person, refusal_text

PLAN_ROLES = (Role.EMPLOYEE, Role.LEADER, Role.COMPETENCE_ADMIN, Role.TOP_MANAGEMENT)


@actor_required(*PLAN_ROLES)
def mine(request: HttpRequest, actor: Actor) -> HttpResponse:
    """ "Min udvikling": the reader's plan, recommendations from their own profile, their completions."""
    person = own_person(actor)
    if person is None or actor.organisation.kind != OrganisationKind.MUNICIPALITY:
        return render(request, "development/mine_no_person.html", status=200)
    today = timezone.localdate()
    profile = reader_profile(person=person, for_leader=False, today=today)
    context = {
        "person": person,
        "plan": current_plan(person=person),
        "earlier": earlier_plans(person=person),
        "recommendations": person_recommendations(profile=profile) if profile is not None else [],
        "has_levels": profile is not None and profile.measured_count > 0,
        "completions": completions_of(person=person),
        "sessions": sessions_for(actor=actor, person=person)[:5],
        "create_form": PlanCreateForm(initial={"title": _("Udviklingsplan %(year)s") % {"year": today.year}}),
    }
    return render(request, "development/mine.html", context)


@actor_required(*PLAN_ROLES)
def plan_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    person = own_person(actor)
    if request.method != "POST" or person is None:
        raise Http404
    form = PlanCreateForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    try:
        plan = plans.plan_create(actor=actor, person=person, title=title)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("development:mine")
    messages.success(request, _("Din plan er oprettet. Tilføj de mål, du vil arbejde med."))
    return redirect("development:plan", plan.pk)


@actor_required(Role.LEADER)
def person_plan_create(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    """A leader starts a plan with a person they lead (e.g. in the development conversation)."""
    person = access.get_led_person(actor=actor, person_id=person_id)
    if request.method != "POST":
        raise Http404
    try:
        plan = plans.plan_create(actor=actor, person=person, title="")
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("development:team")
    messages.success(
        request, _("Planen er oprettet som kladde. Medarbejderen sender den til dig, når den er klar.")
    )
    return redirect("development:plan", plan.pk)


@actor_required(*PLAN_ROLES)
def plan_detail(request: HttpRequest, actor: Actor, plan_id: int) -> HttpResponse:
    plan_access = access.get_plan_for_user(actor=actor, plan_id=plan_id)
    view = plan_view(access=plan_access, today=timezone.localdate())
    context = {
        "view": view,
        "plan": plan_access.plan,
        "access": plan_access,
        "done_form": DoneForm(initial={"completed_on": timezone.localdate()}),
        "action_form": PlanActionForm(),
        "provider_names": sorted(
            {
                a.activity.organisation.name
                for g in view.goals
                for a in g.activities
                if a.activity is not None
                and a.activity.organisation.kind == OrganisationKind.EDUCATION_PROVIDER
            }
        ),
        "error_prefix": _("Fejl:"),
    }
    return render(request, "development/plan.html", context)


_ACTION_MESSAGES = {
    "submit": _("Planen er sendt til din leder."),
    "return": _("Planen er sendt tilbage til medarbejderen."),
    "approve": _("Planen er godkendt."),
    "reopen": _("Planen er åbnet for ændringer."),
    "finish": _("Planen er afsluttet."),
    "comment": _("Kommentaren er gemt."),
}


@actor_required(*PLAN_ROLES)
def plan_action(request: HttpRequest, actor: Actor, plan_id: int) -> HttpResponse:
    plan_access = access.get_plan_for_user(actor=actor, plan_id=plan_id)
    if request.method != "POST":
        raise Http404
    form = PlanActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Handlingen kendes ikke."))
        return redirect("development:plan", plan_id)
    action, text = form.cleaned_data["action"], form.cleaned_data["text"]
    steps: dict[str, Callable[..., DevelopmentPlan]] = {
        "submit": plans.plan_submit,
        "return": plans.plan_return,
        "approve": plans.plan_approve,
        "reopen": plans.plan_reopen,
        "finish": plans.plan_finish,
    }
    try:
        if action == "comment":
            plans.plan_comment(access=plan_access, actor=actor, text=text)
        else:
            steps[action](access=plan_access, actor=actor, text=text)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, str(_ACTION_MESSAGES[action]))
    return redirect(reverse("development:plan", args=[plan_id]) + ("#history" if action == "comment" else ""))


def _goal_competences(access_: access.PlanAccess) -> list[Competence]:
    framework = published_framework(organisation=access_.plan.person.organisation)
    if framework is None:
        return []
    return list(
        Competence.objects.filter(framework=framework, parent__isnull=True)
        .select_related("area")
        .order_by("area__position", "position")
    )


def _goal_page(
    request: HttpRequest, actor: Actor, plan_access: access.PlanAccess, goal: PlanGoal | None
) -> HttpResponse:
    if not plan_access.can_edit:
        messages.error(request, _("Planen kan ikke ændres nu: den er hos lederen eller godkendt."))
        return redirect("development:plan", plan_access.plan.pk)
    initial = (
        {
            "competence_code": goal.competence_code,
            "target_level": str(goal.target_level),
            "deadline": goal.deadline,
            "note": goal.note,
        }
        if goal
        else {
            "deadline": timezone.localdate() + dt.timedelta(days=90),
            "competence_code": request.GET.get("kompetence", ""),
        }
    )
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        competences=_goal_competences(plan_access),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = plans.goal_save(
                    access=plan_access,
                    actor=actor,
                    goal=goal,
                    competence_code=data["competence_code"],
                    target_level=int(data["target_level"]),
                    deadline=data["deadline"],
                    note=data["note"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Målet er gemt."))
                return redirect(reverse("development:plan", args=[plan_access.plan.pk]) + f"#goal-{saved.pk}")
        status = 422
    context = {**form_context(form), "plan": plan_access.plan, "goal": goal}
    return render(request, "development/goal_form.html", context, status=status)


@actor_required(*PLAN_ROLES)
def goal_add(request: HttpRequest, actor: Actor, plan_id: int) -> HttpResponse:
    return _goal_page(request, actor, access.get_plan_for_user(actor=actor, plan_id=plan_id), None)


@actor_required(*PLAN_ROLES)
def goal_edit(request: HttpRequest, actor: Actor, goal_id: int) -> HttpResponse:
    plan_access, goal = access.get_goal_for_user(actor=actor, goal_id=goal_id)
    return _goal_page(request, actor, plan_access, goal)


@actor_required(*PLAN_ROLES)
def goal_delete(request: HttpRequest, actor: Actor, goal_id: int) -> HttpResponse:
    plan_access, goal = access.get_goal_for_user(actor=actor, goal_id=goal_id)
    if request.method != "POST":
        raise Http404
    try:
        plans.goal_delete(access=plan_access, goal=goal)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Målet er slettet."))
    return redirect("development:plan", plan_access.plan.pk)


@actor_required(*PLAN_ROLES)
def goal_reached(request: HttpRequest, actor: Actor, goal_id: int) -> HttpResponse:
    plan_access, goal = access.get_goal_for_user(actor=actor, goal_id=goal_id)
    if request.method != "POST":
        raise Http404
    try:
        plans.goal_reached(access=plan_access, goal=goal, reached=request.POST.get("reached") == "1")
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    return redirect(reverse("development:plan", args=[plan_access.plan.pk]) + f"#goal-{goal.pk}")


@actor_required(*PLAN_ROLES)
def goal_activity_add(request: HttpRequest, actor: Actor, goal_id: int) -> HttpResponse:
    plan_access, goal = access.get_goal_for_user(actor=actor, goal_id=goal_id)
    if not plan_access.can_edit:
        messages.error(request, _("Planen kan ikke ændres nu: den er hos lederen eller godkendt."))
        return redirect("development:plan", plan_access.plan.pk)
    offered = access.activities_visible_to_organisation(organisation=plan_access.plan.person.organisation)
    developing = {
        row.activity_id: row.level
        for row in ActivityCompetence.objects.filter(
            activity__in=offered, competence_code=goal.competence_code
        )
    }
    choices = [
        (a.pk, _("%(title)s (til niveau %(level)s)") % {"title": a.t("title"), "level": developing[a.pk]})
        for a in offered.filter(pk__in=developing).order_by("title_da")
    ]
    form = PlanActivityForm(
        request.POST if request.method == "POST" else None,
        initial={"planned_on": goal.deadline},
        activities=choices,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            activity = offered.filter(pk=int(data["activity"])).first() if data["activity"] else None
            try:
                plans.plan_activity_add(
                    access=plan_access,
                    goal=goal,
                    activity=activity,
                    own_title=data["own_title"],
                    planned_on=data["planned_on"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Aktiviteten er tilføjet."))
                return redirect(reverse("development:plan", args=[plan_access.plan.pk]) + f"#goal-{goal.pk}")
        status = 422
    context = {**form_context(form), "plan": plan_access.plan, "goal": goal}
    return render(request, "development/goal_activity_form.html", context, status=status)


@actor_required(*PLAN_ROLES)
def plan_activity_remove(request: HttpRequest, actor: Actor, plan_item_id: int) -> HttpResponse:
    plan_access, item = access.get_plan_activity_for_user(actor=actor, item_id=plan_item_id)
    if request.method != "POST":
        raise Http404
    try:
        plans.plan_activity_remove(access=plan_access, item=item)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Aktiviteten er fjernet fra planen."))
    return redirect("development:plan", plan_access.plan.pk)


@actor_required(*PLAN_ROLES)
def plan_activity_done(request: HttpRequest, actor: Actor, plan_item_id: int) -> HttpResponse:
    plan_access, item = access.get_plan_activity_for_user(actor=actor, item_id=plan_item_id)
    if request.method != "POST":
        raise Http404
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("development:plan", plan_access.plan.pk)
    try:
        plans.plan_activity_done(
            access=plan_access, actor=actor, item=item, completed_on=form.cleaned_data["completed_on"]
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        item.refresh_from_db()
        messages.success(
            request,
            _("Aktiviteten er registreret som gennemført.")
            if item.status == "completed"
            else _("Aktiviteten er meldt gennemført. Din leder bekræfter den, så tæller den som læring."),
        )
    return redirect(reverse("development:plan", args=[plan_access.plan.pk]) + f"#goal-{item.goal_id}")
