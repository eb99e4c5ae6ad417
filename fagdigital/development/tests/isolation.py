"""One development object of every kind a development URL names, in an organisation: for the tenant
isolation test (tests/isolation), which requests every URL with another organisation's ids."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from fagdigital.development.models import (
    ActivityCompetence,
    CatalogueImport,
    CatalogueImportStatus,
    CommunitySession,
    DevelopmentPlan,
    LearningActivity,
    PlanActivity,
    PlanGoal,
    Statement,
    StatementCredential,
    StatementOutcome,
    TeamPlan,
    TeamPlanItem,
)
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.tenancy.models import Network, Organisation


def development_objects(
    organisation: Organisation, *, person: Person, unit: OrgUnit, name: str
) -> dict[str, int]:
    activity = LearningActivity.objects.create(
        organisation=organisation,
        key=f"k-{uuid.uuid4().hex[:8]}",
        title_da=name,
        format="course",
        duration_hours=Decimal("1.0"),
        framework_key="digital-faglighed-i-velfaerden",
        xapi_id=f"https://example.org/{uuid.uuid4()}",
    )
    ActivityCompetence.objects.create(activity=activity, competence_code="DS3", level=2)
    plan = DevelopmentPlan.objects.create(organisation=organisation, person=person, title=name)
    goal = PlanGoal.objects.create(
        organisation=organisation,
        plan=plan,
        competence_code="DS3",
        target_level=2,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        note=name,
    )
    item = PlanActivity.objects.create(organisation=organisation, goal=goal, activity=activity)
    team_plan = TeamPlan.objects.create(organisation=organisation, unit=unit, title=name)
    team_item = TeamPlanItem.objects.create(
        organisation=organisation, team_plan=team_plan, own_title=name, due_on=timezone.localdate()
    )
    upload = CatalogueImport.objects.create(
        organisation=organisation,
        filename=f"{name}.csv",
        file_format="csv",
        content=b"",
        status=CatalogueImportStatus.INVALID,
        problems=[{"line": 1, "column": "", "message": name}],
    )
    credential = StatementCredential.objects.create(
        organisation=organisation, label=name, key_id=f"fd-{uuid.uuid4().hex[:16]}", secret_hash="0" * 64
    )
    statement = Statement.objects.create(
        credential=credential,
        sender=organisation,
        municipality=organisation,
        received={"actor": {"name": name}},
        stored=timezone.now(),
        authority={},
        verb_id="http://adlnet.gov/expapi/verbs/completed",
        object_id=activity.xapi_id,
        actor_key=f"mbox:mailto:{uuid.uuid4().hex}@example.org",
        actor_name=name,
        outcome=StatementOutcome.UNKNOWN_ACTOR,
    )
    network = Network.objects.create(name=f"{name} {uuid.uuid4().hex[:6]}", coordinator=organisation)
    session = CommunitySession.objects.create(
        network=network, title=name, starts_at=timezone.now() + dt.timedelta(days=3)
    )
    return {
        "activity_id": activity.pk,
        "plan_id": plan.pk,
        "goal_id": goal.pk,
        "plan_item_id": item.pk,
        "team_plan_id": team_plan.pk,
        "team_item_id": team_item.pk,
        "catalogue_import_id": upload.pk,
        "credential_id": credential.pk,
        "intake_id": statement.pk,
        "network_id": network.pk,
        "session_id": session.pk,
    }
