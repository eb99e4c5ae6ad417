"""Invitations: an e-mail with a one-time link where a new user chooses a password and is logged in.

The link is Django's password-reset token with its own salt and lifetime (SIGNIN_LINK_MAX_AGE_DAYS, as
for the sign-in links in round invitations): it names the user and stops working once a password is
set, so it can be used once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from fagdigital.accounts.models import User

from .models import Membership, Role


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "fagdigital.tenancy.invitations.InvitationTokenGenerator"

    @staticmethod
    def max_age() -> dt.timedelta:
        return dt.timedelta(days=settings.SIGNIN_LINK_MAX_AGE_DAYS)

    def check_token(self, user: User | None, token: str | None) -> bool:
        """As Django's check, with the invitation's lifetime instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= self.max_age().total_seconds()


invitation_token = InvitationTokenGenerator()


def invitation_link(*, user: User) -> str:
    path = reverse(
        "tenancy:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def invitation_message(*, membership: Membership) -> EmailMessage:
    """The invitation e-mail (in Danish, the language every user starts in)."""
    user = membership.user
    with_link = not user.has_usable_password()
    with translation.override("da"):
        context = {
            "user": user,
            "organisation": membership.organisation,
            "roles": [label for value, label in Role.choices if value in membership.roles],
            "with_link": with_link,
            "link": invitation_link(user=user) if with_link else settings.SITE_URL.rstrip("/") + "/",
            "link_days": settings.SIGNIN_LINK_MAX_AGE_DAYS,
        }
        subject = render_to_string("tenancy/email/invitation_subject.txt", context).strip()
        body = render_to_string("tenancy/email/invitation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])
