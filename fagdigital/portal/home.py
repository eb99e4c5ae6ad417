"""What each role's home page shows: the rounds waiting for the reader, their latest profile, and per role
what they can do today — only links their roles open (decision 0013).

`core.views.home` renders the page; it calls `home_context` through settings.HOME_CONTEXT_PROVIDERS
because core, the lowest app, cannot import the apps whose data the page shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from fagdigital.assessments import feedback
from fagdigital.assessments import selectors as assessment_selectors
from fagdigital.assessments.models import Campaign, CampaignStatus, Instrument
from fagdigital.frameworks.selectors import published_framework
from fagdigital.orgs import selectors as org_selectors
from fagdigital.orgs.models import Person
from fagdigital.tenancy.access import url_for_actor
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Network, OrganisationKind, Role


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    description: str = ""


@dataclass(frozen=True)
class Task:
    """One thing to answer in a round: what, how far the reader is, and the button that goes there."""

    label: str
    status: str
    action: str
    url: str
    done: bool = False


@dataclass(frozen=True)
class OpenRound:
    campaign: Campaign
    days_left: int
    tasks: list[Task]

    @property
    def all_done(self) -> bool:
        return all(task.done for task in self.tasks)


@dataclass(frozen=True)
class ProfileSummary:
    has_evidence: bool
    latest: dt.date | None = None
    measured: int = 0
    total: int = 0
    below_target: int = 0
    development: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """What one role can do today (links) and, said plainly, what is not built yet (coming)."""

    key: str
    heading: str
    links: list[Link]
    coming: str = ""
    facts: list[str] = field(default_factory=list)


def _links(actor: Actor, entries: list[tuple[str, str, str]]) -> list[Link]:
    """Links for (url name, title, description), leaving out pages the actor's roles do not open."""
    links = []
    for url_name, title, description in entries:
        url = url_for_actor(actor, url_name)
        if url:
            links.append(Link(title=title, url=url, description=description))
    return links


# (state, next step) per task status; translated when shown.
_STATUS = {
    "not_started": (gettext_noop("Ikke startet"), gettext_noop("Besvar")),
    "draft": (gettext_noop("Påbegyndt"), gettext_noop("Fortsæt")),
    "submitted": (gettext_noop("Indsendt"), gettext_noop("Se eller ret dine svar")),
    "changed": (gettext_noop("Ændret efter indsendelse"), gettext_noop("Indsend igen")),
}


def _task(campaign: Campaign, task: assessment_selectors.MyTask, team_size: int) -> Task:
    if task.instrument == Instrument.LEADER:  # the leader's ratings of their team
        return Task(
            label=task.label,
            status=ngettext(
                "%(count)s medarbejder at vurdere", "%(count)s medarbejdere at vurdere", team_size
            )
            % {"count": team_size},
            action=_("Vurdér dine medarbejdere"),
            url=reverse("assessments:leader_team", args=[campaign.pk]),
        )
    status, action = _STATUS.get(task.status, ("", ""))
    done = task.status == "submitted"
    if task.instrument == Instrument.SELF:
        url = reverse("assessments:self_start", args=[campaign.pk])
    elif task.instrument == Instrument.TEST:
        url = reverse("assessments:test_result" if done else "assessments:test_start", args=[campaign.pk])
        if done:
            action = gettext_noop("Se resultatet")
    else:  # the chiefs' survey
        url = reverse("assessments:survey", args=[campaign.pk])
    return Task(label=task.label, status=_(status), action=_(action), url=url, done=done)


def open_rounds(*, actor: Actor, today: dt.date) -> list[OpenRound]:
    """The rounds the actor can answer now, soonest deadline first, each task with its next step."""
    rounds = [
        OpenRound(
            campaign=item.campaign,
            days_left=(item.campaign.closes_on - today).days,
            tasks=[_task(item.campaign, task, item.team_size) for task in item.tasks],
        )
        for item in assessment_selectors.my_campaigns(actor=actor)
        if item.accepts_answers and item.tasks
    ]
    return sorted(rounds, key=lambda r: (r.campaign.closes_on, r.campaign.pk))


def profile_summary(*, person: Person, today: dt.date) -> ProfileSummary:
    framework = feedback.profile_framework(person=person)
    if framework is None:
        return ProfileSummary(has_evidence=False)
    profile = feedback.personal_profile(person=person, framework=framework, today=today)
    if not profile.has_evidence:
        return ProfileSummary(has_evidence=False)
    return ProfileSummary(
        has_evidence=True,
        latest=profile.latest_observed_on,
        measured=profile.measured_count,
        total=len(profile.items),
        below_target=profile.below_target_count,
        development=[item.competence.t("name") for item in profile.development],
    )


def _leader_section(actor: Actor) -> Section | None:
    if not actor.has_role(Role.LEADER) or actor.sees_whole_organisation:
        return None
    rows = org_selectors.unit_rows(actor=actor, parent=None)
    units = [
        Link(
            title=row.unit.name,
            url=reverse("orgs:unit", args=[row.unit.pk]),
            description=ngettext(
                "%(count)s person i enheden og dens underenheder",
                "%(count)s personer i enheden og dens underenheder",
                row.people_in_subtree,
            )
            % {"count": row.people_in_subtree},
        )
        for row in rows
    ]
    links = units + _links(
        actor,
        [
            (
                "analytics:dashboard",
                _("Kompetencegab"),
                _("Dine enheders gab til målniveauerne, altid anonymt."),
            ),
            ("orgs:people", _("Find en medarbejder"), _("Søg blandt medarbejderne i dine enheder.")),
        ],
    )
    facts = (
        []
        if units
        else [_("Du er ikke registreret som leder af nogen enhed. Kontakt HR, hvis det er forkert.")]
    )
    return Section(key="leader", heading=_("Som leder"), links=links, facts=facts)


