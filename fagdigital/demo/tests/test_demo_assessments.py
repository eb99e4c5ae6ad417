"""The demo's assessment rounds: a closed spring round with realistic results and an open round.

The demo is seeded once for the package (conftest.py); every test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from statistics import mean

import pytest
from django.db import connection
from django.db.models import Count, Min
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.analytics import selectors
from fagdigital.analytics.models import Rollup
from fagdigital.assessments import evidence_rule
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    CampaignStatus,
    CompetenceEstimate,
    Evidence,
    EvidenceSource,
    Instrument,
    Participant,
    Response,
    ResponseStatus,
    SurveyAnswer,
    TestQuestion,
    Visibility,
)
from fagdigital.assessments.selectors import leader_team
from fagdigital.demo.assessments import (
    ClosedRound,
    CompetenceInfo,
    ItemInfo,
    Member,
    Planner,
    RoundSpec,
    _insert,
    closed_round_create,
    estimates_and_rollups_rebuild,
    history_seed,
    rounds_for,
)
from fagdigital.demo.services import (
    DEMO_KOMMUNEKODE,
    NABO_KOMMUNEKODE,
    NETWORK_MUNICIPALITIES,
    demo_seed,
    login_email,
    municipality_generate,
)
from fagdigital.frameworks.models import Competence, Framework, FrameworkStatus, RoleTarget
from fagdigital.orgs.models import OrgUnit, Person, UnitLeader
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Membership, Organisation, Role

TODAY = timezone.localdate()


@pytest.fixture
def demo(seeded_demo: str, db: None) -> Organisation:
    """Demo Kommune, in the package's seeded demo (see conftest.py)."""
    return Organisation.objects.get(kommunekode=DEMO_KOMMUNEKODE)


def admin_actor(organisation: Organisation) -> Actor:
    """The demo's HR consultant in Demo Kommune; for other organisations any of their users as admin."""
    if organisation.kommunekode == DEMO_KOMMUNEKODE:
        user = User.objects.get(email=login_email("hr"))
    else:
        user = User.objects.filter(memberships__organisation=organisation).order_by("pk").first()
    assert user is not None
    return Actor(user=user, organisation=organisation, roles=frozenset({Role.COMPETENCE_ADMIN}))


def closed(organisation: Organisation) -> Campaign:
    return Campaign.objects.get(organisation=organisation, status=CampaignStatus.CLOSED)


def open_round(organisation: Organisation) -> Campaign:
    return Campaign.objects.get(organisation=organisation, status=CampaignStatus.OPEN)


def counts() -> dict[str, int]:
    models = (Campaign, Participant, Response, Answer, TestQuestion, SurveyAnswer, Evidence)
    found = {model.__name__: model.objects.count() for model in models}
    found["CompetenceEstimate"] = CompetenceEstimate.objects.count()
    found["User"] = User.objects.count()
    found["Membership"] = Membership.objects.count()
    return found


def estimate_gaps(campaign: Campaign, area: str) -> dict[str, list[int]]:
    """Estimate minus target per participant's unit path, for targeted competences of one area."""
    targets: dict[str, dict[int, int]] = defaultdict(dict)
    for code, competence_id, level in RoleTarget.objects.filter(
        role_profile__framework=campaign.framework, competence__area__code=area
    ).values_list("role_profile__code", "competence_id", "level"):
        targets[code][competence_id] = level
    participants = {
        p.person_id: p
        for p in Participant.objects.filter(campaign=campaign).only(
            "person_id", "unit_path", "role_profile_code"
        )
    }
    gaps: dict[str, list[int]] = defaultdict(list)
    for person_id, competence_id, level in CompetenceEstimate.objects.filter(
        organisation_id=campaign.organisation_id
    ).values_list("person_id", "competence_id", "level"):
        participant = participants.get(person_id)
        if participant is None:
            continue
        target = targets.get(participant.role_profile_code, {}).get(competence_id)
        if target is not None:
            gaps[participant.unit_path].append(level - target)
    return gaps


# --- idempotence -----------------------------------------------------------------------------------


