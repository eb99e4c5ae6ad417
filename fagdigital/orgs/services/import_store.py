"""Stored people imports: upload → check (background) → preview → apply (background) → history → undo.

The uploaded file holds personal data. It is kept only while it is needed: it is deleted when the import
is applied, when it fails (invalid file, refused confirmation, error), when it is cancelled, and when it
is abandoned (not applied within FAGDIGITAL_IMPORT_RETENTION_HOURS; `people_import_purge_expired`, run by
the task worker and by the `purge_people_imports` command). The preview rows (names, old and new values)
go with it; the problems of an invalid file stay for the retention period so the user can fix the file.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.orgs.models import (
    ImportMode,
    ImportSource,
    ImportStatus,
    PeopleImport,
    PeopleImportItem,
    PeopleImportLog,
)
from fagdigital.orgs.people_import import ImportProblem, ParseResult, read_people_file
from fagdigital.tenancy.models import Organisation

from .import_undo import UndoProblem, people_import_undo, undo_days
from .importing import (
    BATCH_SIZE,
    PREVIEW_LIST_LIMIT,
    ImportNeedsConfirmation,
    ImportPreview,
    ImportRowsInvalid,
    people_import_apply,
    people_import_preview,
)

logger = logging.getLogger(__name__)

# States in which an import still holds its file.
HOLDS_FILE = (ImportStatus.CHECKING, ImportStatus.VALIDATED, ImportStatus.QUEUED, ImportStatus.APPLYING)


def retention() -> dt.timedelta:
    return dt.timedelta(hours=settings.FAGDIGITAL_IMPORT_RETENTION_HOURS)


def _problems_json(problems: Iterable[ImportProblem]) -> list[dict[str, Any]]:
    return [problem.as_json() for problem in problems]


def _parse_json(parse: ParseResult) -> dict[str, Any]:
    errors = parse.errors
    warnings = parse.warnings
    # Errors first: they are what must be fixed; warnings fill what room is left.
    shown = sorted(
        [*errors[:PREVIEW_LIST_LIMIT], *warnings[: max(0, PREVIEW_LIST_LIMIT - len(errors))]],
        key=lambda p: (p.line or 0, not p.is_error),
    )
    return {
        "format": parse.file_format,
        "encoding": parse.encoding,
        "delimiter": parse.delimiter,
        "mode": parse.mode,
        "problems": _problems_json(shown),
        "error_count": len(errors),
        "warning_count": len(warnings),
    }


def _forget(import_id: int, **fields: Any) -> None:
    """Delete the file and the preview's rows of people; set `fields` (e.g. a new status)."""
    PeopleImportItem.objects.filter(people_import_id=import_id).delete()
    PeopleImport.objects.filter(pk=import_id).update(content=b"", updated_at=timezone.now(), **fields)


def people_import_upload(
    *,
    organisation: Organisation,
    uploaded_by: User | None,
    filename: str,
    data: bytes,
    mode: str = ImportMode.FULL,
) -> PeopleImport:
    """Store an uploaded file for the background check (`people_import_check`). Nothing is read here.

    Also deletes the files of the organisation's abandoned imports.
    """
    people_import_purge_expired(organisation_id=organisation.pk)
    return PeopleImport.objects.create(
        organisation=organisation,
        uploaded_by=uploaded_by,
        filename=filename[:255],
        content=data,
        status=ImportStatus.CHECKING,
        mode=mode,
        source=ImportSource.WEB,
    )


def _store_preview(people_import: PeopleImport, preview: ImportPreview) -> None:
    PeopleImportItem.objects.filter(people_import=people_import).delete()
    PeopleImportItem.objects.bulk_create(
        (
            PeopleImportItem(
                people_import=people_import,
                kind=person.kind,
                employee_number=person.employee_number,
                name=person.name,
                number_reused=person.number_reused,
                leader_ending=person.leader_ending,
                changes=[[change.field, change.old, change.new] for change in person.fields],
            )
            for person in preview.people
        ),
        batch_size=BATCH_SIZE,
    )


