"""seed_demo on the database: the demo municipalities, their network, the logins; seeded once per package."""

from __future__ import annotations

import pytest
from django.db import models
from django.test import override_settings

from fagdigital.accounts.models import User
from fagdigital.analytics import benchmark, selectors
from fagdigital.analytics.models import Rollup
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    CampaignStatus,
    CompetenceEstimate,
    Evidence,
    Instrument,
    Participant,
    Response,
    ResponseStatus,
    SurveyAnswer,
    TestQuestion,
)
from fagdigital.demo.generator import demo_rows, nabo_rows
from fagdigital.demo.services import (
    DEMO_KOMMUNEKODE,
    HOME_CARE_AREA,
    NETWORK_CODES,
    NETWORK_MUNICIPALITIES,
    demo_seed,
    login_email,
    real_kommunekoder,
)
from fagdigital.demo.tests.helpers import seed, snapshot
from fagdigital.frameworks.models import Framework, FrameworkStatus, JobFunctionMapping
from fagdigital.frameworks.selectors import role_profile_for_person
from fagdigital.orgs.models import Engagement, OrgUnit, Person, UnitLeader
from fagdigital.orgs.selectors import led_unit_paths, visible_people
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind, Role

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "medarbejder": {"Demo Kommune": {"employee"}},
    "leder": {"Demo Kommune": {"employee", "leader"}},
    "hr": {"Demo Kommune": {"competence_admin", "employee"}},
    "direktion": {"Demo Kommune": {"top_management"}},
    "udbyder": {"Demo Professionshøjskole": {"education_provider"}},
    "netvaerk": {"Demo Kommunenetværk": {"network_coordinator"}},
    "admin": {
        "Demo Kommune": {"platform_admin", "competence_admin"},
        "Nabo Kommune": {"platform_admin", "competence_admin"},
    },
}


def actor(email: str, organisation: Organisation) -> Actor:
    user = User.objects.get(email=email)
    roles = frozenset(user.memberships.get(organisation=organisation).roles)
    return Actor(user=user, organisation=organisation, roles=roles)


@pytest.fixture
def output(seeded_demo: str, db: None) -> str:
    """What the package's one `seed_demo` printed (the demo is in the database)."""
    return seeded_demo


def test_seed_demo_builds_the_demo(output: str) -> None:
    demo = Organisation.objects.get(kommunekode="0999")
    nabo = Organisation.objects.get(kommunekode="0998")
    assert (demo.name, demo.kind) == ("Demo Kommune", OrganisationKind.MUNICIPALITY)
    assert (nabo.name, nabo.kind) == ("Nabo Kommune", OrganisationKind.MUNICIPALITY)
    assert Person.objects.filter(organisation=demo).count() == len(demo_rows()) > 1_900
    assert Person.objects.filter(organisation=nabo).count() == len(nabo_rows())
    demo_units = OrgUnit.objects.filter(organisation=demo)
    assert demo_units.count() == len({row.unit_path for row in demo_rows()})
    assert not demo_units.exclude(pk__in=UnitLeader.objects.values("unit")).exists(), "a leader on every unit"
    assert Engagement.objects.filter(organisation=demo, end_date__isnull=True).count() == len(demo_rows())

    for slug, expected in EXPECTED_ROLES.items():
        user = User.objects.get(email=login_email(slug))
        assert user.check_password("demo"), slug
        assert user.full_name
        roles = {m.organisation.name: set(m.roles) for m in user.memberships.select_related("organisation")}
        assert roles == expected, slug
    admin = User.objects.get(email=login_email("admin"))
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.exclude(email=login_email("admin")).filter(is_staff=True).exists()

    employee = Person.objects.get(user__email=login_email("medarbejder"))
    assert employee.engagements.get().unit.name == "Team Nord 1"
    leader = actor(login_email("leder"), demo)
    [area] = led_unit_paths(actor=leader)
    assert OrgUnit.objects.get(organisation=demo, path=area).name == HOME_CARE_AREA[-1]
    in_area = [row for row in demo_rows() if row.unit_path[: len(HOME_CARE_AREA)] == HOME_CARE_AREA]
    assert visible_people(actor=leader).count() == len(in_area)

    provider = Organisation.objects.get(name="Demo Professionshøjskole")
    assert provider.kind == OrganisationKind.EDUCATION_PROVIDER
    network = Network.objects.get(name="Demo-netværket")
    assert network.coordinator is not None
    assert (network.coordinator.name, network.coordinator.kind) == ("Demo Kommunenetværk", "network_operator")
    assert {org.kommunekode for org in network.members.all()} == {"0999", "0998", *NETWORK_CODES}
    assert "Demo data ready" in output


