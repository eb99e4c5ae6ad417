"""Reads of the people import: history, preview rows, the import that can be undone.

Every read takes the actor and stays inside the actor's organisation; only competence admins (HR) see
imports. Objects named by id go through `selectors.get_people_import_for_user`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from .models import ImportStatus, PeopleImport, PeopleImportItem

# The preview's filters (the URL's `vis`), Danish as users see them in the address.
PREVIEW_FILTERS = ("alle", "nye", "aendres", "afsluttes", "genbrugt")


def people_import_history(*, actor: Actor) -> QuerySet[PeopleImport]:
    """The organisation's imports, newest first, without file, preview or outcome."""
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        return PeopleImport.objects.none()
    return (
        PeopleImport.objects.filter(organisation=actor.organisation)
        .select_related("uploaded_by", "undone_by")
        .defer("content", "preview", "outcome")
        .order_by("-created_at", "-pk")
    )


def last_applied_import(*, actor: Actor) -> PeopleImport | None:
    """The organisation's most recently applied import (the only one undo may be offered for)."""
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        return None
    return (
        PeopleImport.objects.filter(organisation=actor.organisation, applied_at__isnull=False)
        .defer("content", "preview", "outcome")
        .order_by("-applied_at")
        .first()
    )


def can_offer_undo(*, people_import: PeopleImport, last: PeopleImport | None) -> bool:
    """Cheap test for showing the undo link; the undo page runs the full check."""
    return (
        last is not None
        and last.pk == people_import.pk
        and people_import.status == ImportStatus.DONE
        and hasattr(people_import, "log")
    )


def preview_items(*, people_import: PeopleImport, show: str, query: str) -> QuerySet[PeopleImportItem]:
    """The preview's people, filtered by kind (`show`, one of PREVIEW_FILTERS) and a search text."""
    items = PeopleImportItem.objects.filter(people_import=people_import)
    kinds = {"nye": "new", "aendres": "changed", "afsluttes": "ending"}
    if show in kinds:
        items = items.filter(kind=kinds[show])
    elif show == "genbrugt":
        items = items.filter(number_reused=True)
    for word in query.split()[:5]:
        items = items.filter(Q(name__icontains=word) | Q(employee_number__icontains=word))
    return items.order_by("name", "employee_number", "pk")
