"""Framework import: for views_io.py and the import_framework command (docs/framework-format.md).

Imports are all-or-nothing: a file is checked and kept as a FrameworkImport with its problems and a summary;
only a valid one can be applied, which creates a new DRAFT version (or framework) atomically. A Moodle file's
scale is mapped onto fagdigital's levels; the preview shows the mapping, the user may change it
(`framework_import_set_scale_mapping`), and applying uses the one kept with the import (decision 0014).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fagdigital.accounts.models import User
from fagdigital.frameworks.formats import ReadResult, ScaleInfo, read_framework_file
from fagdigital.frameworks.formats.interchange import FrameworkData
from fagdigital.frameworks.formats.moodle import mapping_problem
from fagdigital.frameworks.models import Framework, FrameworkImport, FrameworkImportStatus, FrameworkStatus
from fagdigital.frameworks.services.versions import framework_create_from_data
from fagdigital.tenancy.models import Organisation

MAX_STORED_PROBLEMS = 500


@dataclasses.dataclass(frozen=True)
class FrameworkImportCheck:
    data: FrameworkData | None
    problems: list[dict[str, str]]  # [{"location": "Linje 7" or "$.areas[0].code", "message": "..."}]
    summary: dict[
        str, object
    ]  # counts, key, name, what the import becomes, the levels, "warnings" like problems
    warnings: list[dict[str, str]] = dataclasses.field(default_factory=list)
    scale: ScaleInfo | None = None  # a Moodle file's scale and the mapping used


class FrameworkImportError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ScaleMappingError(ValueError):
    """A scale mapping that cannot be used; the message says why, in Danish."""


def framework_import_check(
    *,
    organisation: Organisation,
    content: bytes,
    file_format: str,
    scale_mapping: Sequence[int] | None = None,
) -> FrameworkImportCheck:
    """Read and validate a framework file for `organisation`. Writes nothing.

    `scale_mapping` is the level of each value of a Moodle file's scale (None: the default mapping).
    """
    result = read_framework_file(content, file_format, scale_mapping=scale_mapping)
    problems = [{"location": p.location, "message": p.message} for p in result.problems]
    warnings = [{"location": w.location, "message": w.message} for w in result.warnings][:MAX_STORED_PROBLEMS]
    summary: dict[str, object] = {"warnings": warnings}
    data = result.data
    if data is not None:
        summary.update(_scale_summary(result))
        competences = data.all_competences()
        latest = (
            Framework.objects.filter(organisation=organisation, key=data.key).order_by("-version").first()
        )
        summary.update(
            key=data.key,
            name=data.name.da,
            areas=len(data.areas),
            competences=len(competences),
            descriptors=sum(len(item.descriptors) for item in competences),
            role_profiles=len(data.role_profiles),
            it_systems=len(data.it_systems),
            version=(latest.version + 1) if latest else 1,
            existing_framework_id=latest.pk if latest else None,
            existing_name=latest.name_da if latest else "",
        )
        draft = Framework.objects.filter(
            organisation=organisation, key=data.key, status=FrameworkStatus.DRAFT
        ).first()
        if draft is not None:
            problems.append(
                {
                    "location": _("Rammen"),
                    "message": _(
                        "Der findes allerede en kladde (version %(version)s) af rammen »%(name)s«, og en "
                        "ramme kan kun have én kladde ad gangen. Udgiv kladden, eller ret i den i stedet for "
                        "at indlæse filen."
                    )
                    % {"version": draft.version, "name": draft.name_da},
                }
            )
    return FrameworkImportCheck(
        data=data if not problems else None,
        problems=problems[:MAX_STORED_PROBLEMS],
        summary=summary,
        warnings=warnings,
        scale=result.scale,
    )


def _scale_summary(result: ReadResult) -> dict[str, Any]:
    """The file's scale and the levels it gives, for the preview (JSON, kept with the import)."""
    assert result.data is not None
    summary: dict[str, Any] = {
        "levels": [
            {"number": level.number, "name": level.name.da, "moodle_values": list(level.moodle_values)}
            for level in result.data.levels
        ]
    }
    if result.scale is not None:
        summary["scale"] = {
            "values": list(result.scale.values),
            "proficient": list(result.scale.proficient),
            "default_mapping": list(result.scale.default_mapping),
            "mapping": list(result.scale.mapping),
            "native": result.scale.native,
        }
    return summary


