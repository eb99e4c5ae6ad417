"""Job functions → role profiles (by code, so mappings survive new versions), and setting up a
municipality."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from fagdigital.frameworks.models import (
    Framework,
    JobCodeMapping,
    JobFunctionMapping,
    RoleProfile,
)
from fagdigital.frameworks.selectors import SuggestionSource, job_function_rows
from fagdigital.frameworks.services.versions import default_framework_install
from fagdigital.orgs.models import JOB_CODE_MAX, JobFunction, clean_job_code
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


@dataclass(frozen=True)
class JobCodeResult:
    changed: int  # rows of the job code table added, changed or removed
    job_functions_mapped: int  # job functions without a mapping that now follow their job code


@transaction.atomic
def job_code_mappings_set(
    *, organisation: Organisation, framework: Framework, mappings: dict[str, str | None]
) -> JobCodeResult:
    """Set the organisation's job code → role profile table for the framework's key; None removes a code.

    Every code must be non-empty and at most 20 characters, every role profile code one of the framework's.
    Job functions with one of the codes and no mapping of their own are then mapped to the code's role
    profile; a job function's own mapping is never changed (HR chose it for that title).
    """
    valid_codes = set(RoleProfile.objects.filter(framework=framework).values_list("code", flat=True))
    cleaned = {clean_job_code(code): role for code, role in mappings.items()}
    bad_codes = [code for code in cleaned if not code or len(code) > JOB_CODE_MAX]
    unknown_roles = {role for role in cleaned.values() if role is not None} - valid_codes
    if bad_codes or unknown_roles:
        raise ValueError(f"invalid job codes {bad_codes} or unknown role profiles {sorted(unknown_roles)}")
    existing = {
        m.job_code: m
        for m in JobCodeMapping.objects.select_for_update().filter(
            organisation=organisation, framework_key=framework.key
        )
    }
    changed = 0
    for code, role in cleaned.items():
        current = existing.get(code)
        if role is None:
            if current is not None:
                current.delete()
                changed += 1
        elif current is None:
            JobCodeMapping.objects.create(
                organisation=organisation, framework_key=framework.key, job_code=code, role_profile_code=role
            )
            changed += 1
        elif current.role_profile_code != role:
            current.role_profile_code = role
            current.save(update_fields=["role_profile_code", "updated_at"])
            changed += 1
    mapped = job_functions_map_by_job_code(organisation=organisation, framework=framework)
    return JobCodeResult(changed=changed, job_functions_mapped=mapped)


def job_functions_map_by_job_code(*, organisation: Organisation, framework: Framework) -> int:
    """Map every job function without a mapping whose job code is in the job code table."""
    by_code: dict[int, str | None] = {
        row.job_function.pk: row.suggested_code
        for row in job_function_rows(organisation=organisation, framework=framework)
        if row.mapped_code is None and row.suggestion_source == SuggestionSource.JOB_CODE
    }
    return job_function_mappings_set(organisation=organisation, framework=framework, mappings=by_code)


def job_functions_map_by_suggestion(*, organisation: Organisation, framework: Framework) -> int:
    """Map every unmapped job function that has a confident suggestion, by job code or by name (when setting
    up a municipality)."""
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