def test_seeding_again_adds_nothing_and_is_cheap(demo: Organisation) -> None:
    before = counts()
    # Spring in the two demo and the seven network municipalities, the open round in Demo Kommune.
    assert before["Campaign"] == 2 + len(NETWORK_MUNICIPALITIES) + 1 == 10
    # Mostly reads: fingerprints, onboarding checks, the logins and a couple of reads per round; about
    # 20 per municipality (191 at the time of writing), and no row added.
    with override_settings(DEBUG=True), CaptureQueriesContext(connection) as queries:
        result = demo_seed()
    assert len(queries.captured_queries) <= 200
    assert counts() == before
    assert result.rounds is not None
    assert not any(campaign.created for campaign in result.rounds.campaigns)
    assert result.rounds.estimates == {}


def test_changed_people_replace_the_history(demo: Organisation) -> None:
    nabo = Organisation.objects.get(kommunekode=NABO_KOMMUNEKODE)
    old = closed(nabo)
    framework = Framework.objects.get(organisation=nabo, status=FrameworkStatus.PUBLISHED)
    seeded = history_seed(
        organisation=nabo, framework=framework, basis="other people", admin=None, today=TODAY
    )
    assert seeded.created
    new = closed(nabo)
    assert new.pk != old.pk
    assert not Response.objects.filter(campaign_id=old.pk).exists()
    assert not Evidence.objects.filter(campaign_id=old.pk).exists()
    again = history_seed(
        organisation=nabo, framework=framework, basis="other people", admin=None, today=TODAY
    )
    assert not again.created


# --- the closed round ------------------------------------------------------------------------------


def test_closed_round_is_last_spring_with_every_instrument(demo: Organisation) -> None:
    campaign = closed(demo)
    rounds = rounds_for(TODAY)
    assert campaign.name == rounds.history_name
    assert campaign.opens_on.month == 3
    assert campaign.closes_on.month == 4
    assert campaign.closes_on < TODAY
    assert set(campaign.instruments) == {"self", "leader", "test", "chiefs"}
    assert campaign.visibility == Visibility.DEVELOPMENT
    assert campaign.test_area_codes == ["DS"]
    assert not campaign.accepts_answers(today=TODAY)


