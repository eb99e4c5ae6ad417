from django.urls import reverse
from django.test.utils import CaptureQueriesContext
from django.db import connection
from fagdigital.assessments.models import Instrument
from fagdigital.testing.factories import EngagementFactory, OrgUnitFactory, PersonFactory
from fagdigital.conftest import actor_for
import pytest
pytestmark = pytest.mark.django_db

def test_dump(team, make_campaign, client, make_member):
    campaign = make_campaign()
    client.force_login(team.leader)
    m = team.members[0]
    for n, url in [("team", reverse("assessments:leader_team", args=[campaign.pk])), ("rate", reverse("assessments:leader_rate", args=[campaign.pk, m.pk]))]:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        print(n, len(ctx.captured_queries))
        open(f"/tmp/respond_{n}.html", "w").write(html)
    chief = make_member(team.organisation, "top_management")
    client.force_login(chief)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("assessments:survey", args=[campaign.pk])).content.decode()
    print("survey", len(ctx.captured_queries))
    open("/tmp/respond_survey.html", "w").write(html)
    client.force_login(team.users[0])
    for n in ("test_start",):
        open(f"/tmp/respond_{n}.html", "w").write(client.get(reverse(f"assessments:{n}", args=[campaign.pk])).content.decode())
    client.post(reverse("assessments:test_start", args=[campaign.pk]))
    open("/tmp/respond_test_questions.html", "w").write(client.get(reverse("assessments:test_questions", args=[campaign.pk])).content.decode())
    open("/tmp/respond_test_review.html", "w").write(client.get(reverse("assessments:test_submit", args=[campaign.pk])).content.decode())
    client.post(reverse("assessments:test_submit", args=[campaign.pk]))
    open("/tmp/respond_test_result.html", "w").write(client.get(reverse("assessments:test_result", args=[campaign.pk])).content.decode())
