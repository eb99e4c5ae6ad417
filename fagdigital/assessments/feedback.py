"""Personal feedback: a person's competence profile against their role profile's targets.

Reads only. The profile page, its PDF and the leader's view of a team member all show what
`personal_profile` returns, built in a fixed number of queries whatever the number of competences.

The current level per competence is the stored `CompetenceEstimate` (DESIGN.md §2). Next to it every
source's latest evidence stays visible with its date, so the person can see where the level comes from.

After HR publishes a new framework version the profile shows that version: targets from it, and levels
from earlier versions carried over by competence code at read time (`selectors.carry_over`), except for
competences the new version marks as material changes. The page says which version it shows and which
levels come from an earlier one (decision 0015).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q

from fagdigital.frameworks.models import (
    Area,
    Competence,
    Criticality,
    Framework,
    LevelDescriptor,
    RoleProfile,
)
from fagdigital.frameworks.selectors import published_framework, role_profile_for_person
from fagdigital.orgs.models import Person

from . import evidence_rule, selectors, services
from .models import (
    SOURCE_PRIORITY,
    Campaign,
    CompetenceEstimate,
    Evidence,
    EvidenceSource,
    Participant,
    Visibility,
)

# How much a gap weighs in the ranking of development areas (issue 4, point 8).
CRITICALITY_WEIGHT: dict[str, int] = {
    Criticality.CRITICAL: 3,
    Criticality.IMPORTANT: 2,
    Criticality.USEFUL: 1,
}
# A self-assessment this many levels from a test or leader rating is flagged (evidence_rule).
CALIBRATION_LEVELS = evidence_rule.CALIBRATION_LEVELS
DEVELOPMENT_AREA_COUNT = 3
# The sources a self-assessment is compared with, in the order they are shown.
CALIBRATION_SOURCES: tuple[str, ...] = evidence_rule.CALIBRATION_SOURCES


# --- The profile ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceEvidence:
    """The latest evidence from one source for one competence."""

    source: str
    level: int
    observed_on: dt.date
    campaign_name: str
    # Inside the validity period, so it can count towards the current level.
    valid: bool
    # For a knowledge test: {"correct": 3, "items": 4, "cap": 3}.
    detail: dict[str, Any]
    evidence_id: int
    # The framework version the evidence was given in (an earlier one when its level is carried over).
    framework_version: int = 0
    carried: bool = False

    @property
    def label(self) -> str:
        return str(EvidenceSource(self.source).label)

    @property
    def correct(self) -> int | None:
        value = self.detail.get("correct")
        return int(value) if isinstance(value, int) else None

    @property
    def items(self) -> int | None:
        value = self.detail.get("items")
        return int(value) if isinstance(value, int) else None


@dataclass(frozen=True)
class Estimate:
    level: int
    source: str
    observed_on: dt.date
    # The earlier framework version the level was measured in, when it is carried over (else None).
    carried_from: int | None = None

    @property
    def source_label(self) -> str:
        return str(EvidenceSource(self.source).label)


@dataclass(frozen=True)
class CalibrationNote:
    """A self-assessment two or more levels from another source's rating of the same competence."""

    item: ProfileItem
    self_level: int
    other_source: str
    other_level: int

    @property
    def other_label(self) -> str:
        return str(EvidenceSource(self.other_source).label)

    @property
    def difference(self) -> int:
        return abs(self.self_level - self.other_level)

    @property
    def self_higher(self) -> bool:
        return self.self_level > self.other_level


