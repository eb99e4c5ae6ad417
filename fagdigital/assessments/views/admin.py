"""Campaign administration for competence admins: set up, open, follow and close measurement rounds.

Views only parse input and call services (writes) and selectors (reads). A refused state change (opening
a campaign with nobody in scope, editing an open one) answers 409 with the reason; invalid input answers
422 with the messages at the fields and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fagdigital.assessments import selectors, services
from fagdigital.assessments.forms import (
    ACTION_ADD,
    ACTION_REMOVE,
    ACTION_SAVE,
    ACTION_SEARCH,
    CampaignForm,
    ExtendForm,
    ScopeInput,
    chosen_framework,
    visibility_help,
)
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    Visibility,
)
from fagdigital.assessments.selectors import admin as selectors_admin
from fagdigital.core.htmx import render_page_or_partial
from fagdigital.privacy.rules import min_group
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

ADMIN = Role.COMPETENCE_ADMIN
PERSON_INSTRUMENTS = selectors_admin.PERSON_INSTRUMENTS


def managed_campaign(actor: Actor, campaign_id: int) -> Campaign:
    return selectors.get_managed_campaign_for_user(actor=actor, campaign_id=campaign_id)


def detail_url(campaign: Campaign) -> str:
    return reverse("assessments:campaign_detail", args=[campaign.pk])


def refusal_page(
    request: HttpRequest,
    campaign: Campaign,
    *,
    title: str,
    reasons: list[str],
    back_url: str,
    back_label: str,
    status: int = 409,
) -> HttpResponse:
    """A state change that cannot be made, the reason, and the way back."""
    context = {
        "campaign": campaign,
        "title": title,
        "reasons": reasons,
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "assessments/admin/refused.html", context, status=status)


# --- List ---------------------------------------------------------------------------------------------------


@actor_required(ADMIN)
def campaign_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    context = {
        "rows": selectors_admin.campaign_rows(actor=actor),
        "can_create": bool(selectors_admin.published_frameworks(actor=actor)),
    }
    return render(request, "assessments/admin/campaign_list.html", context)


# --- Create and edit ----------------------------------------------------------------------------------------


def _initial_for(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "framework": campaign.framework_id,
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
        "instruments": list(campaign.instruments),
        "test_area_codes": list(campaign.test_area_codes),
        "test_items_per_competence": str(campaign.test_items_per_competence),
        "visibility": campaign.visibility,
        "role_profile_codes": list(campaign.role_profile_codes),
        "reminder_days": CampaignForm.format_days(list(campaign.reminder_days)),
    }


def _edit_refused(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    if campaign.status == CampaignStatus.OPEN:
        reasons = [
            _(
                "Målingen er åben. Når en måling er åbnet, ligger omfang, instrumenter og synlighed fast, "
                "så alle deltagere svarer på samme grundlag og ved, hvem der kan se deres svar."
            ),
            _("Du kan stadig forlænge lukkedatoen eller lukke målingen på målingens side."),
        ]
    else:
        reasons = [
            _(
                "Målingen er lukket, og en lukket måling kan ikke ændres. "
                "Opret en ny måling, hvis I vil måle igen."
            )
        ]
    return refusal_page(
        request,
        campaign,
        title=_("Målingen kan ikke ændres"),
        reasons=reasons,
        back_url=detail_url(campaign),
        back_label=_("Tilbage til målingen"),
    )


def _campaign_form(request: HttpRequest, actor: Actor, campaign: Campaign | None) -> HttpResponse:
    """The create and edit page: one form, with the unit search working with and without JavaScript."""
    frameworks = selectors_admin.published_frameworks(actor=actor)
    if not frameworks:
        return render(request, "assessments/admin/no_framework.html", {"campaign": campaign})
    today = timezone.localdate()
    posted = request.method == "POST"
    if posted:
        scope = ScopeInput.from_data(request.POST)
    elif campaign is not None:
        scope = ScopeInput.initial(selectors_admin.campaign_scope(campaign=campaign))
    else:
        scope = ScopeInput.initial([])
    saving = posted and scope.action == ACTION_SAVE
    if posted and not saving:
        # A search or a change of units: show what was typed again, unchecked (nothing is saved).
        initial = CampaignForm.initial_from_data(request.POST)
    elif campaign is not None:
        initial = _initial_for(campaign)
    else:
        initial = {}
    data = request.POST if saving else None
    framework = chosen_framework(data, initial, frameworks)
    assert framework is not None  # there is at least one published framework
    areas = selectors_admin.framework_areas(framework=framework)
    if campaign is None and not posted:
        initial = CampaignForm.initial_for_new(frameworks, areas, today)
    form = CampaignForm(
        data,
        initial=initial,
        frameworks=frameworks,
        role_profiles=selectors_admin.framework_role_profiles(framework=framework),
        areas=areas,
    )
    chosen, unknown = selectors_admin.unit_choices(
        actor=actor, unit_ids=scope.unit_ids, subtree=scope.subtree
    )
    scope_errors: list[str] = []
    if unknown:
        scope_errors.append(
            _(
                "En eller flere af de valgte enheder findes ikke længere i organisationen og er taget af "
                "listen. Tjek listen, og gem igen."
            )
        )
    scope_notice = ""
    search = None
    status = 200
    if scope.action == ACTION_SEARCH:
        search = selectors_admin.unit_search(actor=actor, query=scope.query)
    elif scope.action == ACTION_ADD:
        scope_notice = (
            ngettext(
                "%(count)s enhed er føjet til målingen.",
                "%(count)s enheder er føjet til målingen.",
                scope.added,
            )
            % {"count": scope.added}
            if scope.added
            else _("Sæt flueben ved de enheder, du vil føje til målingen, og tryk så på knappen igen.")
        )
    elif scope.action == ACTION_REMOVE:
        scope_notice = _("Enheden er taget ud af målingen.")
    elif saving:
        if form.is_valid() and not unknown:
            saved = _save(actor, campaign, form, chosen, scope_errors)
            if saved is not None:
                messages.success(
                    request,
                    (
                        _("Målingen »%(name)s« er oprettet som kladde. Ingen er inviteret endnu.")
                        if campaign is None
                        else _("Ændringerne i »%(name)s« er gemt.")
                    )
                    % {"name": saved.name},
                )
                return redirect(detail_url(saved))
            if campaign is not None and campaign.status != CampaignStatus.DRAFT:
                return _edit_refused(request, campaign)
        status = 422
    heading = _("Opret måling") if campaign is None else _("Redigér målingen")
    context = {
        "campaign": campaign,
        "heading": heading,
        "form": form,
        "scope": scope,
        "chosen": chosen,
        "chosen_ids": {c.unit.pk for c in chosen},
        "scope_errors": scope_errors,
        "scope_notice": scope_notice,
        "search": search,
        "error_summary": _error_summary(form, scope_errors),
        "error_prefix": _("Fejl:"),
        "min_group": min_group(actor.organisation),
    }
    return render(request, "assessments/admin/campaign_form.html", context, status=status)


def _save(
    actor: Actor,
    campaign: Campaign | None,
    form: CampaignForm,
    chosen: list[selectors_admin.UnitChoice],
    scope_errors: list[str],
) -> Campaign | None:
    """Create or update through the service; on refusal put its messages at the fields and return None."""
    data = form.cleaned_data
    values = services.CampaignSettings(
        name=data["name"],
        framework=data["framework"],
        opens_on=data["opens_on"],
        closes_on=data["closes_on"],
        instruments=data["instruments"],
        visibility=data["visibility"],
        units=[(c.unit, c.include_subtree) for c in chosen],
        role_profile_codes=data["role_profile_codes"],
        reminder_days=data["reminder_days"],
        test_area_codes=data["test_area_codes"],
        test_items_per_competence=data["test_items_per_competence"],
    )
    try:
        if campaign is None:
            return services.campaign_create(actor=actor, values=values)
        return services.campaign_update(campaign=campaign, values=values)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            # The campaign was opened meanwhile (another tab or colleague): the caller explains.
            if campaign is not None:
                campaign.refresh_from_db()
            form.add_error(None, error)
            return None
        for name, field_messages in error.message_dict.items():
            if name == "units":
                scope_errors.extend(field_messages)
            elif name in form.fields:
                form.add_error(name, field_messages)
            else:
                form.add_error(None, field_messages)
        return None


def _error_summary(form: CampaignForm, scope_errors: list[str]) -> list[tuple[str, str]]:
    """(element id, message) in the order the page shows the fields, for the error summary at the top."""
    summary: list[tuple[str, str]] = [("", str(e)) for e in form.non_field_errors()]
    for name in form.fields:
        if name == "role_profile_codes":
            summary += [("id_q", message) for message in scope_errors]
        summary += [(form.anchor(name), str(message)) for message in form.errors.get(name, [])]
    return summary


@actor_required(ADMIN)
def campaign_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _campaign_form(request, actor, None)


@actor_required(ADMIN)
def campaign_edit(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(actor, campaign_id)
    if campaign.status != CampaignStatus.DRAFT:
        return _edit_refused(request, campaign)
    return _campaign_form(request, actor, campaign)


@actor_required(ADMIN)
def unit_picker(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Units of the organisation matching a name: the live search of the campaign form (HTMX).

    Without JavaScript the campaign form searches itself; this page then only lists the matches.
    """
    search = selectors_admin.unit_search(actor=actor, query=str(request.GET.get("q", ""))[:100])
    chosen_ids = {int(v) for v in request.GET.getlist("units") if v.isdigit()}
    return render_page_or_partial(
        request,
        page_template="assessments/admin/unit_picker.html",
        partial_template="assessments/admin/_unit_results.html",
        context={"search": search, "chosen_ids": chosen_ids},
    )


