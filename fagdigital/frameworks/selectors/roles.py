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
    JobCodeMapping,
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


class SuggestionSource:
    JOB_CODE = "job_code"  # the job function's job code is in the organisation's job code table
    TITLE = "title"  # the title is like one of the role profile's names


@dataclass(frozen=True)
class JobFunctionRow:
    job_function: JobFunction
    people: int
    mapped_code: str | None
    suggested_code: str | None
    suggestion_score: float
    suggestion_source: str = ""  # SuggestionSource, when there is a suggestion

    @property
    def job_code(self) -> str:
        return self.job_function.job_code


def job_code_table(*, organisation: Organisation, framework: Framework) -> dict[str, str]:
    """The organisation's job code → role profile code table for the framework (its key, so every version)."""
    return dict(
        JobCodeMapping.objects.filter(organisation=organisation, framework_key=framework.key).values_list(
            "job_code", "role_profile_code"
        )
    )


def _similarity(name: str, role: RoleProfile) -> float:
    name = name.casefold().strip()
    candidates = [role.name_da, role.name_en, *role.job_function_names]
    if any(name == c.casefold().strip() for c in candidates if c):
        return 1.0
    return max(SequenceMatcher(None, name, c.casefold()).ratio() for c in candidates if c)


def job_function_rows(*, organisation: Organisation, framework: Framework) -> list[JobFunctionRow]:
    """Every job function in use, with its mapping to the framework's role profiles and a suggestion: by its
    job code when the organisation's job code table has it (and the role profile exists), else by name.

    Unmapped job functions come first, then by number of people, so the work that matters most is on top.
    """
    roles = list(RoleProfile.objects.filter(framework=framework))
    role_codes = {role.code for role in roles}
    by_job_code = {
        code: role
        for code, role in job_code_table(organisation=organisation, framework=framework).items()
        if role in role_codes
    }
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
        if job_function.job_code in by_job_code:
            best, score, source = by_job_code[job_function.job_code], 1.0, SuggestionSource.JOB_CODE
        else:
            best, score, source = None, 0.0, SuggestionSource.TITLE
            for role in roles:
                similarity = _similarity(job_function.name, role)
                if similarity > score:
                    best, score = role.code, similarity
        suggested = best if score >= SUGGESTION_THRESHOLD else None
        rows.append(
            JobFunctionRow(
                job_function=job_function,
                people=job_function.people,
                mapped_code=mapped.get(job_function.pk),
                suggested_code=suggested,
                suggestion_score=round(score, 2),
                suggestion_source=source if suggested else "",
            )
        )
    rows.sort(key=lambda r: (r.mapped_code is not None, -r.people, r.job_function.name))
    return rows


@dataclass(frozen=True)
class JobCodeRow:
    job_code: str
    titles: list[str]  # the job functions with the code, by name
    people: int
    role_profile_code: str | None  # in the organisation's job code table


def job_code_rows(*, organisation: Organisation, framework: Framework) -> list[JobCodeRow]:
    """Every job code that a job function has or the job code table names, with its titles, people and
    role profile. Codes without a role profile come first, then by number of people."""
    table = job_code_table(organisation=organisation, framework=framework)
    titles: dict[str, list[str]] = defaultdict(list)
    people: dict[str, int] = defaultdict(int)
    job_functions = (
        JobFunction.objects.filter(organisation=organisation)
        .exclude(job_code="")
        .annotate(
            people=Count(
                "engagements__person", filter=active_engagements_q(prefix="engagements__"), distinct=True
            )
        )
        .order_by("name")
    )
    for job_function in job_functions:
        titles[job_function.job_code].append(job_function.name)
        people[job_function.job_code] += job_function.people
    rows = [
        JobCodeRow(job_code=code, titles=titles[code], people=people[code], role_profile_code=table.get(code))
        for code in {*titles, *table}
    ]
    rows.sort(key=lambda r: (r.role_profile_code is not None, -r.people, r.job_code))
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
