"""Demo data for developing people (decision 0018): a catalogue (Demo Professionshøjskole's offers in
Demo-netværket, the network's own, Demo Kommune's), plans in every state in the demo leader's area,
completions (by the leader, the provider and xAPI), pooled ratings, sessions, a team plan, and xAPI
statements — one HR has to match.

Everything goes through the development app's services, like a real municipality's data. Seeded once:
a fingerprint of the people it builds on tells a second run there is nothing to do (one query).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.development import xapi
from fagdigital.development.formats.catalogue import ActivityRecord
from fagdigital.development.models import (
    ActivityAlias,
    ActorAlias,
    CatalogueImport,
    CommentKind,
    CommunitySession,
    Completion,
    CompletionSource,
    DevelopmentPlan,
    LearningActivity,
    PlanActivity,
    PlanComment,
    PlanGoal,
    ProviderNetwork,
    Rating,
    Statement,
    StatementCredential,
    TeamPlan,
)
from fagdigital.development.selectors.access import get_plan_for_user
from fagdigital.development.selectors.plans import reader_profile
from fagdigital.development.selectors.recommendations import person_recommendations
from fagdigital.development.services import catalogue, communities, completions, plans, statements, team_plans
from fagdigital.development.services.statements import secret_hash
from fagdigital.orgs.models import Engagement, OrgUnit, Person
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, Organisation, Role

from .models import SeedFingerprint

SEED_VERSION = "1"
FINGERPRINT_KEY = "development:demo"
# The demo provider's xAPI key (demo only, like the demo password): documented in the README.
DEMO_XAPI_KEY = "fd-demo-udbyder"
DEMO_XAPI_SECRET = "demo-xapi-udbyder"  # noqa: S105 -- a documented demo-only secret
NAMESPACE = uuid.UUID("6b0f7d0e-2c1a-4f8e-9d55-5e0f0a1c2b3d")


def _record(
    key: str, title: str, form: str, hours: str, levels: dict[str, int], **values: object
) -> ActivityRecord:
    return ActivityRecord(
        key=key,
        title_da=title,
        format=form,
        duration_hours=Decimal(hours),
        competences=tuple(sorted(levels.items())),
        **values,  # type: ignore[arg-type]
    )


PROVIDER_OFFERS = (
    _record(
        "phishing-og-mfa",
        "Phishing og MFA på 30 minutter",
        "micro_learning",
        "0.5",
        {"DS1": 2, "DS2": 2},
        title_en="Phishing and MFA in 30 minutes",
        description_da="Kort e-læring med øvelser i at genkende phishing og bruge totrinsbekræftelse.",
        delivery="online",
    ),
    _record(
        "persondata-i-hverdagen",
        "Persondata i hverdagen",
        "e_learning",
        "1.5",
        {"DS3": 2, "DS4": 2},
        title_en="Personal data in everyday work",
        description_da="Hvad er følsomme oplysninger, hvornår må du dele dem, og hvordan sender du dem "
        "sikkert.",
        delivery="online",
    ),
    _record(
        "superbruger-omsorgsjournal",
        "Superbrugerforløb: omsorgsjournalen",
        "superuser",
        "21",
        {"BK1": 4},
        title_en="Super-user track: the care record",
        cost_dkk=4500,
        place="Aarhus",
        description_da="Tre dage for kommende superbrugere: opsætning, arbejdsgange, datakvalitet og at lære "
        "kolleger op.",
    ),
    _record(
        "diplom-velfaerdsteknologi",
        "Diplommodul: Velfærdsteknologi og digitalisering i praksis",
        "diploma",
        "270",
        {"BK6": 3, "BK8": 3, "DL4": 3},
        ects=Decimal("10"),
        cost_dkk=11500,
        delivery="blended",
        place="Aarhus",
    ),
    _record(
        "ledelse-af-digital-forandring",
        "Ledelse af digital forandring",
        "workshop",
        "14",
        {"DL2": 3, "DL4": 3},
        cost_dkk=6000,
        place="Horsens",
    ),
    _record(
        "ai-vaerktoejer-ansvarligt",
        "Ansvarlig brug af AI-værktøjer",
        "course",
        "7",
        {"BK9": 2, "DS8": 2},
        cost_dkk=2800,
        delivery="online",
    ),
)
MUNICIPAL_OFFERS = (
    _record(
        "sidemandsoplaering-omsorgsjournal",
        "Sidemandsoplæring i omsorgsjournalen",
        "peer_learning",
        "4",
        {"BK1": 2},
        provider_name="Teamets superbruger",
    ),
    _record(
        "amu-velfaerdsteknologi",
        "AMU: Velfærdsteknologi i praksis",
        "amu",
        "37",
        {"BK6": 2},
        provider_name="Demo SOSU-skole",
        description_da="AMU-kursus med VEU-godtgørelse.",
    ),
    _record(
        "digital-post-sikkert",
        "Mikrolæring: Sikker forsendelse med Digital Post",
        "micro_learning",
        "0.3",
        {"DS4": 2},
        delivery="online",
    ),
)
NETWORK_OFFERS = (
    _record(
        "laeringsfaellesskab-ai-sagsbehandling",
        "Læringsfællesskab: AI i sagsbehandlingen",
        "workshop",
        "3",
        {"BK9": 2, "DL3": 3},
        delivery="online",
    ),
)
USED_FOR = (
    "Jeg stopper nu op ved links i mails fra ukendte afsendere.",
    "Fik slået totrinsbekræftelse til på min telefon.",
    "Genkendte en falsk mail om omsorgsjournalen dagen efter.",
    "Brugt på teammødet som fælles snak om sikkerhed.",
    "Gode eksempler fra hjemmeplejen.",
    "Kort og til at finde tid til midt i vagten.",
    "Nu ved jeg, hvad jeg skal gøre, hvis jeg har klikket.",
    "Delte øvelserne med de nye kolleger.",
    "Hjalp mig med at forklare borgere, hvorfor MitID skal holdes hemmeligt.",
    "Tjeklisten hænger nu på opslagstavlen.",
    "Bedre forstået, hvorfor vi bruger MFA.",
    "Fik øje på en phishing-sms og meldte den.",
)


@dataclass(frozen=True)
class DevelopmentSeedResult:
    seeded: bool
    activities: int = 0
    plans: int = 0
    completions: int = 0


def _fingerprint(organisations: Sequence[Organisation]) -> str:
    keys = [f"demo:{o.kommunekode or o.pk}" for o in organisations]
    stored = dict(SeedFingerprint.objects.filter(key__in=keys).values_list("key", "fingerprint"))
    digest = hashlib.sha256(SEED_VERSION.encode())
    for key in keys:
        digest.update(f"|{key}={stored.get(key, '')}".encode())
    return digest.hexdigest()


def development_seed(
    *,
    demo: Organisation,
    municipalities: Sequence[Organisation],
    provider: Organisation,
    operator: Organisation,
    network: Network,
    today: dt.date,
) -> DevelopmentSeedResult:
    """Seed (or, when the people changed, re-seed) the demo's development data."""
    fingerprint = _fingerprint(municipalities)
    stored = SeedFingerprint.objects.filter(key=FINGERPRINT_KEY).values_list("fingerprint", flat=True).first()
    if stored == fingerprint:
        return DevelopmentSeedResult(seeded=False)
    _wipe([*municipalities, provider, operator], network)
    hr = _actor(demo, "hr@demo.fagdigital.dk", Role.COMPETENCE_ADMIN)
    provider_actor = _actor(provider, "udbyder@demo.fagdigital.dk", Role.EDUCATION_PROVIDER)
    coordinator = _actor(operator, "netvaerk@demo.fagdigital.dk", Role.NETWORK_COORDINATOR)
    leader = _actor(demo, "leder@demo.fagdigital.dk", Role.LEADER)
    catalogue.provider_admit(actor=coordinator, network=network, provider=provider)
    offers = {
        r.key: catalogue.activity_save(actor=provider_actor, record=r, network_ids=[network.pk])
        for r in PROVIDER_OFFERS
    }
    offers.update(
        {
            r.key: catalogue.activity_save(actor=coordinator, record=r, network_ids=[network.pk])
            for r in NETWORK_OFFERS
        }
    )
    for r in MUNICIPAL_OFFERS:
        # Demo Kommune's own; the Digital Post micro-learning is proposed to the network (the
        # coordinator decides on it in the demo).
        proposed = [network.pk] if r.key == "digital-post-sikkert" else []
        offers[r.key] = catalogue.activity_save(actor=hr, record=r, network_ids=proposed)
    people = _home_care_people(demo, leader)
    made = _plans(demo, leader, people, offers, today)
    done = _completions_and_ratings(municipalities, offers, today)
    _sessions_and_team_plan(
        coordinator=coordinator, network=network, leader=leader, offers=offers, people=people, today=today
    )
    _statements(provider_actor, offers, demo, today)
    SeedFingerprint.objects.update_or_create(key=FINGERPRINT_KEY, defaults={"fingerprint": fingerprint})
    return DevelopmentSeedResult(
        seeded=True,
        activities=len(offers),
        plans=made,
        completions=done + Completion.objects.filter(organisation=demo, source=CompletionSource.LMS).count(),
    )


