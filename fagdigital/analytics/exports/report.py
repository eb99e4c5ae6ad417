"""What an export holds: the dashboard's figures for each unit in view, the header facts and the texts.

Every figure comes from the selectors (heatmap, top gaps, distributions, trend, calibration), so an export
can never show more than the dashboard does: a figure that is not published is exported as an empty
value with a note saying why, never as a number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fagdigital.analytics import selectors
from fagdigital.analytics.models import RollupSource
from fagdigital.frameworks.models import Criticality, Framework
from fagdigital.orgs.models import OrgUnit
from fagdigital.privacy import texts
from fagdigital.privacy.release import Missing
from fagdigital.privacy.rules import min_group
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation

EXPORT_FORMATS = ("xlsx", "csv")

# --- What an export holds ------------------------------------------------------------------------


@dataclass
class Section:
    """The dashboard's figures for one unit in view (the organisation when `unit` is None)."""

    unit: OrgUnit | None
    label: str
    heatmap: selectors.Heatmap
    gaps: list[selectors.Gap] = field(default_factory=list)
    distributions: list[selectors.Distribution] = field(default_factory=list)
    trend: list[selectors.TrendRow] = field(default_factory=list)
    calibration: list[selectors.CalibrationRow] = field(default_factory=list)

    @property
    def notice(self) -> str:
        """Why there are no figures at all, if so."""
        if self.heatmap.framework is None:
            return _("Organisationen har ingen offentliggjort kompetenceramme endnu, så der er ingen tal.")
        if self.heatmap.basis.campaign is None:
            return _("Ingen måling er lukket endnu, så der er ingen tal.")
        return ""


@dataclass
class Report:
    organisation: Organisation
    filters: selectors.Filters
    framework: Framework | None
    sections: list[Section]
    k: int
    created: dt.datetime
    scope_label: str
    facts: list[tuple[str, str]]  # the header block: label → value

    @property
    def filename_base(self) -> str:
        """The unit's name for one unit in view, else the organisation's."""
        if len(self.sections) == 1 and self.sections[0].unit is not None:
            return self.sections[0].unit.name
        return self.organisation.name


def build_report(
    *,
    actor: Actor,
    units: Sequence[OrgUnit | None],
    filters: selectors.Filters,
    companions: bool = True,
) -> Report:
    """The heatmap (and, with `companions`, the tables beside it) for each unit in view, as on the page."""
    organisation = actor.organisation
    sections = []
    for unit in units:
        heatmap = selectors.heatmap(actor=actor, unit=unit, filters=filters)
        section = Section(unit=unit, label=unit.name if unit else organisation.name, heatmap=heatmap)
        # A refused filter shows no figures anywhere, not only in the heatmap.
        if companions and not section.notice:
            section.gaps = selectors.top_gaps(actor=actor, unit=unit, filters=filters)
            section.distributions = selectors.distributions(actor=actor, unit=unit, filters=filters)
            section.trend = selectors.trend(actor=actor, unit=unit, filters=filters)
            section.calibration = selectors.calibration(actor=actor, unit=unit, filters=filters)
        sections.append(section)
    k = sections[0].heatmap.k if sections else min_group(organisation)
    framework = sections[0].heatmap.framework if sections else None
    if list(units) == [None]:
        scope_label = _("Hele organisationen")
    else:
        scope_label = ", ".join(section.label for section in sections)
    created = timezone.localtime()
    report = Report(
        organisation=organisation,
        filters=filters,
        framework=framework,
        sections=sections,
        k=k,
        created=created,
        scope_label=scope_label,
        facts=[],
    )
    report.facts = _facts(report)
    return report


