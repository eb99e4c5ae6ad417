"""The sentences that explain the anonymity rule: to respondents before they answer, to every reader of a
figure, and in exports. They state the rule as applied, with the organisation's own k."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fagdigital.tenancy.models import Organisation

from .release import Missing
from .rules import min_group


def rule_summary(k: int) -> str:
    """The rule in one paragraph (dashboards, exports, the MED-committee page)."""
    return _(
        "Alle tal er summer over grupper på mindst %(k)s personer med samme rolleprofil, dannet i "
        "organisationsdiagrammet nedefra: er der færre end %(k)s med samme rolleprofil i en enhed, tælles de "
        "med i en gruppe højere oppe. Derfor kan ingen kombination af tallene vise resultater for færre "
        "end %(k)s personer. Resultater vises først, når målingen er lukket, og ændrer sig ikke bagefter."
    ) % {"k": k}


def respondent_notice(*, organisation: Organisation, development: bool) -> str:
    """What a respondent reads before answering (and admins when they choose the round's mode)."""
    k = min_group(organisation)
    if development:
        return _(
            "Dine nuværende ledere kan se dine svar og resultater og bruge dem i samtalen med dig, fx til "
            "MUS. Alle andre ser kun samlede resultater for grupper på mindst %(k)s personer med samme "
            "rolleprofil, og først når målingen er lukket."
        ) % {"k": k}
    return _(
        "Ingen leder eller anden person kan se dine svar og resultater. Resultater vises kun samlet for "
        "grupper på mindst %(k)s personer med samme rolleprofil, og først når målingen er lukket. "
        "Svarprocenter vises kun for grupper på mindst %(k)s deltagere, og ingen kan se, om netop du har "
        "svaret."
    ) % {"k": k}


def missing_reason(missing: str, k: int) -> str:
    """Why a figure is not shown, in full."""
    if missing == Missing.GROUPED:
        return _(
            "Færre end %(k)s med samme rolleprofil her, så de indgår ikke i tallet her, men i en større "
            "gruppe højere oppe, hvor der er nok."
        ) % {"k": k}
    if missing == Missing.FEW:
        return _("Færre end %(k)s svar med et niveau fra denne kilde.") % {"k": k}
    if missing == Missing.NOBODY:
        return _("Ingen med målniveau i kompetencen.")
    return ""


def missing_label(missing: str, k: int) -> str:
    """The same, short enough for a narrow table cell; the legend has the full text."""
    if missing == Missing.GROUPED:
        return _("Højere oppe")
    if missing == Missing.FEW:
        return _("Færre end %(k)s") % {"k": k}
    return "\u2013"


def coverage_text(covered: int, participants: int) -> str:
    return _("%(covered)s af %(participants)s deltagere") % {"covered": covered, "participants": participants}


def rates_notice(*, k: int, anonymous: bool) -> str:
    if anonymous:
        return _(
            "Målingen er anonym. Svarprocenter vises for grupper på mindst %(k)s deltagere med samme "
            "rolleprofil, dannet som for resultaterne: en enhed viser svarprocenten for de grupper, der er "
            "dannet i den, og siger, hvor mange af dens deltagere de dækker. Ingen kan se, hvem der har "
            "svaret."
        ) % {"k": k}
    return _(
        "Målingen er en udviklingssamtale: HR og lederne kan se, hvem der har svaret, så svarprocenterne "
        "vises for hver enhed."
    )


def chiefs_notice(*, k: int) -> str:
    """What a chief reads before answering the chiefs' survey."""
    return _(
        "Dine svar vises kun samlet: fordelingen af svar vises, når mindst %(k)s har svaret, og først når "
        "målingen er lukket. Er I færre, vises kun, at der er for få svar. I netværkets tal indgår "
        "organisationens svar kun sammen med mindst 5 andre organisationers."
    ) % {"k": k}
