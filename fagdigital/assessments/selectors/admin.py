"""Reads for the campaign administration pages (competence admins), beside the app's core selectors.

Every function takes the acting user's organisation or an already access-checked campaign, so nothing here
can reach another organisation's rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404

from fagdigital.assessments import selectors
from fagdigital.assessments.models import (
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Instrument,
    Participant,
    Response,
    ResponseStatus,
    SurveyItem,
    Visibility,
)
from fagdigital.frameworks.models import Area, Framework, FrameworkStatus, RoleProfile
from fagdigital.orgs.models import PATH_STEP, OrgUnit
from fagdigital.privacy.rules import min_group
from fagdigital.privacy.texts import rates_notice
from fagdigital.tenancy.actor import Actor

UNIT_SEARCH_LIMIT = 20
CONTEXT_SEPARATOR = " \u203a "  # between the names of the units above a unit
PARTICIPANTS_PER_PAGE = 50
# The instruments answered per person, in the order the pages show them.
PERSON_INSTRUMENTS: tuple[Instrument, ...] = (Instrument.SELF, Instrument.TEST, Instrument.LEADER)


# --- Frameworks a campaign can use --------------------------------------------------------------------------


def published_frameworks(*, actor: Actor) -> list[Framework]:
    """The organisation's published framework versions: the only ones a campaign may measure against."""
    return list(
        Framework.objects.filter(organisation=actor.organisation, status=FrameworkStatus.PUBLISHED).order_by(
            "-published_at", "key", "-version"
        )
    )


def framework_role_profiles(*, framework: Framework) -> list[RoleProfile]:
    return list(RoleProfile.objects.filter(framework=framework).order_by("position", "name_da"))


def framework_areas(*, framework: Framework) -> list[Area]:
    return list(Area.objects.filter(framework=framework).order_by("position", "code"))


# --- Campaign list ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    participants: int
    self_submitted: int | None  # None: an anonymous round with nobody in a publication block

    @property
    def instrument_labels(self) -> list[str]:
        return [str(label) for value, label in Instrument.choices if value in self.campaign.instruments]


