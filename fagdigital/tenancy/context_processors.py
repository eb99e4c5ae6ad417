from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Role
from .selectors import memberships_for_user


def organisation(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"actor": None, "current_organisation": None}

    def other_memberships() -> list[Any]:
        return [
            m for m in memberships_for_user(user=actor.user) if m.organisation_id != actor.organisation.pk
        ]

    return {
        "actor": actor,
        "current_organisation": actor.organisation,
        "other_memberships": other_memberships,
        "actor_role_labels": [label for value, label in Role.choices if value in actor.roles],
    }
