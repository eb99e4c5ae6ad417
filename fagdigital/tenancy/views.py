from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.accounts.models import User

from .forms import SwitchOrganisationForm
from .invitations import invitation_token
from .middleware import SESSION_KEY
from .selectors import memberships_for_user


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    form = SwitchOrganisationForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    membership = (
        memberships_for_user(user=user).filter(organisation_id=form.cleaned_data["organisation"]).first()
    )
    if membership is None:
        raise PermissionDenied(SwitchOrganisationForm.error_messages["not_member"])
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(request, _("Du arbejder nu i %(name)s.") % {"name": membership.organisation.name})
    target = form.cleaned_data["next"] or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


class InvitationAcceptView(PasswordResetConfirmView):
    """The link in an invitation: choose a password, and be logged in (decision 0013)."""

    token_generator = invitation_token
    template_name = "tenancy/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Din adgangskode er gemt, og du er logget ind. Velkommen."))
        return response


invitation_accept = InvitationAcceptView.as_view()