def _actor(organisation: Organisation, email: str, role: Role) -> Actor:
    user = User.objects.get(email=email)
    return Actor(user=user, organisation=organisation, roles=frozenset({str(role), str(Role.EMPLOYEE)}))


def _wipe(organisations: Sequence[Organisation], network: Network) -> None:
    """Remove what an earlier demo seeding wrote (completions withdrawn first, so estimates fall back)."""
    Statement.objects.filter(sender__in=organisations).delete()
    StatementCredential.objects.filter(organisation__in=organisations).delete()
    for completion in Completion.objects.filter(organisation__in=organisations, withdrawn_at__isnull=True):
        completions.completion_withdraw(completion=completion)
    Rating.objects.filter(organisation__in=organisations).delete()
    TeamPlan.objects.filter(organisation__in=organisations).delete()
    DevelopmentPlan.objects.filter(organisation__in=organisations).delete()
    Completion.objects.filter(organisation__in=organisations).delete()
    ActorAlias.objects.filter(organisation__in=organisations).delete()
    ActivityAlias.objects.filter(organisation__in=organisations).delete()
    CatalogueImport.objects.filter(organisation__in=organisations).delete()
    CommunitySession.objects.filter(network=network).delete()
    LearningActivity.objects.filter(organisation__in=organisations).delete()
    ProviderNetwork.objects.filter(network=network).delete()


