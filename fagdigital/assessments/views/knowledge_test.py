"""The knowledge test as a participant takes it: intro, all questions on one page, review, result.

The answer key never reaches the browser before submission: the pages before it are rendered from
`selectors.TestSheet`, which carries no key and no explanation, and every save answer is only
the saved state. Scoring happens on the server when the test is submitted (`services.test_submit`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.assessments import selectors, services
from fagdigital.assessments.autosave import save_status_response
from fagdigital.assessments.evidence_rule import MIN_ITEMS_FOR_TEST_LEVEL, SHARE_THRESHOLDS
from fagdigital.assessments.models import Instrument, Participant, Response, TestQuestion
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor

QUESTION_PREFIX = "q"


def _test_context(
    actor: Actor, campaign_id: int, *, create: bool = True
) -> tuple[Participant, Response | None]:
    """The participation and the test response; pages that only look do not create the response,
    so "Mine målinger" says "not started" until the person actually starts."""
    participant = selectors.get_participation_for_user(actor=actor, campaign_id=campaign_id)
    if not participant.campaign.uses(Instrument.TEST):
        raise Http404
    if create:
        response: Response | None = services.response_get_or_create(
            campaign=participant.campaign,
            instrument=Instrument.TEST,
            respondent=actor.user,
            subject=participant.person,
        )
    else:
        response = selectors.find_response(
            campaign=participant.campaign,
            instrument=Instrument.TEST,
            respondent=actor.user,
            subject=participant.person,
        )
    if response is not None:
        response.campaign = participant.campaign  # the same row, already loaded with its framework
    return participant, response


def _base_context(participant: Participant, response: Response | None) -> dict[str, Any]:
    campaign = participant.campaign
    return {
        "campaign": campaign,
        "response": response,
        "accepts_answers": campaign.accepts_answers(today=selectors.today()),
    }


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@actor_required()
def test_start(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """What the test covers and how it works; "Start testen" draws the questions (once)."""
    participant, response = _test_context(actor, campaign_id, create=request.method == "POST")
    if response is not None and response.is_submitted:
        return redirect("assessments:test_result", campaign_id=campaign_id)
    error = ""
    if request.method == "POST" and response is not None:
        try:
            services.test_start(response=response)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            return redirect("assessments:test_questions", campaign_id=campaign_id)
    drawn = response.questions.count() if response is not None else 0
    context = _base_context(participant, response) | {
        "plan": selectors.test_plan(campaign=participant.campaign, person_id=participant.person_id),
        "min_items": MIN_ITEMS_FOR_TEST_LEVEL,
        "cap": services.framework_knowledge_cap(participant.campaign.framework_id),
        "drawn": drawn,
        "error": error,
    }
    return render(request, "assessments/test/start.html", context, status=409 if error else 200)


@actor_required()
def test_questions(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    participant, response = _test_context(actor, campaign_id, create=False)
    if response is not None and response.is_submitted:
        return redirect("assessments:test_result", campaign_id=campaign_id)
    questions = selectors.test_questions(response=response) if response is not None else []
    if response is None or not questions:
        return redirect("assessments:test_start", campaign_id=campaign_id)
    sheet = selectors.test_sheet(campaign=participant.campaign, questions=questions)
    context = _base_context(participant, response) | {
        "sheet": sheet,
        "saved_at": response.saved_at,
        "answered": sheet.answered,
        "total": sheet.total,
    }
    return render(request, "assessments/test/questions.html", context)


def _posted_selections(request: HttpRequest, questions: dict[int, TestQuestion]) -> dict[int, list[str]]:
    """The chosen options per question on the posted page: `q<question id>` → option keys.

    A question listed in `shown` but absent from the post has no option ticked (an unticked checkbox
    is not sent). Raises ValidationError for a question that is not in the person's test.
    """
    selections: dict[int, list[str]] = {}
    for name in request.POST:
        if not name.startswith(QUESTION_PREFIX) or not name[len(QUESTION_PREFIX) :].isdigit():
            continue
        selections[int(name[len(QUESTION_PREFIX) :])] = request.POST.getlist(name)
    for value in request.POST.getlist("shown"):
        if not value.isdigit():
            raise ValidationError(_("Spørgsmålet hører ikke til din test."))
        selections.setdefault(int(value), [])
    if set(selections) - set(questions):
        raise ValidationError(_("Spørgsmålet hører ikke til din test."))
    return selections


def _save_answers(response: Response, questions: list[TestQuestion], request: HttpRequest) -> None:
    """Save the posted page: all of it or, when one answer is refused, none of it."""
    by_id = {question.pk: question for question in questions}
    selections = _posted_selections(request, by_id)
    if response.is_submitted:
        raise ValidationError(_("Testen er indsendt, og svarene kan ikke ændres."))
    refusal = selectors.answer_refusal(campaign=response.campaign, today=selectors.today())
    if refusal:
        raise ValidationError(refusal)
    changed = {
        pk: chosen for pk, chosen in selections.items() if sorted(set(chosen)) != sorted(by_id[pk].selected)
    }
    with transaction.atomic():
        for pk, chosen in changed.items():
            services.test_answer_save(response=response, question=by_id[pk], selected=chosen)
    if changed:
        response.refresh_from_db(fields=["saved_at", "status"])


@require_POST
@actor_required()
def test_save(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """Autosave (htmx: the saved state, or 409 with the reason) or, without JavaScript, save and go on."""
    _participant, response = _test_context(actor, campaign_id)
    assert response is not None
    questions = selectors.test_questions(response=response)
    try:
        _save_answers(response, questions, request)
    except ValidationError as error:
        # A refused save may have changed some question objects in memory before rolling back.
        questions = selectors.test_questions(response=response)
        if _is_htmx(request):
            return save_status_response(
                request,
                saved_at=response.saved_at,
                answered=sum(1 for q in questions if q.answered),
                total=len(questions),
                error=error.messages[0],
                status=409,
            )
        messages.error(request, error.messages[0])
        return redirect("assessments:test_questions", campaign_id=campaign_id)
    if _is_htmx(request):
        return save_status_response(
            request,
            saved_at=response.saved_at,
            answered=sum(1 for q in questions if q.answered),
            total=len(questions),
        )
    messages.success(request, _("Dine svar er gemt."))
    return redirect("assessments:test_submit", campaign_id=campaign_id)


@actor_required()
def test_submit(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """The overview before submitting, and the submission itself (idempotent)."""
    participant, response = _test_context(actor, campaign_id, create=False)
    if response is None:
        return redirect("assessments:test_start", campaign_id=campaign_id)
    error = ""
    if request.method == "POST":
        try:
            result = services.test_submit(response=response)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            if result.applied:
                messages.success(request, _("Tak! Din videnstest er indsendt. Her er dit resultat."))
            else:
                messages.info(request, _("Din videnstest var allerede indsendt. Intet er ændret."))
            return redirect("assessments:test_result", campaign_id=campaign_id)
    elif response.is_submitted:
        return redirect("assessments:test_result", campaign_id=campaign_id)
    questions = selectors.test_questions(response=response)
    if not questions and not error:
        return redirect("assessments:test_start", campaign_id=campaign_id)
    sheet = selectors.test_sheet(campaign=participant.campaign, questions=questions)
    context = _base_context(participant, response) | {
        "sheet": sheet,
        "answered": sheet.answered,
        "total": sheet.total,
        "missing": sheet.total - sheet.answered,
        "error": error,
    }
    return render(request, "assessments/test/review.html", context, status=409 if error else 200)


def _level_bands(cap: int) -> list[dict[str, int]]:
    """The share right → level rule as the person reads it: "level: at least N %", the lowest "under N %"."""
    if not SHARE_THRESHOLDS[cap]:
        return [{"level": 1, "from": 0}]
    bands: list[dict[str, int]] = []
    previous = 100
    for threshold, level in SHARE_THRESHOLDS[cap]:
        percent = round(100 * threshold)
        bands.append({"level": level, "from": percent})
        previous = percent
    bands.append({"level": 1, "below": previous})
    return bands


@actor_required()
def test_result(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    participant, response = _test_context(actor, campaign_id, create=False)
    if response is None or not response.is_submitted:
        return redirect("assessments:test_questions", campaign_id=campaign_id)
    questions = selectors.test_questions(response=response)
    cap = services.framework_knowledge_cap(participant.campaign.framework_id)
    context = _base_context(participant, response) | {
        "result": selectors.test_result(
            response=response,
            questions=questions,
            withheld=selectors.withheld_items(person_id=participant.person_id, today=selectors.today()),
        ),
        "level_bands": _level_bands(cap),
        "cap": cap,
        "min_items": MIN_ITEMS_FOR_TEST_LEVEL,
    }
    return render(request, "assessments/test/result.html", context)
