"""Reads of competence frameworks, always within one organisation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from fagdigital.orgs.models import Engagement, JobFunction, Person
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Organisation, Role

from .digcomp import DIGCOMP_NAMES
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
    LEVEL_COUNT,
    Area,
    Competence,
    Criticality,
    Framework,
    FrameworkImport,
    FrameworkStatus,
    ITSystem,
    JobFunctionMapping,
    LevelDescriptor,
    RoleProfile,
    RoleTarget,
)

# How alike a job function's name must be to a role profile's names before we suggest the mapping. Character
# similarity is crude: below 0.82 it suggested e.g. "Kantineassistent" as an administrative caseworker.
SUGGESTION_THRESHOLD = 0.82

# The order in which a role's targets matter: what is critical first.
CRITICALITY_ORDER = {Criticality.CRITICAL: 0, Criticality.IMPORTANT: 1, Criticality.USEFUL: 2}


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
            targets=tuple(
                TargetData(t.competence.code, t.level, t.criticality) for t in targets_by_role[role.pk]
            ),
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
            "niveauer": "; ".join(
                f"{lv.number} {lv.name.da}/{lv.name.en} {lv.digcomp_levels}" for lv in data.levels
            ),
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


def change_counts(changes: list[Change]) -> dict[str, int]:
    """How many items were added and removed, and how many fields changed."""
    counts = {"added": 0, "removed": 0, "changed": 0}
    for change in changes:
        counts[change.kind] += 1
    return counts


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


# --- Access: every object a user names by id, within the actor's organisation ----------------------------


def visible_frameworks(*, actor: Actor) -> QuerySet[Framework]:
    """Competence admins see every version; everyone else the published and retired ones.

    A draft is work in progress: nobody is measured against it until it is published.
    """
    frameworks = Framework.objects.filter(organisation=actor.organisation)
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        frameworks = frameworks.exclude(status=FrameworkStatus.DRAFT)
    return frameworks


def get_visible_framework_for_user(*, actor: Actor, framework_id: int) -> Framework:
    framework = visible_frameworks(actor=actor).filter(pk=framework_id).first()
    if framework is None:
        raise Http404
    return framework


def get_area_for_user(*, actor: Actor, framework: Framework, area_id: int) -> Area:
    area = Area.objects.filter(organisation=actor.organisation, framework=framework, pk=area_id).first()
    if area is None:
        raise Http404
    return area


def get_competence_for_user(*, actor: Actor, framework: Framework, competence_id: int) -> Competence:
    competence = (
        Competence.objects.filter(organisation=actor.organisation, framework=framework, pk=competence_id)
        .select_related("area", "parent")
        .first()
    )
    if competence is None:
        raise Http404
    return competence


def get_role_profile_for_user(*, actor: Actor, framework: Framework, role_profile_id: int) -> RoleProfile:
    role_profile = RoleProfile.objects.filter(
        organisation=actor.organisation, framework=framework, pk=role_profile_id
    ).first()
    if role_profile is None:
        raise Http404
    return role_profile


# --- The list of frameworks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkFamily:
    """All visible versions of one framework (one key), newest first."""

    key: str
    versions: list[Framework]

    @property
    def newest(self) -> Framework:
        return self.versions[0]

    @property
    def draft(self) -> Framework | None:
        return next((v for v in self.versions if v.status == FrameworkStatus.DRAFT), None)

    @property
    def published(self) -> Framework | None:
        return next((v for v in self.versions if v.status == FrameworkStatus.PUBLISHED), None)


def framework_families(*, actor: Actor) -> list[FrameworkFamily]:
    """The frameworks the actor may see, grouped by key, each version with its number of competences.

    One query however many versions there are.
    """
    frameworks = (
        visible_frameworks(actor=actor)
        .select_related("based_on")
        .annotate(competence_count=Count("competences"))
        .order_by("key", "-version")
    )
    families: dict[str, list[Framework]] = defaultdict(list)
    for framework in frameworks:
        families[framework.key].append(framework)
    return [FrameworkFamily(key=key, versions=versions) for key, versions in families.items()]


def draft_version(*, framework: Framework) -> Framework | None:
    """The draft of the same framework (key), if one exists: there is at most one."""
    return Framework.objects.filter(
        organisation_id=framework.organisation_id, key=framework.key, status=FrameworkStatus.DRAFT
    ).first()


def area_codes(*, framework: Framework) -> set[str]:
    return set(Area.objects.filter(framework=framework).values_list("code", flat=True))


def competence_codes(*, framework: Framework) -> set[str]:
    return set(Competence.objects.filter(framework=framework).values_list("code", flat=True))


def role_profile_codes(*, framework: Framework) -> set[str]:
    return set(RoleProfile.objects.filter(framework=framework).values_list("code", flat=True))


def other_versions(*, actor: Actor, framework: Framework) -> list[Framework]:
    """What a version can be compared with: the actor's other visible versions, same framework first."""
    others = visible_frameworks(actor=actor).exclude(pk=framework.pk)
    return sorted(others, key=lambda f: (f.key != framework.key, f.key, -f.version))


