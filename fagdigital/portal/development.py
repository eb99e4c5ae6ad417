"""The home page's development sections (decision 0018): what each role can do with plans, the catalogue,
enrolments, demand and the learning community today. Built here, in the portal, from the development
app's selectors; only links the reader's roles open."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fagdigital.development.models import (
    DevelopmentPlan,
    ItemStatus,
    LearningActivity,
    PlanActivity,
    PlanGoal,
    PlanStatus,
)
from fagdigital.development.selectors import access
from fagdigital.development.selectors import statements as statement_selectors
from fagdigital.development.selectors.plans import current_plan, provider_enrolments
from fagdigital.orgs import selectors as org_selectors
from fagdigital.orgs.models import Person
from fagdigital.tenancy.access import url_for_actor
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import OrganisationKind, Role

from .home import Link, Section


def _links(actor: Actor, entries: list[tuple[str, str, str]]) -> list[Link]:
    return [
        Link(title=title, url=url, description=description)
        for url_name, title, description in entries
        if (url := url_for_actor(actor, url_name))
    ]


def employee_section(actor: Actor, person: Person | None, today: dt.date) -> Section | None:
    if person is None or actor.organisation.kind != OrganisationKind.MUNICIPALITY:
        return None
    plan = current_plan(person=person)
    facts = []
    if plan is not None and plan.is_open:
        facts.append(
            _("Din plan »%(title)s«: %(status)s.")
            % {"title": plan.title, "status": plan.get_status_display()}
        )
        deadline = (
            PlanGoal.objects.filter(plan=plan, status="open", deadline__gte=today)
            .order_by("deadline")
            .values_list("deadline", flat=True)
            .first()
        )
        if deadline is not None and plan.status == PlanStatus.APPROVED:
            facts.append(_("Næste frist: %(date)s.") % {"date": date_format(deadline, "DATE_FORMAT")})
    else:
        facts.append(
            _("Du har ingen udviklingsplan i gang. Se forslagene ud fra dine gab, og start en plan.")
        )
    links = _links(
        actor,
        [
            (
                "development:mine",
                _("Min udvikling"),
                _("Din plan, forslag til aktiviteter og det, du har gennemført."),
            ),
            (
                "development:catalogue",
                _("Læringskatalog"),
                _("Aktiviteter, der udvikler rammens kompetencer."),
            ),
        ],
    )
    return Section(key="development", heading=_("Din udvikling"), links=links, facts=facts)


def leader_section(actor: Actor) -> Section | None:
    if not actor.has_role(Role.LEADER) or actor.organisation.kind != OrganisationKind.MUNICIPALITY:
        return None
    led = org_selectors.people_led_by(actor=actor)
    to_review = DevelopmentPlan.objects.filter(person__in=led, status=PlanStatus.REVIEW).count()
    to_confirm = PlanActivity.objects.filter(
        goal__plan__person__in=led, goal__plan__status=PlanStatus.APPROVED, status=ItemStatus.REPORTED
    ).count()
    facts = []
    if to_review:
        facts.append(
            ngettext(
                "%(count)s plan venter på din godkendelse.",
                "%(count)s planer venter på din godkendelse.",
                to_review,
            )
            % {"count": to_review}
        )
    if to_confirm:
        facts.append(
            ngettext(
                "%(count)s gennemført aktivitet venter på din bekræftelse.",
                "%(count)s gennemførte aktiviteter venter på din bekræftelse.",
                to_confirm,
            )
            % {"count": to_confirm}
        )
    links = _links(
        actor,
        [
            (
                "development:team",
                _("Teamets udvikling"),
                _("Medarbejdernes planer, enhedernes gab og teamplaner."),
            )
        ],
    )
    return Section(key="leader-development", heading=_("Udvikling i dit team"), links=links, facts=facts)


def admin_section(actor: Actor) -> Section | None:
    if not actor.has_role(Role.COMPETENCE_ADMIN) or actor.organisation.kind != OrganisationKind.MUNICIPALITY:
        return None
    waiting = statement_selectors.unresolved_for_municipality(actor=actor).count()
    facts = (
        [
            ngettext(
                "%(count)s udsagn fra en læringsplatform venter på at blive matchet.",
                "%(count)s udsagn fra læringsplatforme venter på at blive matchet.",
                waiting,
            )
            % {"count": waiting}
        ]
        if waiting
        else []
    )
    links = _links(
        actor,
        [
            (
                "development:hr",
                _("Læring i organisationen"),
                _("Planer og tilmeldinger i tal, udsagn at matche."),
            ),
            ("development:catalogue", _("Læringskatalog"), _("Jeres egne aktiviteter og netværkets.")),
        ],
    )
    return Section(key="admin-development", heading=_("Udvikling og læring"), links=links, facts=facts)


def provider_section(actor: Actor) -> Section | None:
    if not actor.has_role(Role.EDUCATION_PROVIDER):
        return None
    networks = access.served_networks(organisation=actor.organisation)
    activities = LearningActivity.objects.filter(organisation=actor.organisation).count()
    enrolments = len(provider_enrolments(actor=actor))
    facts = [
        ngettext("I udbyder i %(count)s netværk.", "I udbyder i %(count)s netværk.", len(networks))
        % {"count": len(networks)}
        if networks
        else _("I er ikke med i noget netværk endnu. Et netværks koordinator giver jer adgang."),
        ngettext("%(count)s aktivitet i kataloget.", "%(count)s aktiviteter i kataloget.", activities)
        % {"count": activities},
        ngettext("%(count)s tilmeldt deltager.", "%(count)s tilmeldte deltagere.", enrolments)
        % {"count": enrolments},
    ]
    links = _links(
        actor,
        [
            (
                "development:provider",
                _("Udbyderens arbejdsplads"),
                _("Jeres aktiviteter, tilmeldte deltagere og gennemførelser."),
            ),
            (
                "development:demand",
                _("Efterspørgsel"),
                _("Hvor mange der er under målniveauet i kommunerne – altid anonymt."),  # noqa: RUF001
            ),
            ("development:catalogue", _("Læringskatalog"), _("Jeres aktiviteter, som kommunerne ser dem.")),
            (
                "development:credentials",
                _("Nøgler til xAPI"),
                _("Meld gennemførelser fra jeres læringsplatform."),
            ),
        ],
    )
    return Section(key="provider", heading=_("Som uddannelsesudbyder"), links=links, facts=facts)


def coordinator_section(actor: Actor, facts: list[str]) -> Section | None:
    if not actor.has_role(Role.NETWORK_COORDINATOR):
        return None
    links = _links(
        actor,
        [
            (
                "development:network",
                _("Netværkets læringsfællesskab"),
                _("Fælles aktiviteter, udbydere og sessioner."),
            ),
            (
                "development:demand",
                _("Efterspørgsel"),
                _("Netværkets gab pr. kompetence og rollegruppe, anonymt."),
            ),
            ("analytics:benchmark", _("Netværkets sammenligning"), _("Median og kvartiler pr. kompetence.")),
            ("analytics:indicators", _("Netværkets ledelsesindikatorer"), _("Ledelsesmålingens nøgletal.")),
        ],
    )
    return Section(key="coordinator", heading=_("Som netværkskoordinator"), links=links, facts=facts)
