"""Learning communities: pooled ratings of an activity, and the network's sessions (decision 0018).

Ratings are opinions of people, so they are shown only pooled and only through the privacy package's
minimums: an average needs at least k ratings, and what people wrote needs at least the free-text
minimum of writers — each the highest of the reader's organisation's and every rater's organisation's
(an organisation that raised its k is never shown less protected). Figures move in steps: they are
computed over the oldest whole multiples of k ratings, so a figure changes only when k new ratings
have come in and one new rating can never be read off the difference. Texts are shown in alphabetical
order, never in the order they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from fagdigital.development.models import (
    CommunitySession,
    Completion,
    LearningActivity,
    Rating,
    SessionSignup,
)
from fagdigital.orgs.models import Person
from fagdigital.privacy.rules import free_text_min, min_group
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation

from .access import visible_sessions


@dataclass
class RatingSummary:
    ratings: int  # all ratings given (a count of ratings, not of who)
    k: int
    text_minimum: int
    shown: int = 0  # ratings the figures are computed over (a multiple of k)
    average: float | None = None
    distribution: list[int] = field(default_factory=list)  # ratings with 1..5 stars, over `shown`
    texts: list[str] = field(default_factory=list)
    writers: int = 0  # writers among the shown ratings

    @property
    def average_text(self) -> str:
        return f"{self.average:.1f}".replace(".", ",") if self.average is not None else ""


def rating_summary(*, activity: LearningActivity, reader: Organisation) -> RatingSummary:
    ratings = list(
        Rating.objects.filter(activity=activity).select_related("organisation").order_by("created_at", "pk")
    )
    organisations = {r.organisation_id: r.organisation for r in ratings}
    organisations[reader.pk] = reader
    k = max(min_group(o) for o in organisations.values())
    text_minimum = max(free_text_min(o) for o in organisations.values())
    summary = RatingSummary(ratings=len(ratings), k=k, text_minimum=text_minimum)
    shown = len(ratings) // k * k
    if shown < k:
        return summary
    snapshot = ratings[:shown]
    summary.shown = shown
    summary.average = sum(r.stars for r in snapshot) / shown
    summary.distribution = [sum(1 for r in snapshot if r.stars == stars) for stars in range(1, 6)]
    written = [r.used_for.strip() for r in snapshot if r.used_for.strip()]
    summary.writers = len(written)
    if len(written) >= text_minimum:
        summary.texts = sorted(written, key=str.casefold)
    return summary


def own_rating(*, activity: LearningActivity, person: Person | None) -> Rating | None:
    if person is None:
        return None
    return Rating.objects.filter(activity=activity, person=person).first()


def may_rate(*, activity: LearningActivity, person: Person | None) -> bool:
    """Participants rate: people with a completion of the activity."""
    if person is None:
        return False
    return Completion.objects.filter(person=person, activity=activity, withdrawn_at__isnull=True).exists()


@dataclass(frozen=True)
class SessionRow:
    session: CommunitySession
    signups: int
    signed_up: bool


def sessions_for(*, actor: Actor, person: Person | None, upcoming_only: bool = True) -> list[SessionRow]:
    from django.utils import timezone  # noqa: PLC0415

    sessions = (
        visible_sessions(actor=actor).select_related("network", "activity").annotate(n=Count("signups"))
    )
    if upcoming_only:
        sessions = sessions.filter(starts_at__gte=timezone.now())
    mine = (
        set(SessionSignup.objects.filter(person=person).values_list("session_id", flat=True))
        if person
        else set()
    )
    return [
        SessionRow(session=s, signups=s.n, signed_up=s.pk in mine)
        for s in sessions.order_by("starts_at", "pk")
    ]


def session_signups(*, session: CommunitySession) -> list[SessionSignup]:
    """Who signed up (for the coordinator running the session)."""
    return list(
        SessionSignup.objects.filter(session=session)
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__name")
    )
