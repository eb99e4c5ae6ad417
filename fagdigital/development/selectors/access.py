"""Who may see and change what in the development app: one place for every object named by id.

- The catalogue: a municipality sees its own activities and those shared with a network it belongs to;
  a provider and a network operator see their own (and the operator its networks' shares).
- Plans: the person themselves and their current leaders (`orgs.selectors.leader_may_see`, decision
  0012) — never a former leader, never HR, never another organisation (decision 0018).
- Team plans: leaders of the unit's subtree and HR of the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from fagdigital.development.models import (
    ActivityShare,
    ActivityStatus,
    CommunitySession,
    DevelopmentPlan,
    LearningActivity,
    PlanActivity,
    PlanGoal,
    PlanStatus,
    ProviderNetwork,
    ShareState,
    TeamPlan,
    TeamPlanItem,
)
from fagdigital.orgs import selectors as org_selectors
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind, Role

CATALOGUE_EDITORS = (Role.COMPETENCE_ADMIN, Role.EDUCATION_PROVIDER, Role.NETWORK_COORDINATOR)


# --- Networks ----------------------------------------------------------------------------------------


def member_network_ids(*, organisation: Organisation) -> list[int]:
    """Networks the organisation is an active member of."""
    return list(
        NetworkMember.objects.filter(organisation=organisation, organisation__is_active=True).values_list(
            "network_id", flat=True
        )
    )


def coordinated_networks(*, actor: Actor) -> list[Network]:
    if not actor.has_role(Role.NETWORK_COORDINATOR):
        return []
    return list(Network.objects.filter(coordinator=actor.organisation).order_by("name", "pk"))


def served_networks(*, organisation: Organisation) -> list[Network]:
    """Networks an education provider was admitted to by their coordinators."""
    ids = ProviderNetwork.objects.filter(provider=organisation).values_list("network_id", flat=True)
    return list(Network.objects.filter(pk__in=ids).order_by("name", "pk"))


def shareable_networks(*, actor: Actor) -> list[Network]:
    """Where the actor's organisation can offer its activities: a provider its served networks, a
    network operator the networks it coordinates, a municipality the networks it belongs to (as a
    proposal the coordinator decides on)."""
    kind = actor.organisation.kind
    if kind == OrganisationKind.EDUCATION_PROVIDER:
        return served_networks(organisation=actor.organisation)
    if kind == OrganisationKind.NETWORK_OPERATOR:
        return list(Network.objects.filter(coordinator=actor.organisation).order_by("name", "pk"))
    return list(
        Network.objects.filter(pk__in=member_network_ids(organisation=actor.organisation)).order_by(
            "name", "pk"
        )
    )


def get_network_for_coordinator(*, actor: Actor, network_id: int) -> Network:
    network = next((n for n in coordinated_networks(actor=actor) if n.pk == network_id), None)
    if network is None:
        raise Http404
    return network


# --- The catalogue -----------------------------------------------------------------------------------


def activities_visible_to_organisation(*, organisation: Organisation) -> QuerySet[LearningActivity]:
    """Published activities a municipality's people may use: its own, and those shared with a network
    it is an active member of."""
    shared = ActivityShare.objects.filter(
        activity=OuterRef("pk"),
        state=ShareState.SHARED,
        network_id__in=member_network_ids(organisation=organisation),
    )
    return LearningActivity.objects.filter(
        Q(organisation=organisation) | Exists(shared), status=ActivityStatus.PUBLISHED
    )


def visible_activities(*, actor: Actor) -> QuerySet[LearningActivity]:
    """The catalogue as the actor sees it. An owner's editors also see its drafts and archived ones."""
    organisation = actor.organisation
    own = Q(organisation=organisation)
    if organisation.kind == OrganisationKind.MUNICIPALITY:
        visible = activities_visible_to_organisation(organisation=organisation)
        if actor.has_role(Role.COMPETENCE_ADMIN):
            visible = visible | LearningActivity.objects.filter(own)
        return visible.distinct()
    if organisation.kind == OrganisationKind.NETWORK_OPERATOR and actor.has_role(Role.NETWORK_COORDINATOR):
        networks = [n.pk for n in coordinated_networks(actor=actor)]
        shared = ActivityShare.objects.filter(activity=OuterRef("pk"), network_id__in=networks)
        return LearningActivity.objects.filter(own | (Exists(shared) & ~Q(status=ActivityStatus.DRAFT)))
    if actor.has_role(Role.EDUCATION_PROVIDER):
        return LearningActivity.objects.filter(own)
    return LearningActivity.objects.none()


def get_activity_for_user(*, actor: Actor, activity_id: int) -> LearningActivity:
    activity = visible_activities(actor=actor).filter(pk=activity_id).select_related("organisation").first()
    if activity is None:
        raise Http404
    return activity


def may_edit_catalogue(actor: Actor) -> bool:
    kind = actor.organisation.kind
    return (
        (kind == OrganisationKind.MUNICIPALITY and actor.has_role(Role.COMPETENCE_ADMIN))
        or (kind == OrganisationKind.EDUCATION_PROVIDER and actor.has_role(Role.EDUCATION_PROVIDER))
        or (kind == OrganisationKind.NETWORK_OPERATOR and actor.has_role(Role.NETWORK_COORDINATOR))
    )


def get_activity_for_editor(*, actor: Actor, activity_id: int) -> LearningActivity:
    """An activity the actor's organisation owns, for its catalogue editors; 404 otherwise."""
    if not may_edit_catalogue(actor):
        raise Http404
    activity = LearningActivity.objects.filter(organisation=actor.organisation, pk=activity_id).first()
    if activity is None:
        raise Http404
    return activity


