"""Measurement rounds (campaigns): set up, open, extend and close."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from fagdigital.assessments.evidence_rule import MIN_ITEMS_FOR_TEST_LEVEL
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Instrument,
    Participant,
    Visibility,
)
from fagdigital.frameworks.models import Framework, FrameworkStatus
from fagdigital.frameworks.selectors import job_function_role_profile_codes
from fagdigital.orgs.models import PATH_STEP, Engagement, OrgUnit
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.privacy.blocks import Cell
from fagdigital.privacy.models import Partition
from fagdigital.privacy.services import partition_store
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation

from .base import lock_draft
from .item_bank import item_bank_install
from .survey import survey_items_install_default

# More than this per competence makes the test long, and the bank seldom holds more for one role.
MAX_ITEMS_PER_COMPETENCE = 8

# --- Campaigns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignSettings:
    name: str
    framework: Framework
    opens_on: dt.date
    closes_on: dt.date
    instruments: Sequence[str]
    visibility: str
    units: Sequence[tuple[OrgUnit, bool]]  # (unit, include_subtree)
    role_profile_codes: Sequence[str] = ()
    reminder_days: Sequence[int] = (7, 2)
    test_area_codes: Sequence[str] = ()
    test_items_per_competence: int = MIN_ITEMS_FOR_TEST_LEVEL


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs and other invisible control or format characters (Unicode Cc, Cf, Zl, Zp)."""
    return any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in text)


def _check_settings(organisation: Organisation, values: CampaignSettings) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    if not values.name.strip():
        errors["name"].append(_("Giv målingen et navn."))
    elif has_control_characters(values.name):
        errors["name"].append(
            _(
                "Navnet må ikke indeholde linjeskift, tabulatorer eller andre usynlige styretegn. "
                "Skriv navnet på én linje."
            )
        )
    if (
        values.framework.organisation_id != organisation.pk
        or values.framework.status != FrameworkStatus.PUBLISHED
    ):
        errors["framework"].append(_("Vælg en udgivet kompetenceramme."))
    if values.closes_on < values.opens_on:
        errors["closes_on"].append(_("Lukkedatoen skal ligge på eller efter åbningsdatoen."))
    unknown = set(values.instruments) - set(Instrument.values)
    if not values.instruments or unknown:
        errors["instruments"].append(_("Vælg mindst ét instrument."))
    if values.visibility not in Visibility.values:
        errors["visibility"].append(_("Vælg, hvem der kan se resultaterne."))
    elif values.visibility == Visibility.ANONYMOUS and Instrument.LEADER in values.instruments:
        # A leader rates one named person: in an anonymous round that would defeat the anonymity.
        errors["instruments"].append(
            _(
                "Ledervurdering kan ikke være med i en anonym måling: lederen vurderer én navngiven "
                "medarbejder ad gangen, og det kan ikke være anonymt. Vælg »Udviklingssamtale«, eller "
                "fjern ledervurderingen."
            )
        )
    if any(unit.organisation_id != organisation.pk for unit, _subtree in values.units):
        errors["units"].append(_("En af enhederne hører ikke til organisationen."))
    person_instruments = set(values.instruments) - {Instrument.CHIEFS}
    if person_instruments and not values.units:
        errors["units"].append(_("Vælg mindst én enhed, når målingen omfatter medarbejdere."))
    if any(day < 0 or day > 365 for day in values.reminder_days):
        errors["reminder_days"].append(
            _("Påmindelser angives som et antal dage før lukning mellem 0 og 365.")
        )
    known_profiles = set(values.framework.role_profiles.values_list("code", flat=True))
    if set(values.role_profile_codes) - known_profiles:
        errors["role_profile_codes"].append(_("En af rolleprofilerne findes ikke i rammen."))
    if Instrument.TEST in values.instruments:
        known_areas = set(values.framework.areas.values_list("code", flat=True))
        if not values.test_area_codes or set(values.test_area_codes) - known_areas:
            errors["test_area_codes"].append(_("Vælg de fokusområder, videnstesten skal dække."))
        if not 1 <= values.test_items_per_competence <= MAX_ITEMS_PER_COMPETENCE:
            errors["test_items_per_competence"].append(
                _("Vælg mellem 1 og %(n)s spørgsmål pr. kompetence.") % {"n": MAX_ITEMS_PER_COMPETENCE}
            )
    if errors:
        raise ValidationError(dict(errors))


