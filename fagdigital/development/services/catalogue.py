"""Writes of the learning catalogue: activities, where they are offered, which providers serve a network."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.development.formats.catalogue import ActivityRecord
from fagdigital.development.models import (
    ActivityCompetence,
    ActivityShare,
    LearningActivity,
    ProviderNetwork,
    ShareState,
)
from fagdigital.development.selectors.access import shareable_networks

# Reads the writes need, kept importable from here (their home is selectors.catalogue).
from fagdigital.development.selectors.catalogue import catalogue_framework, competence_codes
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, Organisation, OrganisationKind


def default_xapi_id() -> str:
    """An activity IRI of ours, for activities whose LMS has no id of its own."""
    return f"{settings.SITE_URL.rstrip('/')}/xapi/activities/{uuid.uuid4()}"


class CatalogueError(ValidationError):
    """The activity cannot be saved as it is (field → messages)."""


def _check(
    organisation: Organisation, record: ActivityRecord, activity: LearningActivity | None, codes: set[str]
) -> None:
    errors: dict[str, list[str]] = {}
    clash = LearningActivity.objects.filter(organisation=organisation, key=record.key)
    if activity is not None:
        clash = clash.exclude(pk=activity.pk)
    if clash.exists():
        errors["key"] = [
            _("Nøglen »%(key)s« bruges allerede af en anden aktivitet i kataloget.") % {"key": record.key}
        ]
    if record.xapi_id:
        same_iri = LearningActivity.objects.filter(organisation=organisation, xapi_id=record.xapi_id)
        if activity is not None:
            same_iri = same_iri.exclude(pk=activity.pk)
        if same_iri.exists():
            errors["xapi_id"] = [_("En anden aktivitet i kataloget har allerede dette xAPI-aktivitets-id.")]
    unknown = sorted(code for code, _level in record.competences if code not in codes)
    if unknown:
        errors["competences"] = [_("%(codes)s er ikke kompetencer i rammen.") % {"codes": ", ".join(unknown)}]
    if not record.competences:
        errors.setdefault("competences", []).append(_("Vælg mindst én kompetence, aktiviteten udvikler."))
    if errors:
        raise CatalogueError(errors)


def _write(activity: LearningActivity, record: ActivityRecord, framework_key: str) -> LearningActivity:
    for name in (
        "key",
        "title_da",
        "title_en",
        "description_da",
        "description_en",
        "format",
        "duration_hours",
        "ects",
        "cost_dkk",
        "language",
        "delivery",
        "place",
        "provider_name",
        "url",
        "signup_url",
        "status",
    ):
        setattr(activity, name, getattr(record, name))
    activity.framework_key = framework_key
    activity.xapi_id = record.xapi_id or activity.xapi_id or default_xapi_id()
    activity.save()
    wanted = dict(record.competences)
    existing = {c.competence_code: c for c in activity.competences.all()}
    for code, row in existing.items():
        if code not in wanted:
            row.delete()
        elif row.level != wanted[code]:
            row.level = wanted[code]
            row.save(update_fields=["level"])
    ActivityCompetence.objects.bulk_create(
        ActivityCompetence(activity=activity, competence_code=code, level=level)
        for code, level in wanted.items()
        if code not in existing
    )
    return activity


@transaction.atomic
def activity_save(
    *,
    actor: Actor,
    record: ActivityRecord,
    activity: LearningActivity | None = None,
    network_ids: Iterable[int] | None = None,
) -> LearningActivity:
    """Create (activity None) or change one of the owner's activities, and where it is offered.

    `network_ids` None leaves the offers as they are; a provider's and a network's offers are shared at
    once, a municipality's proposed to the network's coordinator.
    """
    organisation = actor.organisation
    if activity is not None and activity.organisation_id != organisation.pk:
        raise CatalogueError(_("Aktiviteten tilhører en anden organisation."))
    framework = catalogue_framework(organisation=organisation)
    if framework is None:
        raise CatalogueError(
            _("Der er ingen offentliggjort kompetenceramme at knytte aktiviteten til endnu.")
        )
    _check(organisation, record, activity, competence_codes(framework=framework))
    saved = _write(
        activity or LearningActivity(organisation=organisation, created_by=actor.user), record, framework.key
    )
    if network_ids is not None:
        activity_offers_set(actor=actor, activity=saved, network_ids=network_ids)
    return saved


def activity_offers_set(*, actor: Actor, activity: LearningActivity, network_ids: Iterable[int]) -> None:
    """Offer the activity to exactly these networks (of those the owner may offer to)."""
    allowed = {n.pk for n in shareable_networks(actor=actor)}
    wanted = set(network_ids) & allowed
    state = (
        ShareState.PROPOSED if actor.organisation.kind == OrganisationKind.MUNICIPALITY else ShareState.SHARED
    )
    current = {s.network_id: s for s in ActivityShare.objects.filter(activity=activity)}
    for network_id, share in current.items():
        if network_id in allowed and network_id not in wanted:
            share.delete()
    for network_id in wanted - set(current):
        ActivityShare.objects.create(
            activity=activity, network_id=network_id, state=state, changed_by=actor.user
        )


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int
    unchanged: int


def _as_record(activity: LearningActivity) -> ActivityRecord:
    return ActivityRecord(
        key=activity.key,
        title_da=activity.title_da,
        title_en=activity.title_en,
        description_da=activity.description_da,
        description_en=activity.description_en,
        format=activity.format,
        duration_hours=activity.duration_hours,
        ects=activity.ects,
        cost_dkk=activity.cost_dkk,
        language=activity.language,
        delivery=activity.delivery,
        place=activity.place,
        provider_name=activity.provider_name,
        url=activity.url,
        signup_url=activity.signup_url,
        status=activity.status,
        xapi_id=activity.xapi_id,
        competences=tuple(sorted((c.competence_code, c.level) for c in activity.competences.all())),
    )


def activity_record(activity: LearningActivity) -> ActivityRecord:
    """An activity as the plain data the formats and forms use."""
    return _as_record(activity)


def import_plan(*, organisation: Organisation, records: Sequence[ActivityRecord]) -> ImportCounts:
    """What importing the records would do to the owner's catalogue (nothing is written)."""
    existing = {
        a.key: a
        for a in LearningActivity.objects.filter(organisation=organisation).prefetch_related("competences")
    }
    created = updated = unchanged = 0
    for record in records:
        found = existing.get(record.key)
        if found is None:
            created += 1
            continue
        theirs = _as_record(found)
        mine = record if record.xapi_id else _replace_iri(record, theirs.xapi_id)
        if mine == theirs:
            unchanged += 1
        else:
            updated += 1
    return ImportCounts(created=created, updated=updated, unchanged=unchanged)


