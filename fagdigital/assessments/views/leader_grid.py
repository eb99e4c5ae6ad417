"""The leader's team grid: the people a leader rates (rows) by one focus area's competences (columns).

With JavaScript (assessments/leader_grid.js) the table is a WAI-ARIA grid: every cell saves on its own
(`grid_save`, answered with JSON), failed saves are retried with back-off, and a person's rating or every
finished one is submitted from the same page. Without JavaScript each row is a plain form with "Gem"
and "Indsend" that posts the same views and comes back to the row. Who is on the grid, and who may be
saved or submitted, is `orgs.selectors.leader_may_see` through `leader.rating_for` (decision 0012); the
person's own answers are never shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fagdigital.assessments import selectors, services
from fagdigital.assessments.autosave import CHOICE_PREFIX
from fagdigital.assessments.models import Campaign, Participant, Response
from fagdigital.frameworks.models import Area
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from .leader import leader_campaign, rating_for, submitted_message

# People per grid page: a team of up to 50 is one page; a larger one pages like the team list.
GRID_PAGE_SIZE = 50


def _wants_json(request: HttpRequest) -> bool:
    """The grid's script asks for JSON; a form posted without JavaScript gets a redirect."""
    return "application/json" in request.headers.get("Accept", "")


def _grid_url(campaign: Campaign, area: Area, *, side: str = "", person_id: int | None = None) -> str:
    url = reverse("assessments:leader_grid", args=[campaign.pk, area.pk])
    if side.isdigit() and side != "1":
        url += f"?side={side}"
    return url + (f"#r{person_id}" if person_id is not None else "")


def _level_choices(campaign: Campaign) -> list[tuple[str, str]]:
    count = len(campaign.framework.levels) or 4
    return [(str(n), f"{n} {campaign.framework.level_name(n)}") for n in range(1, count + 1)]


@actor_required(Role.LEADER)
def grid(request: HttpRequest, actor: Actor, campaign_id: int, area_id: int) -> HttpResponse:
    campaign = leader_campaign(actor, campaign_id)
    area = selectors.get_grid_area(campaign=campaign, area_id=area_id)
    team_grid = selectors.leader_grid(actor=actor, campaign=campaign, area=area)
    page = Paginator(team_grid.rows, GRID_PAGE_SIZE).get_page(request.GET.get("side"))
    rows = list(page.object_list)
    context: dict[str, Any] = {
        "campaign": campaign,
        "area": area,
        "grid": team_grid,
        "page": page,
        "rows": rows,
        "page_area_finished": sum(1 for row in rows if row.progress.area_finished),
        "page_submitted": sum(1 for row in rows if row.progress.status == "submitted"),
        "level_choices": _level_choices(campaign),
        "accepts_answers": campaign.accepts_answers(today=selectors.today()),
    }
    return render(request, "assessments/leader/grid.html", context)


def _posted_cells(
    request: HttpRequest, allowed: frozenset[int], level_count: int
) -> tuple[dict[int, int | None], set[int]]:
    """The posted cells, `c<competence id>` → "1".."4", "dont_know" or "" (withdraw the answer).

    Only the competences of this area the person is asked may be posted; anything else is refused whole.
    """
    levels: dict[int, int | None] = {}
    cleared: set[int] = set()
    for name in request.POST:
        if not name.startswith(CHOICE_PREFIX) or not name[len(CHOICE_PREFIX) :].isdigit():
            continue
        competence_id = int(name[len(CHOICE_PREFIX) :])
        if competence_id not in allowed:
            raise ValidationError(
                _("En af kompetencerne hører ikke til dette fokusområde for medarbejderen.")
            )
        value = request.POST.get(name, "")
        if value == "":
            cleared.add(competence_id)
        elif value == "dont_know":
            levels[competence_id] = None
        elif len(value) == 1 and value.isdigit() and 1 <= int(value) <= level_count:
            levels[competence_id] = int(value)
        else:
            raise ValidationError(_("Vælg et af niveauerne eller »ved ikke«."))
    return levels, cleared


def _save_posted(
    request: HttpRequest, campaign: Campaign, area: Area, participant: Participant, response: Response
) -> tuple[Response, dict[int, str]]:
    """Save the posted cells; → the response and the saved value of every posted cell.

    Raises ValidationError with code "invalid" for a bad request (422) and AnswerRefusedError (409)
    when the round takes no answers.
    """
    allowed = selectors.grid_competence_ids(
        campaign=campaign, role_profile_code=participant.role_profile_code, area=area
    )
    try:
        levels, cleared = _posted_cells(request, allowed, len(campaign.framework.levels) or 4)
    except ValidationError as error:
        raise ValidationError(error.messages[0], code="invalid") from error
    if response.pk is None:
        raise services.AnswerRefusedError(
            selectors.answer_refusal(campaign=campaign, today=selectors.today()) or services.closed_message()
        )
    if levels or cleared:
        response = services.answers_save(response=response, levels=levels, clear=cleared)
    saved = {c: ("dont_know" if level is None else str(level)) for c, level in levels.items()}
    saved.update(dict.fromkeys(cleared - set(levels), ""))
    return response, saved


