"""Writes of team plans: a unit's shared development activities, with owners and dates (decision 0018).

A team plan holds no figures about people: it is built beside the unit's published gaps (which the page
reads fresh from analytics, so they follow the privacy rule as it applies today) and records what the
team does together.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.development.models import CommunitySession, LearningActivity, TeamPlan, TeamPlanItem
from fagdigital.development.selectors.access import activities_visible_to_organisation
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.tenancy.actor import Actor

TEXT_MAX = 4000


@transaction.atomic
def team_plan_create(*, actor: Actor, unit: OrgUnit, title: str, purpose: str = "") -> TeamPlan:
    if not title.strip():
        raise ValidationError(
            {"title": [_("Giv planen en overskrift, fx »Sikker brug af data i Team Nord 2026«.")]}
        )
    return TeamPlan.objects.create(
        organisation=actor.organisation,
        unit=unit,
        title=title.strip()[:200],
        purpose=purpose.strip()[:TEXT_MAX],
        created_by=actor.user,
    )


@transaction.atomic
def team_plan_close(*, team_plan: TeamPlan, closed: bool) -> TeamPlan:
    team_plan.closed_at = timezone.now() if closed else None
    team_plan.save(update_fields=["closed_at", "updated_at"])
    return team_plan


@transaction.atomic
def team_item_add(
    *,
    team_plan: TeamPlan,
    activity: LearningActivity | None,
    session: CommunitySession | None,
    own_title: str,
    competence_codes: list[str],
    owner: Person | None,
    due_on: dt.date,
    allowed_owners: set[int],
) -> TeamPlanItem:
    errors: dict[str, list[str]] = {}
    if team_plan.closed_at is not None:
        raise ValidationError(_("Planen er afsluttet. Genåbn den for at tilføje aktiviteter."))
    if activity is None and session is None and not own_title.strip():
        errors["own_title"] = [_("Vælg en aktivitet eller en session, eller skriv jeres egen aktivitet.")]
    if activity is not None:
        offered = activities_visible_to_organisation(organisation=team_plan.organisation)
        if not offered.filter(pk=activity.pk).exists():
            errors["activity"] = [_("Aktiviteten udbydes ikke i jeres kommune.")]
    if owner is not None and owner.pk not in allowed_owners:
        errors["owner"] = [_("Ansvarlig skal være en i enheden eller dig selv.")]
    if due_on < timezone.localdate():
        errors["due_on"] = [_("Datoen kan ikke ligge før i dag.")]
    if errors:
        raise ValidationError(errors)
    return TeamPlanItem.objects.create(
        organisation_id=team_plan.organisation_id,
        team_plan=team_plan,
        activity=activity,
        session=session,
        own_title=own_title.strip()[:200] if activity is None and session is None else "",
        competence_codes=sorted(set(competence_codes)),
        owner=owner,
        due_on=due_on,
    )


@transaction.atomic
def team_item_done(*, item: TeamPlanItem, done: bool) -> TeamPlanItem:
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at", "updated_at"])
    return item


@transaction.atomic
def team_item_remove(*, item: TeamPlanItem) -> None:
    item.delete()
