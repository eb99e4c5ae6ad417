"""The leader assessment: a leader rates each person in the units they lead, and sees nobody else.

The rating page shows the same level descriptors as the self-assessment, with an optional comment
per competence. It never shows the person's own answers, so the leader rates independently. The form
autosaves like the self-assessment and works without JavaScript; "Indsend vurderingen" saves the posted
page and submits it in one step, then moves on to the next person whose rating is not submitted.
The team grid (`leader_grid`) rates the whole team one focus area at a time.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.assessments import selectors, services
from fagdigital.assessments.autosave import posted_levels, save_status_response
from fagdigital.assessments.models import Campaign, Instrument, Participant, Response
from fagdigital.core.htmx import render_page_or_partial
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

TEAM_PAGE_SIZE = 25
COMMENT_PREFIX = "comment"
COMMENT_MAX_LENGTH = 2000


def _status_choices() -> list[tuple[str, str]]:
    return [
        ("not_started", _("Ikke startet")),
        ("draft", _("Påbegyndt")),
        ("submitted", _("Indsendt")),
        ("changed", _("Ændret – ikke indsendt igen")),  # noqa: RUF001 — Danish text
    ]


def leader_campaign(actor: Actor, campaign_id: int) -> Campaign:
    campaign = selectors.get_campaign_for_user(actor=actor, campaign_id=campaign_id)
    if not campaign.uses(Instrument.LEADER):
        raise Http404
    return campaign


@actor_required(Role.LEADER)
def team(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """The people the leader rates in this campaign, with the state of each rating; searchable, paged."""
    campaign = leader_campaign(actor, campaign_id)
    overview = selectors.team_overview(actor=actor, campaign=campaign)
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status not in selectors.TEAM_STATUSES:
        status = ""
    rows = selectors.team_filter(overview.rows, query=query, status=status)
    page = Paginator(rows, TEAM_PAGE_SIZE).get_page(request.GET.get("side"))
    kept = urlencode({k: v for k, v in (("q", query), ("status", status)) if v})
    context = {
        "campaign": campaign,
        "overview": overview,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "filter_query": f"{kept}&" if kept else "",
        "statuses": _status_choices(),
        "query": query,
        "status": status,
        "filtered": bool(query or status),
        "accepts_answers": campaign.accepts_answers(today=selectors.today()),
        "profiles_visible": selectors.team_profiles_visible(campaign=campaign),
        "grid_areas": selectors.grid_areas(actor=actor, campaign=campaign, overview=overview),
        # "Fortsæt": the first person whose rating is not submitted, in the list's order.
        "next_row": next((row for row in overview.rows if row.status != "submitted"), None),
    }
    return render_page_or_partial(
        request,
        page_template="assessments/leader/team.html",
        partial_template="assessments/leader/_team_results.html",
        context=context,
    )


def _rating(
    actor: Actor, campaign_id: int, person_id: int, *, create: bool = True
) -> tuple[Participant, Response]:
    return rating_for(actor, leader_campaign(actor, campaign_id), person_id, create=create)


def rating_for(
    actor: Actor, campaign: Campaign, person_id: int, *, create: bool = True
) -> tuple[Participant, Response]:
    """The team member (decision 0012: someone the actor leads now, never the actor) and the actor's
    rating of them. Looking (`create=False`) creates nothing, so a closed round's page stays read-only
    and an unopened rating still counts as not started."""
    participant = selectors.get_team_member_for_leader(actor=actor, campaign=campaign, person_id=person_id)
    participant.campaign = campaign
    found = selectors.find_response(
        campaign=campaign, instrument=Instrument.LEADER, respondent=actor.user, subject=participant.person
    )
    if found is not None:
        response = found
    elif create and campaign.accepts_answers(today=selectors.today()):
        response = services.response_get_or_create(
            campaign=campaign, instrument=Instrument.LEADER, respondent=actor.user, subject=participant.person
        )
    else:
        response = Response(
            organisation_id=campaign.organisation_id,
            campaign=campaign,
            instrument=Instrument.LEADER,
            respondent=actor.user,
            subject=participant.person,
        )
    response.campaign = campaign
    return participant, response


def _page_context(actor: Actor, participant: Participant, response: Response) -> dict[str, Any]:
    campaign = participant.campaign
    questionnaire = selectors.questionnaire(
        response=response, role_profile_code=participant.role_profile_code
    )
    next_person = selectors.next_to_rate(
        actor=actor, campaign=campaign, after_person_id=participant.person_id
    )
    return {
        "campaign": campaign,
        "participant": participant,
        "next_person": next_person,
        "grid_areas": selectors.grid_areas(actor=actor, campaign=campaign),
        "person": participant.person,
        "response": response,
        "questionnaire": questionnaire,
        "role_profile": selectors.role_profile_name(campaign=campaign, code=participant.role_profile_code),
        "accepts_answers": campaign.accepts_answers(today=selectors.today()),
        "saved_at": response.saved_at,
        "answered": questionnaire.answered,
        "total": questionnaire.total,
        "may_see_profile": selectors.may_see_individual_results(
            actor=actor, campaign=campaign, person=participant.person
        ),
    }


def _posted_comments(request: HttpRequest) -> dict[int, str]:
    """Comments in a posted rating form: `comment<competence id>` → text."""
    comments: dict[int, str] = {}
    for name in request.POST:
        if not name.startswith(COMMENT_PREFIX) or not name[len(COMMENT_PREFIX) :].isdigit():
            continue
        text = request.POST.get(name, "")
        if len(text) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                _("En kommentar må højst være %(count)d tegn.") % {"count": COMMENT_MAX_LENGTH}
            )
        comments[int(name[len(COMMENT_PREFIX) :])] = text
    return comments


def _save_posted(request: HttpRequest, response: Response) -> Response:
    if response.pk is None:
        # A closed (or not yet open) round: nothing to save into, and no row is created for it.
        raise ValidationError(
            selectors.answer_refusal(campaign=response.campaign, today=selectors.today())
            or services.closed_message()
        )
    levels = posted_levels(request)
    comments = _posted_comments(request)
    if not levels and not comments:
        return response
    return services.answers_save(response=response, levels=levels, comments=comments)


@actor_required(Role.LEADER)
def rate(request: HttpRequest, actor: Actor, campaign_id: int, person_id: int) -> HttpResponse:
    participant, response = _rating(actor, campaign_id, person_id, create=False)
    return render(request, "assessments/leader/rate.html", _page_context(actor, participant, response))


@require_POST
@actor_required(Role.LEADER)
def save(request: HttpRequest, actor: Actor, campaign_id: int, person_id: int) -> HttpResponse:
    """Autosave (htmx: the saved state, or 409 with the reason) or, without JavaScript, save and reload."""
    participant, response = _rating(actor, campaign_id, person_id)
    try:
        response = _save_posted(request, response)
    except ValidationError as error:
        if request.htmx:  # type: ignore[attr-defined]
            questionnaire = selectors.questionnaire(
                response=response, role_profile_code=participant.role_profile_code
            )
            return save_status_response(
                request,
                saved_at=response.saved_at,
                answered=questionnaire.answered,
                total=questionnaire.total,
                error=error.messages[0],
                status=409,
            )
        messages.error(request, error.messages[0])
        return redirect("assessments:leader_rate", campaign_id=campaign_id, person_id=person_id)
    questionnaire = selectors.questionnaire(
        response=response, role_profile_code=participant.role_profile_code
    )
    if request.htmx:  # type: ignore[attr-defined]
        return save_status_response(
            request, saved_at=response.saved_at, answered=questionnaire.answered, total=questionnaire.total
        )
    messages.success(request, _("Din vurdering er gemt. Den tæller først med, når du indsender den."))
    return redirect("assessments:leader_rate", campaign_id=campaign_id, person_id=person_id)


@require_POST
@actor_required(Role.LEADER)
def submit(request: HttpRequest, actor: Actor, campaign_id: int, person_id: int) -> HttpResponse:
    """Save the posted page (if any) and submit the rating; a repeated submission changes nothing."""
    participant, response = _rating(actor, campaign_id, person_id)
    try:
        response = _save_posted(request, response)
    except ValidationError as refused:
        context = _page_context(actor, participant, response) | {"error": refused.messages[0]}
        return render(request, "assessments/leader/rate.html", context, status=409)
    if not selectors.has_answers(response=response):
        # An empty rating would show as "Indsendt" on the team list without saying anything.
        error = _("Vælg et niveau eller »Ved ikke« for mindst én kompetence, før du indsender.")
        context = _page_context(actor, participant, response) | {"error": error}
        return render(request, "assessments/leader/rate.html", context, status=422)
    try:
        result = services.response_submit(response=response)
    except ValidationError as refused:
        context = _page_context(actor, participant, response) | {"error": refused.messages[0]}
        return render(request, "assessments/leader/rate.html", context, status=409)
    level, text = submitted_message(result, participant.person.name)
    messages.add_message(request, level, text)
    # On to the next person whose rating is not submitted, not back to the top of the list.
    following = selectors.next_to_rate(actor=actor, campaign=participant.campaign, after_person_id=person_id)
    if following is not None:
        return redirect("assessments:leader_rate", campaign_id=campaign_id, person_id=following.person_id)
    messages.success(request, _("Du har indsendt vurderingen af alle dine medarbejdere i målingen."))
    return redirect("assessments:leader_team", campaign_id=campaign_id)


def submitted_message(result: services.SubmitResult, name: str) -> tuple[int, str]:
    """What a submission says: submitted, changes submitted, or already submitted (nothing changed)."""
    if result.resubmitted:
        return messages.SUCCESS, _("Dine ændringer i vurderingen af %(name)s er indsendt.") % {"name": name}
    if result.applied:
        return messages.SUCCESS, _("Din vurdering af %(name)s er indsendt.") % {"name": name}
    return messages.INFO, _("Din vurdering af %(name)s var allerede indsendt. Intet er ændret.") % {
        "name": name
    }
