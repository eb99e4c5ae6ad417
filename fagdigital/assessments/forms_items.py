"""The item editor's form: HR writes a knowledge-test item in Danish and English.

The rules an item must meet live in `services.item_input_errors`, shared with the bundled bank; this
form only reads the fields and puts each problem at its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ItemKind
from .services.item_bank import (
    DIFFICULTIES,
    MAX_LENGTH,
    MAX_OPTIONS,
    MIN_OPTIONS,
    ItemInput,
    OptionInput,
    item_input_errors,
    too_few_options_message,
)

OPTIONS_FIELD = "options"


def _text(
    label: Any, *, kind: str, rows: int = 3, help_text: Any = "", required_message: Any = None
) -> forms.CharField:
    # The length is checked by the shared rules (with the count in the message), not by maxlength.
    return forms.CharField(
        label=label,
        required=required_message is not None,
        error_messages={"required": required_message} if required_message is not None else None,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-input"}),
        help_text=help_text,
        max_length=MAX_LENGTH[kind] * 4,
    )


class TestItemForm(forms.Form):
    __test__ = False  # not a pytest test class

    competence_code = forms.ChoiceField(
        label=_("Kompetence"),
        error_messages={
            "required": _("Vælg en kompetence."),
            "invalid_choice": _("Vælg en kompetence fra listen."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Svartype"),
        choices=ItemKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg, om spørgsmålet har ét eller flere rigtige svar."),
            "invalid_choice": _("Vælg, om spørgsmålet har ét eller flere rigtige svar."),
        },
    )
    difficulty = forms.TypedChoiceField(
        label=_("Sværhedsgrad"),
        choices=[(str(d), str(d)) for d in DIFFICULTIES],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "1 er let, 3 er svær. Testen trækker spørgsmål af forskellig sværhedsgrad i hver kompetence."
        ),
        error_messages={
            "required": _("Vælg sværhedsgrad 1, 2 eller 3."),
            "invalid_choice": _("Vælg sværhedsgrad 1, 2 eller 3."),
        },
    )
    role_codes = forms.MultipleChoiceField(
        label=_("Passer til rolleprofiler"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Vælg de rolleprofiler, hvis arbejde situationen beskriver. Vælger du ingen, kan alle få "
            "spørgsmålet, så skriv det da, så det passer til alle roller."
        ),
        error_messages={"invalid_choice": _("Vælg rolleprofiler fra listen.")},
    )
    scenario_da = _text(_("Situation (dansk)"), kind="scenario", rows=4, help_text=_("Kan stå tom."))
    scenario_en = _text(_("Situation (engelsk)"), kind="scenario", rows=4)
    question_da = _text(
        _("Spørgsmål (dansk)"), kind="question", rows=2, required_message=_("Skriv spørgsmålet på dansk.")
    )
    question_en = _text(_("Spørgsmål (engelsk)"), kind="question", rows=2)
    explanation_da = _text(
        _("Forklaring (dansk)"),
        kind="explanation",
        rows=4,
        help_text=_(
            "Vises sammen med det rigtige svar, når testen er indsendt. Henvis til reglen, hvor der er en."
        ),
        required_message=_(
            "Skriv en forklaring på dansk. Den vises sammen med det rigtige svar, når testen er indsendt."
        ),
    )
    explanation_en = _text(_("Forklaring (engelsk)"), kind="explanation", rows=4)

    def __init__(
        self,
        *args: Any,
        competences: list[tuple[str, str]],
        roles: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competence_codes = [code for code, _label in competences]
        self.role_codes_known = [code for code, _label in roles]
        competence_field = self.fields["competence_code"]
        role_field = self.fields["role_codes"]
        assert isinstance(competence_field, forms.ChoiceField) and isinstance(role_field, forms.ChoiceField)
        competence_field.choices = [("", _("Vælg kompetence")), *competences]
        role_field.choices = roles
        for number in range(1, MAX_OPTIONS + 1):
            # The first MIN_OPTIONS are needed; their label then says nothing about being optional.
            self.fields[f"option_{number}_da"] = forms.CharField(
                label=_("Svarmulighed %(n)s (dansk)") % {"n": number},
                required=number <= MIN_OPTIONS,
                error_messages={
                    "required": _("Skriv svarmulighed %(n)s på dansk. Et spørgsmål har mindst %(min)s.")
                    % {"n": number, "min": MIN_OPTIONS}
                },
                max_length=MAX_LENGTH["option"] * 4,
            )
            self.fields[f"option_{number}_en"] = forms.CharField(
                label=_("Svarmulighed %(n)s (engelsk)") % {"n": number},
                required=False,
                max_length=MAX_LENGTH["option"] * 4,
            )
            self.fields[f"option_{number}_correct"] = forms.BooleanField(
                label=_("Svarmulighed %(n)s er rigtig") % {"n": number}, required=False
            )
        self.item_input: ItemInput | None = None

    def option_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": n,
                "da": self[f"option_{n}_da"],
                "en": self[f"option_{n}_en"],
                "correct": self[f"option_{n}_correct"],
            }
            for n in range(1, MAX_OPTIONS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        """Check the item with the shared rules too, so every problem shows at once; a field that has a
        problem already (e.g. left empty) gets no second message about the same."""
        data = super().clean() or {}
        item = ItemInput(
            competence_code=data.get("competence_code", ""),
            kind=data.get("kind", ""),
            difficulty=data.get("difficulty") or 0,
            role_codes=tuple(data.get("role_codes") or ()),
            scenario_da=data.get("scenario_da", ""),
            scenario_en=data.get("scenario_en", ""),
            question_da=data.get("question_da", ""),
            question_en=data.get("question_en", ""),
            explanation_da=data.get("explanation_da", ""),
            explanation_en=data.get("explanation_en", ""),
            options=tuple(
                OptionInput(
                    text_da=data.get(f"option_{n}_da", ""),
                    text_en=data.get(f"option_{n}_en", ""),
                    correct=bool(data.get(f"option_{n}_correct")),
                )
                for n in range(1, MAX_OPTIONS + 1)
            ),
        )
        errors = item_input_errors(
            item, competence_codes=self.competence_codes, role_codes=self.role_codes_known
        )
        already = set(self.errors)
        if already & {f"option_{n}_da" for n in range(1, MIN_OPTIONS + 1)}:
            # The empty option fields say it already.
            remaining = [m for m in errors.get(OPTIONS_FIELD, []) if m != too_few_options_message()]
            if remaining:
                errors[OPTIONS_FIELD] = remaining
            else:
                errors.pop(OPTIONS_FIELD, None)
        self.add_problems({name: messages for name, messages in errors.items() if name not in already})
        if not errors and not already:
            self.item_input = item
        return data

    def add_problems(self, errors: dict[str, list[str]]) -> None:
        """Put the shared rules' messages at their fields; those about the options as a whole are the
        form's own errors, shown at the options."""
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    @property
    def options_errors(self) -> list[str]:
        return [str(message) for message in self.non_field_errors()]

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary at the top, in the order of the page."""
        summary = [
            (str(self[name].auto_id), str(message))
            for name in self.fields
            for message in self.errors.get(name, [])
        ]
        summary += [(OPTIONS_FIELD, message) for message in self.options_errors]
        return summary


def initial_for(item: ItemInput) -> dict[str, Any]:
    """The form's initial values for an item."""
    values: dict[str, Any] = {
        "competence_code": item.competence_code,
        "kind": item.kind,
        "difficulty": str(item.difficulty),
        "role_codes": list(item.role_codes),
        "scenario_da": item.scenario_da,
        "scenario_en": item.scenario_en,
        "question_da": item.question_da,
        "question_en": item.question_en,
        "explanation_da": item.explanation_da,
        "explanation_en": item.explanation_en,
    }
    for number, option in enumerate(item.options, start=1):
        values[f"option_{number}_da"] = option.text_da
        values[f"option_{number}_en"] = option.text_en
        values[f"option_{number}_correct"] = option.correct
    return values
