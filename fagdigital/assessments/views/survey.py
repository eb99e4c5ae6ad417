"""The chiefs' survey (ledelsesmåling) as top management answers it.

Each statement is answered on the five-point degree scale or "ved ikke". The form autosaves like the
other questionnaires and works without JavaScript; "Indsend" saves the posted page and submits it.
The answers can be changed and submitted again until the campaign closes.
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
from fagdigital.assessments.autosave import parse_choice, save_status_response
from fagdigital.assessments.models import DegreeScale, Instrument, RespondentType, Response
from fagdigital.privacy.rules import min_group
from fagdigital.privacy.texts import chiefs_notice
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

ITEM_PREFIX = "s"


def _survey_response(actor: Actor, campaign_id: int, *, create: bool = True) -> Response:
    """The actor's survey response; when only looking, an unsaved one stands in until the first answer,
    so "Mine målinger" says "not started" until something is saved."""
    campaign = selectors.get_campaign_for_user(actor=actor, campaign_id=campaign_id)
    if not campaign.uses(Instrument.CHIEFS):
        raise Http404
    if create:
        response = services.response_get_or_create(
            campaign=campaign, instrument=Instrument.CHIEFS, respondent=actor.user, subject=None
        )
    else:
        response = selectors.find_response(
            campaign=campaign, instrument=Instrument.CHIEFS, respondent=actor.user, subject=None
        ) or Response(
            organisation_id=campaign.organisation_id,
            campaign=campaign,
            instrument=Instrument.CHIEFS,
            respondent=actor.user,
        )
    response.campaign = campaign
    return response


def _page_context(response: Response, sheet: selectors.SurveySheet) -> dict[str, Any]:
    campaign = response.campaign
    return {
        "campaign": campaign,
        "response": response,
        "sheet": sheet,
        "scale": DegreeScale.choices,
        "respondent_types": RespondentType.choices,
        "k": min_group(campaign.organisation),
        "accepts_answers": campaign.accepts_answers(today=selectors.today()),
        "saved_at": response.saved_at,
        "answered": sheet.answered,
        "total": sheet.total,
        "notice": chiefs_notice(k=min_group(campaign.organisation)),
    }


def _posted_values(request: HttpRequest, sheet: selectors.SurveySheet) -> dict[int, int | None]:
    """Answers in the posted form: `s<item id>` → 1..5, or None for "ved ikke"."""
    known = {question.item.pk for question in sheet.questions}
    values: dict[int, int | None] = {}
    for name in request.POST:
        if not name.startswith(ITEM_PREFIX) or not name[len(ITEM_PREFIX) :].isdigit():
            continue
        item_id = int(name[len(ITEM_PREFIX) :])
        if item_id not in known:
            raise ValidationError(_("Spørgsmålet hører ikke til målingen."))
        choice = parse_choice(request.POST.get(name, ""))
        if isinstance(choice, str) or (choice is not None and choice not in DegreeScale.values):
            raise ValidationError(_("Vælg et svar på skalaen eller »ved ikke«."))
        values[item_id] = choice
    return values


def _save_posted(request: HttpRequest, response: Response, sheet: selectors.SurveySheet) -> bool:
    """Save the changed answers of the posted page: all of them, or none when one is refused."""
    values = _posted_values(request, sheet)
    refusal = selectors.answer_refusal(campaign=response.campaign, today=selectors.today())
    if refusal:
        raise ValidationError(refusal)
    respondent_type = request.POST.get("respondent_type", "")
    if respondent_type and respondent_type not in RespondentType.values:
        raise ValidationError(
            _("Vælg en af de tre roller: topchef, digitaliserings- eller it-chef, fagchef.")
        )
    questions = {question.item.pk: question for question in sheet.questions}
    changed: dict[int, int | None] = {}
    for item_id, value in values.items():
        answer = questions[item_id].answer
        if answer is None or answer.value != value:
            changed[item_id] = value
    new_type = bool(respondent_type) and respondent_type != response.respondent_type
    with transaction.atomic():
        if new_type:
            services.survey_respondent_type_set(response=response, respondent_type=respondent_type)
        for item_id, value in changed.items():
            services.survey_answer_save(response=response, item=questions[item_id].item, value=value)
    if changed or new_type:
        response.refresh_from_db(
            fields=["saved_at", "status", "changed_since_submit", "submitted_at", "respondent_type"]
        )
    return bool(changed) or new_type


@actor_required(Role.TOP_MANAGEMENT)
def survey(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    response = _survey_response(actor, campaign_id, create=False)
    sheet = selectors.survey_sheet(response=response)
    return render(request, "assessments/survey/survey.html", _page_context(response, sheet))


@require_POST
@actor_required(Role.TOP_MANAGEMENT)
def save(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """Autosave (htmx: the saved state, or 409 with the reason) or, without JavaScript, save and reload."""
    response = _survey_response(actor, campaign_id)
    sheet = selectors.survey_sheet(response=response)
    htmx = bool(getattr(request, "htmx", False))
    try:
        changed = _save_posted(request, response, sheet)
    except ValidationError as error:
        if htmx:
            return save_status_response(
                request,
                saved_at=response.saved_at,
                answered=sheet.answered,
                total=sheet.total,
                error=error.messages[0],
                status=409,
            )
        messages.error(request, error.messages[0])
        return redirect("assessments:survey", campaign_id=campaign_id)
    if changed:
        sheet = selectors.survey_sheet(response=response)
    if htmx:
        return save_status_response(
            request, saved_at=response.saved_at, answered=sheet.answered, total=sheet.total
        )
    messages.success(request, _("Dine svar er gemt. De tæller først med, når du indsender dem."))
    return redirect("assessments:survey", campaign_id=campaign_id)


@require_POST
@actor_required(Role.TOP_MANAGEMENT)
def submit(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """Save the posted page (if any) and submit; a repeated submission changes nothing."""
    response = _survey_response(actor, campaign_id)
    sheet = selectors.survey_sheet(response=response)
    try:
        if _save_posted(request, response, sheet):
            sheet = selectors.survey_sheet(response=response)
    except ValidationError as refused:
        context = _page_context(response, sheet) | {"error": refused.messages[0]}
        return render(request, "assessments/survey/survey.html", context, status=409)
    if not sheet.answered:
        error = _("Svar på mindst ét spørgsmål, før du indsender.")
        context = _page_context(response, sheet) | {"error": error}
        return render(request, "assessments/survey/survey.html", context, status=422)
    try:
        result = services.response_submit(response=response)
    except ValidationError as refused:
        context = _page_context(response, sheet) | {"error": refused.messages[0]}
        return render(request, "assessments/survey/survey.html", context, status=409)
    if result.resubmitted:
        messages.success(request, _("Dine ændringer i ledelsesmålingen er indsendt."))
    elif result.applied:
        messages.success(request, _("Tak! Dine svar på ledelsesmålingen er indsendt."))
    else:
        messages.info(request, _("Dine svar var allerede indsendt. Intet er ændret."))
    return redirect("assessments:survey", campaign_id=campaign_id)
