"""Reads of measurement rounds: access to a round, "Mine målinger", counts, whether answers are accepted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    Participant,
    Response,
    ResponseStatus,
)
from fagdigital.assessments.selectors.rates import covered_people
from fagdigital.assessments.services.base import closed_message
from fagdigital.orgs.models import Person
from fagdigital.orgs.selectors import led_unit_paths, person_for_actor
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from .leader import leader_team


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


def campaign_counts(*, campaign: Campaign) -> dict[str, int]:
    """Participants, and submissions per instrument. In an anonymous round the person instruments count
    the participants in publication blocks only (the same people the rates cover), so the totals minus
    the units' rates say nothing about people in no block; "covered" says how many those are."""
    participants = Participant.objects.filter(campaign=campaign).count()
    submitted = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
    covered = covered_people(campaign=campaign)
    by_instrument = dict(
        submitted.filter(instrument=Instrument.CHIEFS)
        .values_list("instrument")
        .annotate(n=Count("pk"))
        .values_list("instrument", "n")
    )
    person_rows = submitted.exclude(instrument=Instrument.CHIEFS)
    if covered is not None:
        person_rows = person_rows.filter(subject_id__in=covered)
    by_instrument.update(
        person_rows.values_list("instrument")
        .annotate(n=Count("subject", distinct=True))
        .values_list("instrument", "n")
    )
    return {
        "participants": participants,
        "covered": participants if covered is None else len(covered),
        **{str(k): v for k, v in by_instrument.items()},
    }


# --- Whether answers are accepted ----------------------------------------------------------------


def answer_refusal(*, campaign: Campaign, today: dt.date) -> str:
    """Why the campaign takes no answers today (empty when it does); the services' own wording."""
    if campaign.accepts_answers(today=today):
        return ""
    if today < campaign.opens_on:
        return _("Målingen åbner først %(date)s.") % {"date": date_format(campaign.opens_on, "DATE_FORMAT")}
    return closed_message()


def find_response(
    *, campaign: Campaign, instrument: str, respondent: User, subject: Person | None
) -> Response | None:
    """The respondent's response if there is one (pages that only look do not create it)."""
    return Response.objects.filter(
        campaign=campaign, instrument=instrument, respondent=respondent, subject=subject
    ).first()
