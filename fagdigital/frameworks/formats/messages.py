"""Danish messages and checks that both file formats use (the UI translates the messages)."""

from __future__ import annotations

import re

from django.utils.text import slugify
from django.utils.translation import gettext as _

from fagdigital.frameworks.kl_wheel import KL_WHEEL_CODES

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def is_slug(value: str) -> bool:
    return bool(_SLUG.fullmatch(value))


def suggest_slug(value: str) -> str:
    """A slug for a Danish name, the way the shipped keys are written (æ → ae, ø → oe, å → aa)."""
    danish = value.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return slugify(danish)


def slug_message(value: str) -> str:
    suggestion = suggest_slug(value)
    if suggestion:
        return _(
            "»%(value)s« må kun indeholde bogstaverne a-z, tal, bindestreg og understreg, fx »%(slug)s«."
        ) % {
            "value": value,
            "slug": suggestion,
        }
    return _("»%(value)s« må kun indeholde bogstaverne a-z, tal, bindestreg og understreg.") % {
        "value": value
    }


def too_long_message(limit: int, length: int) -> str:
    return _("er %(length)s tegn lang, men må højst være %(limit)s tegn. Forkort teksten.") % {
        "length": length,
        "limit": limit,
    }


def digcomp_message(value: str) -> str:
    return _(
        "»%(value)s« er ikke en DigComp 2.2-kompetence; "
        "brug en af 1.1-1.3, 2.1-2.6, 3.1-3.4, 4.1-4.4, 5.1-5.4."
    ) % {"value": value}


def kl_wheel_message(value: str) -> str:
    return _("»%(value)s« er ikke en dimension eller del af KL's kompetencehjul; brug en af: %(codes)s.") % {
        "value": value,
        "codes": ", ".join(KL_WHEEL_CODES),
    }


def too_big_message(size: int, limit_megabytes: int) -> str:
    return _("Filen fylder %(size)s MB; den må højst fylde %(limit)s MB. Del rammen op i flere filer.") % {
        "size": round(size / 1024 / 1024, 1),
        "limit": limit_megabytes,
    }


def too_many_items_message(limit: int) -> str:
    return _(
        "Filen har mere end %(limit)s fokusområder og kompetencer; så mange kan fagdigital ikke indlæse "
        "på én gang. Del rammen op i flere filer."
    ) % {"limit": limit}