def test_seed_demo_twice_changes_nothing(output: str) -> None:
    before = snapshot()
    again = seed()
    assert snapshot() == before
    assert again.count("already seeded") == 2 + len(NETWORK_MUNICIPALITIES)
    assert "Created login" not in again


def test_seed_demo_recreates_a_deleted_login(output: str) -> None:
    User.objects.filter(email=login_email("udbyder")).delete()
    assert "Created login udbyder@demo.fagdigital.dk" in seed()
    assert User.objects.get(email=login_email("udbyder")).check_password("demo")


def test_demo_has_the_default_framework_with_its_job_functions_mapped(output: str) -> None:
    demo = Organisation.objects.get(kommunekode=DEMO_KOMMUNEKODE)
    framework = Framework.objects.get(organisation=demo)
    assert framework.status == FrameworkStatus.PUBLISHED
    mapped = set(
        JobFunctionMapping.objects.filter(organisation=demo).values_list("role_profile_code", flat=True)
    )
    assert {
        "sosu-hjaelper",
        "sosu-assistent",
        "sygeplejerske",
        "paedagog",
        "laerer",
        "socialraadgiver",
    } <= mapped
    employee = Person.objects.get(organisation=demo, user__email="medarbejder@demo.fagdigital.dk")
    assert role_profile_for_person(person=employee, framework=framework) is not None


# --- the network ---------------------------------------------------------------------------------


def test_network_has_only_fictional_municipalities_with_results(output: str) -> None:
    network = Network.objects.get(name="Demo-netværket")
    members = list(network.members.all())
    assert len(members) >= 6
    assert not {org.kommunekode for org in members} & real_kommunekoder(), "no real municipality"
    for member in NETWORK_MUNICIPALITIES:
        organisation = Organisation.objects.get(kommunekode=member.kommunekode)
        assert (organisation.name, organisation.kind) == (member.name, OrganisationKind.MUNICIPALITY)
        assert Person.objects.filter(organisation=organisation).count() == member.employees
        assert f"{member.name}: imported {member.employees} people" in output
    # At least five organisations with results for the benchmark, and with chiefs' answers for the
    # network's indicators.
    with_results = [
        org
        for org in members
        if Evidence.objects.filter(organisation=org, campaign__status=CampaignStatus.CLOSED).exists()
        and Rollup.objects.filter(organisation=org).exists()
        and Response.objects.filter(
            organisation=org, instrument=Instrument.CHIEFS, status=ResponseStatus.SUBMITTED
        ).count()
        >= 3
    ]
    assert len(with_results) == len(members)
    named = set(
        NetworkMember.objects.filter(network=network, named_in_benchmarks=True).values_list(
            "organisation__name", flat=True
        )
    )
    assert named == {m.name for m in NETWORK_MUNICIPALITIES if m.named_in_benchmarks}
    assert len(named) == 2


