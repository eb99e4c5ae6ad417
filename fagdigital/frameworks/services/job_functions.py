"""Job functions → role profiles (by code, so mappings survive new versions), and setting up a
municipality."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from fagdigital.frameworks.models import (
    Framework,
    JobFunctionMapping,
    RoleProfile,
)
from fagdigital.frameworks.selectors import job_function_rows
from fagdigital.frameworks.services.versions import default_framework_install
from fagdigital.orgs.models import JobFunction
from fagdigital.tenancy.models import Organisation


@transaction.atomic
def job_function_mappings_set(
    *, organisation: Organisation, framework: Framework, mappings: dict[int, str | None]
) -> int:
    """Map job functions (by id) to role profile codes of the framework; None removes a mapping.

    Every id must be the organisation's job function and every code one of the framework's role profiles.
    Returns the number of mappings changed.
    """
    valid_codes = set(RoleProfile.objects.filter(framework=framework).values_list("code", flat=True))
    own_ids = set(
        JobFunction.objects.filter(organisation=organisation, pk__in=mappings).values_list("pk", flat=True)
    )
    unknown_ids = set(mappings) - own_ids
    unknown_codes = {code for code in mappings.values() if code is not None} - valid_codes
    if unknown_ids or unknown_codes:
        raise ValueError(
            f"unknown job functions {sorted(unknown_ids)} or role profiles {sorted(unknown_codes)}"
        )
    existing = {
        m.job_function_id: m
        for m in JobFunctionMapping.objects.filter(organisation=organisation, framework_key=framework.key)
    }
    changed = 0
    for job_function_id, code in mappings.items():
        current = existing.get(job_function_id)
        if code is None:
            if current is not None:
                current.delete()
                changed += 1
        elif current is None:
            JobFunctionMapping.objects.create(
                organisation=organisation,
                job_function_id=job_function_id,
                framework_key=framework.key,
                role_profile_code=code,
            )
            changed += 1
        elif current.role_profile_code != code:
            current.role_profile_code = code
            current.save(update_fields=["role_profile_code", "updated_at"])
            changed += 1
    return changed


def job_functions_map_by_suggestion(*, organisation: Organisation, framework: Framework) -> int:
    """Map every unmapped job function that has a confident suggestion (when setting up a municipality)."""
    suggestions: dict[int, str | None] = {
        row.job_function.pk: row.suggested_code
        for row in job_function_rows(organisation=organisation, framework=framework)
        if row.mapped_code is None and row.suggested_code is not None
    }
    return job_function_mappings_set(organisation=organisation, framework=framework, mappings=suggestions)


@dataclass(frozen=True)
class OnboardingResult:
    framework: Framework
    job_functions_mapped: int


def organisation_onboard(*, organisation: Organisation) -> OnboardingResult:
    """Set up a municipality to use fagdigital: the default framework, job functions mapped by name.

    Idempotent: an organisation that has the framework keeps it, and only unmapped job functions with a
    confident suggestion are mapped (run it again after the first people import).
    """
    framework = default_framework_install(organisation=organisation)
    mapped = job_functions_map_by_suggestion(organisation=organisation, framework=framework)
    return OnboardingResult(framework=framework, job_functions_mapped=mapped)
