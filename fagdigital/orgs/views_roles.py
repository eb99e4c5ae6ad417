"""Role administration for competence admins (HR): grant and remove roles, and the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.core.http import client_ip
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role
from fagdigital.tenancy.selectors import role_changes

from . import selectors, selectors_roles, services_roles
from .forms_roles import RoleGrantForm, RoleRevokeForm
from .views import person_page

AUDIT_PAGE_SIZE = 50


def _roles_anchor(person_id: int) -> str:
    return reverse("orgs:person", args=[person_id]) + "#roller"


@actor_required(Role.COMPETENCE_ADMIN)
def roles_overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    paginator = Paginator(role_changes(organisation=actor.organisation), AUDIT_PAGE_SIZE)
    changes = paginator.get_page(request.GET.get("side"))
    mentioned = {change.subject_person_id for change in changes if change.subject_person_id}
    context = {
        "holders": selectors_roles.role_holders(actor=actor),
        "changes": changes,
        # People removed since are named in the trail but no longer linked.
        "existing_people": selectors_roles.existing_people(actor=actor, person_ids=mentioned),
    }
    return render(request, "orgs/roles.html", context)


@require_POST
@actor_required(Role.COMPETENCE_ADMIN)
def role_grant(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.get_person_for_user(actor=actor, person_id=person_id)
    form = RoleGrantForm(request.POST, units=selectors_roles.grantable_units(actor=actor))
    if form.is_valid():
        role = form.cleaned_data["role"]
        try:
            outcome = services_roles.person_role_grant(
                actor=actor,
                person=person,
                role=role,
                unit=form.cleaned_data["unit"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            field = {"unit": "unit", "role": "role"}.get(str(getattr(error, "code", "")))
            form.add_error(field, error.messages)
        else:
            label = Role(role).label
            if not outcome.changed:
                messages.info(request, _("%(name)s havde allerede rollen.") % {"name": person.name})
            elif outcome.invited:
                messages.success(
                    request,
                    _(
                        "%(name)s har fået rollen %(role)s og en invitation på e-mail "
                        "til at vælge en adgangskode."
                    )
                    % {"name": person.name, "role": label},
                )
            else:
                messages.success(
                    request, _("%(name)s har fået rollen %(role)s.") % {"name": person.name, "role": label}
                )
            return redirect(_roles_anchor(person.pk))
    return person_page(request, actor, person, grant_form=form, status=422)


@require_POST
@actor_required(Role.COMPETENCE_ADMIN)
def role_revoke(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.get_person_for_user(actor=actor, person_id=person_id)
    form = RoleRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vælg den rolle, der skal fjernes."))
        return redirect(_roles_anchor(person.pk))
    unit = None
    if form.cleaned_data["unit"]:
        unit = selectors_roles.grantable_units(actor=actor).filter(pk=form.cleaned_data["unit"]).first()
        if unit is None:
            messages.error(request, _("Enheden findes ikke længere."))
            return redirect(_roles_anchor(person.pk))
    role = form.cleaned_data["role"]
    try:
        changed = services_roles.person_role_revoke(
            actor=actor, person=person, role=role, unit=unit, ip_address=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_roles_anchor(person.pk))
    if changed:
        label = Role(role).label
        if unit is not None:
            messages.success(
                request,
                _("%(name)s er ikke længere leder af %(unit)s.") % {"name": person.name, "unit": unit.name},
            )
        else:
            messages.success(
                request,
                _("%(name)s har ikke længere rollen %(role)s.") % {"name": person.name, "role": label},
            )
    if person.user_id == actor.user.pk and role == Role.COMPETENCE_ADMIN and changed:
        # The reader just gave up the right to see this page's administration.
        return redirect("core:home")
    return redirect(_roles_anchor(person.pk))


@require_POST
@actor_required(Role.COMPETENCE_ADMIN)
def invitation_resend(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.get_person_for_user(actor=actor, person_id=person_id)
    try:
        services_roles.person_invitation_resend(actor=actor, person=person, ip_address=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitationen er sendt igen til %(name)s.") % {"name": person.name})
    return redirect(_roles_anchor(person.pk))
