"""Writes of competence frameworks, by subdomain. Published versions are immutable.

Other apps, the views and the commands import from here (`services.framework_publish(...)`); the modules
below are the implementation: versions, the draft editor, job functions and onboarding, and imports.
"""

from .editor import (
    MaterialChangeError,
    MoveDirection,
    area_create,
    area_update,
    competence_create,
    competence_update,
    descriptor_update,
    framework_update,
    item_move,
    role_profile_create,
    role_profile_update,
    role_target_set,
)
from .imports import (
    MAX_STORED_PROBLEMS,
    FrameworkImportCheck,
    FrameworkImportError,
    ScaleMappingError,
    framework_import_apply,
    framework_import_check,
    framework_import_create,
    framework_import_set_scale_mapping,
)
from .job_functions import (
    JobCodeResult,
    OnboardingResult,
    job_code_mappings_set,
    job_function_mappings_set,
    job_functions_map_by_job_code,
    job_functions_map_by_suggestion,
    organisation_onboard,
)
from .versions import (
    DEFAULT_FRAMEWORK_JSON,
    FrameworkInvalidError,
    FrameworkLockedError,
    default_framework_install,
    ensure_editable,
    framework_create_from_data,
    framework_new_version,
    framework_publish,
    publication_problems,
)

__all__ = [
    "DEFAULT_FRAMEWORK_JSON",
    "MAX_STORED_PROBLEMS",
    "FrameworkImportCheck",
    "FrameworkImportError",
    "FrameworkInvalidError",
    "FrameworkLockedError",
    "JobCodeResult",
    "MaterialChangeError",
    "MoveDirection",
    "OnboardingResult",
    "ScaleMappingError",
    "area_create",
    "area_update",
    "competence_create",
    "competence_update",
    "default_framework_install",
    "descriptor_update",
    "ensure_editable",
    "framework_create_from_data",
    "framework_import_apply",
    "framework_import_check",
    "framework_import_create",
    "framework_import_set_scale_mapping",
    "framework_new_version",
    "framework_publish",
    "framework_update",
    "item_move",
    "job_code_mappings_set",
    "job_function_mappings_set",
    "job_functions_map_by_job_code",
    "job_functions_map_by_suggestion",
    "organisation_onboard",
    "publication_problems",
    "role_profile_create",
    "role_profile_update",
    "role_target_set",
]
