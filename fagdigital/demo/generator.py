"""Pure generators of people-import rows: the fixed demo municipalities and large synthetic ones.

Nothing here touches the database. The same seed always gives the same rows (`random.Random` with a
string seed is stable across runs and Python versions), so benchmarks and the demo are reproducible.
Every unit gets exactly one leader row (`is_leader=True` with a leader job function), and the leader
is engaged in the unit itself, so a leader of an area sees the area's whole subtree.
"""

from __future__ import annotations

import collections
import itertools
import math
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from fagdigital.orgs.people_import import ImportRow

from .names import FIRST_NAMES, MIDDLE_NAMES, SURNAMES, email_local_part

# Stable namespace for unit external ids (uuid5 of the organisation prefix and the unit's path).
UNIT_NAMESPACE = uuid.UUID("6f1c1f0e-6b8c-4d53-9a55-2f1b8f0d9a11")

LEADER_FUNCTIONS = frozenset(
    {
        "Kommunaldirektør",
        "Direktør",
        "Centerchef",
        "Skolechef",
        "Dagtilbudschef",
        "Jobcenterchef",
        "Borgerservicechef",
        "HR-chef",
        "Økonomichef",
        "Digitaliseringschef",
        "Afdelingsleder",
        "Plejecenterleder",
        "Skoleleder",
        "Dagtilbudsleder",
        "Driftsleder",
        "Biblioteksleder",
        "Teamleder",
    }
)


@dataclass(frozen=True)
class UnitSpec:
    """A unit with its leader's job function, its other staff (job function, head count) and children."""

    name: str
    leader: str
    staff: tuple[tuple[str, int], ...] = ()
    children: tuple[UnitSpec, ...] = ()

    @property
    def head_count(self) -> int:
        """People in the unit itself (leader included), not in its children."""
        return 1 + sum(count for _function, count in self.staff)


def _u(name: str, leader: str, staff: dict[str, int] | None = None, *children: UnitSpec) -> UnitSpec:
    return UnitSpec(name=name, leader=leader, staff=tuple((staff or {}).items()), children=children)


def walk(roots: Sequence[UnitSpec]) -> Iterator[tuple[tuple[str, ...], UnitSpec]]:
    """Every unit with its path of names from the top, depth first, in order."""
    stack: list[tuple[tuple[str, ...], UnitSpec]] = [((root.name,), root) for root in reversed(roots)]
    while stack:
        path, unit = stack.pop()
        yield path, unit
        stack.extend(((*path, child.name), child) for child in reversed(unit.children))


# --- names ----------------------------------------------------------------------------------------


def _falling_weights(count: int) -> list[float]:
    """Cumulative weights that make early entries (the most common names) more likely."""
    return list(itertools.accumulate(1.0 / (index + 8) for index in range(count)))


_FIRST_CUM = _falling_weights(len(FIRST_NAMES))
_SURNAME_CUM = _falling_weights(len(SURNAMES))
MIDDLE_NAME_SHARE = 0.15


@dataclass
class _People:
    """Hands out names, e-mails and employee numbers in order, from one seeded stream."""

    seed: int
    email_domain: str
    next_number: int
    rng: random.Random = field(init=False)
    sequence: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(f"fagdigital-people-{self.seed}")  # noqa: S311 -- test data, not secrets

    def next(self) -> tuple[str, str, str]:
        self.sequence += 1
        first = self.rng.choices(FIRST_NAMES, cum_weights=_FIRST_CUM)[0]
        surname = self.rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
        middle = self.rng.choice(MIDDLE_NAMES) if self.rng.random() < MIDDLE_NAME_SHARE else ""
        if middle == surname:
            middle = ""
        name = " ".join(part for part in (first, middle, surname) if part)
        local = email_local_part(first_name=first, surname=surname)
        email = f"{local}.{self.sequence:03d}@{self.email_domain}"
        number = str(self.next_number)
        self.next_number += 1
        return number, name, email