def people_import_check(*, import_id: int) -> str:
    """Read and check a stored file and store its preview (the body of the background check).

    The file's content is kept only when it can be applied; an invalid file keeps just its problems.
    Returns the new status.
    """
    claimed = PeopleImport.objects.filter(pk=import_id, status=ImportStatus.CHECKING).update(
        processed=0, outcome={"phase": "checking"}, updated_at=timezone.now()
    )
    if not claimed:
        return ""
    people_import = PeopleImport.objects.select_related("organisation").get(pk=import_id)
    last = [0]

    def reading(done: int, total: int) -> None:
        if done - last[0] >= 1000 or done == total:
            last[0] = done
            PeopleImport.objects.filter(pk=import_id).update(processed=done, row_count=total)

    try:
        parse = read_people_file(
            data=bytes(people_import.content), filename=people_import.filename, progress=reading
        )
        preview = _parse_json(parse)
        status = ImportStatus.INVALID
        found: ImportPreview | None = None
        if parse.is_valid:
            try:
                found = people_import_preview(
                    organisation=people_import.organisation,
                    rows=parse.rows,
                    units=parse.units,
                    end_missing=people_import.mode == ImportMode.FULL,
                )
            except ImportRowsInvalid as invalid:  # the reader and check_rows disagree: never apply
                preview["problems"] = _problems_json(invalid.problems[:PREVIEW_LIST_LIMIT])
                preview["error_count"] = len(invalid.problems)
            else:
                preview.update(found.as_json())
                status = ImportStatus.VALIDATED
        with transaction.atomic():
            if found is not None:
                _store_preview(people_import, found)
            fields: dict[str, Any] = {
                "status": status,
                "row_count": len(parse.rows),
                "processed": len(parse.rows),
                "preview": preview,
                "outcome": {},
                "updated_at": timezone.now(),
            }
            if status == ImportStatus.INVALID:
                fields["content"] = b""
            PeopleImport.objects.filter(pk=import_id, status=ImportStatus.CHECKING).update(**fields)
    except Exception:
        logger.exception("people import check failed", extra={"import_id": import_id})
        _forget(import_id, status=ImportStatus.FAILED, outcome={"error": "exception"})
        raise
    return status


def people_import_create(
    *,
    organisation: Organisation,
    uploaded_by: User | None,
    filename: str,
    data: bytes,
    mode: str = ImportMode.FULL,
) -> PeopleImport:
    """Upload and check at once (for callers without a task worker in between, such as tests)."""
    stored = people_import_upload(
        organisation=organisation, uploaded_by=uploaded_by, filename=filename, data=data, mode=mode
    )
    people_import_check(import_id=stored.pk)
    stored.refresh_from_db()
    return stored


def people_import_queue(
    *, people_import: PeopleImport, confirm_ending: int | None = None, accept_number_reuse: bool = False
) -> bool:
    """Mark a checked import as queued for the task that applies it, with what the user confirmed.

    False if it cannot be applied (not checked, already started, or no longer holding its file).
    """
    people_import_purge_expired(organisation_id=people_import.organisation_id)
    updated = PeopleImport.objects.filter(
        pk=people_import.pk, status=ImportStatus.VALIDATED, created_at__gte=timezone.now() - retention()
    ).update(
        status=ImportStatus.QUEUED,
        processed=0,
        outcome={},
        confirmed_ending=confirm_ending,
        accepted_number_reuse=accept_number_reuse,
        updated_at=timezone.now(),
    )
    people_import.refresh_from_db()
    return updated == 1


def people_import_cancel(*, people_import: PeopleImport) -> bool:
    """Throw away an import that has not been applied: its file and preview rows are deleted."""
    cancellable = [ImportStatus.CHECKING, ImportStatus.VALIDATED, ImportStatus.INVALID, ImportStatus.FAILED]
    if people_import.status not in cancellable:
        return False
    _forget(people_import.pk, status=ImportStatus.CANCELLED, outcome={})
    people_import.refresh_from_db()
    return True


def _set_progress(import_id: int, *, phase: str, processed: int, **extra: Any) -> None:
    PeopleImport.objects.filter(pk=import_id).update(
        processed=processed, outcome={"phase": phase, **extra}, updated_at=timezone.now()
    )


def people_import_run(*, import_id: int) -> dict[str, Any]:
    """Apply a queued import (the body of the background task). Returns the stored outcome.

    Progress is stored in phases other requests can see: "reading" counts the rows read and checked
    again (outside the transaction, so each update is visible at once), then "writing" covers the
    single transaction that applies everything, which other connections cannot see into until it
    commits. Whatever the outcome, the file is deleted afterwards.
    """
    claimed = PeopleImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.APPLYING, processed=0, updated_at=timezone.now()
    )
    if not claimed:
        return {"skipped": True}
    people_import = PeopleImport.objects.select_related("organisation").get(pk=import_id)
    started = timezone.now()
    last_reported = 0

    def reading(done: int, total: int) -> None:
        nonlocal last_reported
        if done - last_reported >= 1000 or done == total:
            last_reported = done
            _set_progress(import_id, phase="reading", processed=done, started_at=started.isoformat())

    outcome: dict[str, Any]
    try:
        _set_progress(import_id, phase="reading", processed=0, started_at=started.isoformat())
        parse = read_people_file(
            data=bytes(people_import.content), filename=people_import.filename, progress=reading
        )
        if not parse.is_valid:
            outcome = {"error": "invalid", **_parse_json(parse)}
            _forget(import_id, status=ImportStatus.FAILED, outcome=outcome)
            return outcome
        _set_progress(import_id, phase="writing", processed=len(parse.rows), started_at=started.isoformat())
        summary = people_import_apply(
            organisation=people_import.organisation,
            rows=parse.rows,
            units=parse.units,
            end_missing=people_import.mode == ImportMode.FULL,
            confirm_ending=people_import.confirmed_ending,
            accept_number_reuse=people_import.accepted_number_reuse,
            record=people_import,
        )
    except ImportNeedsConfirmation as needed:
        # The organisation changed between the preview and the apply: the numbers confirmed are not
        # the numbers now. Nothing was written; the user checks the new preview of a new upload.
        outcome = {
            "error": "confirmation",
            "ending": needed.ending.as_json(),
            "confirmed": needed.confirmed,
            "reuse_count": len(needed.reused),
        }
        _forget(import_id, status=ImportStatus.FAILED, outcome=outcome)
        return outcome
    except Exception:
        logger.exception("people import failed", extra={"import_id": import_id})
        _forget(import_id, status=ImportStatus.FAILED, outcome={"error": "exception"})
        raise
    finished = timezone.now()
    outcome = {
        "summary": summary.as_json(),
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat(),
        "seconds": round((finished - started).total_seconds(), 1),
    }
    # The applied file is no longer needed: keep the outcome, not the personal data.
    _forget(import_id, processed=len(parse.rows), outcome=outcome)
    return outcome


