"""Answers of the self- and leader assessment (one questionnaire, two respondents) and their submission.

Every answer is saved on its own as the person goes (autosave) and a submission is idempotent: the
response row is locked, and evidence is unique per (response, competence), so a double click, two tabs
or a retried request give one submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.assessments.models import (
    Answer,
    Campaign,
    Evidence,
    EvidenceSource,
    Instrument,
    Response,
    ResponseStatus,
)
from fagdigital.frameworks.models import Competence
from fagdigital.orgs.models import Person

from .base import AnswerRefusedError, SubmitResult, check_accepts, touch
from .evidence import estimates_recompute, evidence_changed

# --- Responses and answers -----------------------------------------------------------------------


def response_get_or_create(
    *, campaign: Campaign, instrument: Instrument, respondent: User, subject: Person | None
) -> Response:
    """The response of this respondent (about this subject), created on first use; safe under races."""
    response, _created = Response.objects.get_or_create(
        campaign=campaign,
        instrument=instrument,
        respondent=respondent,
        subject=subject,
        defaults={"organisation_id": campaign.organisation_id},
    )
    return response


@transaction.atomic
def answers_save(
    *,
    response: Response,
    levels: Mapping[int, int | None],
    comments: Mapping[int, str] | None = None,
    clear: Iterable[int] = (),
    today: dt.date | None = None,
) -> Response:
    """Save answers of a self- or leader assessment, competence id → level (`None` is "ved ikke").

    `clear` names competences whose answer is withdrawn (the leader's grid: Delete). An answer with a
    comment is not withdrawn that way: the comment would go with it, so that is refused with a reason.
    Saving the same answers again changes nothing, so a client may resend a whole page at every change.
    All answers are checked before any is written: one bad answer saves none of them.
    """
    today = today or timezone.localdate()
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("campaign__framework")
        .get(pk=response.pk)
    )
    check_accepts(response.campaign, today)
    if response.instrument not in (Instrument.SELF, Instrument.LEADER):
        raise AnswerRefusedError(_("Svaret hører ikke til en vurdering."))
    comments = comments or {}
    cleared = set(clear) - set(levels) - set(comments)
    wanted = set(levels) | set(comments) | cleared
    known = set(
        Competence.objects.filter(framework_id=response.campaign.framework_id, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if wanted - known:
        raise AnswerRefusedError(_("Et af svarene hører ikke til målingens kompetenceramme."))
    level_count = len(response.campaign.framework.levels) or 4
    if any(level is not None and not 1 <= level <= level_count for level in levels.values()):
        raise AnswerRefusedError(_("Vælg et af niveauerne eller »ved ikke«."))
    existing = {
        a.competence_id: a for a in Answer.objects.filter(response=response, competence_id__in=wanted)
    }
    withdrawn = [existing[c] for c in cleared if c in existing]
    if any(answer.comment for answer in withdrawn):
        raise AnswerRefusedError(
            _(
                "Svaret har en kommentar. Ret eller fjern svaret på siden for medarbejderen, "
                "så kommentaren ikke går tabt."
            )
        )
    new: list[Answer] = []
    changed: list[Answer] = []
    for competence_id in wanted - cleared:
        answer = existing.get(competence_id)
        level = levels.get(competence_id, answer.level if answer else None)
        comment = comments.get(competence_id, answer.comment if answer else "").strip()
        if answer is None:
            new.append(
                Answer(
                    organisation_id=response.organisation_id,
                    response=response,
                    competence_id=competence_id,
                    level=level,
                    comment=comment,
                )
            )
        elif (answer.level, answer.comment) != (level, comment):
            answer.level, answer.comment, answer.updated_at = level, comment, timezone.now()
            changed.append(answer)
    if new or changed or withdrawn:
        Answer.objects.filter(pk__in=[a.pk for a in withdrawn]).delete()
        Answer.objects.bulk_create(new)
        Answer.objects.bulk_update(changed, ["level", "comment", "updated_at"])
        touch(response)
    return response


def answer_save(
    *,
    response: Response,
    competence: Competence,
    level: int | None,
    comment: str | None = None,
    today: dt.date | None = None,
) -> Response:
    """Save one answer; see answers_save."""
    return answers_save(
        response=response,
        levels={competence.pk: level},
        comments=None if comment is None else {competence.pk: comment},
        today=today,
    )


@transaction.atomic
def response_submit(*, response: Response, today: dt.date | None = None) -> SubmitResult:
    """Submit a self- or leader assessment: its answers become evidence. Repeating it changes nothing."""
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    check_accepts(response.campaign, today)
    if response.is_submitted and not response.changed_since_submit:
        return SubmitResult(response=response, applied=False)
    if response.instrument in (Instrument.SELF, Instrument.LEADER):
        _evidence_from_answers(response, today)
    elif response.instrument == Instrument.CHIEFS:
        # The organisation's own statements: they are results, not evidence about a person. Which kind of
        # chief answered makes the figures comparable with IT i Praksis, so it is part of the answer.
        if not response.respondent_type:
            raise AnswerRefusedError(_("Vælg, hvilken rolle du svarer ud fra, før du indsender."))
    else:
        raise AnswerRefusedError(_("En videnstest indsendes for sig."))
    resubmitted = response.is_submitted
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.changed_since_submit = False
    response.save(update_fields=["status", "submitted_at", "changed_since_submit", "updated_at"])
    return SubmitResult(response=response, applied=True, resubmitted=resubmitted)


def _evidence_from_answers(response: Response, today: dt.date) -> None:
    assert response.subject_id is not None
    source = EvidenceSource.SELF if response.instrument == Instrument.SELF else EvidenceSource.LEADER
    answers = list(Answer.objects.filter(response=response))
    current = {e.competence_id: e for e in Evidence.objects.filter(response=response)}
    touched: set[int] = set()
    new: list[Evidence] = []
    changed: list[Evidence] = []
    gone: list[int] = []
    # An answer withdrawn since the last submission withdraws its evidence too.
    answered = {answer.competence_id for answer in answers}
    for competence_id, existing_row in current.items():
        if competence_id not in answered:
            gone.append(existing_row.pk)
            touched.add(competence_id)
    for answer in answers:
        existing = current.get(answer.competence_id)
        if answer.level is None:
            if existing is not None:
                gone.append(existing.pk)
                touched.add(answer.competence_id)
            continue
        if existing is None:
            new.append(
                Evidence(
                    organisation_id=response.organisation_id,
                    person_id=response.subject_id,
                    competence_id=answer.competence_id,
                    source=source,
                    level=answer.level,
                    observed_on=today,
                    campaign_id=response.campaign_id,
                    response=response,
                )
            )
        elif existing.level != answer.level or existing.observed_on != today:
            existing.level, existing.observed_on, existing.updated_at = answer.level, today, timezone.now()
            changed.append(existing)
        else:
            continue
        touched.add(answer.competence_id)
    # Estimates built on withdrawn answers go with their evidence (cascade) and are rebuilt below.
    Evidence.objects.filter(pk__in=gone).delete()
    Evidence.objects.bulk_create(new)
    Evidence.objects.bulk_update(changed, ["level", "observed_on", "updated_at"])
    if touched:
        estimates_recompute(person_id=response.subject_id, competence_ids=touched, today=today)
        evidence_changed(response, touched)
