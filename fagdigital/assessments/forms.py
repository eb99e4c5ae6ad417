"""Forms of the campaign administration: campaign settings, the scope picker, extending and survey items."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from fagdigital.frameworks.models import Area, Framework, RoleProfile
from fagdigital.tenancy.models import Organisation

from .evidence_rule import MIN_ITEMS_FOR_TEST_LEVEL
from .models import Instrument, Visibility, visibility_explanation
from .selectors.admin import UnitChoice
from .services.rounds import MAX_ITEMS_PER_COMPETENCE

DEFAULT_TEST_AREA = "DS"


def _format(message: str, values: dict[str, Any]) -> str:
    return gettext(message) % values


def lazy_format(message: str, **values: Any) -> str:
    """A message marked with gettext_noop, translated and filled in when it is shown."""
    return lazy(_format, str)(message, values)


DEFAULT_REMINDER_DAYS = "7, 2"

INSTRUMENT_HELP = {
    Instrument.SELF: _(
        "Medarbejderne vurderer selv, hvilken niveaubeskrivelse der passer bedst på dem i hver kompetence."
    ),
    Instrument.LEADER: _(
        "Lederne vurderer hver medarbejder i de enheder, de leder, ud fra de samme niveaubeskrivelser."
    ),
    Instrument.TEST: _(
        "Medarbejderne svarer på spørgsmål, fx om informationssikkerhed. Testen rettes med det samme, "
        "og bagefter ser de de rigtige svar med en forklaring."
    ),
    Instrument.CHIEFS: _(
        "Direktion og digitaliseringschefer svarer på spørgsmål om hele organisationen på en skala "
        "fra »slet ikke« til »i meget høj grad«."
    ),
}


def visibility_help(visibility: str, organisation: Organisation) -> str:
    """What each visibility mode means. Respondents are told the same before they answer."""
    return visibility_explanation(visibility, organisation)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any, *, help_text: Any = "", required_message: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=_date_widget(),
        error_messages={
            "required": required_message,
            "invalid": _("Skriv datoen som dag.måned.år, fx 15.09.2026."),
        },
    )


def parse_day_list(text: str) -> list[int]:
    """ "7, 2" → [7, 2]; raises ValueError on anything but whole numbers."""
    parts = [part for part in re.split(r"[\s,;]+", text.strip()) if part]
    if not all(part.isdigit() for part in parts):
        raise ValueError(text)
    return [int(part) for part in parts]


@dataclass(frozen=True)
class ChoiceOption:
    """A checkbox or radio button with a one-line explanation under it."""

    widget: forms.boundfield.BoundWidget
    help: str

    @property
    def hint_id(self) -> str:
        return f"{self.widget.id_for_label}-hint"


class CampaignForm(forms.Form):
    """The settings of a campaign (services.CampaignSettings) except its units, which ScopeInput reads."""

    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        help_text=_("Fx »Digitale kompetencer 2026«. Deltagerne ser navnet i invitationen."),
        error_messages={"required": _("Giv målingen et navn.")},
    )
    framework = forms.TypedChoiceField(
        label=_("Kompetenceramme"),
        coerce=int,
        help_text=_(
            "Målingen bruger den udgivne version, du vælger, også hvis rammen senere får en ny version."
        ),
        error_messages={
            "required": _("Vælg en udgivet kompetenceramme."),
            "invalid_choice": _("Vælg en af organisationens udgivne kompetencerammer."),
        },
    )
    opens_on = _date_field(_("Åbner"), required_message=_("Skriv den dato, målingen åbner."))
    closes_on = _date_field(
        _("Lukker"),
        help_text=_("Deltagerne kan svare til og med denne dag."),
        required_message=_("Skriv den dato, målingen lukker."),
    )
    instruments = forms.MultipleChoiceField(
        label=_("Hvad skal målingen bestå af?"),
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Vælg instrumenterne på listen.")},
    )
    test_area_codes = forms.MultipleChoiceField(
        label=_("Fokusområder i videnstesten"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Gælder kun, hvis målingen har en videnstest."),
        error_messages={"invalid_choice": _("Vælg fokusområder fra den valgte kompetenceramme.")},
    )
    test_items_per_competence = forms.TypedChoiceField(
        label=_("Spørgsmål pr. kompetence i videnstesten"),
        choices=[(str(n), str(n)) for n in range(1, MAX_ITEMS_PER_COMPETENCE + 1)],
        coerce=int,
        initial=str(MIN_ITEMS_FOR_TEST_LEVEL),
        help_text=lazy_format(
            gettext_noop(
                "Testen giver kun et niveau i en kompetence med mindst %(n)s spørgsmål i den. Med færre "
                "får deltagerne rigtige og forkerte svar med forklaringer, men intet niveau. Flere "
                "spørgsmål giver et sikrere resultat, men tager længere tid at svare på."
            ),
            n=MIN_ITEMS_FOR_TEST_LEVEL,
        ),
        error_messages={
            "invalid_choice": lazy_format(
                gettext_noop("Vælg mellem 1 og %(n)s spørgsmål pr. kompetence."), n=MAX_ITEMS_PER_COMPETENCE
            )
        },
    )
    visibility = forms.ChoiceField(
        label=_("Hvem kan se resultaterne?"),
        choices=Visibility.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Deltagerne får at vide, hvad der gælder, før de svarer. "
            "Valget ligger fast, når målingen er åbnet."
        ),
        error_messages={"invalid_choice": _("Vælg, hvem der kan se resultaterne.")},
    )
    role_profile_codes = forms.MultipleChoiceField(
        label=_("Kun medarbejdere med disse rolleprofiler"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælger du ingen, kommer alle medarbejdere i de valgte enheder med."),
        error_messages={"invalid_choice": _("Vælg rolleprofiler fra den valgte kompetenceramme.")},
    )
    reminder_days = forms.CharField(
        label=_("Påmindelser"),
        required=False,
        max_length=100,
        initial=DEFAULT_REMINDER_DAYS,
        help_text=_(
            "Antal dage før lukning, hvor dem, der ikke har svaret, får en påmindelse på e-mail. "
            "Fx »7, 2«. Lad feltet stå tomt, hvis ingen skal have påmindelser."
        ),
    )

    # Fields whose errors the summary links to the first checkbox or radio button.
    choice_groups = ("instruments", "test_area_codes", "visibility", "role_profile_codes")

    def __init__(
        self,
        *args: Any,
        frameworks: list[Framework],
        role_profiles: list[RoleProfile],
        areas: list[Area],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.frameworks = {f.pk: f for f in frameworks}
        self._choices("framework", [(f.pk, _framework_label(f)) for f in frameworks])
        self._choices("role_profile_codes", [(r.code, r.t("name")) for r in role_profiles])
        self._choices("test_area_codes", [(a.code, f"{a.code} {a.t('name')}") for a in areas])

    def _choices(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_reminder_days(self) -> list[int]:
        try:
            return parse_day_list(str(self.cleaned_data["reminder_days"]))
        except ValueError as error:
            raise forms.ValidationError(
                _("Skriv antal dage før lukning som hele tal adskilt af komma, fx 7, 2.")
            ) from error

    def clean_framework(self) -> Framework:
        return self.frameworks[int(self.cleaned_data["framework"])]

    def instrument_options(self) -> list[ChoiceOption]:
        return [
            ChoiceOption(widget=w, help=str(INSTRUMENT_HELP.get(Instrument(w.data["value"]), "")))
            for w in self["instruments"]
        ]

    def visibility_options(self) -> list[ChoiceOption]:
        organisation = next(iter(self.frameworks.values())).organisation
        return [
            ChoiceOption(widget=w, help=visibility_help(w.data["value"], organisation))
            for w in self["visibility"]
        ]

    def role_profile_options(self) -> list[ChoiceOption]:
        return [ChoiceOption(widget=w, help="") for w in self["role_profile_codes"]]

    def test_area_options(self) -> list[ChoiceOption]:
        return [ChoiceOption(widget=w, help="") for w in self["test_area_codes"]]

    def anchor(self, name: str) -> str:
        """The id of the element an error summary link moves focus to."""
        bound = self[name]
        if name in self.choice_groups and self.fields[name].choices:  # type: ignore[attr-defined]
            return f"{bound.auto_id}_0"
        return str(bound.auto_id)

    @staticmethod
    def initial_for_new(frameworks: list[Framework], areas: list[Area], today: dt.date) -> dict[str, Any]:
        codes = {a.code for a in areas}
        return {
            "framework": frameworks[0].pk if frameworks else None,
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=21),
            "instruments": [Instrument.SELF],
            "test_area_codes": [DEFAULT_TEST_AREA] if DEFAULT_TEST_AREA in codes else [],
            "test_items_per_competence": str(MIN_ITEMS_FOR_TEST_LEVEL),
            "reminder_days": DEFAULT_REMINDER_DAYS,
        }

    @staticmethod
    def initial_from_data(data: QueryDict) -> dict[str, Any]:
        """What the user has typed so far, to show it again after a search without checking it yet."""
        multiple = {"instruments", "test_area_codes", "role_profile_codes"}
        keys = [*CampaignForm.base_fields]
        return {key: data.getlist(key) if key in multiple else data.get(key, "") for key in keys}

    @staticmethod
    def format_days(days: list[int]) -> str:
        return ", ".join(str(d) for d in days)


def _framework_label(framework: Framework) -> str:
    return gettext("%(name)s, version %(version)s") % {
        "name": framework.t("name"),
        "version": framework.version,
    }


def chosen_framework(
    data: Mapping[str, Any] | None, initial: Mapping[str, Any], frameworks: list[Framework]
) -> Framework | None:
    """The framework whose role profiles and areas the form offers: the one chosen, else the first."""
    by_id = {f.pk: f for f in frameworks}
    for source in (data or {}, initial):
        framework = by_id.get(_int_or_none(str(source.get("framework") or "")) or 0)
        if framework is not None:
            return framework
    return frameworks[0] if frameworks else None


# --- The scope picker ---------------------------------------------------------------------------------------

ACTION_SAVE = "save"
ACTION_SEARCH = "search"
ACTION_ADD = "add"
ACTION_REMOVE = "remove"


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ScopeInput:
    """The units chosen on the campaign form, read from the posted data.

    The form carries its state through each round trip (search, add, remove), so it works without
    JavaScript: `units` are the chosen unit ids, `subtree_<id>` says "1" (with the units below) or "0",
    `add_unit` are ticked search results and `remove_unit` is the id of a unit whose remove button was used.
    """

    unit_ids: list[int]
    subtree: dict[int, bool]
    query: str
    action: str
    added: int

    @classmethod
    def from_data(cls, data: QueryDict) -> ScopeInput:
        chosen = [i for i in (_int_or_none(v) for v in data.getlist("units")) if i is not None]
        ticked = [i for i in (_int_or_none(v) for v in data.getlist("add_unit")) if i is not None]
        added = [i for i in dict.fromkeys(ticked) if i not in chosen]
        removed = _int_or_none(data.get("remove_unit"))
        query = str(data.get("q", "")).strip()[:100]
        action = str(data.get("action", ACTION_SAVE))
        if removed is not None:
            action = ACTION_REMOVE
        elif action == ACTION_SEARCH and not query:
            # Enter in another field submits with the first button, the search: that means "save".
            action = ACTION_SAVE
        elif action not in {ACTION_SEARCH, ACTION_ADD}:
            action = ACTION_SAVE
        ids = [i for i in dict.fromkeys([*chosen, *added]) if i != removed]
        subtree = {i: data.get(f"subtree_{i}", "1") != "0" for i in ids}
        return cls(unit_ids=ids, subtree=subtree, query=query, action=action, added=len(added))

    @staticmethod
    def initial(scope: list[UnitChoice]) -> ScopeInput:
        return ScopeInput(
            unit_ids=[c.unit.pk for c in scope],
            subtree={c.unit.pk: c.include_subtree for c in scope},
            query="",
            action=ACTION_SAVE,
            added=0,
        )


# --- Open campaigns: a later close date ---------------------------------------------------------------------


class ExtendForm(forms.Form):
    closes_on = _date_field(
        _("Ny lukkedato"),
        help_text=_("Deltagerne kan svare til og med denne dag. Datoen skal ligge efter den nuværende."),
        required_message=_("Skriv den nye lukkedato."),
    )


# --- Participants -------------------------------------------------------------------------------------------


class ParticipantSearchForm(forms.Form):
    q = forms.CharField(label=_("Søg efter navn"), max_length=100, required=False)


# --- Chiefs' survey statements ------------------------------------------------------------------------------


class SurveyItemForm(forms.Form):
    code = forms.SlugField(
        label=_("Kode"),
        max_length=50,
        required=False,
        help_text=_(
            "Bruges til at sammenligne svarene med tidligere målinger og andre kommuner. Kan ikke ændres "
            "bagefter. Lad feltet stå tomt, så dannes koden ud fra spørgsmålet."
        ),
        error_messages={"invalid": _("Koden må kun indeholde små bogstaver (a-z), tal og bindestreg.")},
    )
    text_da = forms.CharField(
        label=_("Spørgsmål (dansk)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Formulér det, så det kan besvares fra »slet ikke« til »i meget høj grad«."),
        error_messages={"required": _("Skriv spørgsmålet på dansk.")},
    )
    text_en = forms.CharField(
        label=_("Spørgsmål (engelsk)"),
        widget=forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        required=False,
    )
    area_code = forms.ChoiceField(label=_("Fokusområde"), required=False)

    def __init__(
        self, *args: Any, areas: list[Area], existing_codes: set[str], creating: bool, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.existing_codes = existing_codes
        self.creating = creating
        area_field = self.fields["area_code"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = [
            ("", gettext("Organisationen som helhed")),
            *[(a.code, a.t("name")) for a in areas],
        ]
        if not creating:
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.creating and not cleaned.get("code") and cleaned.get("text_da") and "code" not in self.errors:
            cleaned["code"] = self._code_from(str(cleaned["text_da"]))
        return cleaned

    def _code_from(self, text: str) -> str:
        # Skip the survey's standard opening, so codes say what the question is about.
        text = re.sub(r"^i hvor høj grad (har|er|kan|bruger)?\s*", "", text.strip(), flags=re.IGNORECASE)
        base = slugify(text)[:40].strip("-") or "spoergsmaal"
        code, n = base, 2
        while code in self.existing_codes:
            code, n = f"{base}-{n}", n + 1
        return code


class NewLinkForm(forms.Form):
    """The login page's "send me a new link": the e-mail the invitation came to."""

    email = forms.EmailField(
        label=_("Din e-mail"),
        max_length=254,
        help_text=_("Den adresse, invitationen til målingen kom til."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "form-input"}),
    )
