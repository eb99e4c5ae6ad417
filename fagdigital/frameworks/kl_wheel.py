"""KL's digital competence wheel (»Kompetencehjulet«) that competences can refer to, besides DigComp 2.2.

KL publishes the wheel on kl.dk under »Fremtidens digitale kompetencer«: four dimensions with three parts
each. Only the names we could read on KL's own pages are here (docs/content/framework-2026.md says which);
the other parts are left out rather than guessed, so a competence refers to a dimension alone where none of
the known parts fits. A reference is a dimension code or a part's code (`dimension.part`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

KL_WHEEL_DIMENSIONS: dict[str, Promise] = {
    "anvendelse": _("Anvendelseskompetencer"),
    "teknologiforstaaelse": _("Teknologiforståelse"),
    "formidling-kommunikation": _("Formidling og kommunikation"),
    "udvikling-implementering": _("Udvikling og implementering"),
}

KL_WHEEL_PARTS: dict[str, Promise] = {
    "anvendelse.brugerkompetencer": _("Brugerkompetencer"),
    "anvendelse.dataanvendelse": _("Dataanvendelse"),
    "anvendelse.data-informationssikkerhed": _("Data- og informationssikkerhed"),
    "teknologiforstaaelse.teknologi-faglighed-mennesker": _("Teknologi, faglighed og mennesker"),
    "formidling-kommunikation.en-til-mange": _("Digital kommunikation 1:mange"),
    "udvikling-implementering.implementering-anskaffelse": _("Implementering og anskaffelse"),
    # "Udvikling" alone is also the dashboards' trend; the context keeps the translations apart.
    "udvikling-implementering.udvikling": pgettext_lazy("del af KL's kompetencehjul", "Udvikling"),
}

KL_WHEEL_CODES: tuple[str, ...] = (*KL_WHEEL_DIMENSIONS, *KL_WHEEL_PARTS)


@dataclass(frozen=True)
class KlWheelRef:
    code: str
    dimension: str
    part: str  # empty: the reference is to the dimension as a whole

    def __str__(self) -> str:
        return (
            f"{self.dimension} \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} {self.part}"
            if self.part
            else self.dimension
        )


def kl_wheel_ref(code: str) -> KlWheelRef:
    """The names of a reference; an unknown code (never stored: the services check) names itself."""
    dimension_code, _sep, _part = code.partition(".")
    dimension = str(KL_WHEEL_DIMENSIONS.get(dimension_code, dimension_code))
    part = KL_WHEEL_PARTS.get(code)
    return KlWheelRef(code=code, dimension=dimension, part=str(part) if part is not None else "")


def kl_wheel_choices() -> list[tuple[str, str]]:
    """Every reference as a choice, each dimension followed by its known parts."""
    choices: list[tuple[str, str]] = []
    for dimension in KL_WHEEL_DIMENSIONS:
        choices.append((dimension, str(kl_wheel_ref(dimension))))
        choices.extend(
            (code, str(kl_wheel_ref(code))) for code in KL_WHEEL_PARTS if code.startswith(f"{dimension}.")
        )
    return choices
