"""Reads of the leader assessment: the team a leader rates and the state of each rating."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404

from fagdigital.assessments.models import Answer, Campaign, Instrument, Participant, Response, Visibility
from fagdigital.frameworks.models import RoleProfile
from fagdigital.orgs.models import Person
from fagdigital.orgs.selectors import leader_may_see, people_led_by
from fagdigital.tenancy.actor import Actor

# --- Leader assessment ---------------------------------------------------------------------------


def leader_team(*, actor: Actor, campaign: Campaign) -> list[Participant]:
    """The round's participants the actor leads now (`orgs.selectors.people_led_by`), never the actor.

    Where a person was when the round opened does not matter: a leader rates the people in their
    current subtree, and stops seeing a person the day the person moves away.
    """
    if not campaign.uses(Instrument.LEADER):
        return []
    team = Participant.objects.filter(
        campaign=campaign, person__in=people_led_by(actor=actor).values("pk")
    ).select_related("person", "unit")
    return list(team.order_by("person__name", "pk"))


def get_team_member_for_leader(*, actor: Actor, campaign: Campaign, person_id: int) -> Participant:
    """A participant the actor leads now and may rate; 404 for anyone else (and for the actor)."""
    participant = (
        Participant.objects.filter(campaign=campaign, person_id=person_id)
        .select_related("person", "unit")
        .first()
    )
    if (
        participant is None
        or not campaign.uses(Instrument.LEADER)
        or not leader_may_see(actor=actor, person_id=participant.person_id)
    ):
        raise Http404
    return participant


def leader_response_states(*, actor: Actor, campaign: Campaign) -> dict[int, Response]:
    return {
        r.subject_id: r
        for r in Response.objects.filter(
            campaign=campaign, instrument=Instrument.LEADER, respondent=actor.user
        )
        if r.subject_id is not None
    }


def may_see_individual_results(*, actor: Actor, campaign: Campaign, person: Person) -> bool:
    """The person always; a leader only in a development-dialogue round and only while they lead the
    person now (DESIGN.md §2, docs/decisions/0012)."""
    if person.user_id == actor.user.pk:
        return True
    if campaign.visibility != Visibility.DEVELOPMENT:
        return False
    if not Participant.objects.filter(campaign=campaign, person=person).exists():
        return False
    return leader_may_see(actor=actor, person_id=person.pk)


# --- Leader assessment ---------------------------------------------------------------------------

TEAM_STATUSES = ("not_started", "draft", "submitted", "changed")


def leader_status(response: Response | None) -> str:
    """A rating opened but never saved counts as not started: opening the page creates the row."""
    if response is None or (response.saved_at is None and not response.is_submitted):
        return "not_started"
    if response.is_submitted:
        return "changed" if response.changed_since_submit else "submitted"
    return "draft"


@dataclass(frozen=True)
class TeamRow:
    participant: Participant
    status: str


@dataclass(frozen=True)
class TeamOverview:
    rows: list[TeamRow]
    counts: dict[str, int]
    # The actor's rating of each person (by person id), for pages that read more of them.
    responses: dict[int, Response] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return self.counts.get("submitted", 0)


def team_overview(*, actor: Actor, campaign: Campaign) -> TeamOverview:
    """The people the actor may rate with the state of the actor's rating of each, in two queries."""
    team = leader_team(actor=actor, campaign=campaign)
    states = leader_response_states(actor=actor, campaign=campaign) if team else {}
    rows = [TeamRow(participant=p, status=leader_status(states.get(p.person_id))) for p in team]
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    return TeamOverview(rows=rows, counts=dict(counts), responses=states)


def team_filter(rows: list[TeamRow], *, query: str, status: str) -> list[TeamRow]:
    """Rows whose person's name contains every word of the query, optionally in one state."""
    words = query.casefold().split()
    return [
        row
        for row in rows
        if all(word in row.participant.person.name.casefold() for word in words)
        and (not status or row.status == status)
    ]


def team_profiles_visible(*, campaign: Campaign) -> bool:
    """Whether the leader may open team members' individual profiles from the team list.

    Everyone on the list is inside the leader's units, so `may_see_individual_results`
    comes down to the campaign's visibility mode; this saves one query per person on the list.
    """
    return campaign.visibility == Visibility.DEVELOPMENT


def has_answers(*, response: Response) -> bool:
    """Whether a self- or leader assessment has at least one answer (a level or "ved ikke")."""
    return response.pk is not None and Answer.objects.filter(response=response).exists()


def role_profile_name(*, campaign: Campaign, code: str) -> str:
    if not code:
        return ""
    profile = RoleProfile.objects.filter(framework_id=campaign.framework_id, code=code).first()
    return profile.t("name") if profile is not None else ""
