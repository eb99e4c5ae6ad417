"""Following a round up: response rates, participants and invitations, reminders and failed sends."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fagdigital.assessments import selectors, services
from fagdigital.assessments.forms import (
    ParticipantSearchForm,
)
from fagdigital.assessments.selectors import admin as selectors_admin
from fagdigital.assessments.views.admin import (
    ADMIN,
    counts_hidden,
    detail_url,
    managed_campaign,
    refusal_page,
)
from fagdigital.core.htmx import render_page_or_partial
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor

# --- Follow-up: response rates and participants -------------------------------------------------------------


@actor_required(ADMIN)
def campaign_rates(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(actor, campaign_id)
    context = {"campaign": campaign, "table": selectors_admin.rate_table(campaign=campaign)}
    return render(request, "assessments/admin/campaign_rates.html", context)


@actor_required(ADMIN)
def participant_list(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(actor, campaign_id)
    form = ParticipantSearchForm(request.GET or None)
    query = str(form.cleaned_data["q"]).strip() if form.is_valid() else ""
    result = selectors_admin.participant_page(
        campaign=campaign, query=query, page_number=request.GET.get("side")
    )
    context = {
        "campaign": campaign,
        "form": form,
        "query": query,
        "result": result,
        "accepts_answers": campaign.accepts_answers(today=timezone.localdate()),
    }
    return render_page_or_partial(
        request,
        page_template="assessments/admin/participant_list.html",
        partial_template="assessments/admin/_participant_results.html",
        context=context,
    )


@require_POST
@actor_required(ADMIN)
def participant_resend(
    request: HttpRequest, actor: Actor, campaign_id: int, participant_id: int
) -> HttpResponse:
    campaign = managed_campaign(actor, campaign_id)
    participant = selectors_admin.get_participant_for_campaign(
        campaign=campaign, participant_id=participant_id
    )
    back = reverse("assessments:participant_list", args=[campaign.pk])
    params = {k: str(request.POST[k]) for k in ("q", "side") if request.POST.get(k)}
    if params:
        back = f"{back}?{urlencode(params)}"
    try:
        sent = services.invitation_resend(participant=participant)
    except ValidationError as error:
        return refusal_page(
            request,
            campaign,
            title=_("Invitationen kan ikke sendes"),
            reasons=list(error.messages),
            back_url=back,
            back_label=_("Tilbage til deltagerne"),
        )
    name = participant.person.name
    if sent:
        messages.success(
            request,
            _(
                "Invitationen er sendt igen til %(name)s. "
                "Et link fra en tidligere invitation virker ikke længere."
            )
            % {"name": name},
        )
    else:
        messages.warning(
            request,
            _(
                "%(name)s har ingen e-mailadresse, så invitationen kunne ikke sendes. Få e-mailadressen "
                "rettet i HR-systemet, og indlæs personerne igen."
            )
            % {"name": name},
        )
    return redirect(back)


# --- Reminders and failed sends -----------------------------------------------------------------------------


@actor_required(ADMIN)
def reminder_now(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """ "Send påmindelse nu": ask first with how many it reaches (GET), then send (POST)."""
    campaign = managed_campaign(actor, campaign_id)
    hidden = counts_hidden(campaign, selectors.campaign_counts(campaign=campaign))
    back = detail_url(campaign)
    if request.method == "POST":
        try:
            sent = services.reminders_send_now(campaign=campaign)
        except ValidationError as error:
            return refusal_page(
                request,
                campaign,
                title=_("Påmindelsen kan ikke sendes"),
                reasons=list(error.messages),
                back_url=back,
                back_label=_("Tilbage til målingen"),
            )
        if hidden:
            messages.success(request, _("Påmindelsen er sendt til dem, der ikke har svaret."))
        else:
            messages.success(
                request,
                ngettext(
                    "Påmindelsen er sendt til %(count)s person.",
                    "Påmindelsen er sendt til %(count)s personer.",
                    sent,
                )
                % {"count": sent},
            )
        return redirect(back)
    context = {
        "campaign": campaign,
        "accepts_answers": campaign.accepts_answers(today=timezone.localdate()),
        "recipients": services.reminder_now_recipients(campaign=campaign).count(),
        "waiting": services.non_respondents(campaign=campaign).count(),
        "hide_counts": hidden,
        "quiet_hours": int(services.REMINDER_NOW_QUIET.total_seconds() // 3600),
    }
    return render(request, "assessments/admin/reminder_now.html", context)


@require_POST
@actor_required(ADMIN)
def send_retry(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """Try the failed invitations and reminders again (they reach only those who did not get them)."""
    campaign = managed_campaign(actor, campaign_id)
    services.send_failures_retry(campaign=campaign)
    messages.success(
        request,
        _(
            "Invitationer og påmindelser, der manglede, sendes nu. Lykkes det ikke, står fejlen her på "
            "siden igen."
        ),
    )
    return redirect(detail_url(campaign))