def _row_payload(
    request: HttpRequest, campaign: Campaign, area: Area, participant: Participant, response: Response
) -> dict[str, Any]:
    """What the grid's script updates after a save or a submission: the row's progress and state."""
    progress = selectors.row_progress(
        response=response, role_profile_code=participant.role_profile_code, area=area
    )
    html = render_to_string(
        "assessments/leader/_grid_row_status.html",
        {"progress": progress, "accepts_answers": campaign.accepts_answers(today=selectors.today())},
        request=request,
    )
    return {
        "status": progress.status,
        "finished": progress.finished,
        "area_finished": progress.area_finished,
        "submittable": progress.submittable,
        "status_html": html,
    }


def _saved_message(response: Response) -> str:
    saved_at = timezone.localtime(response.saved_at or timezone.now())
    return _("Gemt kl. %(time)s") % {"time": time_format(saved_at, "H.i")}


def _refused(request: HttpRequest, error: ValidationError, back: str) -> HttpResponse:
    status = 422 if error.code == "invalid" else 409
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": error.messages[0]}, status=status)
    messages.error(request, error.messages[0])
    return redirect(back)


@require_POST
@actor_required(Role.LEADER)
def grid_save(
    request: HttpRequest, actor: Actor, campaign_id: int, area_id: int, person_id: int
) -> HttpResponse:
    """Save cells of one person (the script: one or a few cells, JSON; without JavaScript: the row's form).

    Saving the same values again changes nothing, so a retried request is harmless.
    """
    campaign = leader_campaign(actor, campaign_id)
    area = selectors.get_grid_area(campaign=campaign, area_id=area_id)
    participant, response = rating_for(actor, campaign, person_id)
    back = _grid_url(campaign, area, side=request.POST.get("side", ""), person_id=person_id)
    try:
        response, saved = _save_posted(request, campaign, area, participant, response)
    except ValidationError as error:
        return _refused(request, error, back)
    if _wants_json(request):
        payload = _row_payload(request, campaign, area, participant, response)
        return JsonResponse({"ok": True, "message": _saved_message(response), "values": saved, **payload})
    messages.success(
        request,
        _("Din vurdering af %(name)s er gemt. Den tæller først med, når du indsender den.")
        % {"name": participant.person.name},
    )
    return redirect(back)


@require_POST
@actor_required(Role.LEADER)
def grid_submit(
    request: HttpRequest, actor: Actor, campaign_id: int, area_id: int, person_id: int
) -> HttpResponse:
    """Save the row's posted cells (if any) and submit the rating of this person; idempotent."""
    campaign = leader_campaign(actor, campaign_id)
    area = selectors.get_grid_area(campaign=campaign, area_id=area_id)
    participant, response = rating_for(actor, campaign, person_id)
    back = _grid_url(campaign, area, side=request.POST.get("side", ""), person_id=person_id)
    try:
        response, _saved = _save_posted(request, campaign, area, participant, response)
        if not selectors.has_answers(response=response):
            raise ValidationError(
                _("Vælg et niveau eller »Ved ikke« for mindst én kompetence, før du indsender."),
                code="invalid",
            )
        result = services.response_submit(response=response)
    except ValidationError as error:
        return _refused(request, error, back)
    level, text = submitted_message(result, participant.person.name)
    if _wants_json(request):
        payload = _row_payload(request, campaign, area, participant, result.response)
        return JsonResponse({"ok": True, "message": text, **payload})
    messages.add_message(request, level, text)
    return redirect(back)


@require_POST
@actor_required(Role.LEADER)
def grid_submit_finished(request: HttpRequest, actor: Actor, campaign_id: int, area_id: int) -> HttpResponse:
    """Submit every rating that has an answer for each of the person's competences and is not submitted
    as it stands; in every focus area, not only this one."""
    campaign = leader_campaign(actor, campaign_id)
    area = selectors.get_grid_area(campaign=campaign, area_id=area_id)
    back = _grid_url(campaign, area, side=request.POST.get("side", ""))
    responses = selectors.submittable_responses(actor=actor, campaign=campaign)
    try:
        count = services.leader_responses_submit(responses=responses)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    if count:
        messages.success(
            request,
            ngettext("%(count)d vurdering er indsendt.", "%(count)d vurderinger er indsendt.", count)
            % {"count": count},
        )
    else:
        messages.info(
            request,
            _(
                "Der var ingen færdige vurderinger at indsende. En vurdering er færdig, når hver af "
                "medarbejderens kompetencer i alle fokusområder har et niveau eller »ved ikke«."
            ),
        )
    return redirect(back)
