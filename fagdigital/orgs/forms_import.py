"""The people import's forms: upload (file and mode), apply (typed confirmation), undo (confirmation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import ImportMode

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
    # Without a choice (an old form, a script), the file is the whole organisation, as before; the
    # ending safeguard still applies.
    mode = forms.ChoiceField(
        label=_("Hvad indeholder filen?"),
        choices=ImportMode.choices,
        initial=ImportMode.FULL,
        required=False,
        error_messages={
            "required": _("Vælg, om filen indeholder hele organisationen eller kun nogle personer.")
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

    def clean_mode(self) -> str:
        return str(self.cleaned_data.get("mode") or ImportMode.FULL)

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


class ApplyImportForm(forms.Form):
    """What applying needs: the typed number of people ended above the threshold, and the
    acknowledgement that employee numbers which now name another person are right."""

    confirm_ending = forms.CharField(
        label=_("Skriv antallet af personer, der får deres ansættelser afsluttet"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    accept_number_reuse = forms.BooleanField(
        label=_(
            "Jeg har kontrolleret medarbejdernumrene: de hører til de personer, der står i filen, og "
            "deres besvarelser skal følge med"
        ),
        required=False,
    )

    def __init__(
        self, *args: Any, ending_people: int, needs_confirmation: bool, reuse_count: int, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.ending_people = ending_people
        self.needs_confirmation = needs_confirmation
        self.reuse_count = reuse_count
        if needs_confirmation:
            self.fields["confirm_ending"].required = True
            self.fields["confirm_ending"].help_text = _(
                "Skriv %(count)s for at bekræfte, at %(count)s personer skal have deres ansættelser "
                "afsluttet."
            ) % {"count": ending_people}
            self.fields["confirm_ending"].error_messages["required"] = _(
                "Skriv antallet af personer, der får deres ansættelser afsluttet (%(count)s), for at "
                "bekræfte."
            ) % {"count": ending_people}
        else:
            del self.fields["confirm_ending"]
        if reuse_count:
            self.fields["accept_number_reuse"].required = True
            self.fields["accept_number_reuse"].error_messages["required"] = _(
                "Bekræft, at du har kontrolleret de medarbejdernumre, der nu hører til en anden person, "
                "eller ret filen og indlæs den igen."
            )
        else:
            del self.fields["accept_number_reuse"]

    def clean_confirm_ending(self) -> int | None:
        text = "".join(self.cleaned_data.get("confirm_ending", "").split()).replace(".", "")
        if not text.isdigit() or int(text) != self.ending_people:
            raise forms.ValidationError(
                _(
                    "Du skrev »%(typed)s«, men antallet af personer, hvis ansættelser afsluttes, er "
                    "%(count)s. Skriv %(count)s for at bekræfte, eller annullér importen."
                ),
                code="mismatch",
                params={"typed": self.cleaned_data.get("confirm_ending", ""), "count": self.ending_people},
            )
        return int(text)


class UndoImportForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, fortryd importen og sæt organisationen tilbage, som den var før"),
        error_messages={"required": _("Bekræft, at importen skal fortrydes.")},
    )
