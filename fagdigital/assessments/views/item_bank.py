"""HR's item bank: list, write, preview, change and retire knowledge-test items; a round's item statistics.

Only competence admins of the organisation reach these pages (`selectors.bank_framework`,
`selectors.get_test_item_for_user`). Invalid input answers 422 with the messages at the fields and saves
nothing; "Vis eksempel" shows the item as the employee sees it without saving.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fagdigital.assessments import selectors, services
from fagdigital.assessments.evidence_rule import MIN_ITEMS_FOR_TEST_LEVEL
from fagdigital.assessments.forms import ChoiceOption
from fagdigital.assessments.forms_items import OPTIONS_FIELD, TestItemForm, initial_for
from fagdigital.assessments.models import Instrument, TestItem
from fagdigital.assessments.services.item_bank import ItemInput
from fagdigital.assessments.views.admin import ADMIN, managed_campaign
from fagdigital.frameworks.models import Framework
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor

ACTION_PREVIEW = "preview"


def _no_framework(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/admin/no_framework.html", status=200)


@actor_required(ADMIN)
def item_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    framework = selectors.bank_framework(actor=actor)
    if framework is None:
        return _no_framework(request)
    competences = selectors.competence_choices(framework=framework)
    chosen = str(request.GET.get("kompetence", ""))
    if chosen not in {code for code, _label in competences}:
        chosen = ""
    include_retired = request.GET.get("vis") == "alle"
    context = {
        "framework": framework,
        "rows": selectors.bank_rows(
            actor=actor, framework=framework, competence_code=chosen, include_retired=include_retired
        ),
        "coverage": selectors.bank_coverage(actor=actor, framework=framework),
        "competences": competences,
        "chosen": chosen,
        "include_retired": include_retired,
        "min_items": MIN_ITEMS_FOR_TEST_LEVEL,
        "cap": services.framework_knowledge_cap(framework.pk),
    }
    return render(request, "assessments/item_bank/list.html", context)


@require_POST
@actor_required(ADMIN)
def bank_update(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Install the newest bundled items (those the organisation has not changed or retired)."""
    framework = selectors.bank_framework(actor=actor)
    if framework is None:
        return _no_framework(request)
    changed = services.item_bank_install(organisation=actor.organisation, framework_key=framework.key)
    if changed:
        messages.success(request, _("%(n)s spørgsmål er hentet eller opdateret.") % {"n": changed})
    else:
        messages.info(request, _("Spørgsmålsbanken var allerede opdateret. Intet er ændret."))
    return redirect("assessments:item_list")


def _choices(form: TestItemForm, name: str) -> list[ChoiceOption]:
    return [ChoiceOption(widget=widget, help="") for widget in form[name]]