def _home_care_people(demo: Organisation, leader: Actor) -> list[Person]:
    """People in the demo leader's area (not the demo logins), in a fixed order."""
    area = OrgUnit.objects.get(organisation=demo, name="Område Nord", parent__name="Hjemmeplejen")
    engaged = Engagement.objects.filter(
        active_engagements_q(), unit__path__startswith=area.path, person=OuterRef("pk")
    )
    return list(
        Person.objects.filter(Exists(engaged), organisation=demo, user__isnull=True)
        .exclude(led_units__isnull=False)
        .order_by("employee_number")[:12]
    )


def _plans(
    demo: Organisation,
    leader: Actor,
    people: list[Person],
    offers: dict[str, LearningActivity],
    today: dt.date,
) -> int:
    """Plans in every state, each built from the person's own top recommendation."""
    states = ["draft", "review", "approved", "approved", "approved", "reported", "done", "approved"]
    made = 0
    for index, (person, state) in enumerate(zip(people, states, strict=False)):
        owner = leader  # the leader starts the plan with the person in the development conversation
        plan = plans.plan_create(actor=owner, person=person, title=f"Udviklingsplan {today.year}")
        access = get_plan_for_user(actor=owner, plan_id=plan.pk)
        profile = reader_profile(person=person, for_leader=True, today=today)
        recommended = person_recommendations(profile=profile, limit=2) if profile is not None else []
        picks = [
            (rec.parts[0].gap.competence.code, rec.parts[0].gap.target, rec.activity) for rec in recommended
        ]
        if index in (2, 3, 4):  # the provider's super-user track: enrolments on the provider's page
            picks = [("BK1", 3, offers["superbruger-omsorgsjournal"]), *picks[:1]]
        if not picks:
            picks = [("DS3", 2, offers["persondata-i-hverdagen"])]
        for offset, (code, target, activity) in enumerate(picks):
            goal = PlanGoal.objects.filter(plan=plan, competence_code=code).first()
            if goal is None:
                goal = plans.goal_save(
                    access=access,
                    actor=owner,
                    goal=None,
                    competence_code=code,
                    target_level=target,
                    deadline=today + dt.timedelta(days=60 + 30 * offset + 7 * index),
                    note="Aftalt i udviklingssamtalen.",
                )
            if not goal.activities.filter(activity=activity).exists():
                plans.plan_activity_add(access=access, goal=goal, activity=activity, planned_on=goal.deadline)
        made += 1
        if state == "draft":
            continue
        # The employee's submission (the demo's people have no logins, so it is written as the
        # service would write it), then the leader's steps through the services.
        DevelopmentPlan.objects.filter(pk=plan.pk).update(status="review", submitted_at=timezone.now())
        PlanComment.objects.create(
            organisation=demo, plan=plan, author_name=person.name, kind=CommentKind.SUBMITTED
        )
        if state == "review":
            continue
        plan.refresh_from_db()
        plans.plan_approve(
            access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader, text="Godt plan."
        )
        first = PlanActivity.objects.filter(goal__plan=plan, activity__isnull=False).order_by("pk").first()
        if state == "reported" and first is not None:
            PlanActivity.objects.filter(pk=first.pk).update(
                status="reported", reported_on=today - dt.timedelta(days=3)
            )
        if state == "done" and first is not None and first.activity is not None:
            plans.plan_activity_done(
                access=get_plan_for_user(actor=leader, plan_id=plan.pk),
                actor=leader,
                item=first,
                completed_on=today - dt.timedelta(days=20),
            )
            plans.plan_finish(access=get_plan_for_user(actor=leader, plan_id=plan.pk), actor=leader)
    return made


