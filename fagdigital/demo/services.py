"""Demo data: Demo Kommune, Nabo Kommune and a network of fictional ones with one login per role, and large
synthetic municipalities.

People, units, engagements and leaders are written only through the people import
(`people_import_apply`), the same path a municipality's own HR file takes.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.frameworks.models import Framework
from fagdigital.frameworks.services import organisation_onboard
from fagdigital.orgs.models import Person
from fagdigital.orgs.people_import import ImportRow
from fagdigital.orgs.services import ImportSummary, people_import_apply, person_link_user
from fagdigital.tenancy.models import Network, NetworkMember, Organisation, OrganisationKind, Role
from fagdigital.tenancy.services import (
    MUNICIPALITIES_CSV,
    membership_grant,
    network_ensure,
    organisation_ensure,
)

from .assessments import HistoryRequest, OpenRequest, Profile, RoundsResult, rounds_seed
from .development import development_seed
from .generator import demo_rows, generate_rows, nabo_rows
from .models import SeedFingerprint
from .names import ascii_fold

DEMO_KOMMUNEKODE = "0999"
NABO_KOMMUNEKODE = "0998"
GENERATED_KOMMUNEKODE = "0997"
DEMO_REGION = "Region Midtjylland"
DEMO_PASSWORD = "demo"  # noqa: S105 -- the demo's documented password; seeding refuses to run without DEBUG
LOGIN_DOMAIN = "demo.fagdigital.dk"
PROVIDER_NAME = "Demo Professionshøjskole"
NETWORK_OPERATOR_NAME = "Demo Kommunenetværk"
NETWORK_NAME = "Demo-netværket"


@dataclass(frozen=True)
class NetworkMunicipality:
    """A fictional municipality in the demo network: generated staff and a closed round with results,
    so the network's benchmark and chiefs' indicators have five and more organisations with data."""

    kommunekode: str  # fictional: unused by Denmark's 98 and by the generator's and benchmarks' defaults
    name: str
    region: str
    employees: int
    seed: int
    named_in_benchmarks: bool  # two of them chose to be named; the others are anonymous in the network
    profile: Profile  # what sets its results apart, so the benchmark has spread


NETWORK_MUNICIPALITIES = (
    NetworkMunicipality(
        "0993",
        "Fjordby Kommune",
        "Region Nordjylland",
        employees=420,
        seed=93,
        named_in_benchmarks=True,
        # Ahead on data security after a campaign, and its chiefs know it.
        profile=Profile(levels={"DS": 0.4, "BK": 0.1}, self_rate=0.87, survey_shift=0.7),
    ),
    NetworkMunicipality(
        "0992",
        "Skovlund Kommune",
        "Region Syddanmark",
        employees=360,
        seed=92,
        named_in_benchmarks=True,
        # Behind on security and digital leadership; its chiefs are sceptical.
        profile=Profile(levels={"DS": -0.4, "DL": -0.3}, self_rate=0.7, survey_shift=-0.6),
    ),
    NetworkMunicipality(
        "0991",
        "Åmark Kommune",
        "Region Midtjylland",
        employees=300,
        seed=91,
        named_in_benchmarks=False,
        # Strong on everyday tools and already trying AI.
        profile=Profile(levels={"BK": 0.35, "BK9": 0.4, "DL": 0.2}, self_rate=0.8, survey_shift=0.25),
    ),
    NetworkMunicipality(
        "0990",
        "Bakkedal Kommune",
        "Region Sjælland",
        employees=260,
        seed=90,
        named_in_benchmarks=False,
        # Behind on the tools, about average elsewhere.
        profile=Profile(levels={"BK": -0.35, "DS": -0.1}, self_rate=0.66, survey_shift=-0.25),
    ),
    # Three more unnamed members: the network's spread leaves out the reader's own and the named
    # members, and needs five others (privacy.benchmark).
    NetworkMunicipality(
        "0989",
        "Lyngå Kommune",
        "Region Hovedstaden",
        employees=220,
        seed=89,
        named_in_benchmarks=False,
        profile=Profile(levels={"DL": 0.25, "DS": 0.15}, self_rate=0.78, survey_shift=0.35),
    ),
    NetworkMunicipality(
        "0988",
        "Egeris Kommune",
        "Region Nordjylland",
        employees=200,
        seed=88,
        named_in_benchmarks=False,
        profile=Profile(levels={"BK": -0.15, "DL": -0.2}, self_rate=0.72, survey_shift=-0.1),
    ),
    NetworkMunicipality(
        "0987",
        "Holmsted Kommune",
        "Region Syddanmark",
        employees=200,
        seed=87,
        named_in_benchmarks=False,
        profile=Profile(levels={"DS": 0.2, "BK": 0.05}, self_rate=0.75, survey_shift=0.1),
    ),
)
NETWORK_CODES = frozenset(m.kommunekode for m in NETWORK_MUNICIPALITIES)
DEMO_CODES = frozenset({DEMO_KOMMUNEKODE, NABO_KOMMUNEKODE, *NETWORK_CODES})
# Bump when the seeding changes in a way the rows do not show, so existing demo databases are refreshed.
SEED_VERSION = "2"

# Where the demo logins sit in Demo Kommune's tree.
HOME_CARE_AREA = ("Social og Sundhed", "Hjemmeplejen", "Område Nord")
HOME_CARE_TEAM = (*HOME_CARE_AREA, "Team Nord 1")
HR_UNIT = ("Administration", "HR")
DIRECTION_UNIT = ("Direktion",)

Progress = Callable[[str, int, int], None]
"""Called with a phase label, the rows done and the rows in all."""


class DemoSeedRefusedError(Exception):
    """Demo data (with its well-known password) is only for installations running with DEBUG on."""


class MunicipalityCodeRefusedError(ValueError):
    """Synthetic municipalities must use a fictional kommunekode, never a real or demo one."""


@dataclass(frozen=True)
class SeededOrganisation:
    name: str
    rows: int
    imported: bool  # False when the organisation already held exactly these rows
    summary: ImportSummary | None


@dataclass(frozen=True)
class DemoSeedResult:
    organisations: tuple[SeededOrganisation, ...]
    logins_created: tuple[str, ...]
    logins: tuple[str, ...]
    rounds: RoundsResult | None = None


@dataclass(frozen=True)
class GenerateResult:
    organisation: Organisation
    rows: int
    units: int
    depth: int
    summary: ImportSummary


# --- demo -----------------------------------------------------------------------------------------


def demo_seed(*, today: dt.date | None = None, progress: Progress | None = None) -> DemoSeedResult:
    """Build Demo Kommune, Nabo Kommune, four fictional municipalities of a few hundred people each, a
    provider, a network of the six, the demo logins and the assessment rounds (a closed spring round
    with results in every municipality, an open one in Demo Kommune). Idempotent.

    An organisation whose rows are unchanged since the last run (same fingerprint) is not imported
    again, and its closed round is not regenerated, so a second run writes nothing and takes a moment;
    the logins are checked every time.
    """
    if not settings.DEBUG:
        raise DemoSeedRefusedError(
            "Demo data has well-known passwords and is only created with DEBUG on (e.g. `./dev demo`)."
        )
    demo_people = demo_rows()
    nabo_people = nabo_rows()
    with transaction.atomic():
        demo = _municipality(kommunekode=DEMO_KOMMUNEKODE, name="Demo Kommune", region=DEMO_REGION)
        nabo = _municipality(kommunekode=NABO_KOMMUNEKODE, name="Nabo Kommune", region=DEMO_REGION)
        network = [
            (member, _municipality(kommunekode=member.kommunekode, name=member.name, region=member.region))
            for member in NETWORK_MUNICIPALITIES
        ]
        seeded = (
            _import_once(organisation=demo, key="demo", rows=demo_people, today=today, progress=progress),
            _import_once(organisation=nabo, key="demo", rows=nabo_people, today=today, progress=progress),
            *(
                _import_once(
                    organisation=organisation,
                    key="demo",
                    rows=network_rows(member),
                    today=today,
                    progress=progress,
                )
                for member, organisation in network
            ),
        )
        frameworks = {
            municipality.pk: organisation_onboard(organisation=municipality).framework
            for municipality in (demo, nabo, *(organisation for _member, organisation in network))
        }
        provider = organisation_ensure(kind=OrganisationKind.EDUCATION_PROVIDER, name=PROVIDER_NAME)
        operator = organisation_ensure(kind=OrganisationKind.NETWORK_OPERATOR, name=NETWORK_OPERATOR_NAME)
        demo_network = _network(operator=operator, demo=demo, nabo=nabo, members=network)
        created = _demo_logins(demo=demo, nabo=nabo, provider=provider, operator=operator, rows=demo_people)
        rounds = _assessment_rounds(
            demo=demo,
            nabo=nabo,
            network=[organisation for _member, organisation in network],
            frameworks=frameworks,
            today=today or timezone.localdate(),
            progress=progress,
        )
        development_seed(
            demo=demo,
            municipalities=[demo, nabo, *(organisation for _member, organisation in network)],
            provider=provider,
            operator=operator,
            network=demo_network,
            today=today or timezone.localdate(),
        )
    return DemoSeedResult(
        organisations=seeded,
        logins_created=tuple(created),
        logins=tuple(login_email(slug) for slug in DEMO_LOGIN_SLUGS),
        rounds=rounds,
    )


DEMO_LOGIN_SLUGS = ("medarbejder", "leder", "hr", "direktion", "udbyder", "netvaerk", "admin")


def login_email(slug: str) -> str:
    return f"{slug}@{LOGIN_DOMAIN}"


def _municipality(*, kommunekode: str, name: str, region: str) -> Organisation:
    return organisation_ensure(
        kind=OrganisationKind.MUNICIPALITY, name=name, kommunekode=kommunekode, region=region
    )


def network_rows(member: NetworkMunicipality) -> list[ImportRow]:
    """A network municipality's staff: a small generated municipality (departments, areas, teams)."""
    return generate_rows(
        employees=member.employees,
        seed=member.seed,
        depth=4,
        email_domain=ascii_fold(member.name).lower().replace(" ", "") + ".dk",
        external_id_prefix=f"demo-{member.kommunekode}",
        first_employee_number=100001,
    )


