from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Søg efter navn"),
        max_length=100,
        required=False,
        help_text=_("Skriv hele eller dele af navnet, fx fornavn og efternavn."),
    )
