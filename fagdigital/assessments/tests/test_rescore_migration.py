"""The data migration that re-scores submitted tests under decision 0016, run on rows stored the old way."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps

from fagdigital.assessments import services
from fagdigital.assessments.models import Campaign, CompetenceEstimate, Evidence, EvidenceSource, Instrument
from fagdigital.assessments.tests.conftest import Team
from fagdigital.frameworks.models import Competence

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "fagdigital.assessments.migrations.0004_rescore_knowledge_tests_under_the_knowledge_cap"
)


def _old_style_test(team: Team, campaign: Campaign, person_index: int) -> None:
    """A test submitted before 0016: its evidence says level 4 from two items of a competence."""
    response = services.response_get_or_create(
        campaign=campaign,
        instrument=Instrument.TEST,
        respondent=team.users[person_index],
        subject=team.members[person_index],
    )
    for question in services.test_start(response=response):
        services.test_answer_save(
            response=response, question=question, selected=sorted(question.item.correct_keys)
        )
    services.test_submit(response=response)
    # What the old scoring stored: level 4 for all right, with a weighted score.
    Evidence.objects.filter(response=response).update(
        level=4, detail={"score": 1.0, "correct": 2, "items": 2}
    )


def test_the_migration_removes_levels_from_too_few_items_and_rescores_the_rest(
    team: Team, make_campaign: Callable[..., Campaign]
) -> None:
    short = make_campaign(instruments=(Instrument.TEST, Instrument.LEADER), test_items_per_competence=2)
    _old_style_test(team, short, 0)
    # The old scoring gave evidence for 2 items; make it look like that (the new one gives none).
    ds1 = Competence.objects.get(framework=team.framework, code="DS1")
    response = short.responses.get(instrument=Instrument.TEST)
    Evidence.objects.create(
        organisation=team.organisation,
        person=team.members[0],
        competence=ds1,
        source=EvidenceSource.TEST,
        level=4,
        observed_on=response.submitted_at.date(),
        campaign=short,
        response=response,
        detail={"score": 1.0, "correct": 2, "items": 2},
    )
    full = make_campaign(instruments=(Instrument.TEST,), name="Fuld")
    _old_style_test(team, full, 1)
    services.estimates_rebuild(organisation_id=team.organisation.pk)
    assert CompetenceEstimate.objects.filter(person=team.members[0], level=4, source="test").exists()

    MIGRATION.rescore(apps, None)

    assert not Evidence.objects.filter(response__campaign=short, source=EvidenceSource.TEST).exists()
    assert not CompetenceEstimate.objects.filter(person=team.members[0], source="test").exists()
    rescored = Evidence.objects.filter(response__campaign=full, source=EvidenceSource.TEST)
    assert rescored.count() == 8
    assert {(e.level, e.detail["correct"], e.detail["items"]) for e in rescored} == {(3, 4, 4)}
    assert set(CompetenceEstimate.objects.filter(person=team.members[1]).values_list("source", "level")) == {
        ("test", 3)
    }
