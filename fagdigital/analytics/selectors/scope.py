"""What the actor may look at: the units (a leader's own subtrees, or the whole organisation) and rounds."""

from __future__ import annotations

from django.http import Http404

from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument
from fagdigital.orgs.models import OrgUnit
from fagdigital.orgs.selectors import scope_for_actor
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

DASHBOARD_ROLES = (Role.LEADER, Role.COMPETENCE_ADMIN, Role.TOP_MANAGEMENT)


def dashboard_roots(*, actor: Actor) -> list[OrgUnit] | None:
    """None for the whole organisation (admins, top management); else the units a leader leads."""
    scope = scope_for_actor(actor=actor)
    if scope.whole_organisation:
        return None
    if not actor.has_role(Role.LEADER) or not scope.subtree_paths:
        raise Http404
    return list(
        OrgUnit.objects.filter(organisation=actor.organisation, path__in=scope.subtree_paths).order_by("path")
    )


def get_dashboard_unit_for_user(*, actor: Actor, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.filter(organisation=actor.organisation, pk=unit_id).first()
    if unit is None or not scope_for_actor(actor=actor).contains(unit):
        raise Http404
    return unit


def dashboard_campaigns(*, actor: Actor) -> list[Campaign]:
    """Rounds with published results: closed ones with person instruments, newest first.

    An open round publishes nothing (comparing its figures at two moments would show what the people
    who answered in between answered): its results appear when it closes.
    """
    campaigns = (
        Campaign.objects.filter(organisation=actor.organisation, status=CampaignStatus.CLOSED)
        .select_related("framework")
        .order_by("-closes_on", "-pk")
    )
    return [c for c in campaigns if set(c.instruments) - {Instrument.CHIEFS}]


def get_dashboard_campaign_for_user(*, actor: Actor, campaign_id: int) -> Campaign:
    campaign = next((c for c in dashboard_campaigns(actor=actor) if c.pk == campaign_id), None)
    if campaign is None:
        raise Http404
    return campaign