def test_closed_round_has_results_for_most_participants(demo: Organisation) -> None:
    campaign = closed(demo)
    participants = set(Participant.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    assert len(participants) == Person.objects.filter(organisation=demo).count()
    submitted = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
    selves = set(submitted.filter(instrument=Instrument.SELF).values_list("subject_id", flat=True))
    assert 0.75 <= len(selves) / len(participants) <= 0.85
    tested = set(submitted.filter(instrument=Instrument.TEST).values_list("subject_id", flat=True))
    rated = set(submitted.filter(instrument=Instrument.LEADER).values_list("subject_id", flat=True))
    assert len(tested) / len(participants) > 0.6
    assert len(rated) / len(participants) > 0.4
    with_evidence = set(Evidence.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    with_estimates = set(
        CompetenceEstimate.objects.filter(organisation=demo).values_list("person_id", flat=True)
    )
    assert len(with_evidence & participants) / len(participants) > 0.8
    assert len(with_estimates & participants) / len(participants) > 0.8
    assert Response.objects.filter(campaign=campaign, status=ResponseStatus.DRAFT).exists()  # never submitted


def test_response_rates_vary_between_units(demo: Organisation) -> None:
    campaign = closed(demo)
    done = set(
        Response.objects.filter(
            campaign=campaign, instrument=Instrument.SELF, status=ResponseStatus.SUBMITTED
        ).values_list("subject_id", flat=True)
    )
    asked: dict[str, int] = defaultdict(int)
    answered: dict[str, int] = defaultdict(int)
    for path, person_id in Participant.objects.filter(campaign=campaign).values_list(
        "unit_path", "person_id"
    ):
        asked[path] += 1
        answered[path] += person_id in done
    rates = [answered[path] / asked[path] for path in asked if asked[path] >= 15]
    assert max(rates) - min(rates) > 0.2


def test_history_rows_keep_what_the_services_keep(demo: Organisation) -> None:
    campaign = closed(demo)
    duplicates = (
        Response.objects.filter(campaign=campaign)
        .exclude(subject__isnull=True)
        .values("instrument", "subject", "respondent")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    # Submitted assessments: one evidence row per answered competence, from the right source and day.
    for response in Response.objects.filter(
        campaign=campaign, status=ResponseStatus.SUBMITTED, instrument__in=["self", "leader"]
    )[:50]:
        answered = set(
            Answer.objects.filter(response=response, level__isnull=False).values_list(
                "competence_id", "level"
            )
        )
        evidence = Evidence.objects.filter(response=response)
        assert set(evidence.values_list("competence_id", "level")) == answered
        source = EvidenceSource.SELF if response.instrument == Instrument.SELF else EvidenceSource.LEADER
        assert response.submitted_at is not None
        day = timezone.localdate(response.submitted_at)
        assert all(
            e.source == source and e.observed_on == day and e.campaign_id == campaign.pk for e in evidence
        )
        assert campaign.opens_on <= day <= campaign.closes_on
    # Tests: scored like services.test_submit, with the score behind each level.
    for response in Response.objects.filter(
        campaign=campaign, status=ResponseStatus.SUBMITTED, instrument=Instrument.TEST
    )[:50]:
        questions = list(TestQuestion.objects.filter(response=response).select_related("item"))
        assert [q.position for q in questions] == list(range(1, len(questions) + 1))
        assert all(q.correct == (frozenset(q.selected) == q.item.correct_keys) for q in questions)
        assert all(set(q.option_order) == {str(o["key"]) for o in q.item.options} for q in questions)
        evidence = list(Evidence.objects.filter(response=response).select_related("competence"))
        assert {e.competence.code for e in evidence} == {q.item.competence_code for q in questions}
        for row in evidence:
            assert set(row.detail) == {"correct", "items", "cap"}
            assert row.detail["items"] == campaign.test_items_per_competence
            assert row.level == evidence_rule.knowledge_level_for(
                correct=row.detail["correct"], items=row.detail["items"], cap=row.detail["cap"]
            )
            assert row.source == EvidenceSource.TEST
    # Drafts are no evidence; unsubmitted tests are not scored.
    assert not Evidence.objects.filter(
        response__campaign=campaign, response__status=ResponseStatus.DRAFT
    ).exists()
    assert not TestQuestion.objects.filter(
        response__campaign=campaign, response__status=ResponseStatus.DRAFT, correct__isnull=False
    ).exists()


def test_home_care_is_weaker_in_data_security(demo: Organisation) -> None:
    campaign = closed(demo)
    home_care = OrgUnit.objects.get(organisation=demo, name="Hjemmeplejen")
    gaps = estimate_gaps(campaign, "DS")
    inside = [gap for path, values in gaps.items() if path.startswith(home_care.path) for gap in values]
    outside = [gap for path, values in gaps.items() if not path.startswith(home_care.path) for gap in values]
    assert mean(inside) < -0.2
    assert mean(inside) < mean(outside) - 0.2
    # Some teams are well below target, some at or above it.
    by_unit = [mean(values) for values in gaps.values() if len(values) >= 40]
    assert min(by_unit) < -0.4
    assert max(by_unit) > 0.2


def test_leaders_lag_their_staff_in_ai_tools_and_digital_collaboration(demo: Organisation) -> None:
    leaders = set(UnitLeader.objects.filter(organisation=demo).values_list("person_id", flat=True))
    levels: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for person_id, code, level in CompetenceEstimate.objects.filter(
        organisation=demo, competence__code__in=["BK7", "BK9"]
    ).values_list("person_id", "competence__code", "level"):
        levels[(code, person_id in leaders)].append(level)
    for code in ("BK7", "BK9"):
        assert mean(levels[(code, True)]) < mean(levels[(code, False)]), code


def test_some_self_assessments_are_two_levels_above_the_test(demo: Organisation) -> None:
    campaign = closed(demo)
    own = {
        (person, competence): level
        for person, competence, level in Evidence.objects.filter(
            campaign=campaign, source=EvidenceSource.SELF
        ).values_list("person_id", "competence_id", "level")
    }
    above = [
        (person, competence)
        for person, competence, level in Evidence.objects.filter(
            campaign=campaign, source=EvidenceSource.TEST
        ).values_list("person_id", "competence_id", "level")
        if own.get((person, competence), 0) - level >= 2
    ]
    assert len({person for person, _competence in above}) > 50
    assert CompetenceEstimate.objects.filter(organisation=demo, calibration_flag=True).count() > 100


def test_small_teams_exist(demo: Organisation) -> None:
    campaign = closed(demo)
    paths = list(Participant.objects.filter(campaign=campaign).values_list("unit_path", flat=True))
    small = [
        unit.name
        for unit in OrgUnit.objects.filter(organisation=demo)
        if 0 < sum(path.startswith(unit.path) for path in paths) < 5
    ]
    assert len(small) >= 2


def test_chiefs_mostly_answer_to_some_or_a_small_degree(demo: Organisation) -> None:
    campaign = closed(demo)
    director = User.objects.get(email=login_email("direktion"))
    chiefs = Response.objects.filter(campaign=campaign, instrument=Instrument.CHIEFS)
    assert chiefs.filter(respondent=director, status=ResponseStatus.SUBMITTED).exists()
    assert chiefs.filter(status=ResponseStatus.SUBMITTED).count() >= 5
    headline = list(
        SurveyAnswer.objects.filter(
            response__campaign=campaign,
            response__status=ResponseStatus.SUBMITTED,
            item__code__in=["medarbejdere-kompetencer", "ledere-kompetencer"],
            value__isnull=False,
        ).values_list("value", flat=True)
    )
    assert sum(value in (2, 3) for value in headline) / len(headline) >= 0.6
    assert sum((value or 0) >= 4 for value in headline) / len(headline) < 0.3
    # Generated chiefs can answer it: they have the top-management role.
    for response in chiefs.select_related("respondent"):
        roles = Membership.objects.get(user=response.respondent, organisation=demo).roles
        assert "top_management" in roles


def test_the_demo_logins_answered_last_spring(demo: Organisation) -> None:
    campaign = closed(demo)
    employee = Person.objects.get(organisation=demo, user__email=login_email("medarbejder"))
    done = set(
        Response.objects.filter(
            campaign=campaign, subject=employee, status=ResponseStatus.SUBMITTED
        ).values_list("instrument", flat=True)
    )
    assert {"self", "test"} <= done
    leader = User.objects.get(email=login_email("leder"))
    assert Response.objects.filter(
        campaign=campaign, respondent=leader, instrument=Instrument.LEADER
    ).exists()


def test_nabo_has_a_closed_round_with_results(demo: Organisation) -> None:
    nabo = Organisation.objects.get(kommunekode=NABO_KOMMUNEKODE)
    campaign = closed(nabo)
    assert Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED).count() > 50
    assert CompetenceEstimate.objects.filter(organisation=nabo).exists()
    assert not Evidence.objects.filter(campaign=campaign).exclude(organisation=nabo).exists()
    respondents = Response.objects.filter(campaign=campaign).values("respondent")
    assert not Membership.objects.filter(user__in=respondents).exclude(organisation=nabo).exists()


# --- what the dashboards show ----------------------------------------------------------------------


def _figures_are_blocks_of_k(view: selectors.Heatmap) -> None:
    """Every figure covers at least k people, and the rows below the total add up to it."""
    for row in view.rows:
        for cell in row.cells:
            assert cell.people is None or cell.people >= view.k, (row.label, cell.competence.code)
    if view.filters.rows == "units":
        for index, whole in enumerate(view.rows[0].cells):
            parts = [row.cells[index] for row in view.rows[1:]]
            assert (whole.people or 0) == sum(c.people or 0 for c in parts), whole.competence.code
            assert (whole.at_target or 0) == sum(c.at_target or 0 for c in parts), whole.competence.code


def test_small_teams_are_counted_in_a_larger_group_higher_up(demo: Organisation) -> None:
    administration = OrgUnit.objects.get(organisation=demo, name="Administration")
    view = selectors.heatmap(
        actor=admin_actor(demo), unit=administration, filters=selectors.Filters(campaign=closed(demo))
    )
    rows = {row.label: row for row in view.rows}
    for name, people in (("Informationssikkerhed", 3), ("Kommunikation", 4)):
        row = rows[name]
        assert all(cell.people is None for cell in row.cells), name
        assert any(cell.missing == selectors.Missing.GROUPED for cell in row.cells), name
        assert (row.coverage.covered, row.coverage.participants) == (0, people)
    # They are counted with the others passed up from Administration's units, in a row of their own.
    across = rows["Samlet på tværs af underenhederne"]
    assert across.coverage.covered == across.coverage.participants >= 7
    assert any(cell.people for cell in across.cells)
    total = view.rows[0]
    assert total.coverage.participants == sum(
        row.coverage.participants for row in view.rows[1:] if row is not across
    )
    assert total.coverage.covered == sum(row.coverage.covered for row in view.rows[1:])
    _figures_are_blocks_of_k(view)


def test_every_published_row_is_a_whole_block_of_at_least_k(demo: Organisation) -> None:
    for organisation in Organisation.objects.filter(pk__in=Rollup.objects.values("organisation")):
        assert Rollup.objects.filter(organisation=organisation).aggregate(least=Min("people"))["least"] >= 5
    # Nothing is published for the round still open.
    assert not Rollup.objects.filter(campaign=open_round(demo)).exists()


def test_the_municipalitys_figures_cover_nearly_everyone(demo: Organisation) -> None:
    """Decision 0010's costs: whole-organisation figures cover 99.6 % of Demo Kommune's participants,
    and each level of the tree covers most of its units' participants."""
    actor = admin_actor(demo)
    filters = selectors.Filters(campaign=closed(demo))
    view = selectors.heatmap(actor=actor, unit=None, filters=filters)
    total = view.rows[0].coverage
    assert total.participants == Participant.objects.filter(campaign=closed(demo)).count()
    assert total.covered / total.participants > 0.99
    areas = [row for row in view.rows[1:] if row.unit is not None and row.coverage.participants]
    assert sum(r.coverage.covered for r in areas) / sum(r.coverage.participants for r in areas) > 0.95
    _figures_are_blocks_of_k(view)


def test_dashboards_show_leaders_behind_their_staff(demo: Organisation) -> None:
    view = selectors.heatmap(
        actor=admin_actor(demo), unit=None, filters=selectors.Filters(campaign=closed(demo), rows="roles")
    )
    column = {cell.competence.code: index for index, cell in enumerate(view.rows[0].cells)}
    leaders = next(row for row in view.rows if row.key == "leder")
    assert leaders.coverage.covered == leaders.coverage.participants > 100
    staff = [row for row in view.rows[1:] if row.key not in {"leder", "fagchef", "direktion", "-"}]
    assert len(staff) >= 5
    # AI tools, digital collaboration and MFA: the first-line leaders are behind every staff group.
    for code in ("BK7", "BK9", "DS8"):
        share = leaders.cells[column[code]].share
        assert share is not None, code
        others = [row.cells[column[code]].share for row in staff]
        assert all(share < other for other in others if other is not None), code
    _figures_are_blocks_of_k(view)


def test_dashboards_show_security_gaps_in_home_care(demo: Organisation) -> None:
    social = OrgUnit.objects.get(organisation=demo, name="Social og Sundhed")
    view = selectors.heatmap(
        actor=admin_actor(demo),
        unit=social,
        filters=selectors.Filters(campaign=closed(demo), area_code="DS"),
    )
    rows = {row.label: row for row in view.rows}
    home_care = [cell.share for cell in rows["Hjemmeplejen"].cells if cell.share is not None]
    others = [
        cell.share
        for row in view.rows[1:]
        if row.label != "Hjemmeplejen"
        for cell in row.cells
        if cell.share is not None
    ]
    assert len(home_care) >= 6
    assert mean(home_care) < mean(others) - 10
    assert any(cell.band == "low" for cell in rows["Hjemmeplejen"].cells)


# --- a closed round for any organisation (the analytics benchmark) ---------------------------------


def test_closed_rounds_for_any_organisation(db: None) -> None:
    org = municipality_generate(employees=300, seed=5, kommunekode="0996", name="Prøve Kommune").organisation
    framework = Framework.objects.get(organisation=org, status=FrameworkStatus.PUBLISHED)
    first = ClosedRound(name="Runde 1", opens_on=dt.date(2025, 3, 3), closes_on=dt.date(2025, 4, 4))
    second = ClosedRound(
        name="Runde 2",
        opens_on=dt.date(2026, 3, 2),
        closes_on=dt.date(2026, 4, 3),
        growth={"DS": 1.0},
    )
    written = [
        closed_round_create(organisation=org, framework=framework, round_=round_, on=TODAY)
        for round_ in (first, second)
    ]
    assert all(seeded.created and seeded.written for seeded in written)
    campaigns = list(Campaign.objects.filter(organisation=org).order_by("opens_on"))
    assert [(c.name, c.status, c.opens_on, c.closes_on) for c in campaigns] == [
        ("Runde 1", CampaignStatus.CLOSED, first.opens_on, first.closes_on),
        ("Runde 2", CampaignStatus.CLOSED, second.opens_on, second.closes_on),
    ]
    for campaign in campaigns:
        assert Participant.objects.filter(campaign=campaign).count() == 300
        days = set(Evidence.objects.filter(campaign=campaign).values_list("observed_on", flat=True))
        assert days and all(campaign.opens_on <= day <= campaign.closes_on for day in days)
    security = [
        mean(
            Evidence.objects.filter(
                campaign=campaign, source=EvidenceSource.TEST, competence__area__code="DS"
            ).values_list("level", flat=True)
        )
        for campaign in campaigns
    ]
    assert security[1] > security[0] + 0.3  # the growth shows
    estimates = estimates_and_rollups_rebuild(organisations=[org], today=TODAY)
    assert estimates[org.name] > 0
    for campaign in campaigns:
        view = selectors.heatmap(
            actor=admin_actor(org), unit=None, filters=selectors.Filters(campaign=campaign)
        )
        assert any(cell.people for cell in view.rows[0].cells)


def test_bulk_rows_keep_awkward_text(demo: Organisation) -> None:
    """Written by hand in COPY's text format on PostgreSQL: tabs, newlines and backslashes survive."""
    campaign = closed(demo)
    # A self-assessment left as a draft half-way, so some competence has no answer yet.
    response = Response.objects.filter(
        campaign=campaign, instrument=Instrument.SELF, status=ResponseStatus.DRAFT
    ).first()
    assert response is not None
    answered = Answer.objects.filter(response=response).values("competence")
    competence = Competence.objects.filter(framework=campaign.framework).exclude(pk__in=answered).first()
    assert competence is not None
    text = "Tab\there, a new\nline, a back\\slash \\N and æøå"
    inserted = _insert(
        Answer,
        ("organisation_id", "response_id", "competence_id", "level", "comment"),
        [(demo.pk, response.pk, competence.pk, None, text)],
    )
    assert inserted == 1
    answer = Answer.objects.get(response=response, competence=competence)
    assert (answer.comment, answer.level) == (text, None)


# --- the open round --------------------------------------------------------------------------------


def test_open_round_waits_for_the_demo_employee(demo: Organisation) -> None:
    campaign = open_round(demo)
    assert campaign.accepts_answers(today=TODAY)
    assert campaign.opens_on < TODAY < campaign.closes_on
    assert (campaign.closes_on - TODAY).days == 21
    assert set(campaign.instruments) == {"self", "leader", "test"}
    employee = Person.objects.get(organisation=demo, user__email=login_email("medarbejder"))
    participant = Participant.objects.get(campaign=campaign, person=employee)
    assert not Response.objects.filter(campaign=campaign, subject=employee).exists()
    # Only the demo employee is left for the invitation task, so the outbox shows one e-mail.
    assert participant.invited_at is None
    assert list(Participant.objects.filter(campaign=campaign, invited_at__isnull=True)) == [participant]


def test_open_round_is_under_way(demo: Organisation) -> None:
    campaign = open_round(demo)
    participants = Participant.objects.filter(campaign=campaign).count()
    assert participants == Person.objects.filter(organisation=demo).count()
    submitted = Response.objects.filter(
        campaign=campaign, instrument=Instrument.SELF, status=ResponseStatus.SUBMITTED
    )
    assert 0.2 < submitted.count() / participants < 0.5
    assert all(
        campaign.opens_on <= timezone.localdate(at) < TODAY
        for at in submitted.values_list("submitted_at", flat=True)
    )


def test_demo_leader_has_a_team_in_the_open_round(demo: Organisation) -> None:
    user = User.objects.get(email=login_email("leder"))
    actor = Actor(user=user, organisation=demo, roles=frozenset(Membership.objects.get(user=user).roles))
    campaign = open_round(demo)
    team = leader_team(actor=actor, campaign=campaign)
    assert len(team) > 50
    assert "Team Nord 1" in {participant.unit.name for participant in team}
    assert not Response.objects.filter(campaign=campaign, respondent=user).exists()


# --- the model, without the database ---------------------------------------------------------------


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 1, 5),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 1),
        dt.date(2026, 6, 15),
        dt.date(2026, 11, 27),
    ],
)
def test_rounds_fit_any_day(today: dt.date) -> None:
    rounds = rounds_for(today)
    assert rounds.history_name != rounds.open_name
    assert rounds.history_opens.weekday() == 0
    assert rounds.history_opens.month == 3
    assert rounds.history_closes.month == 4
    assert rounds.history_closes < today
    assert (today - rounds.history_opens).days <= 430  # well inside the estimates' validity period
    assert rounds.open_opens < today < rounds.open_closes


