"""The upload form for framework import (views_io.py)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .json_format import JSON, MOODLE_CSV

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med kompetencerammen"),
        help_text=_("En JSON-fil fra fagdigital eller en CSV-fil eksporteret fra Moodle. Højst 10 MB."),
        error_messages={
            "required": _("Vælg en fil."),
            "empty": _("Filen er tom. Vælg en fil med en kompetenceramme."),
        },
    )
    file_format = forms.ChoiceField(
        label=_("Filens format"),
        choices=[
            (JSON, _("fagdigital JSON (hele rammen med rolleprofiler og it-systemer)")),
            (MOODLE_CSV, _("Moodle-kompetenceramme (CSV fra »Eksportér kompetenceramme«)")),
        ],
        initial=JSON,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg filens format.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen fylder %(size)s MB; den må højst fylde 10 MB."),
                params={"size": round(upload.size / 1024 / 1024, 1)},
            )
        return upload
