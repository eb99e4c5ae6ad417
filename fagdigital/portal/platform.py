"""The platform administrator's overview: every organisation in use, its users by role and its usage.

Counts only, plus the names of the people who administer each organisation: a platform administrator
operates the installation and sees no employee data through that role (decision 0004).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from fagdigital.accounts.models import User
from fagdigital.assessments.models import Campaign, CampaignStatus
from fagdigital.orgs.models import Person
from fagdigital.tenancy.models import Membership, Organisation, OrganisationKind, Role
from fagdigital.tenancy.selectors import with_role_q

# The roles whose holders are named on the page; the rest are counted.
NAMED_ROLES = (Role.COMPETENCE_ADMIN, Role.PLATFORM_ADMIN)


@dataclass
class OrganisationUsage:
    organisation: Organisation
    users: int = 0
    by_role: list[tuple[str, int]] = field(default_factory=list)
    administrators: list[User] = field(default_factory=list)
    people: int = 0
    rounds: int = 0
    open_rounds: int = 0
    last_login: dt.datetime | None = None


@dataclass
class PlatformOverview:
    organisations: list[OrganisationUsage]
    municipalities_not_in_use: int


def _counts(rows: list[dict[str, int]], key: str = "organisation_id") -> dict[int, int]:
    return {row[key]: row["n"] for row in rows}


def platform_overview() -> PlatformOverview:
    """Organisations with members or people, with their usage: a fixed number of grouped queries."""
    users = _counts(list(Membership.objects.values("organisation_id").annotate(n=Count("pk"))))
    people = _counts(list(Person.objects.values("organisation_id").annotate(n=Count("pk"))))
    in_use = set(users) | set(people)
    by_role: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for value, label in Role.choices:
        for org_id, n in _counts(
            list(
                Membership.objects.filter(with_role_q(value))
                .values("organisation_id")
                .annotate(n=Count("pk"))
            )
        ).items():
            by_role[org_id].append((str(label), n))
    rounds = _counts(list(Campaign.objects.values("organisation_id").annotate(n=Count("pk"))))
    open_rounds = _counts(
        list(
            Campaign.objects.filter(status=CampaignStatus.OPEN)
            .values("organisation_id")
            .annotate(n=Count("pk"))
        )
    )
    last_login = {
        row["organisation_id"]: row["last"]
        for row in Membership.objects.values("organisation_id").annotate(last=Max("user__last_login"))
    }
    administrators: dict[int, list[User]] = defaultdict(list)
    named = Q()
    for role in NAMED_ROLES:
        named |= with_role_q(role)
    for membership in (
        Membership.objects.filter(named, user__is_active=True).select_related("user").order_by("user__email")
    ):
        if set(membership.roles) & {str(role) for role in NAMED_ROLES}:
            administrators[membership.organisation_id].append(membership.user)
    organisations = [
        OrganisationUsage(
            organisation=organisation,
            users=users.get(organisation.pk, 0),
            by_role=by_role.get(organisation.pk, []),
            administrators=administrators.get(organisation.pk, []),
            people=people.get(organisation.pk, 0),
            rounds=rounds.get(organisation.pk, 0),
            open_rounds=open_rounds.get(organisation.pk, 0),
            last_login=last_login.get(organisation.pk),
        )
        for organisation in Organisation.objects.filter(pk__in=in_use).order_by("name")
    ]
    not_in_use = (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, is_active=True)
        .exclude(pk__in=in_use)
        .count()
    )
    return PlatformOverview(organisations=organisations, municipalities_not_in_use=not_in_use)


def municipalities() -> list[Organisation]:
    """Every active municipality, by name: the ones a platform administrator can set up."""
    return list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, is_active=True).order_by("name")
    )
