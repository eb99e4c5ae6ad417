"""Personal feedback: "Min kompetenceprofil", the same as a PDF, and a leader's view of a team member.

A person always sees their own profile. A leader sees a team member's only in a development-dialogue
campaign and only for people in the units they lead; anything else is a 404 (DESIGN.md §2, anonymity).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fagdigital.orgs.models import Person
from fagdigital.orgs.selectors import person_for_actor
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor

from . import feedback, selectors

PDF_STYLESHEET = Path(__file__).parent / "static" / "assessments" / "feedback" / "profile_pdf.css"
# The design system's typeface, embedded in the PDF when the static files have it (else system fonts).
PDF_FONTS: tuple[tuple[str, str, str], ...] = (
    ("400", "normal", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Regular.ttf"),
    ("400", "italic", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Italic.ttf"),
    ("500", "normal", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Medium.ttf"),
    ("600", "normal", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-SemiBold.ttf"),
    ("700", "normal", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Bold.ttf"),
)


def _profile_context(person: Person) -> dict[str, Any]:
    today = selectors.today()
    framework = feedback.profile_framework(person=person)
    profile = (
        feedback.personal_profile(person=person, framework=framework, today=today) if framework else None
    )
    wheel = feedback.competence_wheel(profile, levels=_level_count(profile)) if profile else None
    return {"person": person, "profile": profile, "wheel": wheel, "today": today}


def _level_count(profile: feedback.PersonalProfile) -> int:
    return len(profile.framework.levels) or 4


@never_cache
@actor_required()
def my_profile(request: HttpRequest, actor: Actor) -> HttpResponse:
    person = person_for_actor(actor=actor)
    if person is None:
        # Not a 404: the page exists, it just needs an employee record to show anything.
        return render(request, "assessments/feedback/my_profile.html", {"person": None, "profile": None})
    return render(request, "assessments/feedback/my_profile.html", _profile_context(person))


@never_cache
@actor_required()
def my_profile_pdf(request: HttpRequest, actor: Actor) -> HttpResponse:
    person = person_for_actor(actor=actor)
    if person is None:
        return redirect("assessments:my_profile")
    context = _profile_context(person)
    profile: feedback.PersonalProfile | None = context["profile"]
    if profile is None or not profile.has_evidence:
        messages.info(request, _("Der er ingen resultater at hente som PDF endnu."))
        return redirect("assessments:my_profile")
    html = render_to_string("assessments/feedback/profile_pdf.html", context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    filename = pdf_filename(person.name, context["today"].isoformat())
    response["Content-Disposition"] = str(content_disposition_header(as_attachment=True, filename=filename))
    return response


@never_cache
@actor_required()
def team_member_profile(request: HttpRequest, actor: Actor, campaign_id: int, person_id: int) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(actor=actor, campaign_id=campaign_id)
    participant = selectors.get_team_member_for_leader(actor=actor, campaign=campaign, person_id=person_id)
    person = participant.person
    if not selectors.may_see_individual_results(actor=actor, campaign=campaign, person=person):
        raise Http404
    profile = feedback.personal_profile(
        person=person,
        framework=campaign.framework,
        today=selectors.today(),
        role_profile_code=participant.role_profile_code,
        # Results a person gave in an anonymous campaign are never shown to their leader.
        development_campaigns_only=True,
    )
    context = {
        "campaign": campaign,
        "person": person,
        "profile": profile,
        "wheel": feedback.competence_wheel(profile, levels=_level_count(profile)),
    }
    return render(request, "assessments/feedback/team_member_profile.html", context)


# --- PDF -----------------------------------------------------------------------------------------

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def pdf_filename(name: str, date: str) -> str:
    """`kompetenceprofil-soeren-aeboe-2026-03-01.pdf`: ASCII, so every browser and OS keeps it."""
    slug = slugify(name.translate(_DANISH_LETTERS)) or "medarbejder"
    return f"{slugify(_('kompetenceprofil'))}-{slug}-{date}.pdf"


@cache
def _font_files() -> dict[str, Path]:
    """file:// URL → path of each bundled font that is present, for @font-face and the URL fetcher."""
    found: dict[str, Path] = {}
    for _weight, _style, name in PDF_FONTS:
        located = finders.find(name)
        if isinstance(located, str):
            path = Path(located).resolve()
            found[path.as_uri()] = path
    return found


def _font_faces() -> str:
    urls = {path.name: url for url, path in _font_files().items()}
    return "\n".join(
        f'@font-face {{ font-family: "IBM Plex Sans"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{urls[Path(name).name]}"); }}'
        for weight, style, name in PDF_FONTS
        if Path(name).name in urls
    )


@cache
def pdf_url_fetcher() -> Any:
    """WeasyPrint's URL fetcher for the profile: the bundled fonts and data: URLs only, never the network.

    A class made on first use, so WeasyPrint (which loads pango) is imported only when a PDF is made.
    """
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or url in _font_files():
                return super().fetch(url, headers)
            raise ValueError(f"Refused to fetch {url!r} for a PDF")

    return LocalOnlyFetcher(allowed_protocols=("data", "file"))


def render_pdf(html: str) -> bytes:
    """An A4 PDF of the given HTML with the profile's print stylesheet."""
    import weasyprint  # noqa: PLC0415 — see pdf_url_fetcher
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    fonts = FontConfiguration()  # @font-face rules apply only through a font configuration
    fetcher = pdf_url_fetcher()
    css = weasyprint.CSS(
        string=_font_faces() + "\n" + PDF_STYLESHEET.read_text(encoding="utf-8"),
        font_config=fonts,
        url_fetcher=fetcher,
    )
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    # Tagged, so screen readers get headings, lists and tables: documents fall under the accessibility
    # law too.
    return bytes(document.write_pdf(stylesheets=[css], font_config=fonts, pdf_tags=True))
