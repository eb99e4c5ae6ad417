from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fagdigital.tenancy.models import Organisation


class MunicipalityChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.kommunekode})"


class OnboardingForm(forms.Form):
    organisation = MunicipalityChoiceField(
        label=_("Kommune"),
        queryset=Organisation.objects.none(),
        empty_label=_("Vælg kommune"),
        error_messages={
            "required": _("Vælg den kommune, der skal sættes op."),
            "invalid_choice": _("Vælg en kommune fra listen."),
        },
    )
    email = forms.EmailField(
        label=_("Den første kompetencekonsulents e-mail"),
        help_text=_(
            "Personen får en e-mail med et link til at vælge adgangskode og kan derefter give andre roller."
        ),
        error_messages={
            "required": _("Skriv e-mailadressen på kommunens første kompetencekonsulent/HR."),
            "invalid": _("Skriv en gyldig e-mailadresse, fx navn@kommune.dk."),
        },
    )
    full_name = forms.CharField(label=_("Navn"), max_length=200, required=False)

    def __init__(self, *args: Any, municipalities: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, MunicipalityChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[m.pk for m in municipalities]).order_by("name")
