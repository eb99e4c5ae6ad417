"""Reads for HR's item bank: the organisation's items, one item for the editor, its preview, and how many
items each role has per competence (the basis a test level rests on)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import Http404
from django.utils import translation

from fagdigital.assessments.evidence_rule import MIN_ITEMS_FOR_TEST_LEVEL
from fagdigital.assessments.models import ItemKind, TestItem, TestQuestion
from fagdigital.assessments.services.item_bank import ItemInput
from fagdigital.frameworks.models import Competence, Framework, RoleProfile, RoleTarget
from fagdigital.frameworks.selectors import published_framework
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

from .knowledge_test import ResultOption, SheetOption, SheetQuestion


def bank_framework(*, actor: Actor) -> Framework | None:
    """The published framework whose item bank HR edits (the bank is per framework key)."""
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        raise Http404
    return published_framework(organisation=actor.organisation)


def get_test_item_for_user(*, actor: Actor, item_id: int) -> TestItem:
    """An item of the actor's organisation, for its competence admins; 404 for anyone else."""
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        raise Http404
    item = TestItem.objects.filter(pk=item_id, organisation=actor.organisation).first()
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class BankRow:
    item: TestItem
    competence: Competence | None
    role_names: tuple[str, ...]
    drawn: bool


@dataclass(frozen=True)
class CoverageRow:
    """How many active items a competence has, and the roles that target it with too few for a level."""

    competence: Competence
    active: int
    neutral: int
    short_roles: tuple[str, ...]


def _role_names(framework: Framework) -> dict[str, str]:
    return {
        p.code: p.t("name")
        for p in RoleProfile.objects.filter(framework=framework).order_by("position", "code")
    }


def bank_rows(
    *, actor: Actor, framework: Framework, competence_code: str = "", include_retired: bool = False
) -> list[BankRow]:
    items = TestItem.objects.filter(organisation=actor.organisation, framework_key=framework.key)
    if competence_code:
        items = items.filter(competence_code=competence_code)
    if not include_retired:
        items = items.filter(active=True)
    competences = {c.code: c for c in Competence.objects.filter(framework=framework).select_related("area")}
    names = _role_names(framework)
    rows = list(items)
    drawn = set(
        TestQuestion.objects.filter(item_id__in=[item.pk for item in rows])
        .order_by()
        .values_list("item_id", flat=True)
        .distinct()
    )
    order = {code: (c.area.position, c.position, code) for code, c in competences.items()}
    rows.sort(
        key=lambda item: (
            order.get(item.competence_code, (99, 99, item.competence_code)),
            item.key,
            -item.revision,
        )
    )
    return [
        BankRow(
            item=item,
            competence=competences.get(item.competence_code),
            role_names=tuple(names.get(code, code) for code in item.role_codes),
            drawn=item.pk in drawn,
        )
        for item in rows
    ]


def bank_coverage(*, actor: Actor, framework: Framework) -> list[CoverageRow]:
    """Per competence: active items, role-neutral ones, and role profiles with fewer than
    MIN_ITEMS_FOR_TEST_LEVEL fitting items (their tests give no level there)."""
    items = list(
        TestItem.objects.filter(organisation=actor.organisation, framework_key=framework.key, active=True)
    )
    by_code: dict[str, list[TestItem]] = defaultdict(list)
    for item in items:
        by_code[item.competence_code].append(item)
    targeting: dict[int, list[str]] = defaultdict(list)
    for competence_id, code in RoleTarget.objects.filter(role_profile__framework=framework).values_list(
        "competence_id", "role_profile__code"
    ):
        targeting[competence_id].append(code)
    names = _role_names(framework)
    rows = []
    for competence in (
        Competence.objects.filter(framework=framework)
        .select_related("area")
        .order_by("area__position", "position", "code")
    ):
        pool = by_code.get(competence.code, [])
        short = tuple(
            names.get(code, code)
            for code in sorted(targeting.get(competence.pk, []))
            if sum(1 for item in pool if item.fits_role(code)) < MIN_ITEMS_FOR_TEST_LEVEL
        )
        rows.append(
            CoverageRow(
                competence=competence,
                active=len(pool),
                neutral=sum(1 for item in pool if not item.role_codes),
                short_roles=short,
            )
        )
    return rows


def role_choices(*, framework: Framework) -> list[tuple[str, str]]:
    return list(_role_names(framework).items())


def competence_choices(*, framework: Framework) -> list[tuple[str, str]]:
    return [
        (c.code, f"{c.code} {c.t('name')}")
        for c in Competence.objects.filter(framework=framework)
        .select_related("area")
        .order_by("area__position", "position", "code")
    ]


# --- The preview: the item as the employee sees it, in one language ------------------------------


@dataclass(frozen=True)
class ItemPreview:
    language: str
    question: SheetQuestion
    correct: tuple[ResultOption, ...]
    explanation: str


def _pick(da: str, en: str, language: str) -> str:
    return en if language == "en" and en else da


def item_previews(data: ItemInput) -> list[ItemPreview]:
    """The item as the employee sees it while answering and after submitting, in Danish and (when it
    has English texts) in English. Options in the written order (the test shuffles them)."""
    languages = ["da"] + (["en"] if data.question_en.strip() else [])
    previews = []
    for index, language in enumerate(languages, start=1):
        with translation.override(language):
            options = [
                (o, _pick(o.text_da.strip(), o.text_en.strip(), language))
                for o in data.options
                if o.text_da.strip()
            ]
            keys = "abcdef"
            question = SheetQuestion(
                pk=9000 + index,  # ids on the page: one preview per language, none a real question
                number=1,
                multiple=data.kind == ItemKind.MULTIPLE,
                scenario=_pick(data.scenario_da.strip(), data.scenario_en.strip(), language),
                question=_pick(data.question_da.strip(), data.question_en.strip(), language),
                options=tuple(SheetOption(key=keys[i], text=text) for i, (_o, text) in enumerate(options)),
                selected=frozenset(),
            )
            hint = question.hint
        previews.append(
            ItemPreview(
                language=language,
                question=_with_hint(question, hint),
                correct=tuple(
                    ResultOption(key=keys[i], text=text, chosen=False, correct=True)
                    for i, (o, text) in enumerate(options)
                    if o.correct
                ),
                explanation=_pick(data.explanation_da.strip(), data.explanation_en.strip(), language),
            )
        )
    return previews


@dataclass(frozen=True)
class _HintedQuestion(SheetQuestion):
    """A sheet question whose hint was translated in the preview's language, not the page's."""

    fixed_hint: str = ""

    @property
    def hint(self) -> str:
        return self.fixed_hint


def _with_hint(question: SheetQuestion, hint: str) -> SheetQuestion:
    return _HintedQuestion(
        pk=question.pk,
        number=question.number,
        multiple=question.multiple,
        scenario=question.scenario,
        question=question.question,
        options=question.options,
        selected=question.selected,
        fixed_hint=hint,
    )


def item_drawn(item: TestItem) -> bool:
    return TestQuestion.objects.filter(item=item).exists()


def revisions(item: TestItem) -> Iterable[TestItem]:
    return TestItem.objects.filter(
        organisation_id=item.organisation_id, framework_key=item.framework_key, key=item.key
    ).order_by("-revision")