def _completions_and_ratings(
    municipalities: Sequence[Organisation], offers: dict[str, LearningActivity], today: dt.date
) -> int:
    """The provider's phishing e-learning completed (and rated) in three municipalities: twelve ratings
    with text, so its page shows the average and what people used it for; five for data protection."""
    made = 0
    phishing, personal_data = offers["phishing-og-mfa"], offers["persondata-i-hverdagen"]
    takers: list[Person] = []
    for organisation, count in zip(municipalities[2:5], (5, 4, 3), strict=False):
        takers += list(
            Person.objects.filter(organisation=organisation).order_by("employee_number")[40 : 40 + count]
        )
    for index, person in enumerate(takers):
        completions.completion_record(
            person=person,
            activity=phishing,
            completed_on=today - dt.timedelta(days=10 + index),
            source=CompletionSource.PROVIDER,
            reported_by=phishing.organisation,
        )
        communities.rating_save(
            person=person, activity=phishing, stars=3 + index % 3, used_for=USED_FOR[index]
        )
        made += 1
    for index, person in enumerate(takers[:6]):
        completions.completion_record(
            person=person,
            activity=personal_data,
            completed_on=today - dt.timedelta(days=5 + index),
            source=CompletionSource.PROVIDER,
            reported_by=personal_data.organisation,
        )
        communities.rating_save(person=person, activity=personal_data, stars=4 + index % 2, used_for="")
        made += 1
    return made