def rows_from_tree(
    roots: Sequence[UnitSpec],
    *,
    seed: int,
    email_domain: str,
    external_id_prefix: str,
    first_employee_number: int = 100001,
) -> list[ImportRow]:
    """Import rows for a tree: per unit the leader first, then the staff; numbered as lines of a file
    with a header (the first row is line 2)."""
    people = _People(seed=seed, email_domain=email_domain, next_number=first_employee_number)
    rows: list[ImportRow] = []
    for path, unit in walk(roots):
        external_id = str(uuid.uuid5(UNIT_NAMESPACE, external_id_prefix + "/" + "/".join(path)))
        functions = [(unit.leader, True)]
        functions.extend((function, False) for function, count in unit.staff for _ in range(count))
        for function, is_leader in functions:
            number, name, email = people.next()
            rows.append(
                ImportRow(
                    line=len(rows) + 2,
                    employee_number=number,
                    name=name,
                    email=email,
                    unit_path=path,
                    unit_external_id=external_id,
                    job_function=function,
                    is_leader=is_leader,
                )
            )
    return rows


# --- Demo Kommune and Nabo Kommune ------------------------------------------------------------------

SSH = "Social- og sundhedshjælper"
SSA = "Social- og sundhedsassistent"
SYG = "Sygeplejerske"
ADM = "Administrativ medarbejder"
SOC = "Socialpædagog"  # on botilbud and in community psychiatry: their own role profile, not "Pædagog"


def _home_care_area(direction: str) -> UnitSpec:
    teams = [
        _u(f"Team {direction} {number}", "Teamleder", {SSH: 19, SSA: 11, SYG: 1}) for number in (1, 2, 3)
    ]
    return _u(f"Område {direction}", "Afdelingsleder", {"Disponent": 1}, *teams)


def _nursing_home(name: str, wards: tuple[str, str, str]) -> UnitSpec:
    staff = {"Ernæringsassistent": 4, "Aktivitetsmedarbejder": 2, ADM: 1}
    children = [_u(f"Afsnit {ward}", "Teamleder", {SSA: 10, SSH: 9, SYG: 2}) for ward in wards]
    return _u(f"Plejecenter {name}", "Plejecenterleder", staff, *children)


def _school(name: str) -> UnitSpec:
    return _u(
        name,
        "Skoleleder",
        {"Skolesekretær": 2, "Pedel": 1},
        _u("Indskolingen", "Afdelingsleder", {"Lærer": 12, "Pædagog": 5}),
        _u("Mellemtrinnet", "Afdelingsleder", {"Lærer": 14}),
        _u("Udskolingen", "Afdelingsleder", {"Lærer": 14}),
        _u("SFO", "Afdelingsleder", {"Pædagog": 8, "Pædagogmedhjælper": 6}),
    )


def _day_care(name: str) -> UnitSpec:
    staff = {"Pædagog": 10, "Pædagogmedhjælper": 7, "Pædagogisk assistent": 2, "Ernæringsassistent": 1}
    return _u(name, "Dagtilbudsleder", staff)