def test_rounds_for_this_autumn() -> None:
    rounds = rounds_for(dt.date(2026, 11, 27))
    assert rounds.history_name == "Digital faglighed 2026 – forår"  # noqa: RUF001 -- Danish title dash
    assert rounds.open_name == "Digital faglighed 2026 – efterår"  # noqa: RUF001
    assert (rounds.open_opens, rounds.open_closes) == (dt.date(2026, 11, 24), dt.date(2026, 12, 18))


def _planner(seed: str = "x") -> Planner:
    spec = RoundSpec(
        seed=seed,
        opens_on=dt.date(2026, 3, 9),
        closes_on=dt.date(2026, 4, 10),
        last_day=dt.date(2026, 4, 10),
        self_rate=0.8,
        test_items=3,
        uses_chiefs=False,
    )
    competences = [CompetenceInfo(1, "DS1", "DS"), CompetenceInfo(2, "BK1", "BK")]
    items = [
        ItemInfo(10 + n, "DS1", difficulty, "single", ("a", "b", "c", "d"), frozenset({"a"}))
        for n, difficulty in enumerate((1, 1, 2, 2, 3, 3))
    ]
    return Planner(
        spec=spec,
        organisation_key="0000",
        competences=competences,
        targets={"sosu": {1: 2, 2: 2}},
        items=items,
    )