def _sessions_and_team_plan(
    *,
    coordinator: Actor,
    network: Network,
    leader: Actor,
    offers: dict[str, LearningActivity],
    people: list[Person],
    today: dt.date,
) -> None:
    at = dt.time(13, 0)
    ai = communities.session_save(
        actor=coordinator,
        network=network,
        session=None,
        title="Erfaringsmøde: AI i sagsbehandlingen",
        description="Kommunerne fortæller, hvad de har lært af at bruge AI-værktøjer ansvarligt.",
        starts_at=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=21), at)),
        delivery="online",
        place="",
        activity=offers["laeringsfaellesskab-ai-sagsbehandling"],
        competence_codes=["BK9", "DL3"],
    )
    superusers = communities.session_save(
        actor=coordinator,
        network=network,
        session=None,
        title="Superbrugernetværket: omsorgsjournalen",
        description="Superbrugere fra netværkets kommuner deler arbejdsgange og gode råd.",
        starts_at=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=42), at)),
        delivery="on_site",
        place="Demo Professionshøjskole, Aarhus",
        activity=offers["superbruger-omsorgsjournal"],
        competence_codes=["BK1"],
    )
    for person in people[:3]:
        communities.session_signup(session=superusers, person=person, signed_up=True)
    area = OrgUnit.objects.get(
        organisation=leader.organisation, name="Område Nord", parent__name="Hjemmeplejen"
    )
    team_plan = team_plans.team_plan_create(
        actor=leader,
        unit=area,
        title=f"Sikker brug af data i Område Nord {today.year}",
        purpose="Områdets største gab er i data- og informationssikkerhed. Vi lærer sammen og holder det "
        "ved lige.",
    )
    owners = {p.pk for p in people}
    team_plans.team_item_add(
        team_plan=team_plan,
        activity=offers["persondata-i-hverdagen"],
        session=None,
        own_title="",
        competence_codes=["DS3", "DS4"],
        owner=people[0] if people else None,
        due_on=today + dt.timedelta(days=30),
        allowed_owners=owners,
    )
    team_plans.team_item_add(
        team_plan=team_plan,
        activity=None,
        session=None,
        own_title="Sikkerhedsrunden: fem minutter på hvert teammøde",
        competence_codes=["DS5", "DS6"],
        owner=people[1] if len(people) > 1 else None,
        due_on=today + dt.timedelta(days=7),
        allowed_owners=owners,
    )
    team_plans.team_item_add(
        team_plan=team_plan,
        activity=None,
        session=ai,
        own_title="",
        competence_codes=["BK9"],
        owner=None,
        due_on=(today + dt.timedelta(days=21)),
        allowed_owners=owners,
    )


def _statements(
    provider: Actor, offers: dict[str, LearningActivity], demo: Organisation, today: dt.date
) -> None:
    """The provider's LMS key (demo secret) and two statements: one completion of an approved plan's
    activity, and one about a substitute nobody knows yet, for Demo Kommune's HR to match."""
    credential = StatementCredential.objects.create(
        organisation=provider.organisation,
        label="Demo Professionshøjskoles Moodle",
        key_id=DEMO_XAPI_KEY,
        secret_hash=secret_hash(DEMO_XAPI_SECRET),
        created_by=provider.user,
    )
    approved = [
        item
        for item in PlanActivity.objects.filter(
            goal__plan__organisation=demo,
            goal__plan__status="approved",
            activity__organisation=provider.organisation,
            status="planned",
        ).select_related("goal__plan__person__user", "activity")
        if item.activity is not None and item.activity.key != "superbruger-omsorgsjournal"
    ]
    sent: list[dict[str, object]] = []
    stamp = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=2), dt.time(9, 30)))
    if approved:
        item = approved[0]
        person = item.goal.plan.person
        email = person.user.email if person.user else person.email
        if email and item.activity is not None:
            sent.append(
                {
                    "id": str(uuid.uuid5(NAMESPACE, f"completion:{person.pk}")),
                    "actor": {"objectType": "Agent", "name": person.name, "mbox": f"mailto:{email}"},
                    "verb": {"id": xapi.COMPLETED, "display": {"en-US": "completed"}},
                    "object": {"objectType": "Activity", "id": item.activity.xapi_id},
                    "timestamp": stamp.isoformat(),
                }
            )
    sent.append(
        {
            "id": str(uuid.uuid5(NAMESPACE, "substitute")),
            "actor": {
                "objectType": "Agent",
                "name": "Vikar Hansen",
                "mbox": "mailto:vikar.hansen@vikarbureau.example",
            },
            "verb": {"id": xapi.PASSED, "display": {"en-US": "passed"}},
            "object": {"objectType": "Activity", "id": offers["phishing-og-mfa"].xapi_id},
            "result": {"success": True, "score": {"scaled": 0.9}},
            "context": {"extensions": {xapi.KOMMUNEKODE_EXTENSION: demo.kommunekode}},
            "timestamp": stamp.isoformat(),
        }
    )
    statements.statements_store(credential=credential, statements=sent)
