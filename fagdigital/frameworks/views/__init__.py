"""Frameworks: browse (everyone), "my role" (employees), versions and the editor (competence admins).

Views only parse input and call services (writes) and selectors (reads). Every write is a POST through a
service that refuses published and retired versions with FrameworkLockedError; the views answer that with
the way forward: create a new version. urls.py names the views through this package.
"""

from .browse import (
    competence_detail,
    framework_detail,
    framework_diff,
    framework_list,
    install_default,
    my_role,
)
from .editor import (
    area_create,
    area_edit,
    area_move,
    competence_create,
    competence_edit,
    competence_move,
    framework_edit,
    role_profile_create,
    role_profile_edit,
    role_profile_move,
)
from .grid import target_grid, target_set
from .job_functions import job_codes, job_functions
from .versions import framework_new_version, framework_publish

__all__ = [
    "area_create",
    "area_edit",
    "area_move",
    "competence_create",
    "competence_detail",
    "competence_edit",
    "competence_move",
    "framework_detail",
    "framework_diff",
    "framework_edit",
    "framework_list",
    "framework_new_version",
    "framework_publish",
    "install_default",
    "job_codes",
    "job_functions",
    "my_role",
    "role_profile_create",
    "role_profile_edit",
    "role_profile_move",
    "target_grid",
    "target_set",
]