def _facts(report: Report) -> list[tuple[str, str]]:
    filters = report.filters
    heatmap = report.sections[0].heatmap if report.sections else None
    area_name = _("Alle fokusområder")
    if filters.area_code and heatmap is not None:
        area_name = next(
            (a.area.t("name") for a in heatmap.areas if a.area.code == filters.area_code), filters.area_code
        )
    role_name = _("Alle rolleprofiler")
    if filters.role_profile_code is not None:
        profiles = heatmap.role_profiles if heatmap is not None else []
        role_name = next(
            (rp.t("name") for rp in profiles if rp.code == filters.role_profile_code),
            filters.role_profile_code,
        )
    framework = report.framework
    return [
        (_("Organisation"), report.organisation.name),
        (_("Enhed"), report.scope_label),
        (
            _("Kompetenceramme"),
            _("%(name)s, version %(version)s") % {"name": framework.t("name"), "version": framework.version}
            if framework
            else _("Ingen offentliggjort kompetenceramme"),
        ),
        (_("Måling"), basis_text(heatmap.basis) if heatmap is not None else ""),
        (_("Kilde"), str(RollupSource(filters.source).label)),
        (_("Fokusområde"), area_name),
        (_("Rolleprofil"), role_name),
        (_("Rækker"), _("Rolleprofiler") if filters.rows == "roles" else _("Enheder")),
        (_("Udtrukket"), created_text(report.created)),
        (_("Mindste gruppe (k)"), _("%(k)s personer") % {"k": report.k}),
        (_("Anonymitet"), anonymity_note(report.k)),
    ]


def created_text(moment: dt.datetime) -> str:
    return _("%(date)s kl. %(time)s") % {
        "date": date_format(moment, "DATE_FORMAT"),
        "time": date_format(moment, "TIME_FORMAT"),
    }


def basis_text(basis: selectors.Basis) -> str:
    campaign = basis.campaign
    if campaign is None:
        return _("Ingen lukket måling endnu")
    if basis.current:
        text = _(
            "Nuværende niveau: %(campaign)s (lukket %(closed)s), mod målene i den offentliggjorte version"
        )
        return text % {
            "campaign": campaign.name,
            "closed": date_format(campaign.closes_on, "SHORT_DATE_FORMAT"),
        }
    return _("%(campaign)s (lukket %(closed)s)") % {
        "campaign": campaign.name,
        "closed": date_format(campaign.closes_on, "SHORT_DATE_FORMAT"),
    }


def anonymity_note(k: int) -> str:
    return texts.rule_summary(k) + " " + _("Del kun udtrækket med dem, der har brug for det.")


def hidden_reason(missing: str, k: int) -> str:
    """Why a figure is not there, in full (the dashboard's wording)."""
    return texts.missing_reason(missing, k)


def hidden_label(missing: str, k: int) -> str:
    """The same, short enough for a narrow table cell; the legend and notes have the full text."""
    return texts.missing_label(missing, k)


def no_target_note() -> str:
    return texts.missing_reason(Missing.NOBODY, 0)


NO_FIGURE = "\u2013"  # an en dash, as the page shows a cell without anyone in it


def legend_lines(k: int) -> list[tuple[str, str, str]]:
    """The heatmap's cell labels explained: (colour band, label, meaning)."""
    return [
        ("low", _("Under 50 %"), _("Under halvdelen er på målniveau (rød).")),
        (
            "mid",
            _("50–74 %"),  # noqa: RUF001 - a Danish range dash
            _("Halvdelen eller flere, men under tre fjerdedele, er på målniveau (gul)."),
        ),
        ("high", _("75 % og mere"), _("Mindst tre fjerdedele er på målniveau (grøn).")),
        ("none", hidden_label(Missing.GROUPED, k), hidden_reason(Missing.GROUPED, k)),
        ("none", hidden_label(Missing.FEW, k), hidden_reason(Missing.FEW, k)),
        ("empty", NO_FIGURE, hidden_reason(Missing.NOBODY, k)),
    ]


def criticality_label(weight: int) -> str:
    for value, label in Criticality.choices:
        if selectors.CRITICALITY_WEIGHT.get(value) == weight:
            return str(label)
    return str(weight)


# --- Filenames -----------------------------------------------------------------------------------

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def export_filename(prefix: str, name: str, date: dt.date, extension: str) -> str:
    """`kompetencegab-hjemmeplejen-noerre-2026-03-01.xlsx`: ASCII, so every browser and OS keeps it."""
    slug = slugify(name.translate(_DANISH_LETTERS))[:60].strip("-") or "enhed"
    return f"{slugify(prefix.translate(_DANISH_LETTERS))}-{slug}-{date.isoformat()}.{extension}"