def demo_tree() -> tuple[UnitSpec, ...]:
    """Demo Kommune: about 2,000 people in a municipal structure four levels deep."""
    social = _u(
        "Social og Sundhed",
        "Direktør",
        {"Chefkonsulent": 2, ADM: 2},
        _u(
            "Hjemmeplejen",
            "Centerchef",
            {"Disponent": 3, ADM: 2},
            *(_home_care_area(direction) for direction in ("Nord", "Syd", "Øst", "Vest")),
            _u("Aften og nat", "Teamleder", {SSH: 10, SSA: 8, SYG: 2}),
        ),
        _u(
            "Plejecentre",
            "Centerchef",
            {ADM: 2},
            _nursing_home("Egely", ("Bøgen", "Egen", "Lærken")),
            _nursing_home("Solbakken", ("Solsikken", "Kornblomsten", "Valmuen")),
            _nursing_home("Lindegården", ("Linden", "Kastanjen", "Ahornen")),
            _nursing_home("Rosenhaven", ("Rosen", "Liljen", "Tulipanen")),
            _nursing_home("Kildebo", ("Kilden", "Åen", "Søen")),
            _nursing_home("Fjordglimt", ("Fjorden", "Stranden", "Klitten")),
        ),
        _u(
            "Sygeplejen",
            "Afdelingsleder",
            {ADM: 1},
            _u("Sygepleje Nord", "Teamleder", {SYG: 16, SSA: 3}),
            _u("Sygepleje Syd", "Teamleder", {SYG: 16, SSA: 3}),
            _u("Sår- og stomiteam", "Teamleder", {SYG: 6}),
        ),
        _u(
            "Træning og Rehabilitering",
            "Afdelingsleder",
            {},
            _u("Genoptræning", "Teamleder", {"Fysioterapeut": 12, "Ergoterapeut": 6, SSA: 2}),
            _u("Hverdagsrehabilitering", "Teamleder", {"Ergoterapeut": 5, "Fysioterapeut": 2, SSA: 6}),
            _u("Hjælpemidler", "Teamleder", {"Ergoterapeut": 4, ADM: 2, "Håndværker": 2}),
        ),
        _u(
            "Myndighed",
            "Afdelingsleder",
            {},
            _u("Visitationen", "Teamleder", {"Visitator": 10, SYG: 2, "Ergoterapeut": 2}),
            _u("Voksenhandicap", "Teamleder", {"Socialrådgiver": 9}),
        ),
        _u(
            "Handicap og Psykiatri",
            "Afdelingsleder",
            {ADM: 1},
            _u("Bostedet Kløverhuset", "Teamleder", {SOC: 12, SSA: 6, "Pædagogmedhjælper": 3}),
            _u("Bostedet Lyngbo", "Teamleder", {SOC: 12, SSA: 6, "Pædagogmedhjælper": 3}),
            _u("Socialpsykiatrien", "Teamleder", {SOC: 6, SSA: 4, SYG: 2}),
        ),
    )
    children = _u(
        "Børn og Unge",
        "Direktør",
        {"Chefkonsulent": 2, ADM: 2},
        _u(
            "Skoler",
            "Skolechef",
            {"Pædagogisk konsulent": 3, ADM: 1},
            *(
                _school(name)
                for name in (
                    "Nordskolen",
                    "Sønderskolen",
                    "Østerskolen",
                    "Vesterskolen",
                    "Bakkeskolen",
                    "Engskolen",
                )
            ),
        ),
        _u(
            "Dagtilbud",
            "Dagtilbudschef",
            {"Pædagogisk konsulent": 2},
            *(
                _day_care(name)
                for name in (
                    "Børnehuset Mælkebøtten",
                    "Børnehuset Solsikken",
                    "Børnehuset Regnbuen",
                    "Børnehuset Troldeskoven",
                    "Børnehuset Skovbrynet",
                    "Børnehuset Myretuen",
                    "Vuggestuen Mariehønen",
                    "Vuggestuen Humlebien",
                )
            ),
            _u("Dagplejen", "Dagtilbudsleder", {"Dagplejer": 24, "Dagplejepædagog": 3}),
        ),
        _u(
            "Familieafdelingen",
            "Afdelingsleder",
            {ADM: 2},
            _u("Team 0-13 år", "Teamleder", {"Socialrådgiver": 9}),
            _u("Team 14-23 år", "Teamleder", {"Socialrådgiver": 8}),
            _u("Team Børnehandicap", "Teamleder", {"Socialrådgiver": 6}),
            _u("Familiebehandling", "Teamleder", {"Familiebehandler": 8, "Psykolog": 2}),
        ),
        _u("Sundhedsplejen", "Afdelingsleder", {"Sundhedsplejerske": 12}),
        _u("PPR", "Afdelingsleder", {"Psykolog": 9, "Talepædagog": 4}),
    )
    employment = _u(
        "Beskæftigelse",
        "Direktør",
        {"Chefkonsulent": 1, ADM: 1},
        _u(
            "Jobcenter",
            "Jobcenterchef",
            {ADM: 2},
            _u("Jobafklaring", "Afdelingsleder", {"Socialrådgiver": 12, "Jobkonsulent": 6}),
            _u("Virksomhedsservice", "Afdelingsleder", {"Virksomhedskonsulent": 12}),
            _u(
                "Ungeindsats",
                "Afdelingsleder",
                {"Jobkonsulent": 8, "Socialrådgiver": 4, "Uddannelsesvejleder": 2},
            ),
            _u("Sygedagpenge", "Afdelingsleder", {"Socialrådgiver": 10, ADM: 2}),
            _u("Integration", "Afdelingsleder", {"Jobkonsulent": 6, "Socialrådgiver": 3}),
        ),
        _u("Ydelsesafdelingen", "Afdelingsleder", {"Kontorfuldmægtig": 10, ADM: 6}),
    )
    citizen_service = _u(
        "Borgerservice",
        "Borgerservicechef",
        {},
        _u("Borgerservice Rådhuset", "Teamleder", {"Borgerservicemedarbejder": 14}),
        _u("Pas og kørekort", "Teamleder", {"Borgerservicemedarbejder": 6}),
        _u("Opkrævning", "Teamleder", {"Kontorfuldmægtig": 6}),
    )
    technical = _u(
        "Teknik og Miljø",
        "Direktør",
        {ADM: 2},
        _u("Byg og Plan", "Afdelingsleder", {"Ingeniør": 4, "Byggesagsbehandler": 6, "Byplanlægger": 3}),
        _u("Natur og Miljø", "Afdelingsleder", {"Miljømedarbejder": 6, "Biolog": 2}),
        _u(
            "Vej og Park",
            "Afdelingsleder",
            {"Ingeniør": 4},
            _u("Driftsgården", "Driftsleder", {"Driftsmedarbejder": 20, "Gartner": 6}),
        ),
        _u("Ejendomme", "Afdelingsleder", {"Ingeniør": 2, "Teknisk servicemedarbejder": 8}),
    )
    administration = _u(
        "Administration",
        "Direktør",
        {},
        _u("HR", "HR-chef", {"HR-konsulent": 8, "Lønkonsulent": 4}),
        _u("Økonomi", "Økonomichef", {"Økonomikonsulent": 8, "Kontorfuldmægtig": 4}),
        _u(
            "Digitalisering og IT",
            "Digitaliseringschef",
            {},
            _u("IT-drift og support", "Teamleder", {"IT-supporter": 9}),
            _u("Digital udvikling", "Teamleder", {"Digitaliseringskonsulent": 7, "Projektleder": 2}),
        ),
        _u("Sekretariat og Jura", "Afdelingsleder", {"Jurist": 3, "Kontorfuldmægtig": 4}),
        # Small teams (under the anonymity minimum of 5), last in the tree so earlier people keep
        # their employee numbers.
        _u("Informationssikkerhed", "Teamleder", {"Informationssikkerhedskonsulent": 2}),
        _u("Kommunikation", "Teamleder", {"Kommunikationskonsulent": 3}),
    )
    direction = _u("Direktion", "Kommunaldirektør", {"Chefkonsulent": 3, ADM: 2})
    return (direction, social, children, employment, citizen_service, technical, administration)