def _network(
    *,
    operator: Organisation,
    demo: Organisation,
    nabo: Organisation,
    members: Sequence[tuple[NetworkMunicipality, Organisation]],
) -> Network:
    """The demo network: the two demo municipalities and the fictional ones, which alone have data.

    Members from earlier demo versions (real municipalities, which the demo must not invent results
    for) are removed; the naming choices are set as NETWORK_MUNICIPALITIES says (no write if they are)."""
    organisations = [demo, nabo, *(organisation for _member, organisation in members)]
    network = network_ensure(name=NETWORK_NAME, coordinator=operator, members=organisations)
    NetworkMember.objects.filter(network=network).exclude(organisation__in=organisations).delete()
    named = {organisation.pk for member, organisation in members if member.named_in_benchmarks}
    anonymous = {organisation.pk for organisation in organisations} - named
    for ids, choice in ((named, True), (anonymous, False)):
        NetworkMember.objects.filter(network=network, organisation_id__in=ids).exclude(
            named_in_benchmarks=choice
        ).update(named_in_benchmarks=choice)
    return network


def rows_fingerprint(*, organisation: Organisation, rows: Sequence[ImportRow]) -> str:
    """A hash of what an import of these rows into this organisation would write."""
    digest = hashlib.sha256(f"{SEED_VERSION}|{organisation.pk}|{organisation.kommunekode}".encode())
    for row in rows:
        digest.update(repr(dataclasses.astuple(row)).encode())
    return digest.hexdigest()


