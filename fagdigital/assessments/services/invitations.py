"""Invitations, reminders and one-time sign-in links."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    Instrument,
    InvitationKind,
    Participant,
    Response,
    ResponseStatus,
    SentMessage,
)
from fagdigital.tenancy.models import Role
from fagdigital.tenancy.services import membership_grant

# --- Invitations, reminders and sign-in links ---------------------------------------------------

SIGNIN_SALT = "fagdigital.assessments.signin"


class SignInLinkInvalidError(ValidationError):
    """The link is unknown, used, replaced by a newer one, expired, or its campaign has closed."""


def signin_token(*, participant: Participant) -> str:
    """A one-time sign-in token: it names the participant and a nonce that is rotated on every use."""
    participant.link_nonce = secrets.token_hex(16)
    participant.save(update_fields=["link_nonce", "updated_at"])
    return signing.dumps({"p": participant.pk, "n": participant.link_nonce}, salt=SIGNIN_SALT, compress=True)


@transaction.atomic
def signin_link_use(*, token: str, today: dt.date | None = None) -> tuple[User, Participant]:
    """Check a sign-in link and return the user to log in (created for the person on first use)."""
    today = today or timezone.localdate()
    expired = _("Linket er udløbet eller allerede brugt. Bed om et nyt, eller log ind med din adgangskode.")
    try:
        data = signing.loads(
            token, salt=SIGNIN_SALT, max_age=dt.timedelta(days=settings.SIGNIN_LINK_MAX_AGE_DAYS)
        )
    except signing.BadSignature as error:
        raise SignInLinkInvalidError(expired) from error
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("campaign", "person__user", "campaign__organisation")
        .filter(pk=data.get("p"))
        .first()
    )
    if (
        participant is None
        or not participant.link_nonce
        or not secrets.compare_digest(participant.link_nonce, str(data.get("n", "")))
    ):
        raise SignInLinkInvalidError(expired)
    if not participant.campaign.accepts_answers(today=today):
        raise SignInLinkInvalidError(_("Målingen er lukket, så linket virker ikke længere."))
    person = participant.person
    user = person.user
    if user is not None and user.has_usable_password():
        raise SignInLinkInvalidError(_("Du har en adgangskode. Log ind med den."))
    if user is None:
        user = User.objects.filter(email__iexact=person.email).first() if person.email else None
        if user is not None and user.has_usable_password():
            raise SignInLinkInvalidError(_("Du har en adgangskode. Log ind med den."))
        if user is None:
            user = User.objects.create_user(
                email=person.email or f"{secrets.token_hex(8)}@link.invalid", password=None
            )
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    membership_grant(user=user, organisation=participant.campaign.organisation, roles=[Role.EMPLOYEE])
    participant.link_nonce = ""
    participant.save(update_fields=["link_nonce", "updated_at"])
    return user, participant


def _message_for(participant: Participant, kind: InvitationKind, base_url: str) -> EmailMessage | None:
    person = participant.person
    email = person.user.email if person.user_id and person.user else person.email
    if not email:
        return None
    with_link = person.user is None or not person.user.has_usable_password()
    link = (
        f"{base_url}/maalinger/link/{signin_token(participant=participant)}/"
        if with_link
        else f"{base_url}/maalinger/mine/"
    )
    context = {
        "person": person,
        "campaign": participant.campaign,
        "link": link,
        "with_link": with_link,
        "link_days": settings.SIGNIN_LINK_MAX_AGE_DAYS,
        "is_reminder": kind == InvitationKind.REMINDER,
    }
    with translation.override("da"):
        subject = render_to_string("assessments/email/invitation_subject.txt", context).strip()
        body = render_to_string("assessments/email/invitation.txt", context)
    SentMessage.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        kind=kind,
        to=email,
        with_link=with_link,
    )
    return EmailMessage(subject=subject, body=body, to=[email])


def _send(participants: Iterable[Participant], kind: InvitationKind) -> int:
    base_url = settings.SITE_URL.rstrip("/")
    messages = [m for p in participants if (m := _message_for(p, kind, base_url)) is not None]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


def invitations_send(*, campaign_id: int) -> int:
    """E-mail everyone in an open campaign who has not been invited yet; returns how many were sent."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.status != CampaignStatus.OPEN:
        return 0
    sent = 0
    # People without any e-mail address cannot be invited; the participant list shows them as not invited.
    no_address = Q(person__email="") & (Q(person__user__isnull=True) | Q(person__user__email=""))
    pending = (
        Participant.objects.filter(campaign=campaign, invited_at__isnull=True)
        .exclude(no_address)
        .select_related("person__user", "campaign")
    )
    while True:
        with transaction.atomic():
            batch = list(pending.select_for_update(skip_locked=True, of=("self",))[:500])
            if not batch:
                return sent
            sent += _send(batch, InvitationKind.INVITATION)
            Participant.objects.filter(pk__in=[p.pk for p in batch]).update(invited_at=timezone.now())


@transaction.atomic
def invitation_resend(*, participant: Participant) -> bool:
    """Send the invitation again (with a fresh link, which replaces the old one)."""
    if not participant.campaign.accepts_answers(today=timezone.localdate()):
        raise ValidationError(_("Målingen er ikke åben, så der kan ikke sendes invitationer."))
    sent = _send([participant], InvitationKind.INVITATION) == 1
    if sent:
        participant.invited_at = timezone.now()
        participant.save(update_fields=["invited_at", "updated_at"])
    return sent


def invitations_send_due(*, today: dt.date | None = None) -> int:
    """Invite everyone not yet invited to campaigns that have reached their open date."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.OPEN,
        opens_on__lte=today,
        closes_on__gte=today,
        participants__invited_at__isnull=True,
    ).distinct()
    return sum(invitations_send(campaign_id=campaign.pk) for campaign in campaigns)


def reminders_send_due(*, today: dt.date | None = None) -> int:
    """Remind people who have not submitted their self-assessment, on each reminder day of the campaign."""
    today = today or timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(
        status=CampaignStatus.OPEN, opens_on__lte=today, closes_on__gte=today
    ):
        due = [day for day in campaign.reminder_days if (campaign.closes_on - today).days <= day]
        if not due:
            continue
        day = min(due)
        first = Instrument.SELF if campaign.uses(Instrument.SELF) else Instrument.TEST
        submitted = Response.objects.filter(
            campaign=campaign, status=ResponseStatus.SUBMITTED, instrument=first
        ).values("subject_id")
        with transaction.atomic():
            waiting = [
                participant
                for participant in Participant.objects.filter(campaign=campaign, invited_at__isnull=False)
                .exclude(person_id__in=submitted)
                .select_related("person__user", "campaign")
                .select_for_update(of=("self",))
                if day not in participant.reminders_sent
            ]
            sent += _send(waiting, InvitationKind.REMINDER)
            for participant in waiting:
                participant.reminders_sent = sorted({*participant.reminders_sent, day})
            Participant.objects.bulk_update(waiting, ["reminders_sent"])
    return sent