# --- Plans ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanAccess:
    """The actor's relation to a plan and what it lets them do now."""

    plan: DevelopmentPlan
    is_owner: bool  # the plan is the actor's own
    is_leader: bool  # the actor leads the person now

    @property
    def can_edit(self) -> bool:
        """Goals and activities change while the plan is a draft (employee and leader) or under review
        (the leader, adjusting it in the conversation)."""
        if self.plan.status == PlanStatus.DRAFT:
            return True
        return self.plan.status == PlanStatus.REVIEW and self.is_leader

    @property
    def can_submit(self) -> bool:
        return self.is_owner and self.plan.status == PlanStatus.DRAFT

    @property
    def can_review(self) -> bool:
        return self.is_leader and self.plan.status == PlanStatus.REVIEW

    @property
    def can_reopen(self) -> bool:
        return self.plan.status in (PlanStatus.REVIEW, PlanStatus.APPROVED) and (
            self.is_owner or self.is_leader
        )

    @property
    def can_finish(self) -> bool:
        return self.plan.status == PlanStatus.APPROVED

    @property
    def can_record_progress(self) -> bool:
        return self.plan.status == PlanStatus.APPROVED

    @property
    def can_comment(self) -> bool:
        return self.plan.status != PlanStatus.DONE


def plan_access(*, actor: Actor, plan: DevelopmentPlan) -> PlanAccess | None:
    if plan.organisation_id != actor.organisation.pk:
        return None
    person = plan.person
    is_owner = person.user_id is not None and person.user_id == actor.user.pk
    is_leader = (
        not is_owner
        and actor.has_role(Role.LEADER)
        and org_selectors.leader_may_see(actor=actor, person_id=person.pk)
    )
    if not (is_owner or is_leader):
        return None
    return PlanAccess(plan=plan, is_owner=is_owner, is_leader=is_leader)


def get_plan_for_user(*, actor: Actor, plan_id: int) -> PlanAccess:
    plan = (
        DevelopmentPlan.objects.filter(organisation=actor.organisation, pk=plan_id)
        .select_related("person", "organisation")
        .first()
    )
    access = plan_access(actor=actor, plan=plan) if plan is not None else None
    if access is None:
        raise Http404
    return access


def get_goal_for_user(*, actor: Actor, goal_id: int) -> tuple[PlanAccess, PlanGoal]:
    goal = PlanGoal.objects.filter(organisation=actor.organisation, pk=goal_id).first()
    if goal is None:
        raise Http404
    return get_plan_for_user(actor=actor, plan_id=goal.plan_id), goal


def get_plan_activity_for_user(*, actor: Actor, item_id: int) -> tuple[PlanAccess, PlanActivity]:
    item = (
        PlanActivity.objects.filter(organisation=actor.organisation, pk=item_id)
        .select_related("goal", "activity")
        .first()
    )
    if item is None:
        raise Http404
    return get_plan_for_user(actor=actor, plan_id=item.goal.plan_id), item


def get_led_person(*, actor: Actor, person_id: int) -> Person:
    """A person the actor leads now (to start a plan with them); 404 otherwise."""
    if not actor.has_role(Role.LEADER):
        raise Http404
    person = org_selectors.people_led_by(actor=actor).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


# --- Team plans ------------------------------------------------------------------------------------------


def team_plan_units(*, actor: Actor) -> QuerySet[OrgUnit]:
    """Units the actor may make team plans for: a leader's own subtrees, HR the whole organisation."""
    if actor.has_role(Role.COMPETENCE_ADMIN):
        return OrgUnit.objects.filter(organisation=actor.organisation)
    if actor.has_role(Role.LEADER):
        return org_selectors.visible_units(actor=actor)
    return OrgUnit.objects.none()


def get_team_unit_for_user(*, actor: Actor, unit_id: int) -> OrgUnit:
    unit = team_plan_units(actor=actor).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def get_team_plan_for_user(*, actor: Actor, team_plan_id: int) -> TeamPlan:
    plan = (
        TeamPlan.objects.filter(organisation=actor.organisation, pk=team_plan_id)
        .select_related("unit")
        .first()
    )
    if plan is None or not team_plan_units(actor=actor).filter(pk=plan.unit_id).exists():
        raise Http404
    return plan


def get_team_item_for_user(*, actor: Actor, team_item_id: int) -> TeamPlanItem:
    item = TeamPlanItem.objects.filter(organisation=actor.organisation, pk=team_item_id).first()
    if item is None:
        raise Http404
    get_team_plan_for_user(actor=actor, team_plan_id=item.team_plan_id)
    return item


# --- Community sessions -------------------------------------------------------------------------------


def visible_sessions(*, actor: Actor) -> QuerySet[CommunitySession]:
    """A coordinator sees their networks' sessions; a municipality's people those of its networks."""
    networks = set(member_network_ids(organisation=actor.organisation))
    networks |= {n.pk for n in coordinated_networks(actor=actor)}
    return CommunitySession.objects.filter(network_id__in=networks)


def get_session_for_user(*, actor: Actor, session_id: int) -> CommunitySession:
    session = (
        visible_sessions(actor=actor).filter(pk=session_id).select_related("network", "activity").first()
    )
    if session is None:
        raise Http404
    return session


def get_session_for_coordinator(*, actor: Actor, session_id: int) -> CommunitySession:
    session = get_session_for_user(actor=actor, session_id=session_id)
    if session.network.coordinator_id != actor.organisation.pk or not actor.has_role(
        Role.NETWORK_COORDINATOR
    ):
        raise Http404
    return session