def campaign_rows(*, actor: Actor) -> list[CampaignRow]:
    """The organisation's campaigns with participant and submission counts, in three queries."""
    campaigns = list(selectors.campaigns_for_organisation(actor=actor).order_by("-opens_on", "-pk"))
    ids = [c.pk for c in campaigns]
    participants = dict(
        Participant.objects.filter(campaign_id__in=ids)
        .values_list("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    submitted = dict(
        Response.objects.filter(
            campaign_id__in=ids, instrument=Instrument.SELF, status=ResponseStatus.SUBMITTED
        )
        .values_list("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    rows = []
    for c in campaigns:
        count: int | None = submitted.get(c.pk, 0)
        if c.visibility == Visibility.ANONYMOUS and c.status != CampaignStatus.DRAFT:
            # Only people in publication blocks count, as in the round's own rates (decision 0010).
            counts = selectors.campaign_counts(campaign=c)
            count = counts.get(Instrument.SELF, 0) if counts["covered"] else None
        rows.append(CampaignRow(campaign=c, participants=participants.get(c.pk, 0), self_submitted=count))
    return rows


# --- Units: scope of a campaign and the unit search ---------------------------------------------------------


@dataclass(frozen=True)
class UnitChoice:
    """A unit with the names of the units above it, so that two units called "Hjemmeplejen" differ."""

    unit: OrgUnit
    context: str
    include_subtree: bool = True


def _ancestor_names(organisation_id: int, units: Iterable[OrgUnit]) -> dict[str, str]:
    paths = {path for unit in units for path in unit.ancestor_paths}
    if not paths:
        return {}
    return dict(
        OrgUnit.objects.filter(organisation_id=organisation_id, path__in=paths).values_list("path", "name")
    )


def _with_context(organisation_id: int, units: list[OrgUnit], subtree: dict[int, bool]) -> list[UnitChoice]:
    names = _ancestor_names(organisation_id, units)
    return [
        UnitChoice(
            unit=unit,
            context=CONTEXT_SEPARATOR.join(names[p] for p in unit.ancestor_paths if p in names),
            include_subtree=subtree.get(unit.pk, True),
        )
        for unit in units
    ]


def unit_choices(
    *, actor: Actor, unit_ids: list[int], subtree: dict[int, bool]
) -> tuple[list[UnitChoice], bool]:
    """The organisation's units with these ids, in the given order; and whether any id was unknown."""
    found = {
        unit.pk: unit for unit in OrgUnit.objects.filter(organisation=actor.organisation, pk__in=unit_ids)
    }
    units = [found[i] for i in unit_ids if i in found]
    return _with_context(actor.organisation.pk, units, subtree), len(units) != len(set(unit_ids))


def campaign_scope(*, campaign: Campaign) -> list[UnitChoice]:
    """The units in a campaign's scope, in tree order."""
    scope = list(CampaignUnit.objects.filter(campaign=campaign).select_related("unit").order_by("unit__path"))
    return _with_context(
        campaign.organisation_id,
        [item.unit for item in scope],
        {item.unit_id: item.include_subtree for item in scope},
    )


@dataclass(frozen=True)
class UnitSearch:
    query: str
    matches: list[UnitChoice]
    more: bool  # there are more matches than shown

    @property
    def too_short(self) -> bool:
        return len(self.query) < 2


def unit_search(*, actor: Actor, query: str, limit: int = UNIT_SEARCH_LIMIT) -> UnitSearch:
    """Units of the organisation whose name contains the query (or whose unit id is the query)."""
    query = query.strip()
    if len(query) < 2:
        return UnitSearch(query=query, matches=[], more=False)
    units = list(
        OrgUnit.objects.filter(
            Q(name__icontains=query) | Q(external_id__iexact=query), organisation=actor.organisation
        ).order_by("name", "path")[: limit + 1]
    )
    return UnitSearch(
        query=query,
        matches=_with_context(actor.organisation.pk, units[:limit], {}),
        more=len(units) > limit,
    )


# --- Response rates -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateCell:
    instrument: str
    submitted: int | None
    invited: int | None
    percent: int | None


@dataclass
class RateTableRow:
    unit: OrgUnit
    level: int  # 0 for the top rows of the table
    parent_name: str
    participants: int  # everyone asked in the unit's subtree
    covered: int | None  # of them, those the rates cover (None: none; they count in a group higher up)
    cells: list[RateCell] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.covered is None

    @property
    def partial(self) -> bool:
        return self.covered is not None and self.covered < self.participants

    @property
    def indent_class(self) -> str:
        """A design-system padding class that indents the unit name by its depth below the top rows."""
        return ("", "pl-6", "pl-8", "pl-905")[min(self.level, 3)]


@dataclass(frozen=True)
class RateTable:
    instruments: list[Instrument]
    rows: list[RateTableRow]
    anonymous: bool
    notice: str


def rate_table(*, campaign: Campaign, within: Sequence[str] | None = None) -> RateTable:
    """Response rates per unit for each person instrument the campaign uses, one row per unit.

    The figures come from selectors.response_rates (the anonymity rule lives there and in the privacy
    package); this only puts the instruments side by side. `within`: a leader's own units only.
    """
    instruments = [i for i in PERSON_INSTRUMENTS if campaign.uses(i)]
    anonymous = campaign.visibility == Visibility.ANONYMOUS
    notice = rates_notice(k=min_group(campaign.organisation), anonymous=anonymous)
    if not instruments:
        return RateTable(instruments=[], rows=[], anonymous=anonymous, notice=notice)
    per_instrument = {
        i: selectors.response_rates(campaign=campaign, instrument=i, within=within) for i in instruments
    }
    base = per_instrument[instruments[0]]
    cells: dict[str, list[RateCell]] = defaultdict(list)
    for instrument in instruments:
        for rate in per_instrument[instrument]:
            cells[rate.unit.path].append(
                RateCell(
                    instrument=instrument,
                    submitted=rate.submitted,
                    invited=rate.invited,
                    percent=rate.percent,
                )
            )
    names = {rate.unit.path: rate.unit.name for rate in base}
    top = min((rate.unit.depth for rate in base), default=1)
    rows = [
        RateTableRow(
            unit=rate.unit,
            level=rate.unit.depth - top,
            parent_name=names.get(rate.unit.path[:-PATH_STEP], ""),
            participants=rate.participants,
            covered=rate.invited,
            cells=cells[rate.unit.path],
        )
        for rate in base
    ]
    return RateTable(instruments=instruments, rows=rows, anonymous=anonymous, notice=notice)


# --- Participants -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    email: str
    # Per person instrument: "not_started", "draft", "submitted" or "changed"; empty in anonymous campaigns.
    statuses: dict[str, str]


@dataclass(frozen=True)
class ParticipantPage:
    page: Page[Participant]
    rows: list[ParticipantRow]
    shows_status: bool
    status_instruments: list[Instrument]


def participant_page(*, campaign: Campaign, query: str, page_number: int | str | None) -> ParticipantPage:
    """One page of the campaign's participants, searched by name, in three or four queries.

    In an anonymous campaign no per-person answer status is read at all: it would tie answers to people.
    """
    participants = (
        Participant.objects.filter(campaign=campaign)
        .select_related("person__user", "unit")
        .order_by("person__name", "pk")
    )
    if query:
        participants = participants.filter(person__name__icontains=query)
    page = Paginator(participants, PARTICIPANTS_PER_PAGE).get_page(page_number)
    shows_status = campaign.visibility == Visibility.DEVELOPMENT
    status_instruments = (
        [i for i in (Instrument.SELF, Instrument.TEST) if campaign.uses(i)] if shows_status else []
    )
    on_page: list[Participant] = list(page.object_list)
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    if status_instruments and on_page:
        for subject_id, instrument, status, changed in Response.objects.filter(
            campaign=campaign,
            instrument__in=status_instruments,
            subject_id__in=[p.person_id for p in on_page],
        ).values_list("subject_id", "instrument", "status", "changed_since_submit"):
            if status == ResponseStatus.SUBMITTED:
                statuses[subject_id][instrument] = "changed" if changed else "submitted"
            else:
                statuses[subject_id][instrument] = "draft"
    rows = [
        ParticipantRow(
            participant=p,
            email=(p.person.user.email if p.person.user else "") or p.person.email,
            statuses={str(i): statuses[p.person_id].get(str(i), "not_started") for i in status_instruments},
        )
        for p in on_page
    ]
    return ParticipantPage(
        page=page, rows=rows, shows_status=shows_status, status_instruments=status_instruments
    )


def get_participant_for_campaign(*, campaign: Campaign, participant_id: int) -> Participant:
    """A participant of this (already access-checked) campaign; 404 otherwise."""
    participant = (
        Participant.objects.filter(campaign=campaign, pk=participant_id)
        .select_related("person__user", "campaign", "unit")
        .first()
    )
    if participant is None:
        raise Http404
    return participant


# --- Chiefs' survey -----------------------------------------------------------------------------------------


def survey_items(*, campaign: Campaign) -> list[SurveyItem]:
    return list(SurveyItem.objects.filter(campaign=campaign).order_by("position", "pk"))


def get_survey_item_for_campaign(*, campaign: Campaign, item_id: int) -> SurveyItem:
    item = SurveyItem.objects.filter(campaign=campaign, pk=item_id).first()
    if item is None:
        raise Http404
    return item