def _import_once(
    *,
    organisation: Organisation,
    key: str,
    rows: Sequence[ImportRow],
    today: dt.date | None,
    progress: Progress | None,
) -> SeededOrganisation:
    """Import the rows unless exactly these rows were imported into this organisation before."""
    seed_key = f"{key}:{organisation.kommunekode or organisation.pk}"
    fingerprint = rows_fingerprint(organisation=organisation, rows=rows)
    stored = SeedFingerprint.objects.filter(key=seed_key).first()
    if stored is not None and stored.fingerprint == fingerprint:
        return SeededOrganisation(name=organisation.name, rows=len(rows), imported=False, summary=None)
    summary = people_import_apply(
        organisation=organisation,
        rows=rows,
        today=today,
        end_missing=True,
        progress=_phase(progress, organisation),
        # Rows the platform generates itself, not an HR file: no typed confirmation to ask for.
        safeguards=False,
    )
    SeedFingerprint.objects.update_or_create(key=seed_key, defaults={"fingerprint": fingerprint})
    return SeededOrganisation(name=organisation.name, rows=len(rows), imported=True, summary=summary)


def _phase(progress: Progress | None, organisation: Organisation) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    label = organisation.name

    def report(done: int, total: int) -> None:
        progress(label, done, total)

    return report