# --- Reading a framework: areas, competences, levels --------------------------------------------------------


@dataclass(frozen=True)
class DigCompRef:
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.name else self.code


@dataclass(frozen=True)
class CompetenceNode:
    """A competence in display order, with what a reader needs to understand it."""

    competence: Competence
    depth: int
    is_first: bool
    is_last: bool
    digcomp: list[DigCompRef]
    it_systems: list[str]


@dataclass(frozen=True)
class AreaNode:
    area: Area
    competences: list[CompetenceNode]
    is_first: bool
    is_last: bool


def digcomp_refs(codes: list[str]) -> list[DigCompRef]:
    return [DigCompRef(code, str(DIGCOMP_NAMES.get(code, ""))) for code in codes]


def it_system_labels(*, framework: Framework) -> dict[str, str]:
    """A readable label per IT system category: the names of the framework's systems in it."""
    names: dict[str, list[str]] = defaultdict(list)
    for system in ITSystem.objects.filter(framework=framework).order_by("name_da"):
        names[system.category].append(system.t("name"))
    return {category: ", ".join(items) for category, items in names.items()}


def framework_tree(*, framework: Framework) -> list[AreaNode]:
    """Areas in order, each with its competences depth first. Three queries however large the framework."""
    areas = list(Area.objects.filter(framework=framework).order_by("position", "code"))
    competences = Competence.objects.filter(framework=framework).order_by("position", "code")
    labels = it_system_labels(framework=framework)
    children: dict[tuple[int, int | None], list[Competence]] = defaultdict(list)
    for competence in competences:
        children[(competence.area_id, competence.parent_id)].append(competence)

    def walk(area_id: int, parent_id: int | None, depth: int) -> list[CompetenceNode]:
        siblings = children[(area_id, parent_id)]
        nodes = []
        for index, competence in enumerate(siblings):
            nodes.append(
                CompetenceNode(
                    competence=competence,
                    depth=depth,
                    is_first=index == 0,
                    is_last=index == len(siblings) - 1,
                    digcomp=digcomp_refs(competence.digcomp),
                    it_systems=[labels.get(c, c) for c in competence.it_system_categories],
                )
            )
            nodes += walk(area_id, competence.pk, depth + 1)
        return nodes

    return [
        AreaNode(
            area=area,
            competences=walk(area.pk, None, 0),
            is_first=index == 0,
            is_last=index == len(areas) - 1,
        )
        for index, area in enumerate(areas)
    ]


@dataclass(frozen=True)
class LevelRow:
    number: int
    name: str
    digcomp_levels: list[int]
    text: str = ""
    text_da: str = ""
    text_en: str = ""


def framework_levels(*, framework: Framework) -> list[LevelRow]:
    """The framework's proficiency levels with their names in the active language."""
    rows = []
    for number in range(1, LEVEL_COUNT + 1):
        level: dict[str, Any] = next((lv for lv in framework.levels if lv.get("number") == number), {})
        rows.append(LevelRow(number, framework.level_name(number), list(level.get("digcomp_levels", []))))
    return rows


@dataclass(frozen=True)
class TargetRow:
    role_profile: RoleProfile
    level: int
    level_name: str
    criticality: str
    criticality_label: str


@dataclass(frozen=True)
class CompetencePage:
    competence: Competence
    digcomp: list[DigCompRef]
    it_systems: list[str]
    levels: list[LevelRow]
    targets: list[TargetRow]
    children: list[Competence]
    related: list[Competence]