def _members(count: int) -> list[Member]:
    return [
        Member(
            person_id=n,
            employee_number=str(1000 + n),
            unit_path="00010001",
            role_profile_code="sosu",
            leads=n == 0,
            rater_id=None if n == 0 else 0,
            unit_names=frozenset({"Hjemmeplejen"} if n % 2 else {"Borgerservice"}),
        )
        for n in range(count)
    ]


def test_planner_is_deterministic() -> None:
    one = _planner().plan(_members(40), chiefs=[], survey_items=[])
    two = _planner().plan(_members(40), chiefs=[], survey_items=[])
    assert [(p.instrument, p.subject_id, p.answers, p.at) for p in one] == [
        (p.instrument, p.subject_id, p.answers, p.at) for p in two
    ]


def test_planner_draws_tests_across_difficulties() -> None:
    planned = _planner().plan(_members(40), chiefs=[], survey_items=[])
    tests = [p for p in planned if p.instrument == Instrument.TEST and p.submitted]
    assert tests
    for plan in tests:
        assert sorted(q.item.difficulty for q in plan.questions) == [1, 2, 3]
        assert all(q.correct == (frozenset(q.selected) == q.item.correct) for q in plan.questions)


def test_test_levels_follow_the_true_level() -> None:
    planner = _planner()
    weak = Member(1, "1", "0001", "sosu", False, None, frozenset())
    strong = Member(2, "2", "0001", "sosu", False, None, frozenset())
    planner.person(weak).ability = -1.2
    planner.person(strong).ability = 1.2
    scores: dict[int, list[int]] = {1: [], 2: []}
    for member in (weak, strong):
        for _ in range(200):
            questions = planner.test_questions(member, finished=True)
            score = sum(q.item.difficulty for q in questions if q.correct) / sum(
                q.item.difficulty for q in questions
            )
            scores[member.person_id].append(assessment_services.test_level(score))
    assert mean(scores[1]) < 2 < mean(scores[2])
