"""DigComp 2.2, the European digital competence framework, that competences refer to."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The 21 competences of DigComp 2.2 (the European digital competence framework) that competences refer to.
DIGCOMP_NAMES: dict[str, Promise] = {
    "1.1": _("Browse, søge og filtrere data, information og digitalt indhold"),
    "1.2": _("Vurdere data, information og digitalt indhold"),
    "1.3": _("Håndtere data, information og digitalt indhold"),
    "2.1": _("Interagere gennem digitale teknologier"),
    "2.2": _("Dele gennem digitale teknologier"),
    "2.3": _("Deltage i samfundet gennem digitale teknologier"),
    "2.4": _("Samarbejde gennem digitale teknologier"),
    "2.5": _("Netikette"),
    "2.6": _("Håndtere digital identitet"),
    "3.1": _("Udvikle digitalt indhold"),
    "3.2": _("Integrere og bearbejde digitalt indhold"),
    "3.3": _("Ophavsret og licenser"),
    "3.4": _("Programmering"),
    "4.1": _("Beskytte enheder"),
    "4.2": _("Beskytte personlige data og privatliv"),
    "4.3": _("Beskytte sundhed og trivsel"),
    "4.4": _("Beskytte miljøet"),
    "5.1": _("Løse tekniske problemer"),
    "5.2": _("Identificere behov og teknologiske løsninger"),
    "5.3": _("Bruge digitale teknologier kreativt"),
    "5.4": _("Identificere digitale kompetencegab"),
}

DIGCOMP_COMPETENCES = tuple(DIGCOMP_NAMES)
# DigComp 2.2's proficiency levels run from 1 to 8.
DIGCOMP_LEVEL_MAX = 8