def competence_levels(*, framework: Framework, competence: Competence) -> list[LevelRow]:
    """The framework's levels, each with the competence's descriptor (in both languages) for it."""
    descriptors = {d.level: d for d in LevelDescriptor.objects.filter(competence=competence)}
    return [
        LevelRow(
            number=level.number,
            name=level.name,
            digcomp_levels=level.digcomp_levels,
            text=descriptors[level.number].t("text") if level.number in descriptors else "",
            text_da=descriptors[level.number].text_da if level.number in descriptors else "",
            text_en=descriptors[level.number].text_en if level.number in descriptors else "",
        )
        for level in framework_levels(framework=framework)
    ]


def competence_page(*, framework: Framework, competence: Competence) -> CompetencePage:
    """One competence with its four level descriptors and the role profiles that target it."""
    levels = competence_levels(framework=framework, competence=competence)
    targets = (
        RoleTarget.objects.filter(competence=competence)
        .select_related("role_profile")
        .order_by("role_profile__position", "role_profile__name_da")
    )
    labels = it_system_labels(framework=framework)
    return CompetencePage(
        competence=competence,
        digcomp=digcomp_refs(competence.digcomp),
        it_systems=[labels.get(c, c) for c in competence.it_system_categories],
        levels=levels,
        targets=[
            TargetRow(
                role_profile=t.role_profile,
                level=t.level,
                level_name=framework.level_name(t.level),
                criticality=t.criticality,
                criticality_label=t.get_criticality_display(),
            )
            for t in targets
        ],
        children=list(competence.children.order_by("position", "code")),
        related=list(competence.related.order_by("code")),
    )


def role_profiles(*, framework: Framework) -> list[RoleProfile]:
    return list(RoleProfile.objects.filter(framework=framework).order_by("position", "name_da"))


# --- The target grid: role profiles by competences ----------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    role_profile: RoleProfile
    competence: Competence
    target: RoleTarget | None

    @property
    def key(self) -> str:
        return f"{self.role_profile.pk}-{self.competence.pk}"

    @property
    def level_value(self) -> str:
        """The level as the grid's select value: "" for no target."""
        return str(self.target.level) if self.target else ""

    @property
    def criticality_value(self) -> str:
        """The criticality as the grid's select value; a new target starts as "vigtig"."""
        return self.target.criticality if self.target else str(Criticality.IMPORTANT)


@dataclass(frozen=True)
class GridRow:
    node: CompetenceNode
    cells: list[GridCell]


@dataclass(frozen=True)
class GridArea:
    area: Area
    rows: list[GridRow]


@dataclass(frozen=True)
class TargetGrid:
    role_profiles: list[RoleProfile]
    areas: list[GridArea]


def target_grid(*, framework: Framework) -> TargetGrid:
    """Every competence (rows, grouped by area) against every role profile (columns), with the targets.

    A fixed number of queries however many competences and role profiles there are.
    """
    roles = role_profiles(framework=framework)
    targets = {
        (t.role_profile_id, t.competence_id): t
        for t in RoleTarget.objects.filter(role_profile__framework=framework)
    }
    return TargetGrid(
        role_profiles=roles,
        areas=[
            GridArea(
                area=area.area,
                rows=[
                    GridRow(
                        node=node,
                        cells=[
                            GridCell(role, node.competence, targets.get((role.pk, node.competence.pk)))
                            for role in roles
                        ],
                    )
                    for node in area.competences
                ],
            )
            for area in framework_tree(framework=framework)
        ],
    )


def target_cell(*, role_profile: RoleProfile, competence: Competence) -> GridCell:
    target = RoleTarget.objects.filter(role_profile=role_profile, competence=competence).first()
    return GridCell(role_profile, competence, target)


# --- My role: what is expected of me, and why --------------------------------------------------------------


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


def framework_imports_for_organisation(*, organisation: Organisation) -> QuerySet[FrameworkImport]:
    return FrameworkImport.objects.filter(organisation=organisation)


def get_framework_import_for_user(*, actor: Actor, framework_import_id: int) -> FrameworkImport:
    """One of the actor's organisation's framework imports; 404 otherwise."""
    framework_import = (
        framework_imports_for_organisation(organisation=actor.organisation)
        .select_related("framework")
        .filter(pk=framework_import_id)
        .first()
    )
    if framework_import is None:
        raise Http404
    return framework_import


def job_function_role_profile_codes(*, organisation_id: int, framework_key: str) -> dict[int, str]:
    """Role profile code per job function id, for every mapped job function of the organisation."""
    return dict(
        JobFunctionMapping.objects.filter(
            organisation_id=organisation_id, framework_key=framework_key
        ).values_list("job_function_id", "role_profile_code")
    )
