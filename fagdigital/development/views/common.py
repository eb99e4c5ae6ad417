"""What the development pages share: the reader's person, form error plumbing, refusals as messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fagdigital.orgs import selectors as org_selectors
from fagdigital.orgs.models import Person
from fagdigital.tenancy.actor import Actor


def own_person(actor: Actor) -> Person | None:
    return org_selectors.person_for_actor(actor=actor)


def form_context(form: forms.Form) -> dict[str, Any]:
    return {"form": form, "error_prefix": _("Fejl:")}


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form: field messages on their fields, the rest at the top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def refusal_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)
