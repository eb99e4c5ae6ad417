"""The dashboard's filters, read from the query string by every view, export and the JSON API alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from fagdigital.tenancy.actor import Actor

from . import selectors
from .models import RollupSource

CURRENT = "current"


class FilterForm(forms.Form):
    campaign = forms.ChoiceField(label=_("Måling"), required=False)
    source = forms.ChoiceField(label=_("Kilde"), choices=RollupSource.choices, required=False)
    area = forms.ChoiceField(label=_("Fokusområde"), required=False)
    role_profile = forms.ChoiceField(label=_("Rolleprofil"), required=False)
    rows = forms.ChoiceField(
        label=_("Rækker"),
        choices=[("units", _("Enheder")), ("roles", _("Rolleprofiler"))],
        required=False,
    )

    def __init__(self, data: QueryDict | dict[str, Any] | None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor
        self.campaigns = selectors.dashboard_campaigns(actor=actor)
        campaign_field: Any = self.fields["campaign"]
        campaign_field.choices = [(CURRENT, _("Nuværende niveau (seneste lukkede måling)"))] + [
            (str(c.pk), c.name) for c in self.campaigns
        ]
        framework = self._framework()
        area_field: Any = self.fields["area"]
        role_field: Any = self.fields["role_profile"]
        area_field.choices = [("", _("Alle fokusområder"))]
        role_field.choices = [("", _("Alle rolleprofiler"))]
        if framework is not None:
            area_field.choices += [
                (a.code, a.t("name")) for a in framework.areas.order_by("position", "code")
            ]
            role_field.choices += [
                (r.code, r.t("name")) for r in framework.role_profiles.order_by("position", "code")
            ]

    def _framework(self) -> Any:
        chosen = self.data.get("campaign") if self.data else None
        campaign = next((c for c in self.campaigns if str(c.pk) == chosen), None)
        if campaign is not None:
            return campaign.framework
        return selectors.basis_for(organisation=self.actor.organisation, campaign=None).framework

    def filters(self) -> selectors.Filters:
        """The chosen filters; anything invalid falls back to its default (and is reported by errors)."""
        data = self.cleaned_data if self.is_valid() else {}
        chosen = data.get("campaign") or CURRENT
        campaign = next((c for c in self.campaigns if str(c.pk) == chosen), None)
        return selectors.Filters(
            campaign=campaign,
            source=data.get("source") or RollupSource.ESTIMATE,
            area_code=data.get("area") or "",
            role_profile_code=data.get("role_profile") or None,
            rows=data.get("rows") or "units",
        )
