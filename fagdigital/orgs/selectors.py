"""Reads of the organisation structure, always scoped to the acting user's organisation and role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from .models import PATH_STEP, Engagement, OrgUnit, PeopleImport, Person, UnitLeader

SEARCH_LIMIT = 50


def active_engagements_q(*, on: dt.date | None = None, prefix: str = "") -> Q:
    """Engagements running on the given day (default today). `prefix` is the relation path to them."""
    day = on or timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def person_for_actor(*, actor: Actor) -> Person | None:
    return Person.objects.filter(organisation=actor.organisation, user=actor.user).first()


def led_unit_paths(*, actor: Actor) -> list[str]:
    """Paths of the units the actor leads, without those already inside another led subtree."""
    if not actor.has_role(Role.LEADER):
        return []
    paths = sorted(
        UnitLeader.objects.filter(organisation=actor.organisation, person__user=actor.user).values_list(
            "unit__path", flat=True
        )
    )
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


@dataclass(frozen=True)
class Scope:
    """Which part of the tree an actor may see: all of it, some subtrees, or nothing."""

    whole_organisation: bool
    subtree_paths: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.whole_organisation and not self.subtree_paths

    def unit_q(self, prefix: str = "") -> Q:
        if self.whole_organisation:
            return Q()
        if not self.subtree_paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{prefix}path__startswith": path}) for path in self.subtree_paths))

    def contains(self, unit: OrgUnit) -> bool:
        return self.whole_organisation or any(unit.path.startswith(path) for path in self.subtree_paths)


def scope_for_actor(*, actor: Actor) -> Scope:
    if actor.sees_whole_organisation:
        return Scope(whole_organisation=True, subtree_paths=())
    return Scope(whole_organisation=False, subtree_paths=tuple(led_unit_paths(actor=actor)))


def visible_units(*, actor: Actor) -> QuerySet[OrgUnit]:
    scope = scope_for_actor(actor=actor)
    return OrgUnit.objects.filter(scope.unit_q(), organisation=actor.organisation)


# --- Who may see whom (docs/decisions/0012) ------------------------------------------------------


def _people_in_led_subtrees(actor: Actor, on: dt.date | None) -> QuerySet[Person]:
    paths = led_unit_paths(actor=actor)
    if not paths:
        return Person.objects.none()
    units = reduce(or_, (Q(unit__path__startswith=path) for path in paths))
    engaged_here = Engagement.objects.filter(
        units, active_engagements_q(on=on), organisation=actor.organisation, person=OuterRef("pk")
    )
    return Person.objects.filter(Exists(engaged_here), organisation=actor.organisation)


def people_led_by(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Person]:
    """The people the actor leads now: the one rule of which people a leader sees and rates.

    A person is led by the actor while they have a running engagement in a unit of the subtrees the
    actor leads now (current `UnitLeader` rows, read through `led_unit_paths`), never the actor's own
    record. Nothing from the past counts: not where the person was when a round opened, not whom the
    actor led then. Every leader path (round pages, rating, comments, profiles, person pages) asks this.
    """
    return _people_in_led_subtrees(actor, on).exclude(user=actor.user)


def leader_may_see(*, actor: Actor, person_id: int) -> bool:
    """Whether the actor leads the person now (`people_led_by`); never true for the actor themselves."""
    return people_led_by(actor=actor).filter(pk=person_id).exists()


def visible_people(*, actor: Actor) -> QuerySet[Person]:
    """The whole organisation for HR and top management; for a leader the people they lead now
    (`people_led_by`) and their own record when it is in their units, as the structure pages list it."""
    scope = scope_for_actor(actor=actor)
    if scope.whole_organisation:
        return Person.objects.filter(organisation=actor.organisation)
    return _people_in_led_subtrees(actor, None)


def get_unit_for_user(*, actor: Actor, unit_id: int) -> OrgUnit:
    """The unit if it is the actor's organisation's and inside their scope; 404 otherwise."""
    unit = visible_units(actor=actor).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def get_person_for_user(*, actor: Actor, person_id: int) -> Person:
    """The person if visible to the actor (their own record always is); 404 otherwise."""
    own = Q(user=actor.user, organisation=actor.organisation)
    person = (
        visible_people(actor=actor).filter(pk=person_id) | Person.objects.filter(own, pk=person_id)
    ).first()
    if person is None:
        raise Http404
    return person


@dataclass(frozen=True)
class UnitRow:
    unit: OrgUnit
    people_in_subtree: int
    has_children: bool


def subtree_people_counts(*, organisation_id: int, parent: OrgUnit | None) -> dict[str, int]:
    """People with a running engagement anywhere below each child of `parent`, keyed by child path.

    One grouped query over the path prefix, however many children there are.
    """
    depth = parent.depth if parent else 0
    filters = Q(unit__organisation_id=organisation_id, unit__depth__gt=depth) & active_engagements_q()
    if parent is not None:
        filters &= Q(unit__path__startswith=parent.path)
    rows = (
        Engagement.objects.filter(filters)
        .annotate(prefix=Substr("unit__path", 1, (depth + 1) * PATH_STEP))
        .values("prefix")
        .annotate(people=Count("person", distinct=True))
    )
    return {row["prefix"]: row["people"] for row in rows}


def unit_rows(*, actor: Actor, parent: OrgUnit | None) -> list[UnitRow]:
    """The children of `parent` (or the actor's top visible units) with people counts per subtree."""
    scope = scope_for_actor(actor=actor)
    units = OrgUnit.objects.filter(organisation=actor.organisation)
    if parent is not None:
        units = units.filter(parent=parent)
    elif scope.whole_organisation:
        units = units.filter(parent__isnull=True)
    else:
        units = units.filter(path__in=scope.subtree_paths)
    units = units.annotate(child_count=Count("children")).order_by("name")
    rows = []
    counts_by_parent: dict[int | None, dict[str, int]] = {}
    for unit in units:
        key = unit.parent_id
        if key not in counts_by_parent:
            counts_by_parent[key] = subtree_people_counts(
                organisation_id=actor.organisation.pk, parent=unit.parent
            )
        rows.append(
            UnitRow(
                unit=unit,
                people_in_subtree=counts_by_parent[key].get(unit.path, 0),
                has_children=unit.child_count > 0,
            )
        )
    return rows


def unit_ancestors(*, unit: OrgUnit, scope: Scope) -> list[OrgUnit]:
    """Ancestors from the top, limited to those the scope lets the actor open."""
    ancestors = OrgUnit.objects.filter(organisation_id=unit.organisation_id, path__in=unit.ancestor_paths)
    return [a for a in ancestors.order_by("depth") if scope.contains(a)]


def unit_people(*, unit: OrgUnit) -> QuerySet[Engagement]:
    """Running engagements directly in the unit."""
    return (
        Engagement.objects.filter(active_engagements_q(), unit=unit)
        .select_related("person", "job_function")
        .order_by("person__name")
    )


def unit_leaders(*, unit: OrgUnit) -> QuerySet[UnitLeader]:
    return UnitLeader.objects.filter(unit=unit).select_related("person").order_by("person__name")


def nearest_leaders(*, unit: OrgUnit) -> list[UnitLeader]:
    """The leaders of the unit or, where it has none, of its nearest led ancestor."""
    paths = [*unit.ancestor_paths, unit.path]
    leaders = list(
        UnitLeader.objects.filter(organisation_id=unit.organisation_id, unit__path__in=paths)
        .select_related("person", "unit")
        .order_by("-unit__depth", "person__name")
    )
    if not leaders:
        return []
    deepest = leaders[0].unit.depth
    return [leader for leader in leaders if leader.unit.depth == deepest]


@dataclass(frozen=True)
class EngagementView:
    engagement: Engagement
    is_active: bool
    leaders: list[UnitLeader]


def person_engagements(*, person: Person) -> list[EngagementView]:
    today = timezone.localdate()
    engagements = (
        Engagement.objects.filter(person=person)
        .select_related("unit", "job_function")
        .order_by("end_date", "-start_date")
    )
    return [
        EngagementView(
            engagement=e,
            is_active=e.start_date <= today and (e.end_date is None or e.end_date >= today),
            leaders=nearest_leaders(unit=e.unit),
        )
        for e in engagements
    ]


def search_people(*, actor: Actor, query: str) -> list[Person]:
    """People visible to the actor whose name contains every word of the query."""
    words = query.split()
    if not words:
        return []
    people = visible_people(actor=actor)
    for word in words:
        people = people.filter(name__icontains=word)
    active = Engagement.objects.filter(active_engagements_q()).select_related("unit", "job_function")
    return list(
        people.order_by("name").prefetch_related(Prefetch("engagements", queryset=active, to_attr="active"))[
            :SEARCH_LIMIT
        ]
    )


def get_people_import_for_user(*, actor: Actor, import_id: int) -> PeopleImport:
    """A people import of the actor's organisation, for competence admins only; 404 otherwise."""
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        raise Http404
    found = PeopleImport.objects.filter(organisation=actor.organisation, pk=import_id).first()
    if found is None:
        raise Http404
    return found


def recent_people_imports(*, actor: Actor, limit: int = 10) -> list[PeopleImport]:
    """The organisation's latest people imports (without their file content), newest first."""
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        return []
    return list(
        PeopleImport.objects.filter(organisation=actor.organisation)
        .select_related("uploaded_by")
        .defer("content", "preview", "outcome")
        .order_by("-created_at")[:limit]
    )