def _form_page(
    request: HttpRequest,
    actor: Actor,
    framework: Framework,
    item: TestItem | None,
) -> HttpResponse:
    competences = selectors.competence_choices(framework=framework)
    roles = selectors.role_choices(framework=framework)
    posted = request.method == "POST"
    initial = initial_for(ItemInput.from_item(item)) if item is not None else {}
    if item is None and request.GET.get("kompetence"):
        initial["competence_code"] = str(request.GET["kompetence"])
    form = TestItemForm(
        request.POST if posted else None, initial=initial, competences=competences, roles=roles
    )
    status = 200
    previews = selectors.item_previews(ItemInput.from_item(item)) if item is not None and not posted else []
    previewing = posted and request.POST.get("action") == ACTION_PREVIEW
    if posted:
        if form.is_valid() and form.item_input is not None:
            if previewing:
                previews = selectors.item_previews(form.item_input)
            else:
                try:
                    saved = services.test_item_save(
                        organisation=actor.organisation,
                        framework_key=framework.key,
                        item=item,
                        data=form.item_input,
                        competence_codes=[code for code, _label in competences],
                        role_codes=[code for code, _label in roles],
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        form.add_problems(error.message_dict)
                    else:
                        form.add_error(None, error.messages[0])
                else:
                    messages.success(request, _saved_message(item, saved))
                    return redirect("assessments:item_edit", test_item_id=saved.item.pk)
        if not form.is_valid():
            status = 422
    context = {
        "framework": framework,
        "item": item,
        "form": form,
        "kind_options": _choices(form, "kind"),
        "difficulty_options": _choices(form, "difficulty"),
        "role_options": _choices(form, "role_codes"),
        "previews": previews,
        "previewing": previewing,
        "drawn": item is not None and selectors.item_drawn(item),
        "revisions": list(selectors.revisions(item)) if item is not None else [],
        "heading": _("Nyt spørgsmål") if item is None else _("Spørgsmål %(key)s") % {"key": item.key},
        "error_summary": form.error_summary() if status == 422 else [],
        "options_anchor": OPTIONS_FIELD,
        "error_prefix": _("Fejl:"),
    }
    return render(request, "assessments/item_bank/form.html", context, status=status)


def _saved_message(before: TestItem | None, saved: services.SavedItem) -> str:
    if before is None:
        return _("Spørgsmålet %(key)s er oprettet. Det kan komme med i de næste tests.") % {
            "key": saved.item.key
        }
    if saved.new_revision:
        return _(
            "Spørgsmålet var allerede brugt i en test, så ændringen er gemt som udgave %(revision)s. Den "
            "tidligere udgave er trukket tilbage, og deltagerne ser stadig den, de svarede på."
        ) % {"revision": saved.item.revision}
    return _("Spørgsmålet er gemt.")


@actor_required(ADMIN)
def item_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    framework = selectors.bank_framework(actor=actor)
    if framework is None:
        return _no_framework(request)
    return _form_page(request, actor, framework, None)


@actor_required(ADMIN)
def item_edit(request: HttpRequest, actor: Actor, test_item_id: int) -> HttpResponse:
    item = selectors.get_test_item_for_user(actor=actor, item_id=test_item_id)
    framework = selectors.bank_framework(actor=actor)
    if framework is None or framework.key != item.framework_key:
        return _no_framework(request)
    if not item.active and request.method == "POST":
        messages.error(request, _("Spørgsmålet er trukket tilbage. Tag det i brug igen, før du ændrer det."))
        return redirect("assessments:item_edit", test_item_id=item.pk)
    return _form_page(request, actor, framework, item)


@actor_required(ADMIN)
def item_retire(request: HttpRequest, actor: Actor, test_item_id: int) -> HttpResponse:
    """Ask first (GET), then take the item out of future draws (POST)."""
    item = selectors.get_test_item_for_user(actor=actor, item_id=test_item_id)
    if request.method == "POST":
        services.test_item_retire(item=item)
        messages.success(
            request,
            _("Spørgsmålet %(key)s er trukket tilbage og kommer ikke med i nye tests.") % {"key": item.key},
        )
        return redirect("assessments:item_list")
    context: dict[str, Any] = {"item": item, "drawn": selectors.item_drawn(item)}
    return render(request, "assessments/item_bank/retire.html", context)


@require_POST
@actor_required(ADMIN)
def item_restore(request: HttpRequest, actor: Actor, test_item_id: int) -> HttpResponse:
    item = selectors.get_test_item_for_user(actor=actor, item_id=test_item_id)
    try:
        services.test_item_restore(item=item)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Spørgsmålet %(key)s er i brug igen.") % {"key": item.key})
    return redirect("assessments:item_edit", test_item_id=item.pk)


@actor_required(ADMIN)
def test_statistics(request: HttpRequest, actor: Actor, campaign_id: int) -> HttpResponse:
    """A closed round's item statistics and reliability per competence, each from at least k people."""
    campaign = managed_campaign(actor, campaign_id)
    if not campaign.uses(Instrument.TEST):
        raise Http404
    context = {
        "campaign": campaign,
        "statistics": selectors.round_statistics(campaign=campaign),
        "min_items": MIN_ITEMS_FOR_TEST_LEVEL,
    }
    return render(request, "assessments/item_bank/statistics.html", context)
