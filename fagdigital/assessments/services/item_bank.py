"""The knowledge test's item bank: the bundled items and the organisation's own.

The bundled bank (`data/security_item_bank.json`) is installed and kept up to date per organisation by
`item_bank_install`; HR writes, changes and retires items with `test_item_save`, `test_item_retire` and
`test_item_restore`. Both check items with the same rules (`item_input_errors`).

An item that has been drawn in somebody's test is never changed in place: a change becomes a new
revision of the same key and the old revision is retired, so result pages keep showing what was asked.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.assessments.models import ItemKind, ItemOrigin, TestItem, TestQuestion
from fagdigital.tenancy.models import Organisation

ITEM_BANK_PATH = Path(__file__).parent.parent / "data" / "security_item_bank.json"

MIN_OPTIONS = 3
MAX_OPTIONS = 6
DIFFICULTIES = (1, 2, 3)
# Longest texts an item may have (characters): long enough for a scenario, short enough to read on a phone.
MAX_LENGTH = {"scenario": 1200, "question": 400, "explanation": 1500, "option": 300}
OPTION_KEYS = "abcdef"


@dataclass(frozen=True)
class OptionInput:
    text_da: str
    text_en: str = ""
    correct: bool = False


@dataclass(frozen=True)
class ItemInput:
    """An item as HR writes it (or as the bundled bank holds it), before it is checked."""

    competence_code: str
    kind: str
    difficulty: int
    question_da: str
    explanation_da: str
    options: tuple[OptionInput, ...]
    role_codes: tuple[str, ...] = ()
    scenario_da: str = ""
    scenario_en: str = ""
    question_en: str = ""
    explanation_en: str = ""

    @classmethod
    def from_item(cls, item: TestItem) -> ItemInput:
        return cls(
            competence_code=item.competence_code,
            kind=item.kind,
            difficulty=item.difficulty,
            role_codes=tuple(item.role_codes),
            scenario_da=item.scenario_da,
            scenario_en=item.scenario_en,
            question_da=item.question_da,
            question_en=item.question_en,
            explanation_da=item.explanation_da,
            explanation_en=item.explanation_en,
            options=tuple(
                OptionInput(
                    text_da=str(o.get("da", "")), text_en=str(o.get("en", "")), correct=bool(o["correct"])
                )
                for o in item.options
            ),
        )

    def stored_options(self) -> list[dict[str, Any]]:
        """The options as TestItem.options holds them: keys a, b, c … in the order written."""
        written = [o for o in self.options if o.text_da.strip() or o.text_en.strip()]
        return [
            {"key": OPTION_KEYS[i], "da": o.text_da.strip(), "en": o.text_en.strip(), "correct": o.correct}
            for i, o in enumerate(written)
        ]

    def fields(self) -> dict[str, Any]:
        return {
            "competence_code": self.competence_code,
            "kind": self.kind,
            "difficulty": self.difficulty,
            "role_codes": sorted(set(self.role_codes)),
            "scenario_da": self.scenario_da.strip(),
            "scenario_en": self.scenario_en.strip(),
            "question_da": self.question_da.strip(),
            "question_en": self.question_en.strip(),
            "explanation_da": self.explanation_da.strip(),
            "explanation_en": self.explanation_en.strip(),
            "options": self.stored_options(),
        }


def _too_long(text: str, kind: str) -> str:
    limit = MAX_LENGTH[kind]
    if len(text.strip()) <= limit:
        return ""
    return _("Højst %(limit)s tegn. Teksten har %(count)s.") % {"limit": limit, "count": len(text.strip())}


def _text_errors(data: ItemInput, errors: dict[str, list[str]]) -> None:
    if not data.question_da.strip():
        errors["question_da"].append(_("Skriv spørgsmålet på dansk."))
    if data.scenario_en.strip() and not data.scenario_da.strip():
        errors["scenario_da"].append(_("Skriv situationen på dansk, eller lad den engelske stå tom."))
    if not data.explanation_da.strip():
        errors["explanation_da"].append(
            _("Skriv en forklaring på dansk. Den vises sammen med det rigtige svar, når testen er indsendt.")
        )
    for name, kind in (
        ("scenario_da", "scenario"),
        ("scenario_en", "scenario"),
        ("question_da", "question"),
        ("question_en", "question"),
        ("explanation_da", "explanation"),
        ("explanation_en", "explanation"),
    ):
        message = _too_long(getattr(data, name), kind)
        if message:
            errors[name].append(message)


def too_few_options_message() -> str:
    return _("Skriv mindst %(n)s svarmuligheder på dansk.") % {"n": MIN_OPTIONS}


def _option_errors(data: ItemInput, errors: dict[str, list[str]]) -> None:
    seen: dict[str, int] = {}
    for number, option in enumerate(data.options, start=1):
        da, en = option.text_da.strip(), option.text_en.strip()
        name = f"option_{number}_da"
        if not da and (en or option.correct):
            errors[name].append(_("Svarmulighed %(n)s mangler en dansk tekst.") % {"n": number})
        for text, field_name in ((da, name), (en, f"option_{number}_en")):
            message = _too_long(text, "option")
            if message:
                errors[field_name].append(message)
        if da:
            earlier = seen.setdefault(da.casefold(), number)
            if earlier != number:
                errors[name].append(
                    _("Svarmulighed %(n)s er den samme som svarmulighed %(m)s.") % {"n": number, "m": earlier}
                )
    written = [o for o in data.options if o.text_da.strip()]
    if len(written) < MIN_OPTIONS:
        errors["options"].append(too_few_options_message())
    if len(written) > MAX_OPTIONS:
        errors["options"].append(_("Et spørgsmål kan højst have %(n)s svarmuligheder.") % {"n": MAX_OPTIONS})
    right = sum(1 for o in written if o.correct)
    if data.kind == ItemKind.SINGLE and right != 1:
        errors["options"].append(
            _(
                "Et spørgsmål med ét rigtigt svar skal have præcis én rigtig svarmulighed. Der er markeret "
                "%(n)s."
            )
            % {"n": right}
        )
    if data.kind == ItemKind.MULTIPLE and right < 2:
        errors["options"].append(
            _("Et spørgsmål med flere rigtige svar skal have mindst to rigtige svarmuligheder.")
        )
    if written and right == len(written):
        errors["options"].append(_("Mindst én svarmulighed skal være forkert."))


def _english_errors(data: ItemInput, errors: dict[str, list[str]]) -> None:
    """English is optional, but all or nothing: half a translation would show a mixed test in English."""
    written = [o for o in data.options if o.text_da.strip()]
    parts = {
        "question_en": data.question_en,
        "explanation_en": data.explanation_en,
        **{f"option_{n}_en": o.text_en for n, o in enumerate(data.options, start=1) if o.text_da.strip()},
    }
    if data.scenario_da.strip():
        parts["scenario_en"] = data.scenario_en
    if not any(text.strip() for text in parts.values()) or not written:
        return
    for name, text in parts.items():
        if not text.strip():
            errors[name].append(_("Skriv også den engelske tekst, eller lad alle engelske felter stå tomme."))


def item_input_errors(
    data: ItemInput, *, competence_codes: Iterable[str], role_codes: Iterable[str]
) -> dict[str, list[str]]:
    """What is wrong with an item, per field ("options" for the options as a whole); empty when valid."""
    errors: dict[str, list[str]] = defaultdict(list)
    if data.competence_code not in set(competence_codes):
        errors["competence_code"].append(_("Vælg en kompetence fra kompetencerammen."))
    if data.kind not in ItemKind.values:
        errors["kind"].append(_("Vælg, om spørgsmålet har ét eller flere rigtige svar."))
    if data.difficulty not in DIFFICULTIES:
        errors["difficulty"].append(_("Vælg sværhedsgrad 1, 2 eller 3."))
    if set(data.role_codes) - set(role_codes):
        errors["role_codes"].append(_("Vælg rolleprofiler fra kompetencerammen."))
    _text_errors(data, errors)
    _option_errors(data, errors)
    _english_errors(data, errors)
    return dict(errors)


# --- The bundled bank ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundledItem:
    key: str
    revision: int
    data: ItemInput


@dataclass(frozen=True)
class BundledBank:
    framework_key: str
    role_groups: Mapping[str, tuple[str, ...]]
    items: tuple[BundledItem, ...] = field(default=())


def _text(value: Any, language: str) -> str:
    return str(value.get(language, "")) if isinstance(value, dict) else ""


def bundled_bank(path: Path = ITEM_BANK_PATH) -> BundledBank:
    """The bundled bank with role groups expanded to role profile codes ("roles": ["omsorg", "leder"])."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    groups = {name: tuple(codes) for name, codes in raw.get("role_groups", {}).items()}
    items = []
    for item in raw["items"]:
        roles: list[str] = []
        for name in item.get("roles", []):
            roles.extend(groups.get(name, (name,)))
        items.append(
            BundledItem(
                key=item["key"],
                revision=int(item.get("revision", 1)),
                data=ItemInput(
                    competence_code=item["competence"],
                    kind=item["kind"],
                    difficulty=int(item["difficulty"]),
                    role_codes=tuple(sorted(set(roles))),
                    scenario_da=_text(item.get("scenario"), "da"),
                    scenario_en=_text(item.get("scenario"), "en"),
                    question_da=_text(item["question"], "da"),
                    question_en=_text(item["question"], "en"),
                    explanation_da=_text(item["explanation"], "da"),
                    explanation_en=_text(item["explanation"], "en"),
                    options=tuple(
                        OptionInput(
                            text_da=_text(o["text"], "da"),
                            text_en=_text(o["text"], "en"),
                            correct=bool(o["correct"]),
                        )
                        for o in item["options"]
                    ),
                ),
            )
        )
    return BundledBank(framework_key=raw["framework_key"], role_groups=groups, items=tuple(items))