def nabo_tree() -> tuple[UnitSpec, ...]:
    """Nabo Kommune: a small neighbour (about 60 people) that shows the isolation between organisations."""
    return (
        _u("Direktion", "Kommunaldirektør", {ADM: 1}),
        _u(
            "Social og Sundhed",
            "Direktør",
            {},
            _u(
                "Hjemmeplejen",
                "Afdelingsleder",
                {},
                _u("Team Øst", "Teamleder", {SSH: 8, SSA: 5, SYG: 1}),
                _u("Team Vest", "Teamleder", {SSH: 7, SSA: 4}),
            ),
        ),
        _u("Børn og Unge", "Direktør", {}, _u("Bakkeskolen", "Skoleleder", {"Lærer": 10, "Pædagog": 3})),
        _u("Borgerservice", "Afdelingsleder", {"Borgerservicemedarbejder": 5}),
        _u("Administration", "Afdelingsleder", {"HR-konsulent": 2, "Økonomikonsulent": 2, "IT-supporter": 2}),
    )


DEMO_SEED = 2025


def demo_rows(*, seed: int = DEMO_SEED) -> list[ImportRow]:
    return rows_from_tree(
        demo_tree(),
        seed=seed,
        email_domain="demokommune.dk",
        external_id_prefix="demo-0999",
        first_employee_number=100001,
    )


def nabo_rows(*, seed: int = DEMO_SEED) -> list[ImportRow]:
    return rows_from_tree(
        nabo_tree(),
        seed=seed,
        email_domain="nabokommune.dk",
        external_id_prefix="demo-0998",
        first_employee_number=500001,
    )


# --- synthetic municipalities -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Area:
    """A kind of level-2 unit: how its institutions and teams are named and led, and who works there."""

    name: str
    leader: str
    weight: int  # share of the department's units
    subs: tuple[str, ...]  # level-3 names in order; "{place}" is replaced by a place name
    sub_leader: str
    team: str  # level-4 names: "{n}" is replaced by a number, "{place}" by a place name
    staff: tuple[tuple[str, int], ...]  # job function, weight
    team_leader: str = "Teamleder"


