"""Reads of competence frameworks, always within one organisation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from fagdigital.orgs.models import Engagement, JobFunction, Person
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation

from .interchange import (
    AreaData,
    CompetenceData,
    DescriptorData,
    FrameworkData,
    ITSystemData,
    LevelData,
    RoleProfileData,
    TargetData,
    Text,
)
from .models import (
    Area,
    Competence,
    Framework,
    FrameworkStatus,
    ITSystem,
    JobFunctionMapping,
    RoleProfile,
    RoleTarget,
)

# How alike a job function's name must be to a role profile's names before we suggest the mapping.
SUGGESTION_THRESHOLD = 0.75


def frameworks_for_organisation(*, organisation: Organisation) -> QuerySet[Framework]:
    return Framework.objects.filter(organisation=organisation).order_by("key", "-version")


def get_framework_for_user(*, actor: Actor, framework_id: int) -> Framework:
    framework = Framework.objects.filter(organisation=actor.organisation, pk=framework_id).first()
    if framework is None:
        raise Http404
    return framework


def published_framework(*, organisation: Organisation, key: str | None = None) -> Framework | None:
    """The newest published version (of `key`, or of any framework when there is only one key)."""
    frameworks = Framework.objects.filter(organisation=organisation, status=FrameworkStatus.PUBLISHED)
    if key is not None:
        frameworks = frameworks.filter(key=key)
    return frameworks.order_by("-published_at", "-version").first()


def framework_as_data(*, framework: Framework) -> FrameworkData:
    """Everything in one framework version as plain data, in display order. A fixed number of queries."""
    competences = list(
        Competence.objects.filter(framework=framework)
        .prefetch_related("descriptors", Prefetch("related", queryset=Competence.objects.only("code")))
        .order_by("position", "code")
    )
    children: dict[int | None, list[Competence]] = defaultdict(list)
    for competence in competences:
        children[competence.parent_id].append(competence)

    def competence_data(competence: Competence) -> CompetenceData:
        return CompetenceData(
            code=competence.code,
            name=Text(competence.name_da, competence.name_en),
            description=Text(competence.description_da, competence.description_en),
            kind=competence.kind,
            digcomp=tuple(competence.digcomp),
            it_system_categories=tuple(competence.it_system_categories),
            descriptors=tuple(
                DescriptorData(d.level, Text(d.text_da, d.text_en))
                for d in sorted(competence.descriptors.all(), key=lambda d: d.level)
            ),
            children=tuple(competence_data(child) for child in children[competence.pk]),
            related=tuple(sorted(r.code for r in competence.related.all())),
        )

    areas = tuple(
        AreaData(
            code=area.code,
            name=Text(area.name_da, area.name_en),
            description=Text(area.description_da, area.description_en),
            competences=tuple(competence_data(c) for c in children[None] if c.area_id == area.pk),
        )
        for area in Area.objects.filter(framework=framework).order_by("position", "code")
    )
    it_systems = tuple(
        ITSystemData(
            code=s.code,
            category=s.category,
            name=Text(s.name_da, s.name_en),
            vendor=s.vendor,
            job_functions=tuple(s.job_function_names),
        )
        for s in ITSystem.objects.filter(framework=framework).order_by("code")
    )
    targets = RoleTarget.objects.filter(role_profile__framework=framework).select_related("competence")
    targets_by_role: dict[int, list[RoleTarget]] = defaultdict(list)
    for target in targets.order_by("competence__position", "competence__code"):
        targets_by_role[target.role_profile_id].append(target)
    role_profiles = tuple(
        RoleProfileData(
            code=role.code,
            name=Text(role.name_da, role.name_en),
            description=Text(role.description_da, role.description_en),
            job_function_names=tuple(role.job_function_names),
            targets=tuple(TargetData(t.competence.code, t.level, t.criticality) for t in targets_by_role[role.pk]),
        )
        for role in RoleProfile.objects.filter(framework=framework).order_by("position", "code")
    )
    return FrameworkData(
        key=framework.key,
        version=framework.version,
        name=Text(framework.name_da, framework.name_en),
        description=Text(framework.description_da, framework.description_en),
        levels=tuple(
            LevelData(
                number=int(level["number"]),
                name=Text(level["name"].get("da", ""), level["name"].get("en", "")),
                digcomp_levels=tuple(level.get("digcomp_levels", ())),
            )
            for level in framework.levels
        ),
        areas=areas,
        it_systems=it_systems,
        role_profiles=role_profiles,
    )


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    what: str  # e.g. "Kompetence DS3"
    field: str = ""
    before: str = ""
    after: str = ""


def framework_differences(*, old: Framework, new: Framework) -> list[Change]:
    """What changed from one version to another, item by item and field by field."""
    return data_differences(framework_as_data(framework=old), framework_as_data(framework=new))


def _flatten(data: FrameworkData) -> dict[str, dict[str, str]]:
    items: dict[str, dict[str, str]] = {
        "Ramme": {
            "navn": data.name.da,
            "name (en)": data.name.en,
            "beskrivelse": data.description.da,
            "description (en)": data.description.en,
            "niveauer": "; ".join(f"{lv.number} {lv.name.da}/{lv.name.en} {lv.digcomp_levels}" for lv in data.levels),
        }
    }
    for area in data.areas:
        items[f"Fokusområde {area.code}"] = {
            "navn": area.name.da,
            "name (en)": area.name.en,
            "beskrivelse": area.description.da,
            "description (en)": area.description.en,
        }
    for competence in data.all_competences():
        fields = {
            "navn": competence.name.da,
            "name (en)": competence.name.en,
            "beskrivelse": competence.description.da,
            "description (en)": competence.description.en,
            "type": competence.kind,
            "DigComp": ", ".join(competence.digcomp),
            "it-systemer": ", ".join(competence.it_system_categories),
            "relaterede": ", ".join(competence.related),
        }
        for descriptor in competence.descriptors:
            fields[f"niveau {descriptor.level}"] = descriptor.text.da
            fields[f"level {descriptor.level} (en)"] = descriptor.text.en
        items[f"Kompetence {competence.code}"] = fields
    for system in data.it_systems:
        items[f"It-system {system.code}"] = {
            "navn": system.name.da,
            "kategori": system.category,
            "leverandør": system.vendor,
            "stillinger": ", ".join(system.job_functions),
        }
    for role in data.role_profiles:
        fields = {"navn": role.name.da, "name (en)": role.name.en, "beskrivelse": role.description.da}
        for target in role.targets:
            fields[f"mål {target.competence}"] = f"{target.level} ({target.criticality})"
        items[f"Rolleprofil {role.code}"] = fields
    return items


def data_differences(old: FrameworkData, new: FrameworkData) -> list[Change]:
    before, after = _flatten(old), _flatten(new)
    changes: list[Change] = []
    for what in after:
        if what not in before:
            changes.append(Change("added", what))
            continue
        for name in sorted(set(before[what]) | set(after[what])):
            old_value, new_value = before[what].get(name, ""), after[what].get(name, "")
            if old_value != new_value:
                changes.append(Change("changed", what, name, old_value, new_value))
    changes += [Change("removed", what) for what in before if what not in after]
    return changes


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
        people=Count("engagements__person", filter=active_engagements_q(prefix="engagements__"), distinct=True)
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
    engagement = (
        Engagement.objects.filter(active_engagements_q(), person=person)
        .order_by("-is_primary", "-start_date")
        .first()
    )
    if engagement is None:
        return None
    code = (
        JobFunctionMapping.objects.filter(job_function_id=engagement.job_function_id, framework_key=framework.key)
        .values_list("role_profile_code", flat=True)
        .first()
    )
    if code is None:
        return None
    return RoleProfile.objects.filter(framework=framework, code=code).first()
