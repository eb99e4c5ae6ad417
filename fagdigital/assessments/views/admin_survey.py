"""Administration of the chiefs' survey of a round: its statements while a draft, and its results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fagdigital.assessments import selectors, services
from fagdigital.assessments.forms import (
    SurveyItemForm,
)
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    DegreeScale,
    Instrument,
    SurveyItem,
)
from fagdigital.assessments.selectors import admin as selectors_admin
from fagdigital.assessments.views.admin import ADMIN, managed_campaign, refusal_page
from fagdigital.privacy.rules import min_group
from fagdigital.privacy.texts import chiefs_notice
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

# --- Chiefs' survey -----------------------------------------------------------------------------------------


def _survey_campaign(actor: Actor, campaign_id: int) -> Campaign:
    campaign = managed_campaign(actor, campaign_id)
    if not campaign.uses(Instrument.CHIEFS):
        raise Http404
    return campaign


def _survey_locked(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    return refusal_page(
        request,
        campaign,
        title=_("Spørgsmålene kan ikke ændres"),
        reasons=[
            _(
                "Målingen er åbnet, så ledelsesmålingens spørgsmål ligger fast. Ellers ville nogle svare på "
                "andre spørgsmål end andre."
            )
        ],
        back_url=reverse("assessments:survey_items", args=[campaign.pk]),
        back_label=_("Tilbage til spørgsmålene"),
    )


@actor_required(ADMIN)
def survey_items(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    campaign = _survey_campaign(actor, campaign_id)
    areas = {a.code: a for a in selectors_admin.framework_areas(framework=campaign.framework)}
    context = {
        "campaign": campaign,
        "items": [
            (item, areas.get(item.area_code)) for item in selectors_admin.survey_items(campaign=campaign)
        ],
        "editable": campaign.status == CampaignStatus.DRAFT,
    }
    return render(request, "assessments/admin/survey_items.html", context)


@actor_required(ADMIN)
def survey_item_edit(request: HttpRequest, actor: Actor, campaign_id: int, item_id: int) -> HttpResponse:
    """Add (item_id 0) or change a statement of the chiefs' survey while the campaign is a draft."""
    campaign = _survey_campaign(actor, campaign_id)
    item: SurveyItem | None = (
        selectors_admin.get_survey_item_for_campaign(campaign=campaign, item_id=item_id) if item_id else None
    )
    if campaign.status != CampaignStatus.DRAFT:
        return _survey_locked(request, campaign)
    items = selectors_admin.survey_items(campaign=campaign)
    initial = {"text_da": item.text_da, "text_en": item.text_en, "area_code": item.area_code} if item else {}
    form = SurveyItemForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        areas=selectors_admin.framework_areas(framework=campaign.framework),
        existing_codes={i.code for i in items},
        creating=item is None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.survey_item_save(
                    campaign=campaign,
                    item=item,
                    code=data["code"] if item is None else item.code,
                    text_da=data["text_da"],
                    text_en=data["text_en"],
                    area_code=data["area_code"],
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    return _survey_locked(request, campaign)
                for name, field_messages in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, field_messages)
            else:
                messages.success(
                    request,
                    _("Spørgsmålet er tilføjet.") if item is None else _("Spørgsmålet er gemt."),
                )
                return redirect(reverse("assessments:survey_items", args=[campaign.pk]) + f"#item-{saved.pk}")
        status = 422
    context = {
        "campaign": campaign,
        "item": item,
        "form": form,
        "heading": _("Nyt spørgsmål") if item is None else _("Redigér spørgsmålet"),
        "error_summary": [
            (str(form[name].auto_id), str(m)) for name in form.fields for m in form.errors.get(name, [])
        ],
        "non_field_errors": form.non_field_errors(),
        "error_prefix": _("Fejl:"),
    }
    return render(request, "assessments/admin/survey_item_form.html", context, status=status)


@actor_required(ADMIN)
def survey_item_delete(request: HttpRequest, actor: Actor, campaign_id: int, item_id: int) -> HttpResponse:
    """Ask first (GET), then delete (POST)."""
    campaign = _survey_campaign(actor, campaign_id)
    item = selectors_admin.get_survey_item_for_campaign(campaign=campaign, item_id=item_id)
    if campaign.status != CampaignStatus.DRAFT:
        return _survey_locked(request, campaign)
    if request.method == "POST":
        try:
            services.survey_item_delete(campaign=campaign, item=item)
        except ValidationError:
            return _survey_locked(request, campaign)
        messages.success(request, _("Spørgsmålet er slettet."))
        return redirect("assessments:survey_items", campaign.pk)
    return render(request, "assessments/admin/survey_item_delete.html", {"campaign": campaign, "item": item})


@actor_required(ADMIN, Role.TOP_MANAGEMENT)
def survey_results(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """The organisation's own answers: for its competence admins and top management (DESIGN.md §2)."""
    campaign = selectors.get_campaign_for_user(actor=actor, campaign_id=campaign_id)
    if not campaign.uses(Instrument.CHIEFS):
        raise Http404
    counts = selectors.campaign_counts(campaign=campaign)
    respondents = counts.get(str(Instrument.CHIEFS), 0)
    k = min_group(campaign.organisation)
    # The answers only once the round is closed and at least k chiefs answered (decision 0010); the
    # chiefs read this rule before answering.
    shown = campaign.status == CampaignStatus.CLOSED and respondents >= k
    context = {
        "campaign": campaign,
        "rows": selectors.survey_results(campaign=campaign) if shown else [],
        "shown": shown,
        "notice": chiefs_notice(k=k),
        "respondents": respondents,
        "is_admin": actor.has_role(ADMIN),
        "scale": [str(label) for _value, label in DegreeScale.choices],
    }
    return render(request, "assessments/admin/survey_results.html", context)
