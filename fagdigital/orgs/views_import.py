"""People import views: upload → preview with every problem → apply with progress. (Being written.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role


@actor_required(Role.COMPETENCE_ADMIN)
def import_start(request: HttpRequest, actor: Actor) -> HttpResponse:
    raise NotImplementedError


@actor_required(Role.COMPETENCE_ADMIN)
def import_preview(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    raise NotImplementedError


@actor_required(Role.COMPETENCE_ADMIN)
def import_apply(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    raise NotImplementedError


@actor_required(Role.COMPETENCE_ADMIN)
def import_status(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    raise NotImplementedError