@dataclass(eq=False)
class ProfileItem:
    """One competence the person is assessed on."""

    competence: Competence
    position: int  # in area order: breaks ties in the rankings
    target_level: int | None
    criticality: str
    estimate: Estimate | None
    # Latest evidence per source, in the order of the estimate rule (a source without evidence is absent).
    sources: list[SourceEvidence]
    # What a person at the target level does (the level descriptor), and at the current level.
    target_text: str
    current_text: str
    calibration: list[CalibrationNote] = field(default_factory=list, repr=False)
    # The version shown marks this competence as a material change: earlier levels do not count.
    material_change: bool = False

    @property
    def area(self) -> Area:
        return self.competence.area

    @property
    def criticality_label(self) -> str:
        return str(Criticality(self.criticality).label) if self.criticality else ""

    @property
    def weight(self) -> int:
        return CRITICALITY_WEIGHT.get(self.criticality, 0)

    @property
    def gap(self) -> int | None:
        """Levels from the current level up to the target: positive below it, 0 or less at or above."""
        if self.target_level is None or self.estimate is None:
            return None
        return self.target_level - self.estimate.level

    @property
    def shortfall(self) -> int:
        gap = self.gap
        return gap if gap is not None and gap > 0 else 0

    @property
    def surplus(self) -> int:
        gap = self.gap
        return -gap if gap is not None and gap < 0 else 0

    @property
    def priority(self) -> int:
        """Gap times criticality weight: how much closing this gap matters."""
        return self.shortfall * self.weight

    @property
    def calibration_flag(self) -> bool:
        return bool(self.calibration)

    def source(self, source: str) -> SourceEvidence | None:
        return next((s for s in self.sources if s.source == source), None)

    @property
    def by_source(self) -> list[tuple[str, str, SourceEvidence | None]]:
        """(source, label, latest evidence or None) for every source, for a table column per source."""
        return [(s, str(EvidenceSource(s).label), self.source(s)) for s in SOURCE_PRIORITY]


@dataclass
class ProfileArea:
    area: Area
    items: list[ProfileItem]


@dataclass
class PersonalProfile:
    person: Person
    framework: Framework
    role_profile: RoleProfile | None
    areas: list[ProfileArea]
    strengths: list[ProfileItem]
    development: list[ProfileItem]
    calibration: list[CalibrationNote]
    validity_days: int
    # Evidence from anonymous campaigns was left out (a leader's view).
    restricted: bool = False
    # Only this round's results are shown (a leader's view of a round, docs/decisions/0012).
    round_name: str = ""
    # Earlier framework versions some of the current levels are carried over from.
    carried_versions: list[int] = field(default_factory=list)

    @property
    def items(self) -> list[ProfileItem]:
        return [item for area in self.areas for item in area.items]

    @property
    def has_evidence(self) -> bool:
        return any(item.sources for item in self.items)

    @property
    def has_targets(self) -> bool:
        return any(item.target_level is not None for item in self.items)

    @property
    def latest_observed_on(self) -> dt.date | None:
        dates = [s.observed_on for item in self.items for s in item.sources]
        return max(dates) if dates else None

    @property
    def measured_count(self) -> int:
        return sum(1 for item in self.items if item.estimate is not None)

    @property
    def below_target_count(self) -> int:
        return sum(1 for item in self.items if item.shortfall)

    @property
    def expired_sources(self) -> bool:
        return any(not s.valid for item in self.items for s in item.sources)

    @property
    def present_sources(self) -> list[tuple[str, str]]:
        """(source, label) of the sources with any evidence, in the order of the estimate rule."""
        present = {s.source for item in self.items for s in item.sources}
        return [(s, str(EvidenceSource(s).label)) for s in SOURCE_PRIORITY if s in present]

    @property
    def source_table(self) -> list[tuple[ProfileItem, list[SourceEvidence | None]]]:
        """Per competence, the latest evidence of each present source (None where it has none)."""
        sources = [s for s, _label in self.present_sources]
        return [(item, [item.source(s) for s in sources]) for item in self.items]

    @property
    def carried_count(self) -> int:
        """Competences whose current level was measured in an earlier framework version."""
        return sum(1 for item in self.items if item.estimate and item.estimate.carried_from is not None)

    @property
    def material_items(self) -> list[ProfileItem]:
        return [item for item in self.items if item.material_change]

    @property
    def validity_years(self) -> int | None:
        """The validity period in whole years, when it is that (else the page says it in days)."""
        years, rest = divmod(self.validity_days, 365)
        return years if years and rest <= 1 else None