def framework_import_create(
    *,
    organisation: Organisation,
    uploaded_by: User | None,
    filename: str,
    file_format: str,
    content: bytes,
) -> FrameworkImport:
    """Check an uploaded framework file and keep it, valid or not, for the preview."""
    check = framework_import_check(organisation=organisation, content=content, file_format=file_format)
    return FrameworkImport.objects.create(
        organisation=organisation,
        uploaded_by=uploaded_by,
        filename=filename[-255:],
        file_format=file_format,
        content=content,
        status=FrameworkImportStatus.INVALID if check.problems else FrameworkImportStatus.VALID,
        problems=check.problems,
        summary=check.summary,
        scale_mapping=list(check.scale.mapping) if check.scale and not check.scale.native else [],
    )


@transaction.atomic
def framework_import_set_scale_mapping(
    *, framework_import: FrameworkImport, mapping: Sequence[int]
) -> FrameworkImport:
    """Keep the user's level for each value of the file's scale, for the preview and for applying.

    Raises ScaleMappingError (nothing saved) when the mapping does not fit the scale, and FrameworkImportError
    when the import has been applied, has problems, or has no scale from Moodle to map.
    """
    locked = FrameworkImport.objects.select_for_update().get(pk=framework_import.pk)
    if locked.status != FrameworkImportStatus.VALID:
        raise FrameworkImportError(
            [_("Filen er allerede indlæst eller har fejl, så fordelingen af skalaen kan ikke ændres.")]
        )
    scale = locked.summary.get("scale") or {}
    if not scale or scale.get("native"):
        raise FrameworkImportError([_("Filen har ingen skala fra Moodle at fordele på niveauerne.")])
    problem = mapping_problem(mapping, scale["values"])
    if problem:
        raise ScaleMappingError(problem)
    check = framework_import_check(
        organisation=locked.organisation,
        content=bytes(locked.content),
        file_format=locked.file_format,
        scale_mapping=mapping,
    )
    if check.data is None:  # the organisation's frameworks changed since the upload (a new draft)
        raise FrameworkImportError([str(p["message"]) for p in check.problems])
    locked.scale_mapping = list(mapping)
    locked.summary = check.summary
    locked.save(update_fields=["scale_mapping", "summary", "updated_at"])
    return locked


@transaction.atomic
def framework_import_apply(*, framework_import: FrameworkImport) -> Framework:
    """Create the imported framework as a DRAFT (a new version when the key exists). Idempotent.

    The file is checked again, since the organisation's frameworks may have changed since the preview.
    Raises FrameworkImportError (nothing written) when it cannot be applied.
    """
    locked = FrameworkImport.objects.select_for_update().get(pk=framework_import.pk)
    if locked.status == FrameworkImportStatus.APPLIED:
        if locked.framework is not None:
            return locked.framework
        raise FrameworkImportError(
            [_("Filen er allerede indlæst, men rammen er slettet siden. Indlæs filen igen.")]
        )
    if locked.status != FrameworkImportStatus.VALID:
        raise FrameworkImportError(
            [_("Filen har fejl og kan ikke indlæses. Ret fejlene, og indlæs filen igen.")]
        )
    organisation = locked.organisation
    check = framework_import_check(
        organisation=organisation,
        content=bytes(locked.content),
        file_format=locked.file_format,
        scale_mapping=locked.scale_mapping or None,
    )
    if check.data is None:
        raise FrameworkImportError([str(p["message"]) for p in check.problems])
    latest = (
        Framework.objects.filter(organisation=organisation, key=check.data.key).order_by("-version").first()
    )
    try:
        with transaction.atomic():
            framework = framework_create_from_data(
                organisation=organisation, data=check.data, status=FrameworkStatus.DRAFT, based_on=latest
            )
    except IntegrityError as error:  # another draft or version appeared at the same moment
        raise FrameworkImportError(
            [_("Rammen blev ændret, mens filen blev indlæst. Åbn forhåndsvisningen igen, og prøv igen.")]
        ) from error
    locked.framework = framework
    locked.status = FrameworkImportStatus.APPLIED
    locked.save(update_fields=["framework", "status", "updated_at"])
    return framework
