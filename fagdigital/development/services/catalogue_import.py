"""Catalogue import: upload → check (every problem with its line and column) → preview → apply, all or
nothing. The file is kept only between the check and the apply."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fagdigital.development.formats.catalogue import ReadResult, read_csv, read_json
from fagdigital.development.models import CatalogueImport, CatalogueImportStatus, ImportFormat
from fagdigital.development.selectors.catalogue import catalogue_framework, competence_codes
from fagdigital.tenancy.actor import Actor

from .catalogue import ImportCounts, activities_import, import_plan


def guess_format(filename: str) -> str:
    return ImportFormat.JSON if filename.lower().endswith(".json") else ImportFormat.CSV


def _read(actor: Actor, content: bytes, file_format: str) -> ReadResult:
    framework = catalogue_framework(organisation=actor.organisation)
    codes = competence_codes(framework=framework)
    if file_format == ImportFormat.JSON:
        return read_json(content, codes=codes, framework_key=framework.key if framework else "")
    return read_csv(content, codes=codes)


@transaction.atomic
def catalogue_import_check(
    *, actor: Actor, filename: str, content: bytes, file_format: str = ""
) -> CatalogueImport:
    """Read and check an uploaded catalogue file; nothing in the catalogue changes."""
    if catalogue_framework(organisation=actor.organisation) is None:
        raise ValidationError(
            _("Der er ingen offentliggjort kompetenceramme at knytte aktiviteterne til endnu.")
        )
    chosen = file_format or guess_format(filename)
    result = _read(actor, content, chosen)
    summary: dict[str, object] = {"warnings": [w.as_dict() for w in result.warnings]}
    if not result.problems:
        counts = import_plan(organisation=actor.organisation, records=result.records)
        summary.update(
            activities=len(result.records),
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
            titles=[record.title_da for record in result.records[:50]],
        )
    return CatalogueImport.objects.create(
        organisation=actor.organisation,
        uploaded_by=actor.user,
        filename=filename[:255],
        file_format=chosen,
        content=content if not result.problems else b"",
        status=CatalogueImportStatus.INVALID if result.problems else CatalogueImportStatus.VALID,
        problems=[p.as_dict() for p in result.problems[:500]],
        summary=summary,
    )


class CatalogueImportError(ValidationError):
    """The file can no longer be applied (already applied, or the catalogue changed so it has problems)."""


@transaction.atomic
def catalogue_import_apply(*, actor: Actor, catalogue_import: CatalogueImport) -> ImportCounts:
    locked = CatalogueImport.objects.select_for_update().get(pk=catalogue_import.pk)
    if locked.status != CatalogueImportStatus.VALID:
        raise CatalogueImportError(_("Filen er allerede indlæst eller har fejl; upload den igen."))
    result = _read(actor, bytes(locked.content), locked.file_format)
    if result.problems:
        locked.status = CatalogueImportStatus.INVALID
        locked.problems = [p.as_dict() for p in result.problems[:500]]
        locked.content = b""
        locked.save(update_fields=["status", "problems", "content", "updated_at"])
        raise CatalogueImportError(
            _("Kataloget eller rammen er ændret siden kontrollen, og filen har nu fejl.")
        )
    counts = activities_import(actor=actor, records=result.records)
    locked.status = CatalogueImportStatus.APPLIED
    locked.content = b""
    locked.summary = {
        **locked.summary,
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
    }
    locked.save(update_fields=["status", "content", "summary", "updated_at"])
    return counts