def test_network_municipalities_differ(output: str) -> None:
    """The benchmark needs spread: the fictional municipalities' results and chiefs' views differ."""
    security: dict[str, float] = {}
    high: dict[str, float] = {}
    for member in NETWORK_MUNICIPALITIES:
        organisation = Organisation.objects.get(kommunekode=member.kommunekode)
        campaign = Campaign.objects.get(organisation=organisation, status=CampaignStatus.CLOSED)
        admin = Actor(
            user=User.objects.filter(memberships__organisation=organisation).first(),
            organisation=organisation,
            roles=frozenset({Role.COMPETENCE_ADMIN}),
        )
        view = selectors.heatmap(
            actor=admin, unit=None, filters=selectors.Filters(campaign=campaign, area_code="DS")
        )
        cells = [cell for cell in view.rows[0].cells if not cell.hidden]
        security[member.name] = sum(c.at_target or 0 for c in cells) / sum(c.people or 0 for c in cells)
        values = list(
            SurveyAnswer.objects.filter(
                organisation=organisation, response__status=ResponseStatus.SUBMITTED, value__isnull=False
            ).values_list("value", flat=True)
        )
        high[member.name] = sum((value or 0) >= 4 for value in values) / len(values)
    assert security["Fjordby Kommune"] - security["Skovlund Kommune"] > 0.1
    assert max(security.values()) - min(security.values()) > 0.1
    assert high["Fjordby Kommune"] - high["Skovlund Kommune"] > 0.1


def test_the_demo_benchmark_compares_with_a_spread_of_the_unnamed_members(output: str) -> None:
    """The network's spread leaves out the reader's own and the named members and needs five others:
    the demo has enough unnamed municipalities with results for Demo Kommune's HR to see one."""
    demo = Organisation.objects.get(kommunekode=DEMO_KOMMUNEKODE)
    data = benchmark.benchmark(actor=actor(login_email("hr"), demo))
    assert data.member_view
    assert data.members == data.contributing == 2 + len(NETWORK_MUNICIPALITIES)
    assert {o.name for o in data.named} == {m.name for m in NETWORK_MUNICIPALITIES if m.named_in_benchmarks}
    rows = [row for area in data.areas for row in (area.total, *area.competences)]
    compared = [row for row in rows if not row.too_few]
    assert compared
    # At most everyone but Demo Kommune itself and the two named: six organisations.
    assert max(row.organisations for row in compared) == data.members - 1 - len(data.named) == 6
    assert any(row.median is not None and row.own is not None and row.position for row in compared)
    # A named member's figure is shown by name; no quantile is any member's own value.
    assert any(figure.percent is not None for row in rows for figure in row.named)


def test_seeding_removes_real_municipalities_from_the_demo_network(output: str) -> None:
    """Older demos had real municipalities as members: the demo must not show them with invented data."""
    network = Network.objects.get(name="Demo-netværket")
    aarhus, _created = Organisation.objects.get_or_create(
        kommunekode="0751", defaults={"kind": OrganisationKind.MUNICIPALITY, "name": "Aarhus Kommune"}
    )
    NetworkMember.objects.create(network=network, organisation=aarhus)
    NetworkMember.objects.filter(network=network).update(named_in_benchmarks=True)
    with override_settings(DEBUG=True):
        demo_seed()
    assert not network.members.filter(pk=aarhus.pk).exists()
    assert network.members.count() == 2 + len(NETWORK_MUNICIPALITIES)
    assert NetworkMember.objects.filter(network=network, named_in_benchmarks=True).count() == 2


def test_generated_rows_point_at_existing_rows(output: str) -> None:
    """The rounds are written in bulk (on PostgreSQL without per-row reference checks): every foreign
    key of every generated row must still point at a row that exists."""
    for model in (Participant, Response, Answer, TestQuestion, SurveyAnswer, Evidence, CompetenceEstimate):
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, models.ForeignKey):
                continue
            target = model_field.related_model
            assert isinstance(target, type)
            dangling = model._default_manager.exclude(**{f"{model_field.attname}__isnull": True}).exclude(
                **{f"{model_field.attname}__in": target._default_manager.values("pk")}
            )
            assert not dangling.exists(), f"{model.__name__}.{model_field.name}"
