"""A leader's own units' response rates in a round, under the same rule as HR's (privacy package)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fagdigital.assessments import selectors
from fagdigital.assessments.selectors import admin as selectors_admin
from fagdigital.orgs.selectors import led_unit_paths
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role


@actor_required(Role.LEADER)
def unit_rates(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_leader_rate_round(actor=actor, campaign_id=campaign_id)
    table = selectors_admin.rate_table(campaign=campaign, within=led_unit_paths(actor=actor))
    return render(request, "assessments/leader/rates.html", {"campaign": campaign, "table": table})
