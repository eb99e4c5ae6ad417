"""The people import's upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ACCEPT = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med medarbejdere"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Vælg filen med medarbejdere."),
            "empty": _(
                "Filen er tom. Vælg den rigtige fil, eller gem filen igen fra Excel eller HR-systemet."
            ),
            "invalid": _("Der blev ikke sendt en fil. Vælg filen, og prøv igen."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set here, not on the field, so the limit in it follows the settings and the active language.
        limit = filesizeformat(settings.FAGDIGITAL_IMPORT_MAX_BYTES)
        self.fields["file"].help_text = _(
            "En CSV-fil (semikolon eller komma, som Excel gemmer den) eller et Excel-regneark (.xlsx) "
            "på højst %(limit)s. Første linje er kolonneoverskrifterne: medarbejdernummer, navn, e-mail, "
            "enhed, stillingsbetegnelse og leder."
        ) % {"limit": limit}

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.FAGDIGITAL_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _(
                    "Filen fylder %(size)s, men der er højst plads til %(limit)s. Fjern kolonner, der ikke "
                    "bruges, eller gem filen som CSV, som fylder mindre end et Excel-regneark."
                ),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload
