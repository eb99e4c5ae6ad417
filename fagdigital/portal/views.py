"""The platform administrator's page: organisations, their users and usage, and setting up a municipality."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fagdigital.core.http import client_ip
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from . import platform
from .forms import OnboardingForm
from .services import municipality_onboard


def _page(request: HttpRequest, form: OnboardingForm, status: int = 200) -> HttpResponse:
    context = {"overview": platform.platform_overview(), "form": form}
    return render(request, "portal/platform.html", context, status=status)


@actor_required(Role.PLATFORM_ADMIN)
def platform_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _page(request, OnboardingForm(municipalities=platform.municipalities()))


@actor_required(Role.PLATFORM_ADMIN)
def onboard(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Set a municipality up (the default framework, job titles mapped) and invite its first HR user."""
    if request.method != "POST":
        return redirect("portal:platform")
    form = OnboardingForm(request.POST, municipalities=platform.municipalities())
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            result = municipality_onboard(
                organisation=organisation,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                invited_by=actor.user,
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("email", error.messages)
        else:
            message = _("%(name)s er sat op med kompetencerammen %(framework)s, version %(version)s.") % {
                "name": organisation.name,
                "framework": result.framework.t("name"),
                "version": result.framework.version,
            }
            if result.invited:
                message += " " + _("%(email)s har fået en invitation på e-mail.") % {
                    "email": form.cleaned_data["email"]
                }
            else:
                message += " " + _("%(email)s har fået rollen og kan logge ind med sin adgangskode.") % {
                    "email": form.cleaned_data["email"]
                }
            messages.success(request, message)
            return redirect("portal:platform")
    return _page(request, form, status=422)
