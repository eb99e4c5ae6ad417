"""Completions: a person completed a catalogue activity. Each becomes learning evidence at the levels the
activity develops, written through assessments' learning-evidence service so the estimate rule (owned by
assessments, decision 0007) decides what it does to the person's current level."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.assessments import services as assessment_services
from fagdigital.development.models import (
    Completion,
    CompletionSource,
    ItemStatus,
    LearningActivity,
    PlanActivity,
    PlanStatus,
)
from fagdigital.development.selectors.access import activities_visible_to_organisation
from fagdigital.frameworks.models import Competence
from fagdigital.frameworks.selectors import published_framework
from fagdigital.orgs.models import Person
from fagdigital.tenancy.models import Organisation


class CompletionRefusedError(ValidationError):
    """The completion cannot be recorded (the activity is not offered to the person, a date in the future)."""


def evidence_levels(*, person: Person, activity: LearningActivity) -> dict[int, int]:
    """Competence id (in the person's published framework) → the level the activity develops it to.

    Competences the framework no longer has are left out: the activity cannot vouch for them.
    """
    framework = published_framework(organisation=person.organisation, key=activity.framework_key)
    if framework is None:
        return {}
    by_code = dict(Competence.objects.filter(framework=framework).values_list("code", "pk"))
    return {
        by_code[row.competence_code]: row.level
        for row in activity.competences.all()
        if row.competence_code in by_code
    }


def _check(
    person: Person,
    activity: LearningActivity,
    completed_on: dt.date,
    reported_by: Organisation | None,
    vouched: bool,
) -> None:
    if completed_on > timezone.localdate():
        raise CompletionRefusedError(_("Datoen for gennemførelsen kan ikke ligge i fremtiden."))
    offered = (
        activities_visible_to_organisation(organisation=person.organisation).filter(pk=activity.pk).exists()
    )
    if not offered:
        raise CompletionRefusedError(_("Aktiviteten udbydes ikke til personens organisation."))
    if (
        reported_by is not None
        and not vouched
        and reported_by.pk not in {activity.organisation_id, person.organisation_id}
    ):
        raise CompletionRefusedError(_("En udbyder kan kun melde gennemførelser af sine egne aktiviteter."))


@transaction.atomic
def completion_record(
    *,
    person: Person,
    activity: LearningActivity,
    completed_on: dt.date,
    source: CompletionSource | str,
    confirmed_by: User | None = None,
    reported_by: Organisation | None = None,
    vouched: bool = False,
) -> Completion:
    """Record that the person completed the activity, as learning evidence. Idempotent: the person's
    running completion of the activity is kept and moved to a later date if this one is later.

    A provider reports only its own activities, unless the person's municipality vouched for the report
    (`vouched`: its HR matched the provider's activity id to an activity in its catalogue)."""
    _check(person, activity, completed_on, reported_by, vouched)
    completion = (
        Completion.objects.select_for_update()
        .filter(person=person, activity=activity, withdrawn_at__isnull=True)
        .first()
    )
    if completion is None:
        completion = Completion.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            activity=activity,
            completed_on=completed_on,
            source=source,
            confirmed_by=confirmed_by,
            confirmed_by_name=(confirmed_by.full_name or confirmed_by.email) if confirmed_by else "",
            reported_by=reported_by,
        )
    elif completed_on > completion.completed_on:
        completion.completed_on = completed_on
        completion.source = source
        completion.confirmed_by = confirmed_by
        completion.confirmed_by_name = (confirmed_by.full_name or confirmed_by.email) if confirmed_by else ""
        completion.reported_by = reported_by
        completion.save()
    else:
        _mark_plans(person, activity, completion.completed_on)
        return completion
    assessment_services.learning_evidence_record(
        person=person,
        levels=evidence_levels(person=person, activity=activity),
        observed_on=completion.completed_on,
        reference=completion.evidence_reference,
        detail={"activity": activity.title_da, "activity_id": activity.pk, "completion": completion.pk},
    )
    _mark_plans(person, activity, completion.completed_on)
    return completion


def _mark_plans(person: Person, activity: LearningActivity, completed_on: dt.date) -> None:
    """The activity in the person's open plans is done (so progress shows it without a second report)."""
    PlanActivity.objects.filter(
        goal__plan__person=person,
        goal__plan__status__in=[PlanStatus.DRAFT, PlanStatus.REVIEW, PlanStatus.APPROVED],
        activity=activity,
    ).exclude(status=ItemStatus.COMPLETED).update(
        status=ItemStatus.COMPLETED, reported_on=completed_on, updated_at=timezone.now()
    )


@transaction.atomic
def completion_withdraw(*, completion: Completion) -> Completion:
    """Take a completion back (e.g. its xAPI statement was voided): its evidence goes, the estimate falls
    back to the person's other evidence, and the activity is planned again in open plans."""
    locked = Completion.objects.select_for_update().get(pk=completion.pk)
    if locked.withdrawn_at is not None:
        return locked
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at", "updated_at"])
    assessment_services.learning_evidence_withdraw(
        person_id=locked.person_id, reference=locked.evidence_reference
    )
    PlanActivity.objects.filter(
        goal__plan__person_id=locked.person_id,
        goal__plan__status__in=[PlanStatus.DRAFT, PlanStatus.REVIEW, PlanStatus.APPROVED],
        activity_id=locked.activity_id,
        status=ItemStatus.COMPLETED,
    ).update(status=ItemStatus.PLANNED, reported_on=None, updated_at=timezone.now())
    return locked