def _apply_settings(campaign: Campaign, values: CampaignSettings) -> None:
    campaign.name = values.name.strip()
    campaign.framework = values.framework
    campaign.opens_on = values.opens_on
    campaign.closes_on = values.closes_on
    campaign.instruments = [i for i in Instrument.values if i in values.instruments]
    campaign.visibility = values.visibility
    campaign.role_profile_codes = sorted(set(values.role_profile_codes))
    campaign.reminder_days = sorted(set(values.reminder_days), reverse=True)
    campaign.test_area_codes = (
        sorted(set(values.test_area_codes)) if Instrument.TEST in values.instruments else []
    )
    campaign.test_items_per_competence = values.test_items_per_competence


def _set_scope_units(campaign: Campaign, units: Sequence[tuple[OrgUnit, bool]]) -> None:
    CampaignUnit.objects.filter(campaign=campaign).delete()
    CampaignUnit.objects.bulk_create(
        CampaignUnit(
            organisation_id=campaign.organisation_id, campaign=campaign, unit=unit, include_subtree=subtree
        )
        for unit, subtree in {unit.pk: (unit, subtree) for unit, subtree in units}.values()
    )


@transaction.atomic
def campaign_create(*, actor: Actor, values: CampaignSettings) -> Campaign:
    _check_settings(actor.organisation, values)
    campaign = Campaign(organisation=actor.organisation, created_by=actor.user)
    _apply_settings(campaign, values)
    campaign.save()
    _set_scope_units(campaign, values.units)
    if campaign.uses(Instrument.CHIEFS):
        survey_items_install_default(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, values: CampaignSettings) -> Campaign:
    campaign = lock_draft(campaign)
    _check_settings(campaign.organisation, values)
    _apply_settings(campaign, values)
    campaign.save()
    _set_scope_units(campaign, values.units)
    if campaign.uses(Instrument.CHIEFS) and not campaign.survey_items.exists():
        survey_items_install_default(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> None:
    lock_draft(campaign).delete()


@transaction.atomic
def campaign_extend(*, campaign: Campaign, closes_on: dt.date, today: dt.date) -> Campaign:
    """Move the close date of an open campaign (only later, and not into the past)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Kun en åben måling kan forlænges."))
    if closes_on < max(campaign.closes_on, today):
        raise ValidationError(
            {"closes_on": [_("Den nye lukkedato skal ligge efter den nuværende og i dag.")]}
        )
    campaign.closes_on = closes_on
    campaign.save(update_fields=["closes_on", "updated_at"])

    from fagdigital.assessments import tasks  # noqa: PLC0415 — tasks import this module

    transaction.on_commit(lambda: tasks.schedule_campaign(campaign))
    return campaign


def scope_people(*, campaign: Campaign, on: dt.date) -> list[tuple[int, int, str, str]]:
    """(person id, unit id, unit path, role profile code) for everyone the campaign asks, one row each.

    A person counts in the unit of their primary engagement (else their earliest) inside the scope.
    """
    scope = list(CampaignUnit.objects.filter(campaign=campaign).select_related("unit"))
    if not scope:
        return []
    unit_q = Q()
    for item in scope:
        unit_q |= (
            Q(unit__path__startswith=item.unit.path) if item.include_subtree else Q(unit_id=item.unit_id)
        )
    rows = (
        Engagement.objects.filter(
            active_engagements_q(on=on), unit_q, organisation_id=campaign.organisation_id
        )
        .order_by("person_id", "-is_primary", "start_date", "pk")
        .values_list("person_id", "unit_id", "unit__path", "job_function_id")
    )
    profile_by_job = job_function_role_profile_codes(
        organisation_id=campaign.organisation_id, framework_key=campaign.framework.key
    )
    wanted = set(campaign.role_profile_codes)
    result: list[tuple[int, int, str, str]] = []
    seen: set[int] = set()
    for person_id, unit_id, path, job_function_id in rows:
        if person_id in seen:
            continue
        seen.add(person_id)
        code = profile_by_job.get(job_function_id, "")
        if wanted and code not in wanted:
            continue
        result.append((person_id, unit_id, path, code))
    return result


@transaction.atomic
def campaign_open(*, campaign: Campaign, today: dt.date | None = None) -> Campaign:
    """Fix the participants, install the item bank if a test is used, and queue the invitations."""
    today = today or timezone.localdate()
    campaign = lock_draft(campaign)
    if campaign.closes_on < today:
        raise ValidationError(_("Lukkedatoen er passeret. Ret datoerne, før målingen åbnes."))
    if campaign.uses(Instrument.CHIEFS) and not campaign.survey_items.exists():
        raise ValidationError(_("Ledelsesmålingen har ingen spørgsmål."))
    people = scope_people(campaign=campaign, on=max(today, campaign.opens_on))
    person_instruments = set(campaign.instruments) - {Instrument.CHIEFS}
    if person_instruments and not people:
        raise ValidationError(_("Der er ingen medarbejdere i målingens omfang."))
    Participant.objects.bulk_create(
        (
            Participant(
                organisation_id=campaign.organisation_id,
                campaign=campaign,
                person_id=person_id,
                unit_id=unit_id,
                unit_path=path,
                role_profile_code=code,
            )
            for person_id, unit_id, path, code in people
        ),
        batch_size=2000,
    )
    if campaign.uses(Instrument.TEST):
        item_bank_install(organisation=campaign.organisation, framework_key=campaign.framework.key)
    # The round's publication blocks are fixed with its participants (docs/decisions/0010).
    round_partition(campaign=campaign)
    campaign.status = CampaignStatus.OPEN
    campaign.opened_at = timezone.now()
    campaign.save(update_fields=["status", "opened_at", "updated_at"])

    from fagdigital.assessments import tasks  # noqa: PLC0415 — tasks import this module

    campaign_id = campaign.pk
    if campaign.opens_on <= today:
        transaction.on_commit(lambda: tasks.send_invitations.enqueue(campaign_id))
    # Later work (invitations on a future open date, reminders, closing) is queued for its time.
    transaction.on_commit(lambda: tasks.schedule_campaign(campaign))
    return campaign


def partition_key(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


def round_partition(*, campaign: Campaign) -> Partition:
    """The round's publication blocks over its participants: stored when it opens (formed now, once, for
    a round opened before blocks existed)."""
    cells = [
        Cell(unit_path=row["unit_path"], role_code=row["role_profile_code"], people=row["people"])
        for row in Participant.objects.filter(campaign=campaign)
        .values("unit_path", "role_profile_code")
        .annotate(people=Count("pk"))
    ]
    return partition_store(
        organisation=campaign.organisation, key=partition_key(campaign.pk), cells=cells, step=PATH_STEP
    )


@transaction.atomic
def campaign_close(*, campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Kun en åben måling kan lukkes."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    # The apps above publish the round's figures in the same transaction (docs/decisions/0010).
    for path in settings.CAMPAIGN_CLOSED_HANDLERS:
        import_string(path)(campaign_id=campaign.pk)
    return campaign


def campaigns_close_due(*, today: dt.date | None = None) -> int:
    """Close every open campaign whose close date has passed (run daily by the worker)."""
    today = today or timezone.localdate()
    closed = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN, closes_on__lt=today):
        campaign_close(campaign=campaign)
        closed += 1
    return closed
