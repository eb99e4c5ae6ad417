"""Personal feedback: "Min kompetenceprofil", the same as a PDF, and a leader's view of a team member.

A person always sees their own profile. A leader sees a team member's only in a development-dialogue
campaign and only for people in the units they lead; anything else is a 404 (DESIGN.md §2, anonymity).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fagdigital.assessments import feedback, selectors
from fagdigital.core import pdf as core_pdf
from fagdigital.orgs.models import Person
from fagdigital.orgs.selectors import person_for_actor
from fagdigital.tenancy.access import actor_required
from fagdigital.tenancy.actor import Actor

PDF_STYLESHEET = Path(__file__).parent.parent / "static" / "assessments" / "feedback" / "profile_pdf.css"


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
        # The round's own results only: not what the person did before or after it (decision 0012).
        round_only=campaign,
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


def render_pdf(html: str) -> bytes:
    """An A4 PDF of the given HTML with the profile's print stylesheet."""
    return core_pdf.render_pdf(html, stylesheet=PDF_STYLESHEET)
