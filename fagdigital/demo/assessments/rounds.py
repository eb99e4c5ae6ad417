"""The closed rounds (history), the open round, and seeding both for a municipality."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.analytics import services as analytics_services
from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    CompetenceEstimate,
    Evidence,
    Instrument,
    Participant,
    Response,
    ResponseStatus,
    SurveyAnswer,
    TestQuestion,
    Visibility,
)
from fagdigital.demo.models import SeedFingerprint
from fagdigital.frameworks.models import Framework
from fagdigital.orgs.models import Engagement, OrgUnit, Person
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Membership, Organisation

from .planner import (
    HISTORY_TEST_ITEMS,
    OPEN_TEST_ITEMS,
    REMINDER_DAYS,
    ROUNDS_SEED_VERSION,
    TEST_AREAS,
    Progress,
    RoundSpec,
    rounds_for,
)
from .writing import WrittenRound, _generate, _step_reporter

# --- the closed round -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeededCampaign:
    organisation: str
    name: str
    created: bool  # False when the campaign was there already and nothing was written
    written: WrittenRound | None = None


def _root_units(organisation: Organisation) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(organisation=organisation, parent__isnull=True).order_by("path"))


def _delete_campaign(campaign: Campaign) -> None:
    """Remove a generated campaign bottom-up (each step one DELETE, rather than the ORM's collector)."""
    CompetenceEstimate.objects.filter(evidence__campaign=campaign).delete()
    Evidence.objects.filter(campaign=campaign).delete()
    Answer.objects.filter(response__campaign=campaign).delete()
    TestQuestion.objects.filter(response__campaign=campaign).delete()
    SurveyAnswer.objects.filter(response__campaign=campaign).delete()
    Response.objects.filter(campaign=campaign).delete()
    campaign.delete()


@dataclass(frozen=True)
class Profile:
    """What sets one municipality's results apart from another's (for the network's benchmark)."""

    levels: Mapping[str, float] = field(default_factory=dict)  # per area or competence code
    self_rate: float = 0.80
    survey_shift: float = 0.0


@dataclass(frozen=True)
class ClosedRound:
    """A closed round with results, for any organisation: its name, window and the latent model's knobs.

    The same organisation, people and seed always give the same answers; two rounds with different
    seeds give the same people's traits (stable per person) with fresh noise, plus `growth`.
    """

    name: str
    opens_on: dt.date
    closes_on: dt.date
    seed: str = ""  # the model's seed; the name when empty
    self_rate: float = 0.80  # mean share who submit their self-assessment
    # Added to the true levels per area or competence code: what sets the organisation apart, and
    # growth since its previous round.
    growth: Mapping[str, float] = field(default_factory=dict)
    survey_shift: float = 0.0  # the chiefs' mood: > 0 more "i høj grad", < 0 fewer
    test_items: int = HISTORY_TEST_ITEMS

    def key(self) -> str:
        """What the generated rows depend on, for fingerprints."""
        growth = sorted(self.growth.items())
        return f"{self.name}|{self.opens_on}|{self.closes_on}|{self.seed}|{self.self_rate}|{growth}|" + (
            f"{self.survey_shift}|{self.test_items}"
        )


def closed_round_create(
    *,
    organisation: Organisation,
    framework: Framework,
    round_: ClosedRound,
    admin: User | None = None,
    forced: Iterable[int] = (),
    on: dt.date,
    progress: Progress | None = None,
) -> SeededCampaign:
    """Write a closed round over the whole organisation with every instrument and its results, in bulk.

    The participants are the staff employed `on` that day (also standing in for the staff of the round
    if it lies further back); `forced` people answer everything. The estimates and rollups are not
    rebuilt here: do that once per organisation after all its rounds (`estimates_and_rollups_rebuild`).
    """
    label = f"{organisation.name}: {round_.name}"
    report = _step_reporter(progress, label, 5)
    report(0)
    opened_at = timezone.make_aware(dt.datetime.combine(round_.opens_on, dt.time(8, 0)))
    closed_at = timezone.make_aware(
        dt.datetime.combine(round_.closes_on + dt.timedelta(days=1), dt.time(0, 5))
    )
    campaign = Campaign.objects.create(
        organisation=organisation,
        name=round_.name,
        framework=framework,
        status=CampaignStatus.CLOSED,
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        instruments=[Instrument.SELF, Instrument.LEADER, Instrument.TEST, Instrument.CHIEFS],
        visibility=Visibility.DEVELOPMENT,
        reminder_days=sorted(REMINDER_DAYS, reverse=True),
        test_area_codes=list(TEST_AREAS),
        test_items_per_competence=round_.test_items,
        created_by=admin,
        opened_at=opened_at,
        closed_at=closed_at,
    )
    CampaignUnit.objects.bulk_create(
        CampaignUnit(organisation=organisation, campaign=campaign, unit=unit, include_subtree=True)
        for unit in _root_units(organisation)
    )
    assessment_services.survey_items_install_default(campaign=campaign)
    assessment_services.item_bank_install(organisation=organisation, framework_key=framework.key)
    people = assessment_services.scope_people(campaign=campaign, on=on)
    Participant.objects.bulk_create(
        (
            Participant(
                organisation=organisation,
                campaign=campaign,
                person_id=person_id,
                unit_id=unit_id,
                unit_path=path,
                role_profile_code=code,
                invited_at=opened_at,
            )
            for person_id, unit_id, path, code in people
        ),
        batch_size=5000,
    )
    spec = RoundSpec(
        seed=round_.seed or round_.name,
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        last_day=round_.closes_on,
        self_rate=round_.self_rate,
        test_items=round_.test_items,
        uses_chiefs=True,
        growth=dict(round_.growth),
        survey_shift=round_.survey_shift,
        forced=frozenset(forced),
    )
    written = _generate(campaign=campaign, spec=spec, framework=framework, report=report)
    _mark_reminders(campaign)
    report(5)
    return SeededCampaign(organisation=organisation.name, name=campaign.name, created=True, written=written)


def estimates_and_rollups_rebuild(
    *, organisations: Sequence[Organisation], today: dt.date, progress: Progress | None = None
) -> dict[str, int]:
    """After bulk rounds: the estimates from all of each organisation's evidence, then the dashboards'
    rollups (the bulk rows bypassed the per-submission updates). Returns the estimates per organisation.

    The planner statistics are refreshed once for all of them (see `analyze`)."""
    if not organisations:
        return {}
    analyze(BULK_TABLES)
    estimates: dict[str, int] = {}
    for organisation in organisations:
        label = f"{organisation.name}: kompetenceestimater"
        if progress is not None:
            progress(label, 0, 1)
        estimates[organisation.name] = assessment_services.estimates_rebuild(
            organisation_id=organisation.pk, today=today
        )
        if progress is not None:
            progress(label, 1, 1)
    analyze([CompetenceEstimate._meta.db_table])
    for organisation in organisations:
        label = f"{organisation.name}: overblik (rollups)"
        if progress is not None:
            progress(label, 0, 1)
        analytics_services.rollups_rebuild(organisation_id=organisation.pk)
        if progress is not None:
            progress(label, 1, 1)
    return estimates


# What a round writes in bulk, and what the rebuilds join it with.
BULK_TABLES = tuple(
    model._meta.db_table
    for model in (Person, Engagement, OrgUnit, Participant, Response, Answer, TestQuestion, Evidence)
)


def analyze(tables: Iterable[str]) -> None:
    """Fresh planner statistics after a bulk load (autovacuum comes later on PostgreSQL, or in a test's
    transaction never; SQLite has none until asked). Without them the planners take the new rows for a
    handful and pick nested loops: the demo's rollup rebuild took minutes on PostgreSQL and 3 s instead
    of 0.7 s on SQLite."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(quote(table) for table in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")


def history_seed(
    *,
    organisation: Organisation,
    framework: Framework,
    basis: str,
    admin: User | None,
    forced: Iterable[int] = (),
    today: dt.date,
    profile: Profile | None = None,
    progress: Progress | None = None,
) -> SeededCampaign:
    """The closed spring round with results, written once per `basis` (the people's fingerprint).

    A second run with the same people finds the fingerprint and writes nothing; changed people (or a
    new seed version or profile) replace the round.
    """
    rounds = rounds_for(today)
    profile = profile or Profile()
    round_ = ClosedRound(
        name=rounds.history_name,
        opens_on=rounds.history_opens,
        closes_on=rounds.history_closes,
        self_rate=profile.self_rate,
        growth=profile.levels,
        survey_shift=profile.survey_shift,
    )
    key = f"rounds:{organisation.kommunekode or organisation.pk}"
    fingerprint = hashlib.sha256(
        f"{ROUNDS_SEED_VERSION}|{basis}|{round_.key()}|{framework.pk}".encode()
    ).hexdigest()
    existing = Campaign.objects.filter(organisation=organisation, name=rounds.history_name).first()
    stored = SeedFingerprint.objects.filter(key=key).values_list("fingerprint", flat=True).first()
    if existing is not None and stored == fingerprint:
        return SeededCampaign(organisation=organisation.name, name=rounds.history_name, created=False)
    if existing is not None:
        _delete_campaign(existing)
    seeded = closed_round_create(
        organisation=organisation,
        framework=framework,
        round_=round_,
        admin=admin,
        forced=forced,
        on=today,
        progress=progress,
    )
    SeedFingerprint.objects.update_or_create(key=key, defaults={"fingerprint": fingerprint})
    return seeded


def _mark_reminders(campaign: Campaign) -> None:
    """Record the reminders the closed round sent: to everyone without a submitted self-assessment on
    each reminder day."""
    submitted = dict(
        Response.objects.filter(
            campaign=campaign, instrument=Instrument.SELF, status=ResponseStatus.SUBMITTED
        ).values_list("subject_id", "submitted_at")
    )
    # Few distinct lists (nobody, the first reminder, both): one UPDATE per list and chunk of people.
    by_days: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for pk, person_id in Participant.objects.filter(campaign=campaign).values_list("pk", "person_id"):
        done_at = submitted.get(person_id)
        days = tuple(
            sorted(
                day
                for day in campaign.reminder_days
                if done_at is None
                or timezone.localdate(done_at) >= campaign.closes_on - dt.timedelta(days=day)
            )
        )
        if days:
            by_days[days].append(pk)
    for days, pks in by_days.items():
        for start in range(0, len(pks), 5000):
            Participant.objects.filter(pk__in=pks[start : start + 5000]).update(reminders_sent=list(days))


# --- the open round ---------------------------------------------------------------------------------


def open_round_seed(
    *,
    organisation: Organisation,
    framework: Framework,
    admin: User,
    invite_only: Person,
    untouched: Iterable[int] = (),
    today: dt.date,
    progress: Progress | None = None,
) -> SeededCampaign:
    """The round that opened a few days ago, created and opened through the services, once.

    Everybody counts as invited and reminded except `invite_only` (the demo employee), so opening it
    e-mails one person rather than the whole municipality. About a third have answered already; the people in
    `untouched` (the demo logins) have not, so they can try it. A later run that finds the round —
    open or closed by date — leaves it alone.
    """
    rounds = rounds_for(today)
    if Campaign.objects.filter(organisation=organisation, name=rounds.open_name).exists():
        return SeededCampaign(organisation=organisation.name, name=rounds.open_name, created=False)
    label = f"{organisation.name}: {rounds.open_name}"
    report = _step_reporter(progress, label, 5)
    report(0)
    roles = (
        Membership.objects.filter(user=admin, organisation=organisation)
        .values_list("roles", flat=True)
        .first()
    )
    actor = Actor(user=admin, organisation=organisation, roles=frozenset(roles or ()))
    values = assessment_services.CampaignSettings(
        name=rounds.open_name,
        framework=framework,
        opens_on=rounds.open_opens,
        closes_on=rounds.open_closes,
        instruments=[Instrument.SELF, Instrument.TEST, Instrument.LEADER],
        # Development dialogue: the leaders see their people's results for the MUS talks, which is what
        # the demo leader should be able to show; every respondent is told so before answering.
        visibility=Visibility.DEVELOPMENT,
        units=[(unit, True) for unit in _root_units(organisation)],
        reminder_days=REMINDER_DAYS,
        test_area_codes=TEST_AREAS,
        test_items_per_competence=OPEN_TEST_ITEMS,
    )
    campaign = assessment_services.campaign_create(actor=actor, values=values)
    campaign = assessment_services.campaign_open(campaign=campaign, today=today)
    opened_at = timezone.make_aware(dt.datetime.combine(rounds.open_opens, dt.time(8, 0)))
    Campaign.objects.filter(pk=campaign.pk).update(opened_at=opened_at)
    # Everyone else counts as invited and reminded (as if that had gone out by other means), so the
    # demo's outbox shows the demo employee's invitation and reminders, not 2,000 others.
    Participant.objects.filter(campaign=campaign).exclude(person=invite_only).update(
        invited_at=opened_at, reminders_sent=sorted(REMINDER_DAYS)
    )
    spec = RoundSpec(
        seed=rounds.open_name,
        opens_on=rounds.open_opens,
        closes_on=rounds.open_closes,
        last_day=today - dt.timedelta(days=1),
        self_rate=0.33,
        test_items=OPEN_TEST_ITEMS,
        uses_chiefs=False,
        growth={"DS": 0.15},  # the spring round was followed by security awareness work
        raters_taking_part=0.15,
        exempt=frozenset({invite_only.pk, *untouched}),
    )
    written = _generate(campaign=campaign, spec=spec, framework=framework, report=report)
    report(5)
    return SeededCampaign(organisation=organisation.name, name=campaign.name, created=True, written=written)


# --- both rounds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRequest:
    """A municipality that gets last spring's closed round."""

    organisation: Organisation
    framework: Framework
    basis: str  # the fingerprint of its people: new people, new history
    admin: User | None  # who created the campaigns
    forced: frozenset[int] = frozenset()  # people who answered everything (the demo logins)
    profile: Profile | None = None


@dataclass(frozen=True)
class OpenRequest:
    """The municipality that gets an open round, and its demo logins."""

    organisation: Organisation
    framework: Framework
    admin: User
    invite_only: Person
    untouched: frozenset[int]


@dataclass(frozen=True)
class RoundsResult:
    campaigns: tuple[SeededCampaign, ...]
    estimates: dict[str, int]  # per organisation whose estimates were rebuilt


def rounds_seed(
    *,
    history: Sequence[HistoryRequest],
    open_round: OpenRequest,
    today: dt.date,
    progress: Progress | None = None,
) -> RoundsResult:
    """Closed and open rounds, then the estimates of every organisation that got new evidence — once
    per organisation, as a rebuild reads all its evidence."""
    seeded = [
        history_seed(
            organisation=request.organisation,
            framework=request.framework,
            basis=request.basis,
            admin=request.admin,
            forced=request.forced,
            today=today,
            profile=request.profile,
            progress=progress,
        )
        for request in history
    ]
    seeded.append(
        open_round_seed(
            organisation=open_round.organisation,
            framework=open_round.framework,
            admin=open_round.admin,
            invite_only=open_round.invite_only,
            untouched=open_round.untouched,
            today=today,
            progress=progress,
        )
    )
    organisations = {request.organisation.name: request.organisation for request in history}
    organisations[open_round.organisation.name] = open_round.organisation
    changed = [
        organisation
        for name, organisation in organisations.items()
        if any(item.created and item.organisation == name for item in seeded)
    ]
    estimates = estimates_and_rollups_rebuild(organisations=changed, today=today, progress=progress)
    return RoundsResult(campaigns=tuple(seeded), estimates=estimates)