def profile_framework(*, person: Person) -> Framework | None:
    """The framework version the person's profile is read against: the published version of the
    framework their latest evidence belongs to (levels from earlier versions carry over to it), else
    the organisation's published framework.

    Only when that framework has no published version any more does the profile stay on the version
    the evidence was given in.
    """
    latest = (
        Evidence.objects.filter(person=person, organisation_id=person.organisation_id)
        .order_by("-observed_on", "-pk")
        .values_list(
            "competence__framework_id", "competence__framework__key", "competence__framework__version"
        )
        .first()
    )
    if latest is None:
        return published_framework(organisation=person.organisation)
    framework_id, key, version = latest
    published = published_framework(organisation=person.organisation, key=key)
    if published is not None and published.version >= version:
        return published
    return Framework.objects.filter(pk=framework_id, organisation_id=person.organisation_id).first()


def role_profile_code_for_person(*, person: Person, framework: Framework) -> str:
    """The role profile the person was last asked as (campaigns fix it), else their current job's mapping."""
    code = (
        Participant.objects.filter(person=person, campaign__framework__key=framework.key)
        .exclude(role_profile_code="")
        .order_by("-campaign__opens_on", "-campaign_id")
        .values_list("role_profile_code", flat=True)
        .first()
    )
    if code:
        return code
    role_profile = role_profile_for_person(person=person, framework=framework)
    return role_profile.code if role_profile is not None else ""


def personal_profile(
    *,
    person: Person,
    framework: Framework,
    today: dt.date,
    role_profile_code: str | None = None,
    development_campaigns_only: bool = False,
    round_only: Campaign | None = None,
) -> PersonalProfile:
    """The person's profile: per competence of their role profile the target, the current level and
    every source's latest evidence; strengths, the three most important development areas and the
    self-assessments that differ from other sources.

    `development_campaigns_only` leaves out evidence from anonymous campaigns (what a leader may see);
    the current level is then taken from the remaining evidence by the same rule. `round_only` keeps only
    that round's evidence: a round's page shows what the round measured, not what came after it.
    """
    code = role_profile_code or role_profile_code_for_person(person=person, framework=framework)
    # questionnaire_competences reads only the campaign's framework: the competences a person with
    # this role profile is asked about, so the profile covers exactly what they answer.
    competences = selectors.framework_competences(framework=framework, role_profile_code=code)
    targets = services.role_target_levels(role_profile_code=code, framework=framework)
    role_profile = RoleProfile.objects.filter(framework=framework, code=code).first() if code else None
    ids = [c.pk for c in competences]
    since = today - dt.timedelta(days=settings.ESTIMATE_VALIDITY_DAYS)
    cap = services.framework_knowledge_cap(framework.pk)
    # Evidence given in earlier versions counts for the competences that continue (by code).
    carry = selectors.carry_over(framework=framework)

    evidence_rows = Evidence.objects.filter(person=person, competence_id__in=carry.sources_of(set(ids)))
    if development_campaigns_only:
        evidence_rows = evidence_rows.filter(
            Q(campaign__isnull=True) | Q(campaign__visibility=Visibility.DEVELOPMENT)
        )
    if round_only is not None:
        evidence_rows = evidence_rows.filter(campaign=round_only)
    latest: dict[int, dict[str, SourceEvidence]] = {}
    for row in evidence_rows.order_by("-observed_on", "-pk").values(
        "pk", "competence_id", "source", "level", "observed_on", "detail", "campaign__name"
    ):
        by_source = latest.setdefault(carry.current(row["competence_id"]), {})
        if row["source"] in by_source:
            continue
        by_source[row["source"]] = SourceEvidence(
            source=row["source"],
            level=row["level"],
            observed_on=row["observed_on"],
            campaign_name=row["campaign__name"] or "",
            valid=row["observed_on"] >= since,
            detail=row["detail"] if isinstance(row["detail"], dict) else {},
            evidence_id=row["pk"],
            framework_version=carry.version(row["competence_id"]),
            carried=carry.carried(row["competence_id"]),
        )
    stored = {
        row["competence_id"]: row
        for row in CompetenceEstimate.objects.filter(person=person, competence_id__in=ids).values(
            "competence_id", "level", "source", "observed_on", "evidence_id"
        )
    }
    descriptors = {
        (d.competence_id, d.level): d for d in LevelDescriptor.objects.filter(competence_id__in=ids)
    }

    areas: dict[int, ProfileArea] = {}
    calibration: list[CalibrationNote] = []
    for position, competence in enumerate(competences):
        by_source = latest.get(competence.pk, {})
        # The stored estimate knows only this version's evidence: with carried evidence shown, the
        # rule is applied to all of it.
        carried = any(s.carried for s in by_source.values())
        estimate = _estimate(None if carried else stored.get(competence.pk), by_source, since, cap)
        target = targets.get(competence.pk)
        target_descriptor = descriptors.get((competence.pk, target.level)) if target else None
        current_descriptor = descriptors.get((competence.pk, estimate.level)) if estimate else None
        item = ProfileItem(
            competence=competence,
            position=position,
            target_level=target.level if target else None,
            criticality=target.criticality if target else "",
            estimate=estimate,
            sources=[by_source[s] for s in SOURCE_PRIORITY if s in by_source],
            target_text=target_descriptor.t("text") if target_descriptor else "",
            current_text=current_descriptor.t("text") if current_descriptor else "",
            material_change=competence.code in carry.material,
        )
        item.calibration = _calibration(item, by_source)
        calibration.extend(item.calibration)
        areas.setdefault(competence.area_id, ProfileArea(area=competence.area, items=[])).items.append(item)

    items = [item for area in areas.values() for item in area.items]
    return PersonalProfile(
        person=person,
        framework=framework,
        role_profile=role_profile,
        areas=list(areas.values()),
        strengths=strengths(items),
        development=development_areas(items),
        calibration=calibration,
        validity_days=settings.ESTIMATE_VALIDITY_DAYS,
        restricted=development_campaigns_only,
        round_name=round_only.name if round_only is not None else "",
        carried_versions=sorted(
            {i.estimate.carried_from for i in items if i.estimate and i.estimate.carried_from is not None}
        ),
    )


