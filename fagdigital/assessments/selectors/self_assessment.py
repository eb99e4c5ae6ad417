"""The questionnaire of the self- and leader assessment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from fagdigital.assessments.models import Answer, Campaign, Response
from fagdigital.frameworks.models import Area, Competence, Framework, LevelDescriptor

# --- Questionnaires ------------------------------------------------------------------------------


@dataclass
class QuestionnaireItem:
    competence: Competence
    descriptors: list[LevelDescriptor]
    answer: Answer | None
    target_level: int | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def chosen(self) -> str:
        if self.answer is None:
            return ""
        return "dont_know" if self.answer.level is None else str(self.answer.level)


@dataclass
class QuestionnaireArea:
    area: Area
    items: list[QuestionnaireItem]

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.answered)


@dataclass
class Questionnaire:
    campaign: Campaign
    response: Response
    areas: list[QuestionnaireArea]

    @property
    def total(self) -> int:
        return sum(len(area.items) for area in self.areas)

    @property
    def answered(self) -> int:
        return sum(area.answered for area in self.areas)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    def area_by_id(self, area_id: int) -> QuestionnaireArea | None:
        return next((a for a in self.areas if a.area.pk == area_id), None)


def questionnaire_competences(*, campaign: Campaign, role_profile_code: str) -> list[Competence]:
    """The competences a person answers: their role profile's targets, or the whole framework without one."""
    return framework_competences(framework=campaign.framework, role_profile_code=role_profile_code)


def framework_competences(*, framework: Framework, role_profile_code: str) -> list[Competence]:
    """A role profile's targeted competences in a framework (all of them for no or an unknown profile)."""
    competences = Competence.objects.filter(framework=framework, parent__isnull=True).select_related("area")
    if role_profile_code:
        targeted = competences.filter(
            targets__role_profile__code=role_profile_code, targets__role_profile__framework=framework
        )
        if targeted.exists():
            competences = targeted
    return list(competences.order_by("area__position", "area__code", "position", "code"))


@lru_cache(maxsize=512)
def _competence_ids(framework_id: int, published_at: str, role_profile_code: str) -> frozenset[int]:
    # Safe to keep: campaigns use published framework versions, which never change (keyed on the
    # publication time too, so a reused id in another database cannot hit a stale entry).
    framework = Framework.objects.get(pk=framework_id)
    competences = framework_competences(framework=framework, role_profile_code=role_profile_code)
    return frozenset(c.pk for c in competences)


def answer_progress(*, response: Response, role_profile_code: str) -> tuple[int, int]:
    """(answered, total) of a questionnaire in one small query: what the autosave status line shows."""
    framework = response.campaign.framework
    ids = _competence_ids(framework.pk, str(framework.published_at), role_profile_code)
    answered = Answer.objects.filter(response=response, competence_id__in=ids).count()
    return answered, len(ids)


def questionnaire(*, response: Response, role_profile_code: str) -> Questionnaire:
    """Everything the self- or leader-assessment pages show, in four queries."""
    campaign = response.campaign
    competences = questionnaire_competences(campaign=campaign, role_profile_code=role_profile_code)
    descriptors: dict[int, list[LevelDescriptor]] = defaultdict(list)
    for descriptor in LevelDescriptor.objects.filter(competence__in=competences).order_by("level"):
        descriptors[descriptor.competence_id].append(descriptor)
    # A response only looked at (not yet saved) has no answers.
    answers = {a.competence_id: a for a in Answer.objects.filter(response=response)} if response.pk else {}
    areas: dict[int, QuestionnaireArea] = {}
    for competence in competences:
        area = areas.setdefault(competence.area_id, QuestionnaireArea(area=competence.area, items=[]))
        area.items.append(
            QuestionnaireItem(
                competence=competence,
                descriptors=descriptors[competence.pk],
                answer=answers.get(competence.pk),
            )
        )
    return Questionnaire(campaign=campaign, response=response, areas=list(areas.values()))
