"""Writes of the platform administrator's page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from fagdigital.accounts.models import User
from fagdigital.frameworks.models import Framework
from fagdigital.frameworks.services import organisation_onboard
from fagdigital.tenancy.models import Organisation, Role
from fagdigital.tenancy.services import membership_invite


@dataclass(frozen=True)
class MunicipalityOnboarding:
    framework: Framework
    invited: bool


@transaction.atomic
def municipality_onboard(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    invited_by: User,
    ip_address: str | None = None,
) -> MunicipalityOnboarding:
    """Set a municipality up (the default framework, job titles mapped) and give the user with this
    e-mail the competence admin role there, inviting them if they cannot log in yet. All or nothing;
    running it again for the same municipality only adds the user."""
    result = organisation_onboard(organisation=organisation)
    _membership, invited = membership_invite(
        organisation=organisation,
        email=email,
        full_name=full_name,
        roles=[Role.COMPETENCE_ADMIN],
        invited_by=invited_by,
        ip_address=ip_address,
    )
    return MunicipalityOnboarding(framework=result.framework, invited=invited)
