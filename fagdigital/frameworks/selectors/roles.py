"""Job functions and role profiles: mapping suggestions, a person's role profile and "my role"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Count, Q

from fagdigital.frameworks.models import (
    Area,
    Competence,
    Criticality,
    Framework,
    JobFunctionMapping,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)
from fagdigital.orgs.models import Engagement, JobFunction, Person
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.tenancy.models import Organisation

# How alike a job function's name must be to a role profile's names before we suggest the mapping. Character
# similarity is crude: below 0.82 it suggested e.g. "Kantineassistent" as an administrative caseworker.
SUGGESTION_THRESHOLD = 0.82


# The order in which a role's targets matter: what is critical first.
CRITICALITY_ORDER = {Criticality.CRITICAL: 0, Criticality.IMPORTANT: 1, Criticality.USEFUL: 2}


@dataclass(frozen=True)
class JobFunctionRow:
    job_function: JobFunction
    people: int
    mapped_code: str | None
    suggested_code: str | None
    suggestion_score: float


def _similarity(name: str, role: RoleProfile) -> float:
    name = name.casefold().strip()
    candidates = [role.name_da, role.name_en, *role.job_function_names]
    if any(name == c.casefold().strip() for c in candidates if c):
        return 1.0
    return max(SequenceMatcher(None, name, c.casefold()).ratio() for c in candidates if c)


def job_function_rows(*, organisation: Organisation, framework: Framework) -> list[JobFunctionRow]:
    """Every job function in use, with its mapping to the framework's role profiles and a suggestion by name.

    Unmapped job functions come first, then by number of people, so the work that matters most is on top.
    """
    roles = list(RoleProfile.objects.filter(framework=framework))
    mapped = dict(
        JobFunctionMapping.objects.filter(organisation=organisation, framework_key=framework.key).values_list(
            "job_function_id", "role_profile_code"
        )
    )
    job_functions = JobFunction.objects.filter(organisation=organisation).annotate(
        people=Count(
            "engagements__person", filter=active_engagements_q(prefix="engagements__"), distinct=True
        )
    )
    rows = []
    for job_function in job_functions:
        best, score = None, 0.0
        for role in roles:
            similarity = _similarity(job_function.name, role)
            if similarity > score:
                best, score = role.code, similarity
        rows.append(
            JobFunctionRow(
                job_function=job_function,
                people=job_function.people,
                mapped_code=mapped.get(job_function.pk),
                suggested_code=best if score >= SUGGESTION_THRESHOLD else None,
                suggestion_score=round(score, 2),
            )
        )
    rows.sort(key=lambda r: (r.mapped_code is not None, -r.people, r.job_function.name))
    return rows


def role_profile_for_person(*, person: Person, framework: Framework) -> RoleProfile | None:
    """The role profile of the person's primary running engagement's job function, if mapped."""
    engagement = _primary_engagement(person)
    if engagement is None:
        return None
    return _role_profile_for_job_function(engagement.job_function_id, framework)


@dataclass(frozen=True)
class MyRoleItem:
    competence: Competence
    level: int
    level_name: str
    expected: str
    criticality: str
    criticality_label: str
    why: str


@dataclass(frozen=True)
class MyRoleArea:
    area: Area
    items: list[MyRoleItem]


@dataclass(frozen=True)
class MyRole:
    engagement: Engagement | None
    role_profile: RoleProfile | None
    areas: list[MyRoleArea]


def _primary_engagement(person: Person) -> Engagement | None:
    return (
        Engagement.objects.filter(active_engagements_q(), person=person)
        .select_related("job_function", "unit")
        .order_by("-is_primary", "-start_date")
        .first()
    )


def _role_profile_for_job_function(job_function_id: int, framework: Framework) -> RoleProfile | None:
    code = (
        JobFunctionMapping.objects.filter(job_function_id=job_function_id, framework_key=framework.key)
        .values_list("role_profile_code", flat=True)
        .first()
    )
    if code is None:
        return None
    return RoleProfile.objects.filter(framework=framework, code=code).first()


def my_role(*, person: Person, framework: Framework) -> MyRole:
    """The person's role profile in the framework, area by area, the critical targets first.

    Each target carries the descriptor of the target level (what is expected) and the competence's
    description (why it matters).
    """
    engagement = _primary_engagement(person)
    if engagement is None:
        return MyRole(engagement=None, role_profile=None, areas=[])
    role_profile = _role_profile_for_job_function(engagement.job_function_id, framework)
    if role_profile is None:
        return MyRole(engagement=engagement, role_profile=None, areas=[])
    targets = list(
        RoleTarget.objects.filter(role_profile=role_profile)
        .select_related("competence__area")
        .order_by("competence__area__position", "competence__area__code")
    )
    descriptors = {
        (d.competence_id, d.level): d
        for d in LevelDescriptor.objects.filter(
            reduce_or([Q(competence_id=t.competence_id, level=t.level) for t in targets])
        )
    }
    by_area: dict[int, list[RoleTarget]] = defaultdict(list)
    areas: dict[int, Area] = {}
    for target in targets:
        by_area[target.competence.area_id].append(target)
        areas[target.competence.area_id] = target.competence.area
    result = []
    for area_id, area_targets in by_area.items():
        area_targets.sort(
            key=lambda t: (
                CRITICALITY_ORDER.get(Criticality(t.criticality), len(CRITICALITY_ORDER)),
                t.competence.position,
                t.competence.code,
            )
        )
        items = []
        for target in area_targets:
            descriptor = descriptors.get((target.competence_id, target.level))
            items.append(
                MyRoleItem(
                    competence=target.competence,
                    level=target.level,
                    level_name=framework.level_name(target.level),
                    expected=descriptor.t("text") if descriptor else "",
                    criticality=target.criticality,
                    criticality_label=target.get_criticality_display(),
                    why=target.competence.t("description"),
                )
            )
        result.append(MyRoleArea(area=areas[area_id], items=items))
    return MyRole(engagement=engagement, role_profile=role_profile, areas=result)


def reduce_or(conditions: list[Q]) -> Q:
    """Conditions joined with OR; an empty list matches nothing."""
    if not conditions:
        return Q(pk__in=[])
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def job_function_role_profile_codes(*, organisation_id: int, framework_key: str) -> dict[int, str]:
    """Role profile code per job function id, for every mapped job function of the organisation."""
    return dict(
        JobFunctionMapping.objects.filter(
            organisation_id=organisation_id, framework_key=framework_key
        ).values_list("job_function_id", "role_profile_code")
    )
