"""Account views beyond Django's own: a password reset that is rate-limited per address and per client."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .forms import EmailPasswordResetForm
from .ratelimit import email_request_allowed


def too_many_message(minutes: int) -> str:
    return _(
        "Der er bedt om mange e-mails fra denne adresse eller til denne e-mail på kort tid. "
        "Vent %(minutes)s minutter, og prøv igen. Tjek også din spam-mappe."
    ) % {"minutes": minutes}


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the e-mail limits of docs/decisions/0012.

    Whether or not the address has an account, the answer is the same: the count goes up for every
    address, so a refusal does not tell which addresses exist either.
    """

    form_class = EmailPasswordResetForm

    def form_valid(self, form: Any) -> HttpResponse:
        verdict = email_request_allowed(
            request=self.request, kind="password-reset", email=str(form.cleaned_data["email"])
        )
        if not verdict.allowed:
            form.add_error(None, too_many_message(verdict.retry_minutes))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
