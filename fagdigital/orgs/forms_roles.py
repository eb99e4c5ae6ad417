from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fagdigital.tenancy.models import Role

from .models import OrgUnit
from .services_roles import GRANTABLE_ROLES


class UnitChoiceField(forms.ModelChoiceField[OrgUnit]):
    """Units in tree order, indented by depth so the select reads as the organisation chart."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "\u00a0\u00a0" * (obj.depth - 1) + obj.name


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[(str(role), role.label) for role in GRANTABLE_ROLES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg den rolle, personen skal have.")},
    )
    unit = UnitChoiceField(
        label=_("Enhed (for ledere)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Vælg enhed"),
        help_text=_("Lederen ser og vurderer medarbejderne i enheden og dens underenheder."),
        error_messages={"invalid_choice": _("Vælg en enhed fra listen.")},
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") == Role.LEADER and not cleaned.get("unit"):
            self.add_error("unit", _("Vælg den enhed, personen skal være leder af."))
        return cleaned


class RoleRevokeForm(forms.Form):
    role = forms.ChoiceField(choices=[(str(role), role.label) for role in GRANTABLE_ROLES])
    unit = forms.IntegerField(required=False)
