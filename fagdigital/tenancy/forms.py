from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SwitchOrganisationForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    error_messages = {"not_member": _("Du er ikke medlem af den valgte organisation.")}
