"""The person's profile across framework versions (issue 11, item 1; decision 0015).

HR publishes version 2 through the frameworks services, as the editor does: one target changed and one
competence marked as a material change. The employee's profile then shows version 2 with the levels of
continuing competences carried over from version 1, no level for the materially changed one, and the new
target, on the page and in the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text

from fagdigital.accounts.models import User
from fagdigital.assessments import feedback, selectors, services
from fagdigital.assessments.models import Campaign, CompetenceEstimate, Evidence
from fagdigital.assessments.tests.conftest import Team
from fagdigital.assessments.tests.test_feedback import assess
from fagdigital.frameworks.models import Competence, Framework, RoleProfile
from fagdigital.frameworks.selectors import material_changes
from fagdigital.frameworks.services import (
    competence_update,
    framework_new_version,
    framework_publish,
    role_target_set,
)

pytestmark = pytest.mark.django_db

PROFILE = reverse("assessments:my_profile")
PDF = reverse("assessments:my_profile_pdf")


def publish_next_version(
    framework: Framework, *, target: tuple[str, int] | None = None, material: str | None = None
) -> Framework:
    """A new version as HR makes it: a draft copy, a changed target and/or a materially changed
    competence (a new level-3 descriptor), then published (which retires `framework`)."""
    draft = framework_new_version(framework=framework)
    if target is not None:
        code, level = target
        role_target_set(
            role_profile=RoleProfile.objects.get(framework=draft, code="sosu-assistent"),
            competence=Competence.objects.get(framework=draft, code=code),
            level=level,
            criticality="kritisk",
        )
    if material is not None:
        competence_update(
            competence=Competence.objects.get(framework=draft, code=material),
            descriptors={3: ("Gør noget helt andet end før på niveau 3.", "Does something else at level 3.")},
            material_change=True,
        )
    return framework_publish(framework=draft)


@pytest.fixture
def measured(team: Team, make_campaign: Callable[..., Campaign]) -> Campaign:
    """A round over version 1: the first member's self-assessment and their leader's rating."""
    campaign = make_campaign()
    person, user = team.members[0], team.users[0]
    assess(team, campaign, user, person, "self", {"BK1": 2, "BK6": 3, "DS1": 3, "DS2": 2})
    assess(team, campaign, team.leader, person, "leader", {"BK6": 2})
    return campaign


def test_the_profile_shows_the_published_version_with_carried_levels_and_new_targets(
    team: Team, measured: Campaign, django_assert_max_num_queries: Any
) -> None:
    v2 = publish_next_version(team.framework, target=("BK1", 4), material="DS1")
    person = team.members[0]
    assert feedback.profile_framework(person=person) == v2

    # The same fixed number of queries as for one version (the knowledge cap included), plus the one that
    # reads the earlier rows.
    with django_assert_max_num_queries(11):
        profile = feedback.personal_profile(person=person, framework=v2, today=timezone.localdate())
    items = {item.competence.code: item for item in profile.items}
    assert all(item.competence.framework_id == v2.pk for item in profile.items)
    # Continuing competences keep their level, measured in version 1.
    assert (items["BK1"].estimate.level, items["BK1"].estimate.carried_from) == (2, 1)
    assert (items["BK6"].estimate.level, items["BK6"].estimate.source) == (2, "leader")
    assert items["DS2"].estimate.level == 2
    # The materially changed competence starts again; its version-1 level is not carried.
    assert items["DS1"].estimate is None
    assert items["DS1"].material_change
    assert not items["DS1"].sources
    # Targets come from version 2: the changed one, and the others as they were.
    assert items["BK1"].target_level == 4
    assert items["BK1"].gap == 2
    assert items["DS2"].target_level == 2
    assert profile.carried_versions == [1]
    assert profile.carried_count == 3
    assert [item.competence.code for item in profile.material_items] == ["DS1"]
    # Nothing was rewritten: the evidence and estimates still belong to version 1's competences.
    assert set(Evidence.objects.filter(person=person).values_list("competence__framework", flat=True)) == {
        team.framework.pk
    }
    assert set(
        CompetenceEstimate.objects.filter(person=person).values_list("competence__framework", flat=True)
    ) == {team.framework.pk}


def test_the_profile_page_and_pdf_say_which_version_they_show_and_where_levels_come_from(
    team: Team, measured: Campaign, client_for: Callable[[User], Client]
) -> None:
    publish_next_version(team.framework, target=("BK1", 4), material="DS1")
    client = client_for(team.users[0])
    html = client.get(PROFILE).content.decode()
    assert "Profilen viser version 2 af kompetencerammen" in html
    assert "Dit niveau i 3 kompetencer er målt i version 1" in html
    assert "ændret væsentligt i version 2" in html
    assert "Målt i version 1" in html
    assert "Ændret væsentligt i version 2: et tidligere niveau tæller ikke med" in html
    bk1 = html.split('<span class="competence-code">BK1</span>', 1)[1].split("</tr>", 1)[0]
    assert "Niveau 4" in bk1  # the new target
    assert "Niveau 2" in bk1  # the carried level

    pdf = client.get(PDF)
    assert pdf.status_code == 200
    text = " ".join(extract_text(io.BytesIO(pdf.content)).split())
    assert "Profilen viser version 2 af kompetencerammen" in text
    assert "målt i version 1" in text
    assert "Målt i version 1" in text


def test_a_level_measured_in_the_new_version_counts_and_is_not_marked_as_carried(
    team: Team, measured: Campaign, make_campaign: Callable[..., Campaign]
) -> None:
    v2 = publish_next_version(team.framework, material="DS1")
    later = make_campaign(name="Måling 2027", framework=v2)
    person, user = team.members[0], team.users[0]
    # Self-assessments in version 2: DS1 gets a level again, and BK1 a newer one.
    response = services.response_get_or_create(
        campaign=later, instrument="self", respondent=user, subject=person
    )
    services.answers_save(
        response=response,
        levels={
            Competence.objects.get(framework=v2, code="DS1").pk: 1,
            Competence.objects.get(framework=v2, code="BK1").pk: 3,
        },
    )
    services.response_submit(response=response)
    profile = feedback.personal_profile(person=person, framework=v2, today=timezone.localdate())
    items = {item.competence.code: item for item in profile.items}
    assert (items["DS1"].estimate.level, items["DS1"].estimate.carried_from) == (1, None)
    assert (items["BK1"].estimate.level, items["BK1"].estimate.carried_from) == (3, None)
    assert items["BK6"].estimate.carried_from == 1  # the leader's version-1 rating still counts
    assert profile.carried_count == 2  # BK6 and DS2


def test_carry_over_follows_codes_back_until_a_version_marks_a_material_change(
    team: Team,
) -> None:
    v1 = team.framework
    v2 = publish_next_version(v1, material="DS1")
    v3 = publish_next_version(v2, material="BK6")
    carry = selectors.carry_over(framework=v3)

    def row(framework: Framework, code: str) -> int:
        return Competence.objects.get(framework=framework, code=code).pk

    # BK1 continues through all three versions.
    assert {carry.current(row(v, "BK1")) for v in (v1, v2, v3)} == {row(v3, "BK1")}
    # DS1 changed materially in version 2: version 2 counts for version 3, version 1 does not.
    assert carry.current(row(v2, "DS1")) == row(v3, "DS1")
    assert not carry.carried(row(v1, "DS1"))
    assert row(v1, "DS1") not in carry.sources_of({row(v3, "DS1")})
    # BK6 changed materially in version 3: only version 3's own rows count.
    assert carry.sources_of({row(v3, "BK6")}) == [row(v3, "BK6")]
    assert carry.material == frozenset({"BK6"}) == frozenset(material_changes(v3))
    assert carry.version(row(v1, "BK1")) == 1
    assert carry.carried(row(v1, "BK1"))
    assert not carry.carried(row(v3, "BK1"))
    # A draft never counts.
    framework_new_version(framework=v3)
    assert selectors.carry_over(framework=v3).earlier == carry.earlier
