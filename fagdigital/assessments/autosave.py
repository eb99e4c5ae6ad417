"""The saved-state answer every autosaving questionnaire gives (self, leader, test and chiefs' survey).

A questionnaire form carries `data-autosave` and posts itself with htmx at every change; the answer is
the status line ("Gemt kl. 10.42") and the progress bar, or the reason it was refused (409), which the
page shows in place. Network errors and 5xx answers are retried by app.js.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

CHOICE_PREFIX = "c"


def save_status_response(
    request: HttpRequest,
    *,
    saved_at: dt.datetime | None,
    answered: int,
    total: int,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "saved_at": timezone.localtime(saved_at) if saved_at else None,
        "error": error,
        "answered": answered,
        "total": total,
        "oob": True,
    }
    return render(request, "assessments/_save_status.html", context, status=status)


def parse_choice(value: str) -> int | str | None:
    """A posted level: "1".."9" → int, "dont_know" → None; anything else is returned as invalid text."""
    if value == "dont_know":
        return None
    if value.isdigit() and len(value) == 1:
        return int(value)
    return value


def posted_levels(request: HttpRequest) -> dict[int, int | None]:
    """Answers in a posted questionnaire form: `c<competence id>` → level or None ("ved ikke")."""
    levels: dict[int, int | None] = {}
    for name in request.POST:
        if not name.startswith(CHOICE_PREFIX) or not name[len(CHOICE_PREFIX) :].isdigit():
            continue
        choice = parse_choice(request.POST.get(name, ""))
        if isinstance(choice, str):
            raise ValidationError(_("Vælg et af niveauerne eller »ved ikke«."))
        levels[int(name[len(CHOICE_PREFIX) :])] = choice
    return levels
