from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from fagdigital.core.htmx import render_page_or_partial
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from . import selectors, selectors_roles
from .forms import PeopleSearchForm
from .forms_roles import RoleGrantForm
from .models import Person

STRUCTURE_ROLES = (Role.LEADER, Role.COMPETENCE_ADMIN, Role.TOP_MANAGEMENT)


@actor_required(*STRUCTURE_ROLES)
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    scope = selectors.scope_for_actor(actor=actor)
    rows = selectors.unit_rows(actor=actor, parent=None)
    return render(
        request, "orgs/overview.html", {"rows": rows, "scope": scope, "search_form": PeopleSearchForm()}
    )


@actor_required(*STRUCTURE_ROLES)
def unit_detail(request: HttpRequest, actor: Actor, unit_id: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(actor=actor, unit_id=unit_id)
    scope = selectors.scope_for_actor(actor=actor)
    rows = selectors.unit_rows(actor=actor, parent=unit)
    context = {
        "unit": unit,
        "rows": rows,
        "ancestors": selectors.unit_ancestors(unit=unit, scope=scope),
        "leaders": selectors.unit_leaders(unit=unit),
        "engagements": selectors.unit_people(unit=unit),
    }
    return render_page_or_partial(
        request,
        page_template="orgs/unit_detail.html",
        partial_template="orgs/_unit_children.html",
        context=context,
    )


@actor_required(*STRUCTURE_ROLES)
def people(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = PeopleSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.search_people(actor=actor, query=form.cleaned_data["q"])
    context = {"form": form, "results": results, "limit": selectors.SEARCH_LIMIT}
    return render_page_or_partial(
        request,
        page_template="orgs/people.html",
        partial_template="orgs/_people_results.html",
        context=context,
    )


def person_page_links(*, actor: Actor, person: Person) -> list[tuple[str, str]]:
    """(label, url) of pages about the person elsewhere (their competence profile), from the apps that
    have them: settings.PERSON_PAGE_LINK_PROVIDERS, as this app cannot import the apps above it."""
    links: list[tuple[str, str]] = []
    for path in settings.PERSON_PAGE_LINK_PROVIDERS:
        links.extend(import_string(path)(actor=actor, person=person))
    return links


def person_page(
    request: HttpRequest,
    actor: Actor,
    person: Person,
    *,
    grant_form: RoleGrantForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The person page: facts, engagements, links, roles and (for HR) the role administration."""
    scope = selectors.scope_for_actor(actor=actor)
    engagements = selectors.person_engagements(person=person)
    is_admin = actor.has_role(Role.COMPETENCE_ADMIN)
    if is_admin and grant_form is None:
        grant_form = RoleGrantForm(units=selectors_roles.grantable_units(actor=actor))
    context: dict[str, Any] = {
        "person": person,
        "engagements": engagements,
        # Only units the reader may open are links (a leader's own unit may lie outside what they lead).
        "linked_unit_ids": {e.engagement.unit_id for e in engagements if scope.contains(e.engagement.unit)},
        "is_self": person.user_id == actor.user.pk,
        "links": person_page_links(actor=actor, person=person),
        "roles": selectors_roles.person_roles(person=person),
        "may_administer_roles": is_admin,
        "grant_form": grant_form if is_admin else None,
        "error_prefix": _("Fejl:"),
    }
    return render(request, "orgs/person_detail.html", context, status=status)


@actor_required()
def person_detail(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.get_person_for_user(actor=actor, person_id=person_id)
    return person_page(request, actor, person)


@actor_required()
def me(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The reader's own person page; users without an employee record get a page saying what that means."""
    person = selectors.person_for_actor(actor=actor)
    if person is None:
        return render(request, "orgs/me_without_record.html")
    return redirect("orgs:person", person_id=person.pk)