@dataclass(frozen=True)
class _Department:
    name: str
    weight: int  # share of the municipality's units, roughly as in Danish municipalities
    areas: tuple[_Area, ...]


_PLACE = ("{place}",)

_DEPARTMENTS: tuple[_Department, ...] = (
    _Department("Social og Sundhed", 42, (
        _Area("Hjemmeplejen", "Centerchef", 30, ("Område {place}",), "Afdelingsleder", "Team {n}",
              ((SSH, 6), (SSA, 4), (SYG, 1))),
        _Area("Plejecentre", "Centerchef", 35, ("Plejecenter {place}",), "Plejecenterleder", "Afsnit {place}",
              ((SSA, 5), (SSH, 4), (SYG, 1), ("Ernæringsassistent", 1))),
        _Area("Sygeplejen", "Centerchef", 8, ("Sygepleje {place}",), "Afdelingsleder", "Team {n}",
              ((SYG, 8), (SSA, 2))),
        _Area("Træning og Rehabilitering", "Centerchef", 7, ("Træningscenter {place}",), "Afdelingsleder",
              "Team {n}", (("Fysioterapeut", 4), ("Ergoterapeut", 3), (SSA, 1))),
        _Area("Handicap og Psykiatri", "Centerchef", 15, ("Bostedet {place}",), "Afdelingsleder", "Team {n}",
              ((SOC, 4), (SSA, 3), ("Pædagogmedhjælper", 1))),
        _Area("Myndighed", "Centerchef", 5, ("Visitationen", "Voksenhandicap", "Hjælpemidler"),
              "Afdelingsleder", "Team {n}",
              (("Visitator", 4), ("Socialrådgiver", 2), ("Ergoterapeut", 1), (ADM, 1))),
    )),
    _Department("Børn og Unge", 36, (
        _Area("Skoler", "Skolechef", 50, ("{place}skolen",), "Skoleleder", "Afdeling {n}",
              (("Lærer", 12), ("Pædagog", 4), ("Pædagogmedhjælper", 2), ("Skolesekretær", 1)),
              "Afdelingsleder"),
        _Area("Dagtilbud", "Dagtilbudschef", 40, ("Børnehuset {place}",), "Dagtilbudsleder", "Hus {n}",
              (("Pædagog", 5), ("Pædagogmedhjælper", 4), ("Pædagogisk assistent", 1))),
        _Area("Familieafdelingen", "Centerchef", 10, ("Familiecenter {place}",), "Afdelingsleder", "Team {n}",
              (("Socialrådgiver", 5), ("Familiebehandler", 2), ("Psykolog", 1))),
    )),
    _Department("Beskæftigelse", 7, (
        _Area("Jobcenter", "Jobcenterchef", 75,
              ("Jobafklaring", "Virksomhedsservice", "Ungeindsats", "Sygedagpenge", "Integration"),
              "Afdelingsleder", "Team {n}",
              (("Jobkonsulent", 4), ("Socialrådgiver", 3), ("Virksomhedskonsulent", 2))),
        _Area("Ydelsesafdelingen", "Centerchef", 25, ("Ydelser {place}",), "Afdelingsleder", "Team {n}",
              (("Kontorfuldmægtig", 3), (ADM, 2))),
    )),
    _Department("Borgerservice", 3, (
        _Area("Borgerservicecentre", "Borgerservicechef", 60, ("Borgerservice {place}",), "Afdelingsleder",
              "Team {n}", (("Borgerservicemedarbejder", 5), ("Kontorfuldmægtig", 1))),
        _Area("Biblioteker", "Centerchef", 40, ("{place} Bibliotek",), "Biblioteksleder", "Team {n}",
              (("Bibliotekar", 3), ("Biblioteksassistent", 2))),
    )),
    _Department("Teknik og Miljø", 5, (
        _Area("Byg og Plan", "Centerchef", 35, ("Byggesager", "Planlægning", "Ejendomme", "Trafik"),
              "Afdelingsleder", "Team {n}",
              (("Ingeniør", 2), ("Byggesagsbehandler", 2), ("Byplanlægger", 1))),
        _Area("Vej og Park", "Centerchef", 45, ("Driftsområde {place}",), "Driftsleder", "Hold {n}",
              (("Driftsmedarbejder", 4), ("Gartner", 2), ("Ingeniør", 1))),
        _Area("Natur og Miljø", "Centerchef", 20, ("Natur", "Miljø", "Klima og Vand"), "Afdelingsleder",
              "Team {n}", (("Miljømedarbejder", 3), ("Biolog", 1))),
    )),
    _Department("Administration", 7, (
        _Area("HR", "HR-chef", 30, ("Løn og Personale", "Arbejdsmiljø", "Rekruttering", "HR-jura"),
              "Afdelingsleder", "Team {n}", (("HR-konsulent", 3), ("Lønkonsulent", 2))),
        _Area("Økonomi", "Økonomichef", 30, ("Budget og Analyse", "Regnskab", "Indkøb", "Kreditorer"),
              "Afdelingsleder", "Team {n}", (("Økonomikonsulent", 3), ("Kontorfuldmægtig", 2))),
        _Area("Digitalisering og IT", "Digitaliseringschef", 40,
              ("IT-drift og support", "Digital udvikling", "Informationssikkerhed", "Data og Analyse"),
              "Afdelingsleder", "Team {n}", (("IT-supporter", 3), ("Digitaliseringskonsulent", 2))),
    )),
)  # fmt: skip

