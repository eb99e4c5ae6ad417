"""Invitations, reminders and one-time sign-in links."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
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
    SendFailure,
    SentMessage,
)
from fagdigital.tenancy.models import Role
from fagdigital.tenancy.services import membership_grant

logger = logging.getLogger(__name__)

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


_TEMPLATES = {
    InvitationKind.INVITATION: "invitation",
    InvitationKind.REMINDER: "invitation",
    InvitationKind.NEW_LINK: "new_link",
}


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
    template = _TEMPLATES[kind]
    with translation.override("da"):
        subject = render_to_string(f"assessments/email/{template}_subject.txt", context)
        body = render_to_string(f"assessments/email/{template}.txt", context)
    SentMessage.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        kind=kind,
        to=email,
        with_link=with_link,
    )
    # One line whatever the round is called: a line break in a header stops the whole batch.
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[email])


def _send(participants: Iterable[Participant], kind: InvitationKind) -> int:
    base_url = settings.SITE_URL.rstrip("/")
    messages = [m for p in participants if (m := _message_for(p, kind, base_url)) is not None]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


def _failure_record(campaign: Campaign, kind: InvitationKind, recipients: int, error: Exception) -> None:
    """Keep a failed send where HR sees it (the round's page), and in the log."""
    logger.error(
        "sending failed",
        exc_info=error,
        extra={"campaign_id": campaign.pk, "kind": str(kind), "recipients": recipients},
    )
    SendFailure.objects.create(
        organisation_id=campaign.organisation_id,
        campaign=campaign,
        kind=kind,
        recipients=recipients,
        error=f"{type(error).__name__}: {error}"[:500],
    )


class SendFailedError(ValidationError):
    """The mail server (or the message) refused: nothing was marked as sent, and HR was told."""


def _send_failed_message() -> str:
    return _(
        "E-mailen kunne ikke sendes, fordi e-mailserveren ikke tog imod den. Intet er markeret som "
        "sendt. Prøv igen om lidt; fortsætter fejlen, så kontakt jeres it-drift."
    )


def invitations_send(*, campaign_id: int) -> int:
    """E-mail everyone in an open campaign who has not been invited yet; returns how many were sent.

    A batch that cannot be sent is rolled back (nobody in it counts as invited) and recorded as a
    `SendFailure`, which the round's page shows with a button to try again.
    """
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
        batch: list[Participant] = []
        try:
            with transaction.atomic():
                batch = list(pending.select_for_update(skip_locked=True, of=("self",))[:500])
                if not batch:
                    return sent
                count = _send(batch, InvitationKind.INVITATION)
                Participant.objects.filter(pk__in=[p.pk for p in batch]).update(invited_at=timezone.now())
        except Exception as error:
            _failure_record(campaign, InvitationKind.INVITATION, len(batch), error)
            return sent
        sent += count


def invitation_resend(*, participant: Participant) -> bool:
    """Send the invitation again (with a fresh link, which replaces the old one).

    Refused with a message (never an error page) when the round is not open or the mail server fails.
    """
    if not participant.campaign.accepts_answers(today=timezone.localdate()):
        raise ValidationError(_("Målingen er ikke åben, så der kan ikke sendes invitationer."))
    try:
        with transaction.atomic():
            sent = _send([participant], InvitationKind.INVITATION) == 1
            if sent:
                participant.invited_at = timezone.now()
                participant.save(update_fields=["invited_at", "updated_at"])
    except Exception as error:
        _failure_record(participant.campaign, InvitationKind.INVITATION, 1, error)
        raise SendFailedError(_send_failed_message()) from error
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


def non_respondents(*, campaign: Campaign) -> QuerySet[Participant]:
    """Invited participants who have not submitted the round's self-assessment (or its knowledge test,
    when it has no self-assessment): whom a reminder goes to."""
    if not (campaign.uses(Instrument.SELF) or campaign.uses(Instrument.TEST)):
        return Participant.objects.none()
    first = Instrument.SELF if campaign.uses(Instrument.SELF) else Instrument.TEST
    submitted = Response.objects.filter(
        campaign=campaign, status=ResponseStatus.SUBMITTED, instrument=first
    ).values("subject_id")
    return Participant.objects.filter(campaign=campaign, invited_at__isnull=False).exclude(
        person_id__in=submitted
    )


def _remind(campaign: Campaign, waiting: list[Participant]) -> int:
    """Send reminders to these (locked) participants; on failure nothing counts as sent and HR is told."""
    sent = _send(waiting, InvitationKind.REMINDER)
    now = timezone.now()
    for participant in waiting:
        participant.reminded_at = now
    Participant.objects.bulk_update(waiting, ["reminders_sent", "reminded_at"])
    return sent


def reminders_send_campaign(*, campaign: Campaign, today: dt.date | None = None) -> int:
    """The round's due reminder: on each reminder day, once, to those who have not submitted."""
    today = today or timezone.localdate()
    if not campaign.accepts_answers(today=today):
        return 0
    due = [day for day in campaign.reminder_days if (campaign.closes_on - today).days <= day]
    if not due:
        return 0
    day = min(due)
    waiting: list[Participant] = []
    try:
        with transaction.atomic():
            waiting = [
                participant
                for participant in non_respondents(campaign=campaign)
                .select_related("person__user", "campaign")
                .select_for_update(of=("self",))
                if day not in participant.reminders_sent
            ]
            for participant in waiting:
                participant.reminders_sent = sorted({*participant.reminders_sent, day})
            return _remind(campaign, waiting)
    except Exception as error:
        _failure_record(campaign, InvitationKind.REMINDER, len(waiting), error)
        return 0


def reminders_send_due(*, today: dt.date | None = None) -> int:
    """Remind people who have not submitted their self-assessment, on each reminder day of the campaign."""
    today = today or timezone.localdate()
    return sum(
        reminders_send_campaign(campaign=campaign, today=today)
        for campaign in Campaign.objects.filter(
            status=CampaignStatus.OPEN, opens_on__lte=today, closes_on__gte=today
        )
    )


REMINDER_NOW_QUIET = dt.timedelta(hours=24)


def reminder_now_recipients(*, campaign: Campaign) -> QuerySet[Participant]:
    """Whom "send reminder now" reaches: non-respondents not reminded in the last day."""
    since = timezone.now() - REMINDER_NOW_QUIET
    return non_respondents(campaign=campaign).exclude(reminded_at__gte=since)


def reminders_send_now(*, campaign: Campaign) -> int:
    """HR's "send reminder now": remind the round's non-respondents at once (skipping anyone reminded in
    the last day, so a second click reminds nobody twice); returns how many e-mails went out."""
    if not campaign.accepts_answers(today=timezone.localdate()):
        raise ValidationError(_("Målingen er ikke åben, så der kan ikke sendes påmindelser."))
    waiting: list[Participant] = []
    try:
        with transaction.atomic():
            waiting = list(
                reminder_now_recipients(campaign=campaign)
                .select_related("person__user", "campaign")
                .select_for_update(of=("self",))
            )
            return _remind(campaign, waiting)
    except Exception as error:
        _failure_record(campaign, InvitationKind.REMINDER, len(waiting), error)
        raise SendFailedError(_send_failed_message()) from error


def send_failures_open(*, campaign: Campaign) -> QuerySet[SendFailure]:
    return SendFailure.objects.filter(campaign=campaign, resolved_at__isnull=True)


def send_failures_retry(*, campaign: Campaign) -> None:
    """HR's "try again": mark the failures handled and queue the round's invitations and due reminders
    (both only reach people who did not get them, so nobody gets a message twice)."""
    send_failures_open(campaign=campaign).update(resolved_at=timezone.now())
    from fagdigital.assessments import tasks  # noqa: PLC0415 — tasks import this module

    campaign_id = campaign.pk
    transaction.on_commit(lambda: tasks.send_invitations.enqueue(campaign_id))
    transaction.on_commit(lambda: tasks.send_campaign_reminders.enqueue(campaign_id))


# --- A new sign-in link, asked for from the login page -------------------------------------------


def signin_links_resend(*, email: str, today: dt.date | None = None) -> int:
    """E-mail a fresh one-time link for every open round the address's person takes part in.

    Only for people without a password (the others log in with it); each link replaces the one before.
    Says nothing about whether the address is known: the caller answers the same either way.
    """
    today = today or timezone.localdate()
    address = email.strip()
    if not address:
        return 0
    has_address = Q(person__email__iexact=address) | Q(person__user__email__iexact=address)
    participants = [
        participant
        for participant in Participant.objects.filter(
            has_address,
            campaign__status=CampaignStatus.OPEN,
            campaign__opens_on__lte=today,
            campaign__closes_on__gte=today,
        ).select_related("person__user", "campaign")
        if participant.person.user is None or not participant.person.user.has_usable_password()
    ]
    if not participants:
        return 0
    with transaction.atomic():
        return _send(participants, InvitationKind.NEW_LINK)
