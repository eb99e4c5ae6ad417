"""Job functions and job codes → role profiles (competence admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fagdigital.frameworks import selectors, services
from fagdigital.frameworks.forms import JobCodeTableForm, JobFunctionMappingForm
from fagdigital.frameworks.views.common import ADMIN
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor


@actor_required(ADMIN)
def job_functions(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    rows = selectors.job_function_rows(organisation=actor.organisation, framework=framework)
    roles = selectors.role_profiles(framework=framework)
    form = JobFunctionMappingForm(request.POST or None, rows=rows, role_profiles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.job_function_mappings_set(
                organisation=actor.organisation, framework=framework, mappings=form.changed_mappings()
            )
        except ValueError:
            messages.error(
                request,
                _("Listen er ændret, mens du arbejdede. Intet er gemt. Se den nye liste, og gem igen."),
            )
        else:
            messages.success(
                request,
                ngettext("%(count)s tilknytning er gemt.", "%(count)s tilknytninger er gemt.", changed)
                % {"count": changed},
            )
        return redirect("frameworks:job_functions", framework.pk)
    context = {
        "framework": framework,
        "form": form,
        "entries": form.entries(),
        "unmapped": sum(1 for row in rows if row.mapped_code is None),
    }
    return render(request, "frameworks/job_functions.html", context)


@actor_required(ADMIN)
def job_codes(request: HttpRequest, actor: Actor, framework_id: int) -> HttpResponse:
    """The organisation's job code table: which role profile the job functions with a job code follow."""
    framework = selectors.get_framework_for_user(actor=actor, framework_id=framework_id)
    rows = selectors.job_code_rows(organisation=actor.organisation, framework=framework)
    roles = selectors.role_profiles(framework=framework)
    form = JobCodeTableForm(request.POST or None, rows=rows, role_profiles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.job_code_mappings_set(
                organisation=actor.organisation, framework=framework, mappings=form.changed_mappings()
            )
        except ValueError:
            messages.error(
                request,
                _("Tabellen er ændret, mens du arbejdede. Intet er gemt. Se den nye tabel, og gem igen."),
            )
        else:
            text = ngettext(
                "%(count)s stillingskode er gemt.", "%(count)s stillingskoder er gemt.", result.changed
            ) % {"count": result.changed}
            if result.job_functions_mapped:
                text += " " + ngettext(
                    "%(count)s stillingsbetegnelse uden rolleprofil følger nu sin stillingskode.",
                    "%(count)s stillingsbetegnelser uden rolleprofil følger nu deres stillingskode.",
                    result.job_functions_mapped,
                ) % {"count": result.job_functions_mapped}
            messages.success(request, text)
        return redirect("frameworks:job_codes", framework.pk)
    context = {
        "framework": framework,
        "form": form,
        "entries": form.entries(),
        "unmapped": sum(1 for row in rows if row.role_profile_code is None),
    }
    return render(request, "frameworks/job_codes.html", context)