PLACES: tuple[str, ...] = (
    "Nord", "Syd", "Øst", "Vest", "Centrum", "Egely", "Solbakken", "Lindegården", "Rosenhaven", "Kildebo",
    "Fjordglimt", "Skovly", "Bakkehuset", "Engparken", "Havbo", "Lyngbo", "Møllehøj", "Åbakken", "Birkely",
    "Kastanjen", "Strandvejen", "Toftegården", "Vibehus", "Søholm", "Granly", "Hyldebo", "Tjørnely",
    "Ellebæk", "Kløvermarken", "Agerbo", "Bøgely", "Hasselhøj", "Pilegården", "Rønnebo", "Valmuen",
)  # fmt: skip

# Staff in units that have sub-units (secretariats, planners, consultants).
_OFFICE_STAFF: tuple[tuple[str, int], ...] = ((ADM, 3), ("Chefkonsulent", 1), ("Planlægger", 1))
DEFAULT_PEOPLE_PER_UNIT = 18
# A unit with sub-units gets this share of a team's people (its leader and a small office).
_OFFICE_WEIGHT = 0.08


@dataclass
class _Node:
    name: str
    leader: str
    level: int
    department: _Department
    area: _Area | None = None
    children: list[_Node] = field(default_factory=list)
    child_names: set[str] = field(default_factory=set)
    staff_count: int = 0


def _geometric_counts(*, units: int, levels: int, top: int) -> list[int]:
    """Units on each of `levels` levels below `top` units, growing by one factor per level, `units` in all."""
    if units <= 0 or levels <= 0:
        return []
    low, high = 0.0, float(units)
    for _ in range(60):
        factor = (low + high) / 2
        total = sum(top * factor**level for level in range(1, levels + 1))
        low, high = (factor, high) if total < units else (low, factor)
    counts: list[int] = []
    remaining = units
    for level in range(1, levels + 1):
        count = min(remaining, max(1, round(top * low**level)))
        if count < 1:
            break
        counts.append(count)
        remaining -= count
    counts[-1] += remaining  # rounding leftovers go to the deepest level
    return counts


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} {number}", number + 1
    taken.add(candidate)
    return candidate


def _place_name(pattern: str, parent: _Node, rng: random.Random) -> str:
    """The pattern with a place name none of the parent's other children has yet, where one is left."""
    if "{place}" not in pattern:
        return pattern
    unused = [place for place in PLACES if pattern.format(place=place) not in parent.child_names]
    return pattern.format(place=rng.choice(unused or PLACES))


def _add_child(parent: _Node, area: _Area | None, rng: random.Random) -> _Node:
    level = parent.level + 1
    if level == 2:
        assert area is not None
        name, leader = area.name, area.leader
    else:
        area = parent.area
        assert area is not None  # levels 3 and below always sit in an area
        index = len(parent.children)
        if level == 3:
            name, leader = _place_name(area.subs[index % len(area.subs)], parent, rng), area.sub_leader
        elif level == 4:
            name, leader = (
                _place_name(area.team.replace("{n}", str(index + 1)), parent, rng),
                area.team_leader,
            )
        else:
            name, leader = f"Gruppe {index + 1}", "Teamleder"
    node = _Node(
        name=_unique(name, parent.child_names),
        leader=leader,
        level=level,
        department=parent.department,
        area=area,
    )
    parent.children.append(node)
    return node