def _replace_iri(record: ActivityRecord, iri: str) -> ActivityRecord:
    from dataclasses import replace  # noqa: PLC0415 -- only here

    return replace(record, xapi_id=iri)


@transaction.atomic
def activities_import(*, actor: Actor, records: Sequence[ActivityRecord]) -> ImportCounts:
    """Create or update the owner's activities by key; all or nothing. Activities not in the file stay."""
    organisation = actor.organisation
    counts = import_plan(organisation=organisation, records=records)
    existing = {
        a.key: a for a in LearningActivity.objects.select_for_update().filter(organisation=organisation)
    }
    for record in records:
        activity_save(actor=actor, record=record, activity=existing.get(record.key))
    return counts


# --- Networks: offers and providers ---------------------------------------------------------------------


@transaction.atomic
def activity_share(*, actor: Actor, network: Network, activity: LearningActivity) -> ActivityShare:
    """The coordinator shares an activity (a member's proposal, or one of the network's own) with the
    network's municipalities."""
    if network.coordinator_id != actor.organisation.pk:
        raise ValidationError(_("Kun netværkets koordinator kan dele aktiviteter i netværket."))
    share, _created = ActivityShare.objects.get_or_create(
        activity=activity, network=network, defaults={"state": ShareState.SHARED, "changed_by": actor.user}
    )
    if share.state != ShareState.SHARED:
        share.state = ShareState.SHARED
        share.changed_by = actor.user
        share.save(update_fields=["state", "changed_by", "updated_at"])
    return share


@transaction.atomic
def activity_unshare(*, actor: Actor, network: Network, activity: LearningActivity) -> None:
    if network.coordinator_id != actor.organisation.pk:
        raise ValidationError(_("Kun netværkets koordinator kan fjerne aktiviteter fra netværket."))
    ActivityShare.objects.filter(activity=activity, network=network).delete()


@transaction.atomic
def provider_admit(
    *, actor: Actor, network: Network, provider: Organisation, user: User | None = None
) -> ProviderNetwork:
    if network.coordinator_id != actor.organisation.pk:
        raise ValidationError(_("Kun netværkets koordinator kan give udbydere adgang."))
    if provider.kind != OrganisationKind.EDUCATION_PROVIDER:
        raise ValidationError(_("Kun uddannelsesudbydere kan få adgang som udbyder."))
    link, _created = ProviderNetwork.objects.get_or_create(
        network=network, provider=provider, defaults={"added_by": user or actor.user}
    )
    return link


@transaction.atomic
def provider_remove(*, actor: Actor, network: Network, provider: Organisation) -> None:
    """The provider no longer serves the network: its offers there end, its demand view too."""
    if network.coordinator_id != actor.organisation.pk:
        raise ValidationError(_("Kun netværkets koordinator kan fjerne udbydere."))
    ProviderNetwork.objects.filter(network=network, provider=provider).delete()
    ActivityShare.objects.filter(network=network, activity__organisation=provider).delete()