def _drawn(item: TestItem) -> bool:
    return TestQuestion.objects.filter(item=item).exists()


@transaction.atomic
def item_bank_install(*, organisation: Organisation, framework_key: str, path: Path = ITEM_BANK_PATH) -> int:
    """Install the bundled items and bring them up to date; returns how many items were added or changed.

    A bundled item the organisation has taken over (changed or retired in the editor) is left alone. A
    newer revision replaces the organisation's copy in place while nobody has been asked it, else it is
    added as a new revision and the old one retired. Which roles an item fits is updated in place: it
    changes who may be asked the item, not what was asked.
    """
    bank = bundled_bank(path)
    if bank.framework_key != framework_key:
        return 0
    latest: dict[str, TestItem] = {}
    for item in TestItem.objects.filter(organisation=organisation, framework_key=framework_key).order_by(
        "key", "-revision"
    ):
        latest.setdefault(item.key, item)
    changed = 0
    new: list[TestItem] = []
    for bundled in bank.items:
        current = latest.get(bundled.key)
        values = bundled.data.fields()
        if current is None:
            new.append(
                TestItem(
                    organisation=organisation,
                    framework_key=framework_key,
                    key=bundled.key,
                    revision=bundled.revision,
                    origin=ItemOrigin.BUNDLED,
                    **values,
                )
            )
        elif current.origin != ItemOrigin.BUNDLED or not current.active:
            continue
        elif current.revision >= bundled.revision:
            if current.role_codes != values["role_codes"]:
                current.role_codes = values["role_codes"]
                current.save(update_fields=["role_codes", "updated_at"])
                changed += 1
        elif _drawn(current):
            _retire(current)
            new.append(
                TestItem(
                    organisation=organisation,
                    framework_key=framework_key,
                    key=bundled.key,
                    revision=bundled.revision,
                    origin=ItemOrigin.BUNDLED,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(current, name, value)
            current.revision = bundled.revision
            current.save()
            changed += 1
    TestItem.objects.bulk_create(new)
    return changed + len(new)


# --- HR's editor -----------------------------------------------------------------------------------


def _retire(item: TestItem) -> None:
    item.active = False
    item.retired_at = timezone.now()
    item.save(update_fields=["active", "retired_at", "updated_at"])


def _new_key(organisation: Organisation, framework_key: str, competence_code: str) -> str:
    """The next free key of the organisation's own items in a competence: DS1-E01, DS1-E02, …"""
    taken = set(
        TestItem.objects.filter(organisation=organisation, framework_key=framework_key).values_list(
            "key", flat=True
        )
    )
    number = 1
    while f"{competence_code}-E{number:02d}" in taken:
        number += 1
    return f"{competence_code}-E{number:02d}"


@dataclass(frozen=True)
class SavedItem:
    item: TestItem
    # True when the item had been asked, so the change became a new revision and the old one was retired.
    new_revision: bool


@transaction.atomic
def test_item_save(
    *,
    organisation: Organisation,
    framework_key: str,
    item: TestItem | None,
    data: ItemInput,
    competence_codes: Iterable[str],
    role_codes: Iterable[str],
) -> SavedItem:
    """Add an item (item None) or change one. Raises ValidationError with the problems per field."""
    errors = item_input_errors(data, competence_codes=competence_codes, role_codes=role_codes)
    if errors:
        raise ValidationError(errors)
    values = data.fields()
    if item is None:
        created = TestItem.objects.create(
            organisation=organisation,
            framework_key=framework_key,
            key=_new_key(organisation, framework_key, data.competence_code),
            origin=ItemOrigin.ORGANISATION,
            **values,
        )
        return SavedItem(item=created, new_revision=False)
    item = TestItem.objects.select_for_update().get(pk=item.pk, organisation=organisation)
    if not item.active:
        raise ValidationError(_("Spørgsmålet er trukket tilbage. Tag det i brug igen, før du ændrer det."))
    if _drawn(item):
        _retire(item)
        revision = item.revision + 1
        created = TestItem.objects.create(
            organisation=organisation,
            framework_key=framework_key,
            key=item.key,
            revision=revision,
            origin=ItemOrigin.ORGANISATION,
            **values,
        )
        return SavedItem(item=created, new_revision=True)
    for name, value in values.items():
        setattr(item, name, value)
    item.origin = ItemOrigin.ORGANISATION
    item.save()
    return SavedItem(item=item, new_revision=False)


@transaction.atomic
def test_item_retire(*, item: TestItem) -> TestItem:
    """Take an item out of future draws. Tests that already asked it keep it; the organisation owns it
    from now on, so an update of the bundled bank does not bring it back."""
    item = TestItem.objects.select_for_update().get(pk=item.pk)
    if item.active:
        item.origin = ItemOrigin.ORGANISATION
        item.save(update_fields=["origin", "updated_at"])
        _retire(item)
    return item


@transaction.atomic
def test_item_restore(*, item: TestItem) -> TestItem:
    """Put a retired item back into the draws, unless a newer revision of its key is in use."""
    item = TestItem.objects.select_for_update().get(pk=item.pk)
    if item.active:
        return item
    if TestItem.objects.filter(
        organisation_id=item.organisation_id, framework_key=item.framework_key, key=item.key, active=True
    ).exists():
        raise ValidationError(
            _("En nyere udgave af spørgsmålet %(key)s er i brug. Træk den tilbage først.") % {"key": item.key}
        )
    item.active = True
    item.retired_at = None
    item.save(update_fields=["active", "retired_at", "updated_at"])
    return item