def people_import_record(
    *, organisation: Organisation, filename: str, mode: str, row_count: int
) -> PeopleImport:
    """A history entry for an import applied from the command line (no file is stored)."""
    return PeopleImport.objects.create(
        organisation=organisation,
        filename=filename[:255],
        content=b"",
        status=ImportStatus.APPLYING,
        mode=mode,
        source=ImportSource.COMMAND,
        row_count=row_count,
        processed=row_count,
    )


def people_import_undo_queue(*, people_import: PeopleImport) -> bool:
    """Mark an applied import for the task that undoes it. False if it is not (or no longer) applied."""
    updated = PeopleImport.objects.filter(pk=people_import.pk, status=ImportStatus.DONE).update(
        status=ImportStatus.UNDOING, updated_at=timezone.now()
    )
    people_import.refresh_from_db()
    return updated == 1


def people_import_undo_run(*, import_id: int, user_id: int | None) -> dict[str, Any]:
    """Undo a queued undo (the body of the background task); a refusal puts the import back as applied
    with the reasons in its outcome."""
    people_import = PeopleImport.objects.filter(pk=import_id, status=ImportStatus.UNDOING).first()
    if people_import is None:
        return {"skipped": True}
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        check = people_import_undo(people_import=people_import, user=user)
    except Exception:
        logger.exception("people import undo failed", extra={"import_id": import_id})
        PeopleImport.objects.filter(pk=import_id, status=ImportStatus.UNDOING).update(
            status=ImportStatus.DONE, outcome={"undo_error": "exception"}, updated_at=timezone.now()
        )
        raise
    if check.possible:
        return {"undone": True, "counts": check.counts}
    outcome = {"undo_problems": [problem.as_json() for problem in check.problems]}
    PeopleImport.objects.filter(pk=import_id, status=ImportStatus.UNDOING).update(
        status=ImportStatus.DONE, outcome=outcome, updated_at=timezone.now()
    )
    return outcome


def undo_problems(outcome: dict[str, Any]) -> list[UndoProblem]:
    return [UndoProblem.from_json(item) for item in outcome.get("undo_problems", [])]


def people_import_purge_expired(*, organisation_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Delete what the retention rules say must go; returns the number of imports touched.

    - Files (and preview rows) of imports not applied within the retention period: status "expired".
    - Problems of invalid or failed imports after the retention period (they quote the file's values).
    - Undo logs older than IMPORT_UNDO_DAYS (the import can then no longer be undone).
    """
    moment = now or timezone.now()
    cutoff = moment - retention()
    imports = PeopleImport.objects.all()
    if organisation_id is not None:
        imports = imports.filter(organisation_id=organisation_id)
    touched = 0
    abandoned = imports.filter(
        status__in=[ImportStatus.CHECKING, ImportStatus.VALIDATED], created_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in list(abandoned):
        _forget(pk, status=ImportStatus.EXPIRED)
        touched += 1
    stale = imports.filter(
        status__in=[ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.CANCELLED, ImportStatus.EXPIRED],
        updated_at__lt=cutoff,
    )
    for people_import in stale.only("pk", "preview", "outcome"):
        if not (people_import.preview.get("problems") or people_import.outcome.get("problems")):
            continue
        preview = {**people_import.preview, "problems": []}
        outcome = {**people_import.outcome, "problems": []}
        _forget(people_import.pk, preview=preview, outcome=outcome)
        touched += 1
    old_logs = PeopleImportLog.objects.filter(created_at__lt=moment - dt.timedelta(days=undo_days()))
    if organisation_id is not None:
        old_logs = old_logs.filter(people_import__organisation_id=organisation_id)
    touched += old_logs.delete()[0]
    return touched