# --- Detail and state changes -------------------------------------------------------------------------------


def _render_detail(
    request: HttpRequest,
    campaign: Campaign,
    *,
    errors: list[str] | None = None,
    extend_form: ExtendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    k = min_group(campaign.organisation)
    counts = selectors.campaign_counts(campaign=campaign)
    person_instruments = [i for i in PERSON_INSTRUMENTS if campaign.uses(i)]
    planned = None
    if campaign.status == CampaignStatus.DRAFT and person_instruments:
        planned = len(services.scope_people(campaign=campaign, on=max(today, campaign.opens_on)))
    role_profiles = [
        r.t("name")
        for r in selectors_admin.framework_role_profiles(framework=campaign.framework)
        if r.code in campaign.role_profile_codes
    ]
    test_areas = (
        [
            a.t("name")
            for a in selectors_admin.framework_areas(framework=campaign.framework)
            if a.code in campaign.test_area_codes
        ]
        if campaign.uses(Instrument.TEST)
        else []
    )
    submitted = [
        (instrument.label, counts.get(str(instrument), 0))
        for instrument in (*person_instruments, Instrument.CHIEFS)
        if campaign.uses(instrument)
    ]
    context = {
        "campaign": campaign,
        "today": today,
        "accepts_answers": campaign.accepts_answers(today=today),
        "scope": selectors_admin.campaign_scope(campaign=campaign),
        "role_profiles": role_profiles,
        "test_areas": test_areas,
        "instrument_labels": [label for value, label in Instrument.choices if campaign.uses(value)],
        "visibility_help": visibility_help(campaign.visibility, campaign.organisation),
        "counts": counts,
        "submitted": submitted,
        # Anonymous campaigns show no totals for fewer people than the anonymity minimum.
        "hide_counts": counts_hidden(campaign, counts),
        "send_failures": list(services.send_failures_open(campaign=campaign)),
        "can_remind": campaign.accepts_answers(today=today) and bool(person_instruments),
        "min_group": k,
        "planned": planned,
        "person_instruments": person_instruments,
        "errors": errors or [],
        "extend_form": extend_form
        or ExtendForm(initial={"closes_on": max(campaign.closes_on, today) + dt.timedelta(days=7)}),
        "error_prefix": _("Fejl:"),
    }
    return render(request, "assessments/admin/campaign_detail.html", context, status=status)


@actor_required(ADMIN)
def campaign_detail(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    return _render_detail(request, managed_campaign(actor, campaign_id))


@require_POST
@actor_required(ADMIN)
def campaign_open(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(actor, campaign_id)
    try:
        campaign = services.campaign_open(campaign=campaign)
    except ValidationError as error:
        campaign.refresh_from_db()
        return _render_detail(request, campaign, errors=list(error.messages), status=409)
    messages.success(
        request,
        _("Målingen »%(name)s« er åbnet. Deltagerne får deres invitation på e-mail inden for få minutter.")
        % {"name": campaign.name},
    )
    return redirect(detail_url(campaign))


def counts_hidden(campaign: Campaign, counts: dict[str, int]) -> bool:
    """An anonymous round counts only people in publication blocks: with none, there are no totals."""
    return campaign.visibility == Visibility.ANONYMOUS and not counts["covered"]


@actor_required(ADMIN)
def campaign_close(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """Ask first (GET: what closing means, with the figures), then close (POST)."""
    campaign = managed_campaign(actor, campaign_id)
    if request.method == "POST":
        try:
            campaign = services.campaign_close(campaign=campaign)
        except ValidationError as error:
            return _render_detail(request, campaign, errors=list(error.messages), status=409)
        messages.success(
            request,
            _("Målingen »%(name)s« er lukket. Der kan ikke længere svares.") % {"name": campaign.name},
        )
        return redirect(detail_url(campaign))
    if campaign.status != CampaignStatus.OPEN:
        return redirect(detail_url(campaign))
    counts = selectors.campaign_counts(campaign=campaign)
    person_instruments = [i for i in PERSON_INSTRUMENTS if campaign.uses(i)]
    context = {
        "campaign": campaign,
        "counts": counts,
        "hide_counts": counts_hidden(campaign, counts),
        "submitted": [
            (i.label, counts.get(str(i), 0))
            for i in (*person_instruments, Instrument.CHIEFS)
            if campaign.uses(i)
        ],
        "person_instruments": person_instruments,
        "today": timezone.localdate(),
    }
    return render(request, "assessments/admin/campaign_close.html", context)


@require_POST
@actor_required(ADMIN)
def campaign_extend(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(actor, campaign_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, campaign, extend_form=form, status=422)
    try:
        campaign = services.campaign_extend(
            campaign=campaign, closes_on=form.cleaned_data["closes_on"], today=timezone.localdate()
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, field_messages in error.message_dict.items():
                form.add_error(name if name in form.fields else None, field_messages)
            return _render_detail(request, campaign, extend_form=form, status=422)
        return _render_detail(request, campaign, errors=list(error.messages), status=409)
    messages.success(
        request,
        _("Målingen er forlænget. Deltagerne kan nu svare til og med %(date)s.")
        % {"date": _long_date(campaign.closes_on)},
    )
    return redirect(detail_url(campaign))


def _long_date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


@require_POST
@actor_required(ADMIN)
def campaign_delete(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(actor, campaign_id)
    name = campaign.name
    try:
        services.campaign_delete(campaign=campaign)
    except ValidationError as error:
        return _render_detail(request, campaign, errors=list(error.messages), status=409)
    messages.success(request, _("Kladden »%(name)s« er slettet.") % {"name": name})
    return redirect("assessments:campaign_list")