def _estimate(
    stored: Mapping[str, Any] | None, by_source: dict[str, SourceEvidence], since: dt.date, cap: int
) -> Estimate | None:
    """The stored estimate when its evidence is shown and still valid; else the rule applied to what is shown.

    The two agree unless evidence was left out (a leader's view) or has expired since the estimate
    was last recomputed; the page then never shows a level the person cannot trace to a shown source.
    """
    shown = {s.evidence_id for s in by_source.values()}
    if stored is not None and stored["evidence_id"] in shown and stored["observed_on"] >= since:
        return Estimate(level=stored["level"], source=stored["source"], observed_on=stored["observed_on"])
    candidates = {
        s: evidence_rule.Candidate(e.evidence_id, e.level, e.observed_on)
        for s, e in by_source.items()
        if e.valid
    }
    source = evidence_rule.choose(candidates, cap)
    if source is None:
        return None
    chosen = by_source[source]
    return Estimate(
        level=chosen.level,
        source=chosen.source,
        observed_on=chosen.observed_on,
        carried_from=chosen.framework_version if chosen.carried else None,
    )


def _calibration(item: ProfileItem, by_source: dict[str, SourceEvidence]) -> list[CalibrationNote]:
    own = by_source.get(EvidenceSource.SELF)
    if own is None or not own.valid:
        return []
    notes = []
    for source in CALIBRATION_SOURCES:
        other = by_source.get(source)
        if other is not None and other.valid and abs(other.level - own.level) >= CALIBRATION_LEVELS:
            notes.append(
                CalibrationNote(item=item, self_level=own.level, other_source=source, other_level=other.level)
            )
    return notes


def strengths(items: list[ProfileItem]) -> list[ProfileItem]:
    """Competences at or above their target, the critical ones first, then in area order."""
    reached = [i for i in items if i.gap is not None and i.gap <= 0]
    return sorted(reached, key=lambda i: (-i.weight, i.position))


