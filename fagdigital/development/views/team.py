"""The leader's pages: the team's plans, a unit's published gaps with team recommendations, team plans."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.analytics import selectors as analytics_selectors
from fagdigital.analytics.demand import unit_levels
from fagdigital.development.forms import TeamItemForm, TeamPlanForm
from fagdigital.development.models import TeamPlan, TeamPlanItem
from fagdigital.development.selectors import access
from fagdigital.development.selectors.communities import sessions_for
from fagdigital.development.selectors.plans import team_members
from fagdigital.development.selectors.recommendations import offers_for, rank_for_unit
from fagdigital.development.services import team_plans
from fagdigital.orgs import selectors as org_selectors
from fagdigital.orgs.models import Engagement, OrgUnit, Person
from fagdigital.privacy.rules import min_group
from fagdigital.privacy.texts import rule_summary
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from .common import add_errors, form_context, own_person, refusal_text

TEAM_ROLES = (Role.LEADER, Role.COMPETENCE_ADMIN)


@actor_required(*TEAM_ROLES)
def team(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A leader's people with their plans; the units to make team plans for."""
    roots = org_selectors.unit_rows(actor=actor, parent=None)
    context = {
        "members": team_members(actor=actor) if actor.has_role(Role.LEADER) else [],
        "units": [row.unit for row in roots],
        "is_leader": actor.has_role(Role.LEADER),
        "open_plans": TeamPlan.objects.filter(organisation=actor.organisation, closed_at__isnull=True)
        .filter(unit__in=access.team_plan_units(actor=actor))
        .select_related("unit")
        .order_by("-created_at")[:20],
    }
    return render(request, "development/team.html", context)


def _owners(actor: Actor, unit: OrgUnit) -> list[Person]:
    engaged = Engagement.objects.filter(
        org_selectors.active_engagements_q(), unit__path__startswith=unit.path, person=OuterRef("pk")
    )
    people = list(org_selectors.visible_people(actor=actor).filter(Exists(engaged)).order_by("name")[:500])
    own = own_person(actor)
    if own is not None and own not in people:
        people.insert(0, own)
    return people


@actor_required(*TEAM_ROLES)
def unit_detail(request: HttpRequest, actor: Actor, unit_id: int) -> HttpResponse:
    unit = access.get_team_unit_for_user(actor=actor, unit_id=unit_id)
    levels = unit_levels(actor=actor, unit=unit)
    gaps = analytics_selectors.top_gaps(
        actor=actor, unit=unit, filters=analytics_selectors.Filters(), limit=8
    )
    form = TeamPlanForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = team_plans.team_plan_create(
                    actor=actor,
                    unit=unit,
                    title=form.cleaned_data["title"],
                    purpose=form.cleaned_data["purpose"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("Teamplanen er oprettet. Tilføj de aktiviteter, I vil lave sammen.")
                )
                return redirect("development:team_plan", created.pk)
        status = 422
    children = (
        OrgUnit.objects.filter(parent=unit)
        .filter(pk__in=access.team_plan_units(actor=actor))
        .order_by("name")
    )
    context = {
        **form_context(form),
        "unit": unit,
        "levels": levels,
        "gaps": gaps,
        "recommendations": rank_for_unit(levels, offers_for(organisation=actor.organisation)),
        "rule": rule_summary(min_group(actor.organisation)),
        "team_plans": TeamPlan.objects.filter(unit=unit).order_by("closed_at", "-created_at"),
        "children": children,
    }
    return render(request, "development/unit.html", context, status=status)


@actor_required(*TEAM_ROLES)
def team_plan_detail(request: HttpRequest, actor: Actor, team_plan_id: int) -> HttpResponse:
    plan = access.get_team_plan_for_user(actor=actor, team_plan_id=team_plan_id)
    offered = access.activities_visible_to_organisation(organisation=actor.organisation).order_by("title_da")
    sessions = [row.session for row in sessions_for(actor=actor, person=None)]
    owners = _owners(actor, plan.unit)
    form = TeamItemForm(
        request.POST if request.method == "POST" else None,
        initial={"due_on": timezone.localdate()},
        activities=[(a.pk, a.t("title")) for a in offered],
        sessions=[(s.pk, f"{s.title} ({timezone.localtime(s.starts_at):%d.%m.%Y})") for s in sessions],
        owners=[(p.pk, p.name) for p in owners],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            activity = offered.filter(pk=int(data["activity"])).first() if data["activity"] else None
            session = next((s for s in sessions if str(s.pk) == data["session"]), None)
            owner = next((p for p in owners if str(p.pk) == data["owner"]), None)
            try:
                team_plans.team_item_add(
                    team_plan=plan,
                    activity=activity,
                    session=session,
                    own_title=data["own_title"],
                    competence_codes=[c.competence_code for c in activity.competences.all()]
                    if activity
                    else [],
                    owner=owner,
                    due_on=data["due_on"],
                    allowed_owners={p.pk for p in owners},
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Aktiviteten er tilføjet teamplanen."))
                return redirect("development:team_plan", plan.pk)
        status = 422
    context = {
        **form_context(form),
        "plan": plan,
        "items": TeamPlanItem.objects.filter(team_plan=plan).select_related("activity", "session", "owner"),
    }
    return render(request, "development/team_plan.html", context, status=status)


@actor_required(*TEAM_ROLES)
def team_plan_close(request: HttpRequest, actor: Actor, team_plan_id: int) -> HttpResponse:
    plan = access.get_team_plan_for_user(actor=actor, team_plan_id=team_plan_id)
    if request.method != "POST":
        raise Http404
    team_plans.team_plan_close(team_plan=plan, closed=request.POST.get("closed") == "1")
    messages.success(
        request, _("Teamplanen er afsluttet.") if plan.closed_at else _("Teamplanen er genåbnet.")
    )
    return redirect("development:team_plan", plan.pk)


@actor_required(*TEAM_ROLES)
def team_item_action(request: HttpRequest, actor: Actor, team_item_id: int) -> HttpResponse:
    item = access.get_team_item_for_user(actor=actor, team_item_id=team_item_id)
    if request.method != "POST":
        raise Http404
    try:
        if request.POST.get("action") == "remove":
            team_plans.team_item_remove(item=item)
            messages.success(request, _("Aktiviteten er fjernet."))
        else:
            team_plans.team_item_done(item=item, done=request.POST.get("done") == "1")
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    return redirect("development:team_plan", item.team_plan_id)