def _admin_section(actor: Actor) -> Section | None:
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        return None
    open_count = Campaign.objects.filter(organisation=actor.organisation, status=CampaignStatus.OPEN).count()
    framework = published_framework(organisation=actor.organisation)
    facts = [
        ngettext("%(count)s åben måling.", "%(count)s åbne målinger.", open_count) % {"count": open_count},
        _("Offentliggjort kompetenceramme: version %(version)s.") % {"version": framework.version}
        if framework
        else _("Ingen offentliggjort kompetenceramme endnu: installér standardrammen under Kompetenceramme."),
    ]
    links = _links(
        actor,
        [
            ("assessments:campaign_list", _("Målinger"), _("Opret runder, og følg svarprocenterne.")),
            ("frameworks:list", _("Kompetenceramme"), _("Rammen, rolleprofilerne og målniveauerne.")),
            (
                "orgs:import_start",
                _("Import af personer"),
                _("Enheder, medarbejdere og ledere fra HR-systemet."),
            ),
            (
                "orgs:roles",
                _("Roller og adgang"),
                _("Hvem der er leder, HR og direktion, og hvem der ændrede det."),
            ),
            ("analytics:dashboard", _("Kompetencegab"), _("Hele organisationens gab til målniveauerne.")),
            ("analytics:indicators", _("Ledelsesindikatorer"), _("Ledelsesmålingens nøgletal.")),
            (
                "analytics:benchmark",
                _("Sammenligning med andre kommuner"),
                _("Netværkets median og kvartiler."),
            ),
        ],
    )
    return Section(key="admin", heading=_("Som kompetencekonsulent/HR"), links=links, facts=facts)


def _management_section(actor: Actor) -> Section | None:
    if not actor.has_role(Role.TOP_MANAGEMENT) or actor.has_role(Role.COMPETENCE_ADMIN):
        return None
    links = _links(
        actor,
        [
            ("analytics:dashboard", _("Kompetencegab"), _("Hele organisationens gab til målniveauerne.")),
            ("analytics:indicators", _("Ledelsesindikatorer"), _("Ledelsesmålingens nøgletal over tid.")),
            (
                "analytics:benchmark",
                _("Sammenligning med andre kommuner"),
                _("Netværkets median og kvartiler."),
            ),
            ("orgs:overview", _("Organisation"), _("Enheder, ledere og medarbejdere.")),
        ],
    )
    return Section(key="management", heading=_("Som direktion"), links=links)


def _provider_section(actor: Actor) -> Section | None:
    from . import development  # noqa: PLC0415 -- it builds on this module's Section

    return development.provider_section(actor)


def _coordinator_section(actor: Actor) -> Section | None:
    if not actor.has_role(Role.NETWORK_COORDINATOR):
        return None
    networks = (
        Network.objects.filter(coordinator=actor.organisation)
        .annotate(member_count=Count("members"))
        .order_by("name")
    )
    facts = [
        ngettext("%(name)s: %(count)s medlem.", "%(name)s: %(count)s medlemmer.", network.member_count)
        % {"name": network.name, "count": network.member_count}
        for network in networks
    ] or [_("Din organisation koordinerer ikke noget netværk endnu.")]
    from . import development  # noqa: PLC0415 -- it builds on this module's Section

    return development.coordinator_section(actor, facts)


def _platform_section(actor: Actor) -> Section | None:
    if not actor.has_role(Role.PLATFORM_ADMIN):
        return None
    links = _links(
        actor,
        [
            (
                "portal:platform",
                _("Platform"),
                _("Organisationer, brugere og brug. Sæt en ny kommune op."),
            ),
            ("core:status", _("Driftsstatus"), _("Database, opgavekø og version.")),
        ],
    )
    return Section(
        key="platform",
        heading=_("Som platformadministrator"),
        links=links,
        coming=_("Det kommer: opsætning af single sign-on (SSO) pr. organisation."),
    )


def _with_development(
    actor: Actor, person: Person | None, today: dt.date, sections: list[Section]
) -> list[Section]:
    """The development app's sections (decision 0018): the reader's own development first, then the
    leader's and HR's beside their other sections."""
    from . import development  # noqa: PLC0415 -- it builds on this module's Section

    own = development.employee_section(actor, person, today)
    extra = [
        s for s in (development.leader_section(actor), development.admin_section(actor)) if s is not None
    ]
    return ([own] if own is not None else []) + sections + extra


def home_context(*, actor: Actor, today: dt.date) -> dict[str, Any]:
    person = org_selectors.person_for_actor(actor=actor)
    own = (
        _links(
            actor,
            [
                ("orgs:me", _("Min side"), _("Dine ansættelser, ledere og roller.")),
                (
                    "frameworks:my_role",
                    _("Min rolle"),
                    _("Hvad der forventes af dig i din rolle, og hvorfor."),
                ),
                (
                    "frameworks:list",
                    _("Kompetenceramme"),
                    _("Hvad hver rolle skal kunne, beskrevet på fire niveauer."),
                ),
            ],
        )
        if person is not None
        else []
    )
    builders = (
        _leader_section,
        _admin_section,
        _management_section,
        _provider_section,
        _coordinator_section,
        _platform_section,
    )
    sections = [section for build in builders if (section := build(actor)) is not None]
    sections = _with_development(actor, person, today, sections)
    is_municipality = actor.organisation.kind == OrganisationKind.MUNICIPALITY
    return {
        "home_person": person,
        "home_rounds": open_rounds(actor=actor, today=today),
        "home_profile": profile_summary(person=person, today=today) if person is not None else None,
        "home_own_links": own,
        "home_sections": sections,
        "home_is_municipality": is_municipality,
    }
