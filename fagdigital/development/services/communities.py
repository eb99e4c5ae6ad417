"""Writes of learning communities: ratings, and the coordinators' sessions with their sign-ups."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.development.models import CommunitySession, Delivery, LearningActivity, Rating, SessionSignup
from fagdigital.development.selectors.communities import may_rate
from fagdigital.orgs.models import Person
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, NetworkMember

TEXT_MAX = 2000


@transaction.atomic
def rating_save(*, person: Person, activity: LearningActivity, stars: int, used_for: str) -> Rating:
    """A participant's rating (one per person and activity; rating again changes it)."""
    if not may_rate(activity=activity, person=person):
        raise ValidationError(_("Du kan vurdere en aktivitet, når du har gennemført den."))
    if not 1 <= stars <= 5:
        raise ValidationError({"stars": [_("Vælg fra 1 til 5 stjerner.")]})
    rating, _created = Rating.objects.update_or_create(
        activity=activity,
        person=person,
        defaults={
            "organisation_id": person.organisation_id,
            "stars": stars,
            "used_for": used_for.strip()[:TEXT_MAX],
        },
    )
    return rating


@transaction.atomic
def session_save(
    *,
    actor: Actor,
    network: Network,
    session: CommunitySession | None,
    title: str,
    description: str,
    starts_at: dt.datetime,
    delivery: str,
    place: str,
    activity: LearningActivity | None,
    competence_codes: list[str],
) -> CommunitySession:
    if network.coordinator_id != actor.organisation.pk:
        raise ValidationError(_("Kun netværkets koordinator kan planlægge netværkets sessioner."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Giv sessionen en titel.")]
    if session is None and starts_at < timezone.now():
        errors["starts_on"] = [_("Tidspunktet ligger i fortiden.")]
    if delivery not in Delivery.values:
        errors["delivery"] = [_("Vælg fremmøde, online eller begge.")]
    if errors:
        raise ValidationError(errors)
    session = session or CommunitySession(network=network, created_by=actor.user)
    session.title = title.strip()[:200]
    session.description = description.strip()[:TEXT_MAX]
    session.starts_at = starts_at
    session.delivery = delivery
    session.place = place.strip()[:300]
    session.activity = activity
    session.competence_codes = sorted(set(competence_codes))
    session.save()
    return session


@transaction.atomic
def session_signup(*, session: CommunitySession, person: Person, signed_up: bool) -> None:
    """Sign a person of a member municipality up for a session, or off it."""
    if signed_up:
        member = NetworkMember.objects.filter(
            network_id=session.network_id, organisation_id=person.organisation_id
        )
        if not member.exists():
            raise ValidationError(_("Sessionen er for netværkets kommuner."))
        if session.starts_at < timezone.now():
            raise ValidationError(_("Sessionen er holdt."))
        SessionSignup.objects.get_or_create(
            session=session, person=person, defaults={"organisation_id": person.organisation_id}
        )
    else:
        SessionSignup.objects.filter(session=session, person=person).delete()
