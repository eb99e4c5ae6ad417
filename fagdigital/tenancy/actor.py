"""Who is acting, in which organisation, with which roles: what every selector and service is given."""

from __future__ import annotations

from dataclasses import dataclass

from fagdigital.accounts.models import User

from .models import Organisation, Role


@dataclass(frozen=True)
class Actor:
    user: User
    organisation: Organisation
    roles: frozenset[str]

    def has_role(self, *roles: Role | str) -> bool:
        return any(str(role) in self.roles for role in roles)

    @property
    def sees_whole_organisation(self) -> bool:
        """Competence admins and top management see the organisation's whole structure."""
        return self.has_role(Role.COMPETENCE_ADMIN, Role.TOP_MANAGEMENT)
