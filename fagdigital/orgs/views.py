from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fagdigital.core.htmx import render_page_or_partial
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from . import selectors
from .forms import PeopleSearchForm

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


@actor_required()
def person_detail(request: HttpRequest, actor: Actor, person_id: int) -> HttpResponse:
    person = selectors.get_person_for_user(actor=actor, person_id=person_id)
    context = {
        "person": person,
        "engagements": selectors.person_engagements(person=person),
        "is_self": person.user_id == actor.user.pk,
    }
    return render(request, "orgs/person_detail.html", context)


@actor_required()
def me(request: HttpRequest, actor: Actor) -> HttpResponse:
    person = selectors.person_for_actor(actor=actor)
    if person is None:
        raise Http404
    return redirect("orgs:person", person_id=person.pk)
