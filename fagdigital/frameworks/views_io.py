"""Framework import (upload → preview → confirm) and export, as fagdigital JSON or Moodle CSV.

The import is all-or-nothing: the uploaded file is checked and kept with its problems and a summary
(services.framework_import_create); the preview shows either every problem or what will be created, and only
then does "Indlæs som kladde" create a draft (services.framework_import_apply, idempotent).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from . import selectors, services
from .formats import CONTENT_TYPES, FILE_FORMATS, export_filename, export_problems, write_framework_file
from .formats.moodle import TARGET_LEVEL
from .forms_io import FrameworkImportForm, ScaleMappingForm
from .models import Framework, FrameworkImport, FrameworkImportStatus

RECENT_IMPORTS = 10


@require_http_methods(["GET", "POST"])
@actor_required(Role.COMPETENCE_ADMIN)
def framework_import(request: HttpRequest, actor: Actor) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = FrameworkImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            framework_import = services.framework_import_create(
                organisation=actor.organisation,
                uploaded_by=actor.user,
                filename=upload.name or "",
                file_format=form.cleaned_data["file_format"],
                content=upload.read(),
            )
            return redirect("frameworks:import_preview", framework_import.pk)
        status = 400
    else:
        form = FrameworkImportForm()
    recent = (
        selectors.framework_imports_for_organisation(organisation=actor.organisation)
        .select_related("uploaded_by")
        .order_by("-created_at")[:RECENT_IMPORTS]
    )
    return render(request, "frameworks/io_import.html", {"form": form, "recent": recent}, status=status)


@require_http_methods(["GET", "POST"])
@actor_required(Role.COMPETENCE_ADMIN)
def framework_import_preview(request: HttpRequest, actor: Actor, framework_import_id: int) -> HttpResponse:
    """The preview: problems, or what the file holds and becomes.

    A Moodle file's scale gets a form that maps its values onto the levels: "Gem fordelingen" keeps the
    mapping, "Indlæs som kladde" keeps it and loads the file with it.
    """
    framework_import = selectors.get_framework_import_for_user(
        actor=actor, framework_import_id=framework_import_id
    )
    preview_url = reverse("frameworks:import_preview", args=[framework_import.pk])
    mapping_form = _mapping_form(request, framework_import)
    if request.method != "POST":
        return _render_preview(request, actor, framework_import, mapping_form)
    if mapping_form is not None and mapping_form.is_bound:
        if not mapping_form.is_valid():
            return _render_preview(request, actor, framework_import, mapping_form, status=400)
        try:
            if mapping_form.mapping() != framework_import.scale_mapping:
                framework_import = services.framework_import_set_scale_mapping(
                    framework_import=framework_import, mapping=mapping_form.mapping()
                )
        except services.ScaleMappingError as error:
            mapping_form.add_error(None, str(error))
            return _render_preview(request, actor, framework_import, mapping_form, status=400)
        except services.FrameworkImportError as error:
            for problem in error.problems:
                messages.error(request, problem)
            return redirect(preview_url)
        if request.POST.get("action") == "mapping":
            messages.success(request, _("Fordelingen af skalaen er gemt. Se niveauerne nedenfor."))
            return redirect(f"{preview_url}#scale-heading")
    already_applied = framework_import.status == FrameworkImportStatus.APPLIED
    try:
        framework = services.framework_import_apply(framework_import=framework_import)
    except services.FrameworkImportError as error:
        for problem in error.problems:
            messages.error(request, problem)
        return redirect(preview_url)
    if not already_applied:
        messages.success(
            request,
            _(
                "»%(name)s« er indlæst som kladde (version %(version)s). Gennemgå kladden, og udgiv den, "
                "når den er klar."
            )
            % {"name": framework.name_da, "version": framework.version},
        )
    return redirect("frameworks:detail", framework_id=framework.pk)


def _mapping_form(request: HttpRequest, framework_import: FrameworkImport) -> ScaleMappingForm | None:
    """The scale mapping form of a valid import whose file has a scale from Moodle, bound on POST."""
    scale = (framework_import.summary or {}).get("scale") or {}
    if framework_import.status != FrameworkImportStatus.VALID or not scale or scale.get("native"):
        return None
    # A POST without the selects (the command line's way, or an old page) applies the mapping kept so far.
    posted = request.method == "POST" and any(name.startswith("scale_") for name in request.POST)
    return ScaleMappingForm(
        request.POST if posted else None,
        values=list(scale["values"]),
        proficient=list(scale["proficient"]),
        mapping=list(framework_import.scale_mapping or scale["mapping"]),
    )


def _render_preview(
    request: HttpRequest,
    actor: Actor,
    framework_import: FrameworkImport,
    mapping_form: ScaleMappingForm | None,
    status: int = 200,
) -> HttpResponse:
    summary = framework_import.summary or {}
    existing = None
    if summary.get("existing_framework_id"):
        existing = Framework.objects.filter(
            organisation=actor.organisation, pk=summary["existing_framework_id"]
        ).first()
    applied_framework = framework_import.framework
    context = {
        "framework_import": framework_import,
        "is_valid": framework_import.status == FrameworkImportStatus.VALID,
        "is_invalid": framework_import.status == FrameworkImportStatus.INVALID,
        "is_applied": framework_import.status == FrameworkImportStatus.APPLIED,
        "problems": framework_import.problems,
        "warnings": summary.get("warnings", []),
        "summary": summary,
        "scale": summary.get("scale"),
        "levels": summary.get("levels", []),
        "mapping_form": mapping_form,
        "target_level": TARGET_LEVEL,
        "counts": [
            (_("Fokusområder"), summary.get("areas", 0)),
            (_("Kompetencer"), summary.get("competences", 0)),
            (_("Niveaubeskrivelser"), summary.get("descriptors", 0)),
            (_("Rolleprofiler"), summary.get("role_profiles", 0)),
            (_("It-systemer"), summary.get("it_systems", 0)),
        ],
        "existing": existing,
        "applied_framework": applied_framework,
        "applied_url": reverse("frameworks:detail", args=[applied_framework.pk]) if applied_framework else "",
        "format_label": _("Moodle-CSV")
        if framework_import.file_format == "moodle-csv"
        else _("fagdigital JSON"),
    }
    return render(request, "frameworks/io_import_preview.html", context, status=status)


@require_GET
@actor_required(Role.COMPETENCE_ADMIN)
def framework_export(request: HttpRequest, actor: Actor, framework_id: int, file_format: str) -> HttpResponse:
    if file_format not in FILE_FORMATS:
        raise Http404
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    data = selectors.framework_as_data(framework=framework)
    problems = export_problems(data, file_format)
    if problems:
        context = {"framework": framework, "problems": problems, "file_format": file_format}
        return render(request, "frameworks/io_export_problems.html", context, status=422)
    response = HttpResponse(write_framework_file(data, file_format), content_type=CONTENT_TYPES[file_format])
    disposition = content_disposition_header(as_attachment=True, filename=export_filename(data, file_format))
    if disposition is not None:
        response["Content-Disposition"] = disposition
    return response
