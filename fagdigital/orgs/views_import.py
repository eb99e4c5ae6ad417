"""People import views: upload → background check with progress → preview (old → new, filters, pages)
→ apply with the safeguards → progress → outcome; history; undo of the last import. HR only."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
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

from . import selectors, selectors_import, services, tasks
from .forms_import import ApplyImportForm, PeopleImportForm, UndoImportForm
from .models import ImportMode, ImportStatus, PeopleImport, PeopleImportItem
from .people_import import DANISH_HEADERS, ENGLISH_HEADERS, ImportProblem

EXAMPLE_FILE = settings.BASE_DIR / "docs" / "examples" / "personer-eksempel.csv"
PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 25
REUSE_SHOWN = 20

SUMMARY_LABELS: tuple[tuple[str, Promise], ...] = (
    ("people_created", gettext_lazy("Nye personer")),
    ("people_updated", gettext_lazy("Personer, der ændres")),
    ("people_moved", gettext_lazy("Heraf personer, der skifter enhed")),
    ("people_unchanged", gettext_lazy("Personer uden ændringer")),
    ("people_ended", gettext_lazy("Personer, der ikke står i filen og afsluttes")),
    ("engagements_started", gettext_lazy("Nye ansættelser")),
    ("engagements_ended", gettext_lazy("Ansættelser, der afsluttes")),
    ("units_created", gettext_lazy("Nye enheder")),
    ("units_updated", gettext_lazy("Enheder, der får nyt enheds-id")),
    ("job_functions_created", gettext_lazy("Nye stillingsbetegnelser")),
    ("leaders_set", gettext_lazy("Nye ledere af enheder")),
    ("leaders_removed", gettext_lazy("Ledere, der fjernes fra en enhed")),
)
FIELD_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("Navn"),
    "email": gettext_lazy("E-mail"),
    "unit": gettext_lazy("Enhed"),
    "job_function": gettext_lazy("Stillingsbetegnelse"),
    "leader": gettext_lazy("Leder af"),
    "start_date": gettext_lazy("Startdato"),
    "end_date": gettext_lazy("Slutdato"),
}
KIND_LABELS: dict[str, Promise] = {
    "new": gettext_lazy("Ny"),
    "changed": gettext_lazy("Ændres"),
    "ending": gettext_lazy("Afsluttes"),
}
FILTER_LABELS: tuple[tuple[str, Promise], ...] = (
    ("alle", gettext_lazy("Alle personer med ændringer")),
    ("nye", gettext_lazy("Nye personer")),
    ("aendres", gettext_lazy("Personer, der ændres")),
    ("afsluttes", gettext_lazy("Personer, der afsluttes")),
    ("genbrugt", gettext_lazy("Medarbejdernumre, der nu hører til en anden person")),
)
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
RUNNING = {ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.APPLYING, ImportStatus.UNDOING}


@actor_required(Role.COMPETENCE_ADMIN)
def import_start(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "GET" and request.GET.get("hent") == "eksempel":
        response = HttpResponse(EXAMPLE_FILE.read_bytes(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{EXAMPLE_FILE.name}"'
        return response
    form = PeopleImportForm(request.POST, request.FILES) if request.method == "POST" else PeopleImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        people_import = services.people_import_upload(
            organisation=actor.organisation,
            uploaded_by=actor.user,
            filename=upload.name or "personer.csv",
            data=upload.read(),
            mode=form.cleaned_data["mode"],
        )
        # Parsing happens in the background task, never in this request (no ATOMIC_REQUESTS: the row
        # is committed, so the worker finds it).
        tasks.check_people_import.enqueue(people_import.pk)
        return redirect("orgs:import_preview", import_id=people_import.pk)
    context = {
        "form": form,
        "mode": form["mode"].value() or ImportMode.FULL,
        "modes": ImportMode,
        "retention_hours": int(services.retention().total_seconds() // 3600),
        "recent": selectors.recent_people_imports(actor=actor, limit=5),
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
def import_history(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = Paginator(selectors_import.people_import_history(actor=actor), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    last = selectors_import.last_applied_import(actor=actor)
    rows = [
        {
            "item": item,
            "summary": item.summary or {},
            "can_undo": selectors_import.can_offer_undo(people_import=item, last=last),
        }
        for item in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
        "filter_query": "",
        "undo_days": services.undo_days(),
    }
    return render(request, "orgs/import_history.html", context)


@actor_required(Role.COMPETENCE_ADMIN)
def import_preview(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    people_import = selectors.get_people_import_for_user(actor=actor, import_id=import_id)
    context = _context(people_import, actor=actor)
    if people_import.status == ImportStatus.VALIDATED:
        context.update(_preview_context(request, people_import))
        context["apply_form"] = _apply_form(people_import)
    return render(request, "orgs/import_preview.html", context)


def _apply_form(people_import: PeopleImport, data: Any = None) -> ApplyImportForm:
    preview = people_import.preview or {}
    check = preview.get("ending_check", {})
    return ApplyImportForm(
        data,
        ending_people=int(check.get("people", 0)),
        needs_confirmation=bool(check.get("needs_confirmation")),
        reuse_count=int(preview.get("reuse_count", 0)),
    )


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
        return redirect("orgs:import_preview", import_id=people_import.pk)
    if people_import.status == ImportStatus.VALIDATED:
        form = _apply_form(people_import, request.POST)
        if not form.is_valid():
            context = _context(people_import, actor=actor)
            context.update(_preview_context(request, people_import))
            context["apply_form"] = form
            return render(request, "orgs/import_preview.html", context, status=400)
        if services.people_import_queue(
            people_import=people_import,
            confirm_ending=form.cleaned_data.get("confirm_ending"),
            accept_number_reuse=bool(form.cleaned_data.get("accept_number_reuse")),
        ):
            tasks.apply_people_import.enqueue(people_import.pk)
        else:
            messages.error(
                request,
                _("Filen er slettet, fordi den ikke blev indlæst i tide. Upload den igen. Intet er ændret."),
            )
    elif people_import.status == ImportStatus.INVALID:
        messages.error(request, _("Filen har fejl og kan ikke indlæses. Intet er ændret."))
    else:
        messages.info(request, _("Importen er allerede startet."))
    return redirect("orgs:import_preview", import_id=people_import.pk)


@actor_required(Role.COMPETENCE_ADMIN)
def import_status(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    people_import = selectors.get_people_import_for_user(actor=actor, import_id=import_id)
    if request.GET.get("fra") == "kontrol" and people_import.status != ImportStatus.CHECKING:
        # The check is done: the whole page changes (preview or problems), so reload it.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render_page_or_partial(
        request,
        page_template="orgs/import_preview.html",
        partial_template="orgs/_import_status.html",
        context=_context(people_import, actor=actor),
    )


@actor_required(Role.COMPETENCE_ADMIN)
def import_undo(request: HttpRequest, actor: Actor, import_id: int) -> HttpResponse:
    people_import = selectors.get_people_import_for_user(actor=actor, import_id=import_id)
    form = UndoImportForm(request.POST if request.method == "POST" else None)
    check = services.people_import_undo_check(people_import=people_import)
    if request.method == "POST" and check.possible and form.is_valid():
        if services.people_import_undo_queue(people_import=people_import):
            tasks.undo_people_import.enqueue(people_import.pk, actor.user.pk)
        return redirect("orgs:import_preview", import_id=people_import.pk)
    context = {
        "people_import": people_import,
        "check": check,
        "form": form,
        "undo_days": services.undo_days(),
        "count_rows": _undo_rows(check.counts),
    }
    return render(request, "orgs/import_undo.html", context, status=400 if form.errors else 200)


UNDO_LABELS: tuple[tuple[str, Promise], ...] = (
    ("people_deleted", gettext_lazy("Personer, som importen oprettede, fjernes")),
    ("people_restored", gettext_lazy("Personer får navn og e-mail tilbage")),
    ("engagements_deleted", gettext_lazy("Ansættelser, som importen startede, fjernes")),
    (
        "engagements_reopened",
        gettext_lazy("Ansættelser, som importen afsluttede, får deres slutdato tilbage"),
    ),
    ("units_deleted", gettext_lazy("Enheder, som importen oprettede, fjernes")),
    ("unit_ids_restored", gettext_lazy("Enheder får deres enheds-id tilbage")),
    ("job_functions_deleted", gettext_lazy("Stillingsbetegnelser, som importen oprettede, fjernes")),
    ("leaders_deleted", gettext_lazy("Lederregistreringer, som importen satte, fjernes")),
    ("leaders_restored", gettext_lazy("Lederregistreringer, som importen fjernede, kommer tilbage")),
)


def _undo_rows(counts: dict[str, int]) -> list[tuple[Promise, int]]:
    return [(label, counts.get(key, 0)) for key, label in UNDO_LABELS if counts.get(key)]


def _summary_rows(summary: dict[str, int]) -> list[tuple[Promise, int]]:
    return [(label, summary.get(key, 0)) for key, label in SUMMARY_LABELS]


def _change(field: str, old: str, new: str) -> dict[str, Any]:
    """One changed field for the template: label, and old and new as text or dates."""
    unit = ""
    if field == "end_date":
        unit, _bar, old = old.rpartition("|")
    is_date = field in {"start_date", "end_date"}
    return {
        "label": FIELD_LABELS.get(field, field),
        "unit": unit,
        "old": (parse_date(old) if old else None) if is_date else old,
        "new": (parse_date(new) if new else None) if is_date else new,
        "is_date": is_date,
    }


def _item(item: PeopleImportItem) -> dict[str, Any]:
    return {
        "item": item,
        "kind": KIND_LABELS.get(item.kind, item.kind),
        "changes": [_change(*change) for change in item.changes],
    }


def _preview_context(request: HttpRequest, people_import: PeopleImport) -> dict[str, Any]:
    show = request.GET.get("vis", "alle")
    if show not in selectors_import.PREVIEW_FILTERS:
        show = "alle"
    query = request.GET.get("q", "").strip()[:100]
    items = selectors_import.preview_items(people_import=people_import, show=show, query=query)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("side"))
    reused = selectors_import.preview_items(people_import=people_import, show="genbrugt", query="")
    filters = {key: value for key, value in (("vis", show), ("q", query)) if value and value != "alle"}
    return {
        "page": page,
        "items": [_item(item) for item in page.object_list],
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
        "filter_query": urlencode(filters) + "&" if filters else "",
        "anchor": "#aendringer",
        "show": show,
        "query": query,
        "filters": FILTER_LABELS,
        "filtered": bool(filters),
        "reused": [_item(item) for item in reused[:REUSE_SHOWN]],
    }


def _context(people_import: PeopleImport, *, actor: Actor) -> dict[str, Any]:
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
    processed = min(people_import.processed, row_count) if row_count else people_import.processed
    last = selectors_import.last_applied_import(actor=actor)
    ending_check = preview.get("ending_check", {})
    return {
        "people_import": people_import,
        "status": status,
        "is_partial": people_import.mode == ImportMode.PARTIAL,
        "is_running": status in RUNNING,
        "is_checking": status == ImportStatus.CHECKING,
        "is_validated": status == ImportStatus.VALIDATED,
        "is_invalid": status == ImportStatus.INVALID,
        "is_done": status == ImportStatus.DONE,
        "is_failed": status == ImportStatus.FAILED,
        "is_queued": status == ImportStatus.QUEUED,
        "is_undoing": status == ImportStatus.UNDOING,
        "is_undone": status == ImportStatus.UNDONE,
        "is_gone": status in {ImportStatus.CANCELLED, ImportStatus.EXPIRED},
        "retention_hours": int(services.retention().total_seconds() // 3600),
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
        # Engagements of people not in the file end the day before the import (see the plan).
        "end_date": today - dt.timedelta(days=1) if today else None,
        "ending_count": preview.get("ending_count", 0),
        "ending_check": ending_check,
        "reuse_count": preview.get("reuse_count", 0),
        "new_units": preview.get("new_units", []),
        "new_units_count": preview.get("new_units_count", 0),
        "changed_count": preview.get("changed_count", 0),
        "leaders_removed_count": preview.get("leaders_removed_count", 0),
        "outcome_rows": _summary_rows(outcome.get("summary", {}) or people_import.summary or {}),
        "outcome_seconds": outcome.get("seconds"),
        "finished_at": parse_datetime(outcome.get("finished_at", "") or ""),
        "failure": outcome.get("error", ""),
        "failure_outcome": outcome,
        "failed_problems": failed_problems,
        "undo_problems": services.undo_problems(outcome),
        "can_undo": selectors_import.can_offer_undo(people_import=people_import, last=last),
    }