def _first(rows: Sequence[ImportRow], *, unit_path: tuple[str, ...], **match: object) -> ImportRow:
    for row in rows:
        if row.unit_path == unit_path and all(getattr(row, name) == value for name, value in match.items()):
            return row
    raise LookupError(f"no demo row in {' / '.join(unit_path)} with {match}")


@dataclass(frozen=True)
class _Grant:
    organisation: Organisation
    roles: tuple[Role, ...]
    person: ImportRow | None = None


def _demo_logins(
    *,
    demo: Organisation,
    nabo: Organisation,
    provider: Organisation,
    operator: Organisation,
    rows: Sequence[ImportRow],
) -> list[str]:
    """One login per role; created once, then only checked (no writes when nothing changed)."""
    employee = _first(rows, unit_path=HOME_CARE_TEAM, is_leader=False)
    leader = _first(rows, unit_path=HOME_CARE_AREA, is_leader=True)
    hr = _first(rows, unit_path=HR_UNIT, job_function="HR-konsulent")
    director = _first(rows, unit_path=DIRECTION_UNIT, is_leader=True)
    admin_roles = (Role.PLATFORM_ADMIN, Role.COMPETENCE_ADMIN)
    logins: dict[str, tuple[str, list[_Grant]]] = {
        "medarbejder": (employee.name, [_Grant(demo, (Role.EMPLOYEE,), employee)]),
        "leder": (leader.name, [_Grant(demo, (Role.EMPLOYEE, Role.LEADER), leader)]),
        "hr": (hr.name, [_Grant(demo, (Role.COMPETENCE_ADMIN, Role.EMPLOYEE), hr)]),
        "direktion": (director.name, [_Grant(demo, (Role.TOP_MANAGEMENT,), director)]),
        "udbyder": ("Birgitte Lund Holm", [_Grant(provider, (Role.EDUCATION_PROVIDER,))]),
        "netvaerk": ("Peter Dahl Kristensen", [_Grant(operator, (Role.NETWORK_COORDINATOR,))]),
        "admin": ("Platformadministrator", [_Grant(demo, admin_roles), _Grant(nabo, admin_roles)]),
    }
    created: list[str] = []
    password_hash: list[str] = []  # hashed once, when the first login is created
    for slug, (full_name, grants) in logins.items():
        staff = slug == "admin"
        user = User.objects.filter(email=login_email(slug)).first()
        if user is None:
            if not password_hash:
                password_hash.append(make_password(DEMO_PASSWORD))
            user = User(email=login_email(slug), full_name=full_name, is_staff=staff, is_superuser=staff)
            user.password = password_hash[0]
            user.save()
            created.append(user.email)
        else:
            wanted = {"full_name": full_name, "is_staff": staff, "is_superuser": staff, "is_active": True}
            changed = [field for field, value in wanted.items() if getattr(user, field) != value]
            if changed:
                for field in changed:
                    setattr(user, field, wanted[field])
                user.save(update_fields=changed)
        for grant in grants:
            membership_grant(user=user, organisation=grant.organisation, roles=grant.roles)
            if grant.person is not None:
                person_link_user(
                    organisation=grant.organisation, employee_number=grant.person.employee_number, user=user
                )
    return created


