"""The forms of framework import (views_io.py): the upload, and how a Moodle scale maps onto the levels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .formats import JSON, MOODLE_CSV
from .formats.interchange import DEFAULT_LEVELS
from .formats.limits import MAX_FILE_BYTES, MAX_FILE_MEGABYTES
from .formats.messages import too_big_message
from .formats.moodle import TARGET_LEVEL, mapping_problem


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med kompetencerammen"),
        # The size is formats.limits.MAX_FILE_MEGABYTES (a lazy text cannot take it as a parameter).
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
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_big_message(upload.size, MAX_FILE_MEGABYTES))
        return upload


@dataclass(frozen=True)
class ScaleRow:
    value: str
    proficient: bool
    field: forms.BoundField


class ScaleMappingForm(forms.Form):
    """The level of each value of a Moodle file's scale (decision 0014), never lower than the value before."""

    def __init__(
        self, *args: Any, values: list[str], proficient: list[bool], mapping: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.values = values
        self.proficient = proficient
        english = translation.get_language() == "en"
        choices = [
            (
                level.number,
                _("Niveau %(number)s (%(name)s)")
                % {"number": level.number, "name": level.name.en if english else level.name.da},
            )
            for level in DEFAULT_LEVELS
        ]
        for index, value in enumerate(values):
            self.fields[self.field_name(index)] = forms.TypedChoiceField(
                label=value,
                choices=choices,
                coerce=int,
                initial=mapping[index] if index < len(mapping) else TARGET_LEVEL,
                error_messages={
                    "required": _("Vælg et niveau for »%(value)s«.") % {"value": value},
                    "invalid_choice": _("Vælg et niveau fra 1 til 4 for »%(value)s«.") % {"value": value},
                },
            )

    @staticmethod
    def field_name(index: int) -> str:
        return f"scale_{index}"

    def rows(self) -> list[ScaleRow]:
        return [
            ScaleRow(value, flag, self[self.field_name(index)])
            for index, (value, flag) in enumerate(zip(self.values, self.proficient, strict=True))
        ]

    def mapping(self) -> list[int]:
        return [int(self.cleaned_data[self.field_name(index)]) for index in range(len(self.values))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        mapping = self.mapping()
        problem = mapping_problem(mapping, self.values)
        if problem:
            index = next((i for i in range(1, len(mapping)) if mapping[i] < mapping[i - 1]), len(mapping) - 1)
            self.add_error(self.field_name(index), problem)
        return cleaned