def _department_tree(root: _Node, *, units: int, depth: int, rng: random.Random) -> list[_Node]:
    """Grow `units - 1` units below a department, level by level; returns every unit, root first."""
    department = root.department
    nodes = [root]
    if depth < 2 or units < 2:
        return nodes
    areas = sorted(department.areas, key=lambda area: -area.weight)
    level_nodes = [_add_child(root, area, rng) for area in areas[: units - 1]]
    nodes.extend(level_nodes)
    for count in _geometric_counts(units=units - len(nodes), levels=depth - 2, top=len(level_nodes)):
        # Each area gets new units in proportion to its weight, however many units it has already.
        per_area = collections.Counter(node.area.name for node in level_nodes if node.area)
        weights = list(
            itertools.accumulate(
                node.area.weight / per_area[node.area.name] for node in level_nodes if node.area
            )
        )
        picks = sorted(rng.choices(range(len(level_nodes)), cum_weights=weights, k=count))
        level_nodes = [_add_child(level_nodes[index], None, rng) for index in picks]
        nodes.extend(level_nodes)
    return nodes


def synthetic_tree(
    *, employees: int, seed: int, depth: int = 5, people_per_unit: int = DEFAULT_PEOPLE_PER_UNIT
) -> tuple[UnitSpec, ...]:
    """A municipality of `employees` people in about employees/people_per_unit units, `depth` levels deep.

    Level 1 are the departments (forvaltninger) in realistic proportions, level 2 their areas, level 3
    institutions and districts, levels 4 and 5 teams and groups. Units with sub-units hold a leader and
    a small office; everybody else works in the units without sub-units, in varying numbers.
    """
    if employees < 1:
        raise ValueError("employees must be at least 1")
    if depth < 1:
        raise ValueError("depth must be at least 1")
    rng = random.Random(f"fagdigital-tree-{seed}")  # noqa: S311 -- test data, not secrets
    units = max(1, min(employees, round(employees / people_per_unit)))
    departments = _DEPARTMENTS[:units]
    per_department = [
        count + 1 for count in _allocate(units - len(departments), [d.weight for d in departments])
    ]
    nodes: list[_Node] = []
    roots: list[_Node] = []
    for department, count in zip(departments, per_department, strict=True):
        root = _Node(name=department.name, leader="Direktør", level=1, department=department)
        roots.append(root)
        nodes.extend(_department_tree(root, units=count, depth=depth, rng=rng))

    weights = [_OFFICE_WEIGHT if node.children else rng.uniform(0.5, 1.5) for node in nodes]
    for node, count in zip(nodes, _allocate(employees - len(nodes), weights), strict=True):
        node.staff_count = count
    return tuple(_spec(root, rng) for root in roots)


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to the weights (largest remainder, deterministic)."""
    if not weights:
        return []
    scale = sum(weights)
    shares = [total * weight / scale for weight in weights]
    counts = [math.floor(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda index: counts[index] - shares[index])
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _spec(node: _Node, rng: random.Random) -> UnitSpec:
    mix = _OFFICE_STAFF if node.children or node.area is None else node.area.staff
    functions = [function for function, _weight in mix]
    cum = list(itertools.accumulate(weight for _function, weight in mix))
    picked = collections.Counter(rng.choices(functions, cum_weights=cum, k=node.staff_count))
    staff = tuple((function, picked[function]) for function in functions if picked[function])
    children = tuple(_spec(child, rng) for child in node.children)
    return UnitSpec(name=node.name, leader=node.leader, staff=staff, children=children)


def generate_rows(
    *,
    employees: int,
    seed: int,
    depth: int = 5,
    people_per_unit: int = DEFAULT_PEOPLE_PER_UNIT,
    email_domain: str = "storkommune.dk",
    external_id_prefix: str = "synthetic",
    first_employee_number: int = 100001,
) -> list[ImportRow]:
    """Rows for a synthetic municipality: `employees` rows, one leader per unit, deterministic per seed."""
    tree = synthetic_tree(employees=employees, seed=seed, depth=depth, people_per_unit=people_per_unit)
    return rows_from_tree(
        tree,
        seed=seed,
        email_domain=email_domain,
        external_id_prefix=f"{external_id_prefix}-{seed}",
        first_employee_number=first_employee_number,
    )
