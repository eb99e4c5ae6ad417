"""Links from a person's page (orgs) to their competence profile (assessments), where the reader may
see it. Configured in settings.PERSON_PAGE_LINK_PROVIDERS: orgs cannot import assessments."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument, Visibility
from fagdigital.orgs.models import Person
from fagdigital.orgs.selectors import led_unit_paths
from fagdigital.tenancy.actor import Actor


def profile_links(*, actor: Actor, person: Person) -> list[tuple[str, str]]:
    """The person's own profile for themselves; for a leader, the latest development-dialogue round in
    which the profile page would show them the person (the same checks as that page)."""
    if person.user_id == actor.user.pk:
        return [(_("Min kompetenceprofil"), reverse("assessments:my_profile"))]
    if not led_unit_paths(actor=actor):
        return []
    campaigns = (
        Campaign.objects.filter(
            organisation=actor.organisation, participants__person=person, visibility=Visibility.DEVELOPMENT
        )
        .exclude(status=CampaignStatus.DRAFT)
        .order_by("-opens_on", "-pk")
    )
    for campaign in campaigns:
        if not campaign.uses(Instrument.LEADER):
            continue
        try:
            assessment_selectors.get_team_member_for_leader(
                actor=actor, campaign=campaign, person_id=person.pk
            )
        except Http404:
            continue
        if assessment_selectors.may_see_individual_results(actor=actor, campaign=campaign, person=person):
            url = reverse("assessments:team_member_profile", args=[campaign.pk, person.pk])
            return [(_("Kompetenceprofil fra %(round)s") % {"round": campaign.name}, url)]
    return []
