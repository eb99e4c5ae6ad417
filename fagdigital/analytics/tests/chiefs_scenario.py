"""A closed round with measured figures and chiefs' answers, for the chiefs' comparisons (tests and the
browser test): the team's SOSU assistants rate themselves, the chiefs answer the survey as a given kind of
chief, and closing the round publishes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import Campaign, Instrument, Visibility
from fagdigital.assessments.tests.conftest import Team
from fagdigital.conftest import actor_for
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import Person
from fagdigital.tenancy.models import Organisation
from fagdigital.testing.factories import UserFactory

ROLE = "sosu-assistent"
# Levels the team gives itself: every target in data security is met, in user competences only the
# level-1 targets (BK5 and BK9 of the six BK targets): DS 100 %, BK 33 %; the role has no DL targets.
LEVELS = {"DS": 4, "BK": 1}

Chief = tuple[str, Mapping[str, int | None]]  # (respondent type, statement code → value; None: "ved ikke")


def _self_assessment(campaign: Campaign, person: Person) -> None:
    if person.user_id is None:
        person.user = UserFactory()
        person.save(update_fields=["user"])
    assert person.user is not None
    competences = assessment_selectors.questionnaire_competences(campaign=campaign, role_profile_code=ROLE)
    response = assessment_services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=person.user, subject=person
    )
    levels = {c.pk: LEVELS[c.area.code] for c in competences}
    assessment_services.answers_save(response=response, levels=levels)
    assessment_services.response_submit(response=response)


def _answer_survey(
    campaign: Campaign, chiefs: Sequence[Chief], make_member: Callable[..., User], default: int | None
) -> None:
    items = list(campaign.survey_items.all())
    for respondent_type, values in chiefs:
        chief = make_member(campaign.organisation, "top_management")
        response = assessment_services.response_get_or_create(
            campaign=campaign, instrument=Instrument.CHIEFS, respondent=chief, subject=None
        )
        for item in items:
            assessment_services.survey_answer_save(
                response=response, item=item, value=values.get(item.code, default)
            )
        assessment_services.survey_respondent_type_set(response=response, respondent_type=respondent_type)
        assessment_services.response_submit(response=response)


def closed_round(
    team: Team,
    make_campaign: Callable[..., Campaign],
    make_member: Callable[..., User],
    chiefs: Sequence[Chief],
    *,
    default: int | None = 3,
) -> Campaign:
    """A round with self-assessments and the chiefs' survey over the team, answered and closed."""
    campaign = make_campaign(instruments=(Instrument.SELF, Instrument.CHIEFS))
    for person in [*team.members, team.outsider]:
        _self_assessment(campaign, person)
    _answer_survey(campaign, chiefs, make_member, default)
    return assessment_services.campaign_close(campaign=campaign)


def chiefs_only_round(
    organisation: Organisation, chiefs: Sequence[Chief], make_member: Callable[..., User]
) -> Campaign:
    """Another organisation's closed round with the chiefs' survey only (for the network's figures)."""
    framework = default_framework_install(organisation=organisation)
    admin = make_member(organisation, "competence_admin")
    today = timezone.localdate()
    campaign = assessment_services.campaign_create(
        actor=actor_for(admin, organisation),
        values=assessment_services.CampaignSettings(
            name="Ledelsesmåling",
            framework=framework,
            opens_on=today,
            closes_on=today + dt.timedelta(days=14),
            instruments=[Instrument.CHIEFS],
            visibility=Visibility.ANONYMOUS,
            units=[],
        ),
    )
    campaign = assessment_services.campaign_open(campaign=campaign)
    _answer_survey(campaign, chiefs, make_member, 3)
    return assessment_services.campaign_close(campaign=campaign)
