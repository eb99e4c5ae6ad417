"""Framework import (upload → preview → confirm) and export, JSON and Moodle CSV. (Being written.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role


@actor_required(Role.COMPETENCE_ADMIN)
def framework_import(request: HttpRequest, actor: Actor) -> HttpResponse:
    raise NotImplementedError


@actor_required(Role.COMPETENCE_ADMIN)
def framework_import_preview(request: HttpRequest, actor: Actor, framework_import_id: int) -> HttpResponse:
    raise NotImplementedError


@actor_required(Role.COMPETENCE_ADMIN)
def framework_export(request: HttpRequest, actor: Actor, framework_id: int, file_format: str) -> HttpResponse:
    raise NotImplementedError
