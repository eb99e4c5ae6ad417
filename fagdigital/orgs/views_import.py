"""People import views: upload → preview with every problem → apply in the background with progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fagdigital.core.htmx import render_page_or_partial
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from . import selectors, services, tasks
from .forms_import import PeopleImportForm
from .models import ImportStatus, PeopleImport
from .people_import import DANISH_HEADERS, ENGLISH_HEADERS, ImportProblem

EXAMPLE_FILE = settings.BASE_DIR / "docs" / "examples" / "personer-eksempel.csv"

SUMMARY_LABELS: tuple[tuple[str, Promise], ...] = (
    ("people_created", gettext_lazy("Nye personer")),
    ("people_updated", gettext_lazy("Personer, der ændres")),
    ("people_unchanged", gettext_lazy("Personer uden ændringer")),
    ("engagements_started", gettext_lazy("Nye ansættelser")),
    ("engagements_ended", gettext_lazy("Ansættelser, der afsluttes")),
    ("units_created", gettext_lazy("Nye enheder")),
    ("units_updated", gettext_lazy("Enheder, der får nyt enheds-id")),
    ("job_functions_created", gettext_lazy("Nye stillingsbetegnelser")),
    ("leaders_set", gettext_lazy("Nye ledere af enheder")),
    ("leaders_removed", gettext_lazy("Ledere, der fjernes fra en enhed")),
)
CHANGE_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("navn"),
    "email": gettext_lazy("e-mail"),
    "unit": gettext_lazy("enhed"),
    "job_function": gettext_lazy("stillingsbetegnelse"),
    "engagement": gettext_lazy("ny ansættelse"),
}
COLUMN_HELP: tuple[tuple[str, Promise, bool], ...] = (
    ("employee_number", gettext_lazy("Medarbejderens nummer i HR-systemet. Hver medarbejder én gang."), True),
    ("name", gettext_lazy("Fulde navn."), True),
    ("email", gettext_lazy("Arbejdsmail. Må være tom."), False),
    (
        "unit",
        gettext_lazy(
            "Enhedens sti fra toppen, adskilt med skråstreg, fx Social og Sundhed/Hjemmeplejen/Team Nord."
        ),
        True,
    ),
    ("job_function", gettext_lazy("Stillingsbetegnelse, fx Social- og sundhedsassistent."), True),
    ("leader", gettext_lazy("ja, hvis medarbejderen er leder af enheden; ellers nej eller tom."), False),
)


@actor_required(Role.COMPETENCE_ADMIN)
def import_start(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "GET" and request.GET.get("hent") == "eksempel":
        response = HttpResponse(EXAMPLE_FILE.read_bytes(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{EXAMPLE_FILE.name}"'
        return response
    form = PeopleImportForm(request.POST, request.FILES) if request.method == "POST" else PeopleImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        people_import = services.people_import_create(
            organisation=actor.organisation,
            uploaded_by=actor.user,
            filename=upload.name or "personer.csv",
            data=upload.read(),
        )
        return redirect("orgs:import_preview", import_id=people_import.pk)
    context = {
        "form": form,
        "recent": selectors.recent_people_imports(actor=actor),
        "columns": [
            {
                "danish": DANISH_HEADERS[name],
                "english": ENGLISH_HEADERS[name],
                "help": text,
                "required": required,
            }
            for name, text, required in COLUMN_HELP
        ],
    }
    return render(request, "orgs/import_start.html", context)


@actor_required(Role.COMPETENCE_ADMIN)
def import_preview(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    people_import = selectors.get_people_import_for_user(actor=actor, import_id=import_id)
    return render(request, "orgs/import_preview.html", _context(people_import))


@actor_required(Role.COMPETENCE_ADMIN)
@require_POST
def import_apply(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    people_import = selectors.get_people_import_for_user(actor=actor, import_id=import_id)
    if request.POST.get("action") == "cancel":
        if services.people_import_cancel(people_import=people_import):
            messages.success(request, _("Importen er annulleret, og filen er slettet. Intet er ændret."))
            return redirect("orgs:import_start")
        messages.error(
            request, _("Importen kan ikke annulleres, fordi den allerede er i gang eller indlæst.")
        )
    elif services.people_import_queue(people_import=people_import):
        tasks.apply_people_import.enqueue(people_import.pk)
    elif people_import.status == ImportStatus.INVALID:
        messages.error(request, _("Filen har fejl og kan ikke indlæses. Intet er ændret."))
    else:
        messages.info(request, _("Importen er allerede startet."))
    return redirect("orgs:import_preview", import_id=people_import.pk)


@actor_required(Role.COMPETENCE_ADMIN)
def import_status(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    people_import = selectors.get_people_import_for_user(actor=actor, import_id=import_id)
    return render_page_or_partial(
        request,
        page_template="orgs/import_preview.html",
        partial_template="orgs/_import_status.html",
        context=_context(people_import),
    )


def _summary_rows(summary: dict[str, int]) -> list[tuple[Promise, int]]:
    return [(label, summary.get(key, 0)) for key, label in SUMMARY_LABELS]


def _context(people_import: PeopleImport) -> dict[str, Any]:
    """What the preview page and the status partial show, from the stored preview and outcome."""
    preview: dict[str, Any] = people_import.preview or {}
    outcome: dict[str, Any] = people_import.outcome or {}
    problems = [ImportProblem.from_json(item) for item in preview.get("problems", [])]
    status = people_import.status
    error_count = int(preview.get("error_count", 0))
    warning_count = int(preview.get("warning_count", 0))
    today = parse_date(preview.get("today", "") or "")
    failed_problems = [ImportProblem.from_json(item) for item in outcome.get("problems", [])]
    row_count = people_import.row_count
    processed = min(people_import.processed, row_count)
    return {
        "people_import": people_import,
        "status": status,
        "is_running": status in {ImportStatus.QUEUED, ImportStatus.APPLYING},
        "is_validated": status == ImportStatus.VALIDATED,
        "is_invalid": status == ImportStatus.INVALID,
        "is_done": status == ImportStatus.DONE,
        "is_failed": status == ImportStatus.FAILED,
        "is_queued": status == ImportStatus.QUEUED,
        "phase": outcome.get("phase", ""),
        "processed": processed,
        "row_count": row_count,
        "percent": round(100 * processed / row_count) if row_count else 0,
        "problems": problems,
        "problem_total": error_count + warning_count,
        "error_count": error_count,
        "warning_count": warning_count,
        "problems_cut": len(problems) < error_count + warning_count,
        "summary_rows": _summary_rows(preview.get("summary", {})),
        "has_changes": any(
            value for key, value in preview.get("summary", {}).items() if key != "people_unchanged"
        ),
        "today": today,
        # Engagements of people not in the file end the day before the import (see services).
        "end_date": today - dt.timedelta(days=1) if today else None,
        "ending": preview.get("ending", []),
        "ending_count": preview.get("ending_count", 0),
        "new_units": preview.get("new_units", []),
        "new_units_count": preview.get("new_units_count", 0),
        "changed": [
            {**item, "labels": [CHANGE_LABELS.get(code, code) for code in item.get("changes", [])]}
            for item in preview.get("changed", [])
        ],
        "changed_count": preview.get("changed_count", 0),
        "leaders_removed": preview.get("leaders_removed", []),
        "leaders_removed_count": preview.get("leaders_removed_count", 0),
        "outcome_rows": _summary_rows(outcome.get("summary", {})),
        "outcome_seconds": outcome.get("seconds"),
        "finished_at": parse_datetime(outcome.get("finished_at", "") or ""),
        "failure": outcome.get("error", ""),
        "failed_problems": failed_problems,
    }
