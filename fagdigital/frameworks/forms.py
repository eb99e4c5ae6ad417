"""Forms of the framework editor. Danish and English texts sit side by side as `<field>_da` / `<field>_en`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from fagdigital.orgs.models import JOB_CODE_MAX, clean_job_code

from .digcomp import DIGCOMP_NAMES
from .kl_wheel import kl_wheel_choices
from .models import LEVEL_COUNT, Area, Competence, CompetenceKind, Criticality, Framework, RoleProfile
from .selectors import JobCodeRow, JobFunctionRow, LevelRow

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Koden må kun indeholde bogstaver (a-z), tal, punktum, bindestreg og understregning, fx DS9."),
)
slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$",
    _("Koden må kun indeholde små bogstaver (a-z), tal og bindestreg, fx sosu-hjaelper."),
)


def name_fields(max_length: int) -> tuple[forms.CharField, forms.CharField, forms.CharField, forms.CharField]:
    """Danish and English name and description."""
    return (
        forms.CharField(
            label=_("Navn (dansk)"),
            max_length=max_length,
            error_messages={"required": _("Skriv navnet på dansk.")},
        ),
        forms.CharField(label=_("Navn (engelsk)"), max_length=max_length, required=False),
        forms.CharField(
            label=_("Beskrivelse (dansk)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
        ),
        forms.CharField(
            label=_("Beskrivelse (engelsk)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
        ),
    )


def code_field(max_length: int, *, slug: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Kode"),
        max_length=max_length,
        validators=[slug_validator if slug else code_validator],
        help_text=_("Kan ikke ændres bagefter: koden binder versionerne sammen."),
        error_messages={"required": _("Skriv en kode.")},
    )


class BilingualForm(forms.Form):
    """A form whose texts come in Danish/English pairs; English inputs are marked lang="en"."""

    pairs: ClassVar[tuple[str, ...]] = ("name", "description")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.endswith("_en"):
                field.widget.attrs["lang"] = "en"

    def bilingual_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{base}_da"], self[f"{base}_en"]) for base in self.pairs]

    def single_fields(self) -> list[forms.BoundField]:
        """Fields that are not part of a language pair (code, type, ...)."""
        paired = {f"{base}_{language}" for base in self.pairs for language in ("da", "en")}
        return [self[name] for name in self.fields if name not in paired and not name.startswith("level_")]

    @staticmethod
    def texts_of(item: Framework | Area | Competence | RoleProfile) -> dict[str, Any]:
        return {
            "name_da": item.name_da,
            "name_en": item.name_en,
            "description_da": item.description_da,
            "description_en": item.description_en,
        }


class FrameworkForm(BilingualForm):
    name_da, name_en, description_da, description_en = name_fields(200)


class _CodedForm(BilingualForm):
    """A form with a code that must be unique in the framework version; the code is only asked on creation."""

    code_max_length: ClassVar[int] = 50
    code_is_slug: ClassVar[bool] = False

    def __init__(self, *args: Any, existing_codes: set[str], creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing_codes = existing_codes
        if creating:
            self.fields = {"code": code_field(self.code_max_length, slug=self.code_is_slug), **self.fields}

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if code in self.existing_codes:
            raise forms.ValidationError(
                _("Koden »%(code)s« bruges allerede i denne version. Vælg en anden kode."),
                params={"code": code},
            )
        return code


class AreaForm(_CodedForm):
    name_da, name_en, description_da, description_en = name_fields(200)


class RoleProfileForm(_CodedForm):
    code_max_length = 100
    code_is_slug = True
    name_da, name_en, description_da, description_en = name_fields(200)
    job_function_names = forms.CharField(
        label=_("Typiske stillingsbetegnelser"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Én pr. linje. Bruges til at foreslå, hvilke stillingsbetegnelser der hører til profilen."
        ),
    )

    def clean_job_function_names(self) -> list[str]:
        return [
            line.strip() for line in str(self.cleaned_data["job_function_names"]).splitlines() if line.strip()
        ]

    @classmethod
    def initial_for(cls, role_profile: RoleProfile) -> dict[str, Any]:
        return {
            **cls.texts_of(role_profile),
            "job_function_names": "\n".join(role_profile.job_function_names),
        }


class CompetenceForm(_CodedForm):
    """A competence with its four level descriptors, Danish and English side by side."""

    code_max_length = 100
    name_da, name_en, description_da, description_en = name_fields(300)
    kind = forms.ChoiceField(label=_("Type"), choices=CompetenceKind.choices)
    digcomp = forms.CharField(
        label=_("DigComp 2.2-referencer"),
        required=False,
        max_length=200,
        help_text=_(
            "Numrene på de DigComp-kompetencer, kompetencen bygger på, adskilt af komma, fx 4.1, 4.2."
        ),
    )
    kl_wheel = forms.MultipleChoiceField(
        label=_("KL's kompetencehjul"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De dimensioner eller dele af KL's digitale kompetencehjul, kompetencen svarer til."),
    )
    it_system_categories = forms.MultipleChoiceField(
        label=_("It-systemer, kompetencen handler om"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        levels: list[LevelRow],
        it_system_choices: list[tuple[str, str]],
        previous_descriptors: dict[int, tuple[str, str]] | None = None,
        previous_version: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        self.previous_descriptors = previous_descriptors
        self.previous_version = previous_version
        self.fields["it_system_categories"].choices = it_system_choices  # type: ignore[attr-defined]
        self.fields["kl_wheel"].choices = kl_wheel_choices()  # type: ignore[attr-defined]
        if previous_descriptors is not None:
            # Only a competence that the version before also has can change materially.
            self.fields["material_change"] = forms.BooleanField(
                label=_("Væsentlig ændring af niveaubeskrivelserne"),
                required=False,
                help_text=_(
                    "Sæt kryds, hvis en ændret niveaubeskrivelse betyder, at niveauet ikke længere er det "
                    "samme som i version %(version)s. Så føres medarbejdernes nuværende niveau i kompetencen "
                    "ikke over til den nye version, og de skal vurderes igen."
                )
                % {"version": previous_version},
            )
        for level in levels:
            self.fields[f"level_{level.number}_da"] = forms.CharField(
                label=_("Niveau %(number)s på dansk") % {"number": level.number},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields[f"level_{level.number}_en"] = forms.CharField(
                label=_("Niveau %(number)s på engelsk") % {"number": level.number},
                widget=forms.Textarea(attrs={"rows": 3, "lang": "en"}),
                required=False,
            )

    def clean_digcomp(self) -> list[str]:
        codes = [code for code in re.split(r"[\s,;]+", str(self.cleaned_data["digcomp"])) if code]
        unknown = [code for code in codes if code not in DIGCOMP_NAMES]
        if unknown:
            raise forms.ValidationError(
                _(
                    "%(codes)s findes ikke i DigComp 2.2. Brug kompetencernes numre fra 1.1 til 5.4, "
                    "adskilt af komma, fx 4.1, 4.2."
                ),
                params={"codes": ", ".join(unknown)},
            )
        return list(dict.fromkeys(codes))

    def single_fields(self) -> list[forms.BoundField]:
        return [field for field in super().single_fields() if field.name != "material_change"]

    def material_change_field(self) -> forms.BoundField | None:
        return self["material_change"] if "material_change" in self.fields else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("material_change") and not self.errors:
            submitted = {
                level: (da.strip(), en.strip())
                for level, (da, en) in self.descriptor_texts().items()
                if da.strip() or en.strip()
            }
            if submitted == self.previous_descriptors:
                self.add_error(
                    "material_change",
                    _(
                        "Ingen niveaubeskrivelse er ændret i forhold til version %(version)s, så ændringen "
                        "kan ikke være væsentlig. Ret en beskrivelse, eller fjern krydset."
                    )
                    % {"version": self.previous_version},
                )
        return cleaned

    def descriptor_pairs(self) -> list[tuple[LevelRow, forms.BoundField, forms.BoundField]]:
        return [
            (level, self[f"level_{level.number}_da"], self[f"level_{level.number}_en"])
            for level in self.levels
        ]

    def descriptor_texts(self) -> dict[int, tuple[str, str]]:
        return {
            level.number: (
                str(self.cleaned_data[f"level_{level.number}_da"]),
                str(self.cleaned_data[f"level_{level.number}_en"]),
            )
            for level in self.levels
            if 1 <= level.number <= LEVEL_COUNT
        }

    @classmethod
    def initial_for(cls, competence: Competence, levels: list[LevelRow]) -> dict[str, Any]:
        initial = {
            **cls.texts_of(competence),
            "kind": competence.kind,
            "digcomp": ", ".join(competence.digcomp),
            "kl_wheel": list(competence.kl_wheel),
            "it_system_categories": list(competence.it_system_categories),
            "material_change": competence.material_change,
        }
        for level in levels:
            initial[f"level_{level.number}_da"] = level.text_da
            initial[f"level_{level.number}_en"] = level.text_en
        return initial


LEVEL_CHOICES = [
    ("", "\u2013"),
    *[(str(n), str(n)) for n in range(1, LEVEL_COUNT + 1)],
]  # an en dash: no target


class TargetCellForm(forms.Form):
    """One cell of the target grid: a target level (or none) and how much it matters."""

    level = forms.TypedChoiceField(
        label=_("Målniveau"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Vælg et niveau fra 1 til 4 eller intet mål.")},
    )
    criticality = forms.ChoiceField(
        label=_("Betydning"),
        choices=Criticality.choices,
        required=False,
        error_messages={"invalid_choice": _("Vælg kritisk, vigtig eller nyttig.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("level") is not None and not cleaned.get("criticality"):
            self.add_error(
                "criticality", _("Vælg, hvor vigtigt målniveauet er: kritisk, vigtig eller nyttig.")
            )
        return cleaned


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Op")), ("down", _("Ned"))])


class CompareForm(forms.Form):
    mod = forms.TypedChoiceField(
        label=_("Sammenlign med"),
        coerce=int,
        error_messages={"invalid_choice": _("Vælg en af organisationens versioner på listen.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mod"].choices = choices  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MappingEntry:
    row: JobFunctionRow
    field: forms.BoundField
    mapped_name: str
    suggested_name: str

    @property
    def is_suggestion(self) -> bool:
        """Unmapped, and the select is pre-filled with a suggestion by name."""
        return self.row.mapped_code is None and self.row.suggested_code is not None


class JobFunctionMappingForm(forms.Form):
    """One role profile select per job function, pre-selected with the mapping or else the suggestion."""

    def __init__(
        self, *args: Any, rows: list[JobFunctionRow], role_profiles: list[RoleProfile], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.role_names = {role.code: role.t("name") for role in role_profiles}
        known = set(self.role_names)
        base_choices = [("", _("Ikke knyttet")), *[(role.code, role.t("name")) for role in role_profiles]]
        self.rows = rows
        for row in rows:
            choices = list(base_choices)
            if row.mapped_code and row.mapped_code not in known:
                label = _("%(code)s (findes ikke i denne version)") % {"code": row.mapped_code}
                choices.append((row.mapped_code, label))
            suggested = row.mapped_code is None and row.suggested_code is not None
            self.fields[self.field_name(row)] = forms.ChoiceField(
                label=_("Rolleprofil for %(name)s") % {"name": row.job_function.name},
                choices=choices,
                required=False,
                initial=row.mapped_code or row.suggested_code or "",
                error_messages={"invalid_choice": _("Vælg en af rammens rolleprofiler på listen.")},
                widget=forms.Select(
                    attrs={"aria-describedby": f"suggestion-{row.job_function.pk}"} if suggested else {}
                ),
            )

    def entries(self) -> list[MappingEntry]:
        return [
            MappingEntry(
                row=row,
                field=self[self.field_name(row)],
                mapped_name=self.role_names.get(row.mapped_code or "", row.mapped_code or ""),
                suggested_name=self.role_names.get(row.suggested_code or "", ""),
            )
            for row in self.rows
        ]

    @staticmethod
    def field_name(row: JobFunctionRow) -> str:
        return f"jf-{row.job_function.pk}"

    def changed_mappings(self) -> dict[int, str | None]:
        """The submitted mappings that differ from what is saved; fields missing from the POST are skipped."""
        changes: dict[int, str | None] = {}
        for row in self.rows:
            name = self.field_name(row)
            if name not in self.data:
                continue
            value = self.cleaned_data.get(name) or None
            if value != row.mapped_code:
                changes[row.job_function.pk] = value
        return changes


@dataclass(frozen=True)
class JobCodeEntry:
    row: JobCodeRow
    field: forms.BoundField
    mapped_name: str


class JobCodeTableForm(forms.Form):
    """The organisation's job code table: one role profile select per job code, and one new code."""

    new_code = forms.CharField(
        label=_("Ny stillingskode"),
        required=False,
        max_length=JOB_CODE_MAX,
        help_text=_("Koden, som den står i løn- eller personalesystemet."),
        error_messages={"max_length": _("En stillingskode må højst være %(limit_value)d tegn.")},
    )
    new_role = forms.ChoiceField(label=_("Rolleprofil for den nye kode"), required=False)

    def __init__(
        self, *args: Any, rows: list[JobCodeRow], role_profiles: list[RoleProfile], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.role_names = {role.code: role.t("name") for role in role_profiles}
        roles = [(role.code, role.t("name")) for role in role_profiles]
        base_choices = [("", _("Ingen rolleprofil")), *roles]
        self.rows = rows
        invalid = {"invalid_choice": _("Vælg en af rammens rolleprofiler på listen.")}
        for row in rows:
            choices = list(base_choices)
            if row.role_profile_code and row.role_profile_code not in self.role_names:
                label = _("%(code)s (findes ikke i denne version)") % {"code": row.role_profile_code}
                choices.append((row.role_profile_code, label))
            self.fields[self.field_name(row)] = forms.ChoiceField(
                label=_("Rolleprofil for stillingskode %(code)s") % {"code": row.job_code},
                choices=choices,
                required=False,
                initial=row.role_profile_code or "",
                error_messages=invalid,
            )
        new_role: Any = self.fields["new_role"]
        new_role.choices = base_choices
        new_role.error_messages = invalid

    @staticmethod
    def field_name(row: JobCodeRow) -> str:
        return f"jc-{row.job_code}"

    def entries(self) -> list[JobCodeEntry]:
        return [
            JobCodeEntry(
                row=row,
                field=self[self.field_name(row)],
                mapped_name=self.role_names.get(row.role_profile_code or "", row.role_profile_code or ""),
            )
            for row in self.rows
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = clean_job_code(str(cleaned.get("new_code") or ""))
        cleaned["new_code"] = code
        if code and not cleaned.get("new_role"):
            self.add_error("new_role", _("Vælg den rolleprofil, som stillingskoden skal følge."))
        if cleaned.get("new_role") and not code:
            self.add_error("new_code", _("Skriv stillingskoden, eller vælg »Ingen rolleprofil«."))
        if code and any(row.job_code == code for row in self.rows):
            self.add_error(
                "new_code",
                _("Stillingskoden %(code)s står allerede i tabellen. Vælg dens rolleprofil dér.")
                % {"code": code},
            )
        return cleaned

    def changed_mappings(self) -> dict[str, str | None]:
        """Codes whose role profile differs from the table, and the new code; missing fields are skipped."""
        changes: dict[str, str | None] = {}
        for row in self.rows:
            name = self.field_name(row)
            if name not in self.data:
                continue
            value = self.cleaned_data.get(name) or None
            if value != row.role_profile_code:
                changes[row.job_code] = value
        if self.cleaned_data.get("new_code"):
            changes[self.cleaned_data["new_code"]] = self.cleaned_data["new_role"]
        return changes
