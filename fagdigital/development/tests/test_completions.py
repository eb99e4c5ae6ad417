"""Completions become learning evidence through assessments' service, and the estimate follows the rule
of DESIGN.md §2 (test → leader → learning → self): learning outranks a self-assessment, never a leader
rating or a test; withdrawing a completion takes its evidence away again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fagdigital.assessments import services as assessment_services
from fagdigital.assessments.models import CompetenceEstimate, Evidence, EvidenceSource
from fagdigital.conftest import actor_for
from fagdigital.development.models import Completion, CompletionSource
from fagdigital.development.services import catalogue
from fagdigital.development.services.completions import (
    CompletionRefusedError,
    completion_record,
    completion_withdraw,
)
from fagdigital.frameworks.models import Competence
from fagdigital.frameworks.services import default_framework_install
from fagdigital.orgs.models import Person
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

from .conftest import Dev, record, set_level

pytestmark = pytest.mark.django_db


def _estimate(person: Person, code: str) -> CompetenceEstimate | None:
    return CompetenceEstimate.objects.filter(person=person, competence__code=code).first()


def test_a_completion_raises_a_self_assessed_level_to_the_activitys_level(dev: Dev) -> None:
    person = dev.team.members[0]
    set_level(person, "DS3", 1)
    set_level(person, "DS4", 1)
    day = timezone.localdate() - dt.timedelta(days=1)
    completion = completion_record(
        person=person, activity=dev.activities["ds3-ds4"], completed_on=day, source=CompletionSource.LEADER
    )
    for code in ("DS3", "DS4"):
        estimate = _estimate(person, code)
        assert (estimate.level, estimate.source, estimate.observed_on) == (2, EvidenceSource.LEARNING, day)
    rows = Evidence.objects.filter(person=person, source=EvidenceSource.LEARNING)
    assert rows.count() == 2
    assert all(row.detail["reference"] == completion.evidence_reference for row in rows)
    assert all(row.detail["activity"] == "Sikker håndtering af data" for row in rows)


def test_a_leader_rating_and_a_test_still_outrank_learning(dev: Dev) -> None:
    person = dev.team.members[1]
    set_level(person, "DS3", 1, source=EvidenceSource.LEADER)
    completion_record(
        person=person,
        activity=dev.activities["ds3-kursus"],
        completed_on=timezone.localdate(),
        source=CompletionSource.PROVIDER,
    )
    estimate = _estimate(person, "DS3")
    assert (estimate.level, estimate.source) == (1, EvidenceSource.LEADER)


def test_recording_twice_is_one_completion_and_a_later_date_moves_it(dev: Dev) -> None:
    person = dev.team.members[2]
    activity = dev.activities["ds3-kursus"]
    first = timezone.localdate() - dt.timedelta(days=30)
    one = completion_record(person=person, activity=activity, completed_on=first, source=CompletionSource.LMS)
    again = completion_record(
        person=person, activity=activity, completed_on=first, source=CompletionSource.LMS
    )
    later = completion_record(
        person=person,
        activity=activity,
        completed_on=first + dt.timedelta(days=20),
        source=CompletionSource.LMS,
    )
    assert one.pk == again.pk == later.pk
    assert Completion.objects.filter(person=person).count() == 1
    assert list(
        Evidence.objects.filter(person=person, source=EvidenceSource.LEARNING).values_list(
            "observed_on", flat=True
        )
    ) == [first + dt.timedelta(days=20)]


def test_withdrawing_removes_the_evidence_and_the_estimate_falls_back(dev: Dev) -> None:
    person = dev.team.members[3]
    set_level(person, "DS3", 1)
    completion = completion_record(
        person=person,
        activity=dev.activities["ds3-kursus"],
        completed_on=timezone.localdate(),
        source=CompletionSource.LMS,
    )
    assert _estimate(person, "DS3").level == 2
    completion_withdraw(completion=completion)
    estimate = _estimate(person, "DS3")
    assert (estimate.level, estimate.source) == (1, EvidenceSource.SELF)
    assert not Evidence.objects.filter(person=person, source=EvidenceSource.LEARNING).exists()


def test_an_activity_not_offered_to_the_persons_municipality_is_refused(dev: Dev) -> None:

    other = OrganisationFactory()
    default_framework_install(organisation=other)
    hr = UserFactory()
    MembershipFactory(user=hr, organisation=other, roles=["competence_admin"])
    theirs = catalogue.activity_save(actor=actor_for(hr, other), record=record("deres", {"DS3": 3}))
    with pytest.raises(CompletionRefusedError):
        completion_record(
            person=dev.team.members[0], activity=theirs, completed_on=timezone.localdate(), source="leader"
        )
    with pytest.raises(CompletionRefusedError):  # a date ahead
        completion_record(
            person=dev.team.members[0],
            activity=dev.activities["ds3-kursus"],
            completed_on=timezone.localdate() + dt.timedelta(days=1),
            source="leader",
        )
    assert not Completion.objects.exists()


def test_the_learning_evidence_service_refuses_another_organisations_competence(dev: Dev) -> None:

    other = OrganisationFactory()
    framework = default_framework_install(organisation=other)
    foreign = Competence.objects.filter(framework=framework).first()
    person = dev.team.members[0]
    with pytest.raises(ValidationError):
        assessment_services.learning_evidence_record(
            person=person, levels={foreign.pk: 3}, observed_on=timezone.localdate(), reference="x:1"
        )
    assert not Evidence.objects.filter(person=person).exists()
    stranger = PersonFactory(organisation=other)
    assert assessment_services.learning_evidence_withdraw(person_id=stranger.pk, reference="x:1") == 0
