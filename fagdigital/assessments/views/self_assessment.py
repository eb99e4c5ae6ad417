"""Taking part: "Mine målinger", sign-in links from invitations, and the self-assessment.

The self-assessment is one page per focus area. The form autosaves at every change (htmx, whole page
at a time, so an earlier failed save is repaired by the next) and works without JavaScript as a normal
form: "Gem og fortsæt" saves and moves on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.accounts.ratelimit import email_request_allowed
from fagdigital.accounts.views import too_many_message
from fagdigital.assessments import selectors, services
from fagdigital.assessments.autosave import posted_levels, save_status_response
from fagdigital.assessments.forms import NewLinkForm
from fagdigital.assessments.models import Instrument, Participant, Response
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.middleware import SESSION_KEY


@actor_required()
def my_campaigns(request: HttpRequest, actor: Actor) -> HttpResponse:
    context = {"items": selectors.my_campaigns(actor=actor), "today": selectors.today()}
    return render(request, "assessments/mine.html", context)


def signin_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners open links, and must not use up a one-time link."""
    if request.method != "POST":
        return render(request, "assessments/signin_link.html", {"token": token})
    try:
        user, participant = services.signin_link_use(token=token)
    except ValidationError as error:
        return render(request, "assessments/signin_link.html", {"error": error.messages[0]}, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_KEY] = participant.organisation_id
    campaign = participant.campaign
    if campaign.uses(Instrument.SELF):
        return redirect("assessments:self_start", campaign_id=campaign.pk)
    if campaign.uses(Instrument.TEST):
        return redirect("assessments:test_start", campaign_id=campaign.pk)
    return redirect("assessments:mine")


def _self_context(actor: Actor, campaign_id: int) -> tuple[Participant, Response, selectors.Questionnaire]:
    participant = selectors.get_participation_for_user(actor=actor, campaign_id=campaign_id)
    campaign = participant.campaign
    if not campaign.uses(Instrument.SELF):
        raise Http404
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=actor.user, subject=participant.person
    )
    questionnaire = selectors.questionnaire(
        response=response, role_profile_code=participant.role_profile_code
    )
    return participant, response, questionnaire


def _page_context(
    participant: Participant, response: Response, questionnaire: selectors.Questionnaire
) -> dict[str, Any]:
    campaign = participant.campaign
    return {
        "campaign": campaign,
        "response": response,
        "questionnaire": questionnaire,
        "accepts_answers": campaign.accepts_answers(today=selectors.today()),
        "saved_at": response.saved_at,
        "answered": questionnaire.answered,
        "total": questionnaire.total,
    }


@actor_required()
def self_start(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    participant, response, questionnaire = _self_context(actor, campaign_id)
    first_open = next((a for a in questionnaire.areas if a.answered < len(a.items)), None)
    context = _page_context(participant, response, questionnaire) | {"continue_area": first_open}
    return render(request, "assessments/self_start.html", context)


@actor_required()
def self_area(request: HttpRequest, actor: Actor, campaign_id: int, area_id: int) -> HttpResponse:
    participant, response, questionnaire = _self_context(actor, campaign_id)
    area = questionnaire.area_by_id(area_id)
    if area is None:
        raise Http404
    index = questionnaire.areas.index(area)
    context = _page_context(participant, response, questionnaire) | {
        "area": area,
        "step": index + 1,
        "previous_area": questionnaire.areas[index - 1] if index > 0 else None,
        "next_area": questionnaire.areas[index + 1] if index + 1 < len(questionnaire.areas) else None,
    }
    return render(request, "assessments/self_area.html", context)


@require_POST
@actor_required()
def self_save(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    # The hot path of autosave: no questionnaire is built, only the answers and the progress count.
    participant = selectors.get_participation_for_user(actor=actor, campaign_id=campaign_id)
    if not participant.campaign.uses(Instrument.SELF):
        raise Http404
    campaign = participant.campaign
    response = services.response_get_or_create(
        campaign=campaign, instrument=Instrument.SELF, respondent=actor.user, subject=participant.person
    )
    code = participant.role_profile_code
    try:
        response = services.answers_save(response=response, levels=posted_levels(request))
    except ValidationError as error:
        if request.htmx:  # type: ignore[attr-defined]
            answered, total = selectors.answer_progress(response=response, role_profile_code=code)
            return save_status_response(
                request,
                saved_at=response.saved_at,
                answered=answered,
                total=total,
                error=error.messages[0],
                status=409,
            )
        messages.error(request, error.messages[0])
        return redirect(_same_site(request, request.POST.get("back", ""), campaign_id))
    if request.htmx:  # type: ignore[attr-defined]
        answered, total = selectors.answer_progress(response=response, role_profile_code=code)
        return save_status_response(request, saved_at=response.saved_at, answered=answered, total=total)
    messages.success(request, _("Dine svar er gemt."))
    questionnaire = selectors.questionnaire(response=response, role_profile_code=code)
    next_area = request.POST.get("next_area", "")
    if next_area.isdigit() and questionnaire.area_by_id(int(next_area)) is not None:
        return redirect("assessments:self_area", campaign_id=campaign_id, area_id=int(next_area))
    return redirect("assessments:self_review", campaign_id=campaign_id)


def _same_site(request: HttpRequest, back: str, campaign_id: int) -> str:
    """The posted way back when it is a path on this site; else the start page (no open redirect)."""
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse("assessments:self_start", args=[campaign_id])


@actor_required()
def self_review(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """The overview before submitting, and the submission itself (idempotent)."""
    participant, response, questionnaire = _self_context(actor, campaign_id)
    error = ""
    if request.method == "POST":
        try:
            result = services.response_submit(response=response)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            if result.resubmitted:
                messages.success(request, _("Dine ændringer er indsendt."))
            elif result.applied:
                messages.success(request, _("Tak! Din selvvurdering er indsendt."))
            else:
                messages.info(request, _("Din selvvurdering var allerede indsendt. Intet er ændret."))
            return redirect("assessments:my_profile")
    context = _page_context(participant, response, questionnaire) | {"error": error}
    return render(request, "assessments/self_review.html", context, status=409 if error else 200)


# --- A new sign-in link, asked for from the login page ------------------------------------------


def new_link(request: HttpRequest) -> HttpResponse:
    """Ask for a fresh one-time link by e-mail; the answer is the same whether the address is known."""
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = str(form.cleaned_data["email"])
        verdict = email_request_allowed(request=request, kind="signin-link", email=email)
        if not verdict.allowed:
            form.add_error(None, too_many_message(verdict.retry_minutes))
            return render(request, "assessments/new_link.html", {"form": form}, status=429)
        services.signin_links_resend(email=email)
        return redirect("assessments:new_link_sent")
    status = 422 if request.method == "POST" else 200
    return render(request, "assessments/new_link.html", {"form": form}, status=status)


def new_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/new_link_sent.html", {"link_days": settings.SIGNIN_LINK_MAX_AGE_DAYS})
