"""Writes of the organisation structure.

- `importing`: applying import rows (all or nothing, with the ending and number-reuse safeguards and
  an undo log); the plan itself is `people_import.plan`.
- `import_store`: stored imports from upload to history: background check, preview, apply, cancel,
  file retention.
- `import_undo`: undo of the last import.
- `persons`: linking a login to a person.
"""

from __future__ import annotations

from fagdigital.orgs.people_import.plan import (
    EndingCheck,
    FieldChange,
    ImportSummary,
    LeaderRef,
    PersonChange,
    PersonRef,
)

from .import_store import (
    people_import_cancel,
    people_import_check,
    people_import_create,
    people_import_purge_expired,
    people_import_queue,
    people_import_record,
    people_import_run,
    people_import_undo_queue,
    people_import_undo_run,
    people_import_upload,
    retention,
    undo_problems,
)
from .import_undo import UndoCheck, UndoProblem, people_import_undo, people_import_undo_check, undo_days
from .importing import (
    ImportNeedsConfirmation,
    ImportPreview,
    ImportRowsInvalid,
    people_import_apply,
    people_import_preview,
)
from .persons import person_link_user

__all__ = [
    "EndingCheck",
    "FieldChange",
    "ImportNeedsConfirmation",
    "ImportPreview",
    "ImportRowsInvalid",
    "ImportSummary",
    "LeaderRef",
    "PersonChange",
    "PersonRef",
    "UndoCheck",
    "UndoProblem",
    "people_import_apply",
    "people_import_cancel",
    "people_import_check",
    "people_import_create",
    "people_import_preview",
    "people_import_purge_expired",
    "people_import_queue",
    "people_import_record",
    "people_import_run",
    "people_import_undo",
    "people_import_undo_check",
    "people_import_undo_queue",
    "people_import_undo_run",
    "people_import_upload",
    "person_link_user",
    "retention",
    "undo_days",
    "undo_problems",
]