def _assessment_rounds(
    *,
    demo: Organisation,
    nabo: Organisation,
    network: Sequence[Organisation],
    frameworks: dict[int, Framework],
    today: dt.date,
    progress: Progress | None,
) -> RoundsResult:
    """Last spring's closed round in every demo municipality and, in Demo Kommune, an open round.

    The demo logins of Demo Kommune answered last spring (so their feedback pages have results) and
    have not answered the open round yet (so they can try it).
    """
    people = dict(
        Person.objects.filter(
            organisation=demo, user__email__in=[login_email(slug) for slug in DEMO_LOGIN_SLUGS]
        ).values_list("user__email", "pk")
    )
    logins = frozenset(people.values())
    hr = User.objects.get(email=login_email("hr"))
    admin = User.objects.get(email=login_email("admin"))
    return rounds_seed(
        history=[
            HistoryRequest(demo, frameworks[demo.pk], _people_fingerprint(demo), hr, logins),
            HistoryRequest(nabo, frameworks[nabo.pk], _people_fingerprint(nabo), admin),
            *(
                HistoryRequest(
                    organisation,
                    frameworks[organisation.pk],
                    _people_fingerprint(organisation),
                    admin=None,
                    profile=member.profile,
                )
                for member, organisation in zip(NETWORK_MUNICIPALITIES, network, strict=True)
            ),
        ],
        open_round=OpenRequest(
            organisation=demo,
            framework=frameworks[demo.pk],
            admin=hr,
            invite_only=Person.objects.get(pk=people[login_email("medarbejder")]),
            untouched=logins,
        ),
        today=today,
        progress=progress,
    )


def _people_fingerprint(organisation: Organisation) -> str:
    key = f"demo:{organisation.kommunekode or organisation.pk}"
    return SeedFingerprint.objects.filter(key=key).values_list("fingerprint", flat=True).first() or ""


# --- synthetic municipalities ------------------------------------------------------------------------


@cache
def real_kommunekoder() -> frozenset[str]:
    """The codes of Denmark's 98 municipalities, from the shipped list."""
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["kommunekode"].zfill(4) for row in csv.DictReader(handle))


def normalise_kommunekode(kommunekode: str) -> str:
    code = kommunekode.strip()
    if not code.isdigit() or len(code) > 4:
        raise MunicipalityCodeRefusedError(f"{kommunekode!r} is not a kommunekode (up to four digits).")
    return code.zfill(4)


def municipality_generate(
    *,
    employees: int,
    seed: int,
    kommunekode: str = GENERATED_KOMMUNEKODE,
    name: str = "Stor Kommune",
    depth: int = 5,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> GenerateResult:
    """Create or refresh a synthetic municipality (fictional code) with `employees` people.

    Rows come from `generate_rows` (about employees/18 units, `depth` levels) and are written through
    the people import; a second run with the same arguments changes nothing, another seed replaces
    the people (those missing from the new rows are ended).
    """
    code = normalise_kommunekode(kommunekode)
    if code in real_kommunekoder():
        raise MunicipalityCodeRefusedError(
            f"{code} is a real municipality's code; use a fictional one (e.g. 0997)."
        )
    if code in DEMO_CODES:
        raise MunicipalityCodeRefusedError(f"{code} belongs to the demo municipalities; use e.g. 0997.")
    if employees < 1:
        raise ValueError("employees must be at least 1")
    if progress is not None:
        progress("generate", 0, employees)
    domain = ascii_fold(name).lower().replace(" ", "") + ".dk"
    rows = generate_rows(
        employees=employees,
        seed=seed,
        depth=depth,
        email_domain=domain,
        external_id_prefix=f"generated-{code}",
    )
    if progress is not None:
        progress("generate", len(rows), len(rows))
    with transaction.atomic():
        organisation = _municipality(kommunekode=code, name=name, region="")
        summary = people_import_apply(
            organisation=organisation,
            rows=rows,
            today=today,
            end_missing=True,
            progress=_phase(progress, organisation),
            # Rows the platform generates itself, not an HR file: no typed confirmation to ask for.
            safeguards=False,
        )
        organisation_onboard(organisation=organisation)
    units = {row.unit_path for row in rows}
    return GenerateResult(
        organisation=organisation,
        rows=len(rows),
        units=len(units),
        depth=max(len(path) for path in units),
        summary=summary,
    )