def development_areas(items: list[ProfileItem], count: int = DEVELOPMENT_AREA_COUNT) -> list[ProfileItem]:
    """The competences below target where closing the gap matters most: gap times criticality
    weight, ties in area order."""
    below = [i for i in items if i.shortfall]
    return sorted(below, key=lambda i: (-i.priority, i.position))[:count]


# --- The competence wheel ------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    x: float
    y: float

    # Formatted here: a template would localise a float ("260,0" in Danish), which SVG cannot read.
    @property
    def sx(self) -> str:
        return f"{self.x:.1f}"

    @property
    def sy(self) -> str:
        return f"{self.y:.1f}"

    def __str__(self) -> str:
        return f"{self.sx},{self.sy}"


@dataclass(frozen=True)
class WheelRing:
    level: int
    points: str
    label: Point


@dataclass(frozen=True)
class WheelSpoke:
    item: ProfileItem
    end: Point
    label: Point
    anchor: str  # SVG text-anchor
    target: Point | None
    estimate: Point | None


@dataclass(frozen=True)
class Wheel:
    size: int
    center: Point
    rings: list[WheelRing]
    spokes: list[WheelSpoke]
    target_points: str
    estimate_points: str
    levels: int

    @property
    def view_box(self) -> str:
        return f"0 0 {self.size} {self.size}"

    @property
    def unmeasured(self) -> int:
        return sum(1 for spoke in self.spokes if spoke.estimate is None)


# Geometry in SVG user units; the SVG scales to its box.
WHEEL_SIZE = 480
WHEEL_RADIUS = 172
WHEEL_LABEL_GAP = 20
WHEEL_MIN_SPOKES = 3


def competence_wheel(profile: PersonalProfile, levels: int = 4) -> Wheel | None:
    """A radar chart of the profile: one spoke per competence, a ring per level, the target and the
    current level as polygons. None with fewer than three competences (no wheel to draw)."""
    items = profile.items
    count = len(items)
    if count < WHEEL_MIN_SPOKES:
        return None
    c = WHEEL_SIZE / 2
    center = Point(c, c)

    def at(index: int, radius: float) -> Point:
        angle = -math.pi / 2 + 2 * math.pi * index / count  # clockwise from the top
        return Point(c + radius * math.cos(angle), c + radius * math.sin(angle))

    def radius(level: int) -> float:
        return WHEEL_RADIUS * level / levels

    def between(radius: float) -> Point:
        # Ring numbers sit halfway between the first two spokes, where no marker can cover them.
        angle = -math.pi / 2 + math.pi / count
        return Point(c + radius * math.cos(angle), c + radius * math.sin(angle) + 4)

    rings = [
        WheelRing(
            level=level,
            points=" ".join(str(at(i, radius(level))) for i in range(count)),
            label=between(radius(level) - 9),
        )
        for level in range(1, levels + 1)
    ]
    spokes = []
    for index, item in enumerate(items):
        end = at(index, WHEEL_RADIUS)
        label = at(index, WHEEL_RADIUS + WHEEL_LABEL_GAP)
        dx, dy = (end.x - c) / WHEEL_RADIUS, (end.y - c) / WHEEL_RADIUS
        anchor = "start" if dx > 0.3 else "end" if dx < -0.3 else "middle"
        # Text sits on its baseline: nudge labels below the centre down, those above it up a little.
        label = Point(label.x, label.y + (14 if dy > 0.3 else -2 if dy < -0.3 else 6))
        target = at(index, radius(item.target_level)) if item.target_level is not None else None
        estimate = at(index, radius(item.estimate.level)) if item.estimate is not None else None
        spokes.append(
            WheelSpoke(item=item, end=end, label=label, anchor=anchor, target=target, estimate=estimate)
        )
    has_target = any(s.target is not None for s in spokes)
    has_estimate = any(s.estimate is not None for s in spokes)
    return Wheel(
        size=WHEEL_SIZE,
        center=center,
        rings=rings,
        spokes=spokes,
        # A competence without a target or a measurement sits at the centre of its polygon.
        target_points=" ".join(str(s.target or center) for s in spokes) if has_target else "",
        estimate_points=" ".join(str(s.estimate or center) for s in spokes) if has_estimate else "",
        levels=levels,
    )
