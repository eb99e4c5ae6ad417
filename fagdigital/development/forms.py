"""Forms of the development pages. They parse and check input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fagdigital.frameworks.models import LEVEL_COUNT, Competence

from .formats.catalogue import ActivityRecord, suggest_key
from .models import ActivityFormat, ActivityLanguage, ActivityStatus, Delivery, ImportFormat

LEVEL_CHOICES = [(str(n), str(n)) for n in range(1, LEVEL_COUNT + 1)]
INVALID_DATE = _("Skriv datoen som dag.måned.år, fx 15.09.2026.")


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vælg en dato."), "invalid": INVALID_DATE},
    )


def competence_choices(competences: list[Competence]) -> list[tuple[str, Any]]:
    """Competences grouped by focus area, for a select."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for competence in competences:
        groups.setdefault(competence.area.t("name"), []).append(
            (competence.code, f"{competence.code} {competence.t('name')}")
        )
    return [("", _("Vælg en kompetence")), *groups.items()]


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field: Any = form.fields[name]
    field.choices = choices


class ActivityForm(forms.Form):
    """A catalogue activity: its facts, and a level per competence it develops (one select each)."""

    title_da = forms.CharField(label=_("Titel (dansk)"), max_length=200)
    title_en = forms.CharField(label=_("Titel (engelsk)"), max_length=200, required=False)
    description_da = forms.CharField(
        label=_("Beskrivelse (dansk)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    description_en = forms.CharField(
        label=_("Beskrivelse (engelsk)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    format = forms.ChoiceField(label=_("Form"), choices=ActivityFormat.choices)
    duration_hours = forms.DecimalField(
        label=_("Varighed i timer"),
        min_value=Decimal("0.1"),
        max_value=Decimal(9999),
        decimal_places=1,
        localize=True,
        error_messages={"invalid": _("Skriv et tal, fx 7,5."), "required": _("Skriv varigheden i timer.")},
    )
    ects = forms.DecimalField(
        label=_("ECTS-point"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(120),
        decimal_places=1,
        localize=True,
    )
    cost_dkk = forms.IntegerField(
        label=_("Pris pr. deltager (kr.)"), min_value=0, max_value=10_000_000, initial=0
    )
    language = forms.ChoiceField(label=_("Sprog"), choices=ActivityLanguage.choices, initial="da")
    delivery = forms.ChoiceField(label=_("Sted"), choices=Delivery.choices, widget=forms.RadioSelect)
    place = forms.CharField(label=_("Adresse eller by"), max_length=200, required=False)
    provider_name = forms.CharField(
        label=_("Udbyder"),
        max_length=200,
        required=False,
        help_text=_("Fx SOSU-skolen, et AMU-center eller jer selv."),
    )
    url = forms.URLField(
        label=_("Link til beskrivelsen"), max_length=500, required=False, assume_scheme="https"
    )
    signup_url = forms.URLField(
        label=_("Link til tilmelding"), max_length=500, required=False, assume_scheme="https"
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices, widget=forms.RadioSelect)
    xapi_id = forms.CharField(
        label=_("xAPI-aktivitets-id"),
        max_length=500,
        required=False,
        help_text=_(
            "Det id, jeres læringsplatform melder gennemførelser med. Tomt: fagdigital laver et, som I kan "
            "give platformen."
        ),
    )
    key = forms.SlugField(
        label=_("Nøgle"),
        max_length=100,
        required=False,
        help_text=_("Aktivitetens faste nøgle i filer (import og eksport). Tom: laves af titlen."),
    )

    def __init__(
        self,
        *args: Any,
        competences: list[Competence],
        networks: list[tuple[int, str]],
        network_help: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competences = competences
        for competence in competences:
            self.fields[f"level_{competence.code}"] = forms.ChoiceField(
                label=f"{competence.code} {competence.t('name')}",
                choices=[("", _("Udvikler ikke")), *LEVEL_CHOICES],
                required=False,
            )
        if networks:
            self.fields["networks"] = forms.MultipleChoiceField(
                label=_("Udbydes i netværk"),
                choices=[(str(pk), name) for pk, name in networks],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=network_help,
            )

    def level_fields(self) -> list[forms.BoundField]:
        return [self[f"level_{c.code}"] for c in self.competences]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"level_{c.code}") for c in self.competences):
            self.add_error(
                None, _("Vælg mindst én kompetence, aktiviteten udvikler, og niveauet den udvikler til.")
            )
        return data

    def record(self) -> ActivityRecord:
        data = self.cleaned_data
        return ActivityRecord(
            key=data["key"] or suggest_key(data["title_da"]),
            title_da=data["title_da"].strip(),
            title_en=data["title_en"].strip(),
            description_da=data["description_da"].strip(),
            description_en=data["description_en"].strip(),
            format=data["format"],
            duration_hours=data["duration_hours"],
            ects=data["ects"],
            cost_dkk=data["cost_dkk"] or 0,
            language=data["language"],
            delivery=data["delivery"],
            place=data["place"].strip(),
            provider_name=data["provider_name"].strip(),
            url=data["url"],
            signup_url=data["signup_url"],
            status=data["status"],
            xapi_id=data["xapi_id"].strip(),
            competences=tuple(
                sorted(
                    (c.code, int(data[f"level_{c.code}"]))
                    for c in self.competences
                    if data.get(f"level_{c.code}")
                )
            ),
        )

    def network_ids(self) -> list[int] | None:
        if "networks" not in self.fields:
            return None
        return [int(value) for value in self.cleaned_data.get("networks", [])]


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("CSV (fx gemt fra Excel) eller fagdigitals JSON-format. Højst 2 MB."),
        error_messages={"required": _("Vælg en fil."), "empty": _("Filen er tom.")},
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Ud fra filnavnet")), *ImportFormat.choices],
        required=False,
    )


class PlanCreateForm(forms.Form):
    title = forms.CharField(label=_("Overskrift"), max_length=200, required=False)


class GoalForm(forms.Form):
    competence_code = forms.ChoiceField(label=_("Kompetence"))
    target_level = forms.ChoiceField(
        label=_("Niveau, du sigter mod"), choices=LEVEL_CHOICES, widget=forms.RadioSelect
    )
    deadline = date_field(_("Frist"))
    note = forms.CharField(
        label=_("Hvad vil du gøre, og hvad skal det føre til i dit arbejde?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, competences: list[Competence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "competence_code", competence_choices(competences))

    def clean_deadline(self) -> dt.date:
        deadline: dt.date = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("Fristen kan ikke ligge før i dag."))
        return deadline


class PlanActivityForm(forms.Form):
    activity = forms.ChoiceField(label=_("Aktivitet fra kataloget"), required=False)
    own_title = forms.CharField(
        label=_("Eller jeres egen aktivitet"),
        max_length=200,
        required=False,
        help_text=_("Fx sidemandsoplæring med en kollega eller et møde med superbrugeren."),
    )
    planned_on = date_field(_("Senest"), required=False)

    def __init__(self, *args: Any, activities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "activity",
            [
                ("", _("Ingen – vi skriver vores egen")),  # noqa: RUF001 -- Danish dash
                *[(str(pk), t) for pk, t in activities],
            ],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("activity") and not (data.get("own_title") or "").strip():
            self.add_error("activity", _("Vælg en aktivitet fra kataloget, eller skriv jeres egen."))
        return data


class PlanActionForm(forms.Form):
    ACTIONS = ("submit", "return", "approve", "reopen", "finish", "comment")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Kommentar"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DoneForm(forms.Form):
    completed_on = date_field(_("Gennemført den"))

    def clean_completed_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datoen kan ikke ligge i fremtiden."))
        return day


class RatingForm(forms.Form):
    stars = forms.ChoiceField(
        label=_("Hvor godt kunne du bruge aktiviteten i dit arbejde?"),
        choices=[(str(n), _("%(count)s af 5") % {"count": n}) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    used_for = forms.CharField(
        label=_("Hvad har du brugt det til? (valgfrit)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, text_minimum: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["used_for"].help_text = _(
            "Det, du skriver, vises uden navn og først, når mindst %(count)s har skrevet noget om "
            "aktiviteten."
        ) % {"count": text_minimum}


class TeamPlanForm(forms.Form):
    title = forms.CharField(label=_("Overskrift"), max_length=200)
    purpose = forms.CharField(
        label=_("Formål"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TeamItemForm(forms.Form):
    activity = forms.ChoiceField(label=_("Aktivitet fra kataloget"), required=False)
    session = forms.ChoiceField(label=_("Eller en session i læringsfællesskabet"), required=False)
    own_title = forms.CharField(
        label=_("Eller jeres egen aktivitet"),
        max_length=200,
        required=False,
        help_text=_("Fx et superbrugerforløb i teamet eller en fast sikkerhedsrunde på teammødet."),
    )
    owner = forms.ChoiceField(label=_("Ansvarlig"), required=False)
    due_on = date_field(_("Dato"))

    def __init__(
        self,
        *args: Any,
        activities: list[tuple[int, str]],
        sessions: list[tuple[int, str]],
        owners: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "activity", [("", _("Ingen")), *[(str(pk), t) for pk, t in activities]])
        _choices(self, "session", [("", _("Ingen")), *[(str(pk), t) for pk, t in sessions]])
        _choices(self, "owner", [("", _("Ingen bestemt")), *[(str(pk), n) for pk, n in owners]])


class CredentialForm(forms.Form):
    label = forms.CharField(
        label=_("Navn på nøglen"),
        max_length=200,
        help_text=_("Fx navnet på læringsplatformen, der skal bruge den."),
    )


class MatchPersonForm(forms.Form):
    person = forms.ChoiceField(label=_("Hvem er det?"))

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "person", [("", _("Vælg en person")), *[(str(pk), n) for pk, n in people]])


class MatchActivityForm(forms.Form):
    activity = forms.ChoiceField(label=_("Hvilken aktivitet i kataloget er det?"))

    def __init__(self, *args: Any, activities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "activity",
            [
                ("", _("Vælg en aktivitet")),
                *[(str(pk), t) for pk, t in activities],
            ],
        )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = date_field(_("Dato"))
    starts_time = forms.TimeField(
        label=_("Klokkeslæt"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "invalid": _("Skriv klokkeslættet som tt:mm, fx 13:00."),
            "required": _("Skriv et klokkeslæt."),
        },
    )
    delivery = forms.ChoiceField(label=_("Sted"), choices=Delivery.choices, widget=forms.RadioSelect)
    place = forms.CharField(label=_("Adresse eller link"), max_length=300, required=False)
    activity = forms.ChoiceField(label=_("Knyttet til aktiviteten"), required=False)

    def __init__(self, *args: Any, activities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "activity", [("", _("Ingen")), *[(str(pk), t) for pk, t in activities]])

    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["starts_on"], self.cleaned_data["starts_time"])
        )


class ProviderForm(forms.Form):
    provider = forms.ChoiceField(label=_("Uddannelsesudbyder"))

    def __init__(self, *args: Any, providers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "provider", [("", _("Vælg en udbyder")), *[(str(pk), n) for pk, n in providers]])
