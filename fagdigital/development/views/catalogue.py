"""The learning catalogue: browsing, an activity's page (with its pooled ratings), editing, import and
export, and taking an activity into one's plan."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fagdigital.core.htmx import render_page_or_partial
from fagdigital.development.formats.catalogue import write_csv, write_json
from fagdigital.development.forms import ActivityForm, CatalogueImportForm, GoalForm, RatingForm
from fagdigital.development.models import (
    ActivityCompetence,
    ActivityFormat,
    ActivityShare,
    CatalogueImport,
    ImportFormat,
    LearningActivity,
    PlanGoal,
)
from fagdigital.development.selectors import access
from fagdigital.development.selectors.catalogue import catalogue_framework
from fagdigital.development.selectors.communities import may_rate, own_rating, rating_summary
from fagdigital.development.selectors.plans import current_plan
from fagdigital.development.services import catalogue, catalogue_import, communities, plans
from fagdigital.frameworks.models import Competence
from fagdigital.privacy.rules import free_text_min
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import OrganisationKind, Role

from .common import add_errors, form_context, own_person, refusal_text

PAGE_SIZE = 25
EDITORS = access.CATALOGUE_EDITORS


def _competence_names(actor: Actor) -> dict[str, Competence]:
    framework = catalogue_framework(organisation=actor.organisation)
    if framework is None:
        return {}
    return {c.code: c for c in Competence.objects.filter(framework=framework).select_related("area")}


@actor_required()
def catalogue_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    chosen_format = request.GET.get("form", "")
    competence = request.GET.get("kompetence", "").strip()[:100]
    activities = (
        access.visible_activities(actor=actor)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("competences", queryset=ActivityCompetence.objects.order_by("competence_code"))
        )
        .order_by("title_da", "pk")
    )
    if query:
        activities = activities.filter(Q(title_da__icontains=query) | Q(title_en__icontains=query))
    if chosen_format in ActivityFormat.values:
        activities = activities.filter(format=chosen_format)
    if competence:
        activities = activities.filter(competences__competence_code=competence)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("side"))
    names = _competence_names(actor)
    context = {
        "page": page,
        "query": query,
        "chosen_format": chosen_format,
        "competence": competence,
        "formats": ActivityFormat.choices,
        "competences": sorted(names.values(), key=lambda c: (c.area.position, c.position)),
        "names": names,
        "may_edit": access.may_edit_catalogue(actor),
    }
    return render_page_or_partial(
        request,
        page_template="development/catalogue.html",
        partial_template="development/_catalogue_results.html",
        context=context,
    )


@actor_required()
def activity_detail(request: HttpRequest, actor: Actor, activity_id: int) -> HttpResponse:
    activity = access.get_activity_for_user(actor=actor, activity_id=activity_id)
    person = own_person(actor)
    summary = rating_summary(activity=activity, reader=actor.organisation)
    mine = own_rating(activity=activity, person=person)
    rating_form = None
    if may_rate(activity=activity, person=person):
        initial = {"stars": str(mine.stars), "used_for": mine.used_for} if mine else {}
        rating_form = RatingForm(initial=initial, text_minimum=free_text_min(actor.organisation))
    names = _competence_names(actor)
    context = {
        "activity": activity,
        "levels": [
            (row, names.get(row.competence_code)) for row in activity.competences.order_by("competence_code")
        ],
        "summary": summary,
        "mine": mine,
        "rating_form": rating_form,
        "is_owner": activity.organisation_id == actor.organisation.pk and access.may_edit_catalogue(actor),
        "shares": list(
            ActivityShare.objects.filter(activity=activity)
            .select_related("network")
            .order_by("network__name")
        )
        if activity.organisation_id == actor.organisation.pk
        else [],
        "can_plan": person is not None and actor.organisation.kind == OrganisationKind.MUNICIPALITY,
        "error_prefix": _("Fejl:"),
    }
    return render(request, "development/activity.html", context)


@actor_required()
def activity_rate(request: HttpRequest, actor: Actor, activity_id: int) -> HttpResponse:
    activity = access.get_activity_for_user(actor=actor, activity_id=activity_id)
    person = own_person(actor)
    if request.method != "POST" or person is None or not may_rate(activity=activity, person=person):
        raise Http404
    form = RatingForm(request.POST, text_minimum=free_text_min(actor.organisation))
    if form.is_valid():
        try:
            communities.rating_save(
                person=person,
                activity=activity,
                stars=int(form.cleaned_data["stars"]),
                used_for=form.cleaned_data["used_for"],
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("Tak. Din vurdering er gemt."))
        return redirect(reverse("development:activity", args=[activity.pk]) + "#ratings")
    messages.error(request, _("Vælg, hvor godt du kunne bruge aktiviteten (1 til 5)."))
    return redirect(reverse("development:activity", args=[activity.pk]) + "#ratings")


def _editor_form(request: HttpRequest, actor: Actor, activity: LearningActivity | None) -> ActivityForm:
    framework = catalogue_framework(organisation=actor.organisation)
    competences = (
        list(
            Competence.objects.filter(framework=framework, parent__isnull=True)
            .select_related("area")
            .order_by("area__position", "position")
        )
        if framework
        else []
    )
    networks = [(n.pk, n.name) for n in access.shareable_networks(actor=actor)]
    help_text = (
        _("Netværkets koordinator beslutter, om aktiviteten deles med de andre kommuner.")
        if actor.organisation.kind == OrganisationKind.MUNICIPALITY
        else _("Aktiviteten vises for kommunerne i de valgte netværk.")
    )
    initial: dict[str, object] = {
        "status": "published",
        "delivery": "on_site",
        "language": "da",
        "cost_dkk": 0,
    }
    if activity is not None:
        record = catalogue.activity_record(activity)
        initial = {
            name: getattr(record, name) for name in record.__dataclass_fields__ if name != "competences"
        }
        initial.update({f"level_{code}": str(level) for code, level in record.competences})
        initial["networks"] = [
            str(pk)
            for pk in ActivityShare.objects.filter(activity=activity).values_list("network_id", flat=True)
        ]
    return ActivityForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        competences=competences,
        networks=networks,
        network_help=help_text,
    )


@actor_required(*EDITORS)
def activity_edit(request: HttpRequest, actor: Actor, activity_id: int | None = None) -> HttpResponse:
    if not access.may_edit_catalogue(actor):
        raise Http404
    activity = access.get_activity_for_editor(actor=actor, activity_id=activity_id) if activity_id else None
    form = _editor_form(request, actor, activity)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = catalogue.activity_save(
                    actor=actor, record=form.record(), activity=activity, network_ids=form.network_ids()
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Aktiviteten er gemt."))
                return redirect("development:activity", saved.pk)
        status = 422
    context = {
        **form_context(form),
        "activity": activity,
        "no_framework": catalogue_framework(organisation=actor.organisation) is None,
    }
    return render(request, "development/activity_form.html", context, status=status)


@actor_required(*EDITORS)
def catalogue_import_start(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not access.may_edit_catalogue(actor):
        raise Http404
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created = catalogue_import.catalogue_import_check(
                    actor=actor,
                    filename=upload.name,
                    content=upload.read(2 * 1024 * 1024 + 1),
                    file_format=form.cleaned_data["file_format"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect("development:catalogue_import_detail", created.pk)
        status = 422
    return render(request, "development/catalogue_import.html", form_context(form), status=status)


@actor_required(*EDITORS)
def catalogue_import_detail(request: HttpRequest, actor: Actor, catalogue_import_id: int) -> HttpResponse:
    if not access.may_edit_catalogue(actor):
        raise Http404
    found = CatalogueImport.objects.filter(organisation=actor.organisation, pk=catalogue_import_id).first()
    if found is None:
        raise Http404
    if request.method == "POST":
        try:
            counts = catalogue_import.catalogue_import_apply(actor=actor, catalogue_import=found)
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect("development:catalogue_import_detail", found.pk)
        messages.success(
            request,
            _("Kataloget er opdateret: %(created)s nye og %(updated)s ændrede aktiviteter.")
            % {"created": counts.created, "updated": counts.updated},
        )
        return redirect("development:catalogue")
    return render(request, "development/catalogue_import_detail.html", {"import": found})


@actor_required(*EDITORS)
def catalogue_export(request: HttpRequest, actor: Actor, file_format: str) -> HttpResponse:
    if not access.may_edit_catalogue(actor) or file_format not in ImportFormat.values:
        raise Http404
    activities = (
        LearningActivity.objects.filter(organisation=actor.organisation)
        .prefetch_related("competences")
        .order_by("key")
    )
    records = [catalogue.activity_record(a) for a in activities]
    framework = catalogue_framework(organisation=actor.organisation)
    stamp = timezone.localdate().isoformat()
    name = slugify(actor.organisation.name) or "katalog"
    if file_format == ImportFormat.JSON:
        body = write_json(records, framework_key=framework.key if framework else "")
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = write_csv(records)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laeringskatalog-{name}-{stamp}.{file_format}"'
    return response


@actor_required(Role.EMPLOYEE, Role.LEADER, Role.COMPETENCE_ADMIN, Role.TOP_MANAGEMENT)
def activity_to_plan(request: HttpRequest, actor: Actor, activity_id: int) -> HttpResponse:
    """Take an activity (e.g. a recommendation) into the reader's own plan: a goal for one of the
    competences it develops, with the activity under it. A plan is started if there is none."""
    activity = access.get_activity_for_user(actor=actor, activity_id=activity_id)
    person = own_person(actor)
    if person is None or actor.organisation.kind != OrganisationKind.MUNICIPALITY:
        raise Http404
    plan = current_plan(person=person)
    if plan is not None and not plan.is_open:
        plan = None
    if plan is not None:
        plan_access = access.get_plan_for_user(actor=actor, plan_id=plan.pk)
        if not plan_access.can_edit:
            messages.info(
                request,
                _(
                    "Din plan er hos din leder eller godkendt. Åbn den for ændringer, før du tilføjer "
                    "aktiviteter."
                ),
            )
            return redirect("development:plan", plan.pk)
    names = _competence_names(actor)
    developed = {row.competence_code: row.level for row in activity.competences.all()}
    competences = [names[code] for code in developed if code in names]
    if not competences:
        messages.error(request, _("Aktiviteten udvikler ingen kompetencer i jeres kompetenceramme."))
        return redirect("development:activity", activity.pk)
    chosen = request.GET.get("kompetence", "")
    first = chosen if chosen in developed else competences[0].code
    initial = {
        "competence_code": first,
        "target_level": str(developed.get(first, 2)),
        "deadline": timezone.localdate() + dt.timedelta(days=90),
    }
    form = GoalForm(
        request.POST if request.method == "POST" else None, initial=initial, competences=competences
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            before = plan
            try:
                with transaction.atomic():  # a refused goal leaves no new plan behind
                    plan = plan or plans.plan_create(actor=actor, person=person, title="")
                    plan_access = access.get_plan_for_user(actor=actor, plan_id=plan.pk)
                    goal = PlanGoal.objects.filter(plan=plan, competence_code=data["competence_code"]).first()
                    goal = plans.goal_save(
                        access=plan_access,
                        actor=actor,
                        goal=goal,
                        competence_code=data["competence_code"],
                        target_level=int(data["target_level"]),
                        deadline=data["deadline"],
                        note=data["note"] or (goal.note if goal else ""),
                    )
                    if not goal.activities.filter(activity=activity).exists():
                        plans.plan_activity_add(access=plan_access, goal=goal, activity=activity)
            except ValidationError as error:
                plan = before
                add_errors(form, error)
            else:
                messages.success(
                    request, _("»%(title)s« er lagt i din plan.") % {"title": activity.t("title")}
                )
                return redirect("development:plan", plan.pk)
        status = 422
    context = {**form_context(form), "activity": activity, "plan": plan}
    return render(request, "development/activity_to_plan.html", context, status=status)
