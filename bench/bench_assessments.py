"""Load test of the self-assessment: 50 employees answering at once, against gunicorn and PostgreSQL.

Method. In the benchmark database this generates a municipality (4,000 employees by default, onboarded
with the default framework), opens a campaign over all of it (self-assessment, leader assessment and
knowledge test, invitations sent to a dummy mail backend) and gives 300 of its participants a login:
a user with a password, linked to their person, with the employee role, and a session made directly
in the session table as a login makes it. Logging in through the form would spend most of the first
seconds on password hashing (PBKDF2, some 0.3 s of CPU each on this machine) and is not what is
measured. It then starts gunicorn on loopback with production settings (DEBUG off, not in test mode,
bench/settings_bench.py) and runs locust headless in a subprocess (bench/locustfile_assessments.py),
three times, each with the same number of simulated users (50 by default, all started at once):

1. baseline: a view that runs one indexed query (a person by primary key, bench/urls_bench.py) behind
   the full middleware stack, without a session, no think time;
2. mix: questionnaire pages and their autosaves without think time, for the throughput (this also
   warms every worker before the flow);
3. flow: employees (arriving over 10 s) going through the whole self-assessment with 0.5-2 s think
   time between steps (a real person takes far longer, so 50 simulated employees load the server like
   several hundred): the intro page, each focus area's questionnaire page, one autosave per answer
   (the growing form, as htmx posts it), the review page, the submission and the feedback page; then
   the next person.

Before the load, one more person goes through the self-assessment in-process with Django's test client
and the queries and time of each request are printed (no load, test settings). After each phase the
CPU the machine, gunicorn, the benchmark database's PostgreSQL backends, locust and other processes
used is printed, with gunicorn's CPU per request: on a shared machine `other` explains slow figures.

Figures (unit in each; baseline and ratio as in every benchmark here):
- assessments_questionnaire_p95, assessments_autosave_p95, assessments_submit_p95: 95th percentile
  response time (ms) in the flow phase; baseline: the baseline view's p95; ratio: value / baseline.
- assessments_errors: failed requests (wrong status, missing content, connection errors) in the flow
  and mix phases; baseline: failures of the baseline phase.
- assessments_throughput: requests per second of the mix phase; baseline: the baseline view's under
  the same number of users; ratio: value / baseline. Both are closed-loop with no think time, so they
  measure what the server can do, not how fast the simulated users click.
- assessments_flow_throughput: requests per second of the flow phase; baseline: the rate its users
  would make if every response were instant (users / mean think time); ratio: the share of that load
  the server kept up with (1.0 when responses are negligible next to the think time).
Targets (issue 4, on a 2-core machine): questionnaire page and autosave p95 <= 150 ms, 0 errors and a
throughput ratio >= 0.5. Locust and PostgreSQL share the machine's cores with gunicorn.

Run it with `./dev bench assessments`; options with `--set`, e.g. `--set employees=5000 --set users=50
--set workers=3 --set worker_class=gthread --set threads=4 --set flow_seconds=90` (see `run`). The
server's log (one JSON line per request) is kept in var/bench/assessments-gunicorn.log, locust's CSV
statistics in var/bench/assessments-locust/.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import random
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from fagdigital.accounts.models import User
from fagdigital.assessments import selectors, services
from fagdigital.assessments.models import Campaign, Instrument, Participant, Visibility
from fagdigital.demo.services import municipality_generate
from fagdigital.frameworks.models import Framework, FrameworkStatus
from fagdigital.orgs.models import OrgUnit, Person
from fagdigital.orgs.services import person_link_user
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.middleware import SESSION_KEY as ORGANISATION_SESSION_KEY
from fagdigital.tenancy.models import Organisation, Role
from fagdigital.tenancy.services import membership_grant

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "bench" / "locustfile_assessments.py"
BASELINE_PATH = "/bench/grundlinje/"
DEFAULT_EMPLOYEES = 4_000
# Known to the benchmark only (and to anyone reading this): the logins exist in the benchmark database.
BENCH_PASSWORD = "bench-selvvurdering-2026"  # noqa: S105
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
DUMMY_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
IMMEDIATE_TASKS_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
FLOW_ROWS = ("intro", "questionnaire page", "autosave", "review page", "submit", "feedback page")
MIX_ROWS = ("questionnaire page", "autosave")
SERVER_START_SECONDS = 60
FLOW_RAMP_SECONDS = 10


@dataclass(frozen=True)
class Setup:
    organisation: Organisation
    campaign: Campaign
    users: list[User]  # logins of participants, in the order their sessions are handed out
    area_ids: list[list[int]]  # for each of those, the focus areas of their questionnaire, in order
    probe_user: User  # one more, for counting queries in-process
    person_ids: list[int]


@dataclass(frozen=True)
class Row:
    """One line of locust's statistics CSV."""

    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    average: float
    rps: float

    @classmethod
    def from_csv(cls, line: dict[str, str]) -> Row:
        def number(key: str) -> float:
            value = line.get(key, "")
            return float(value) if value not in {"", "N/A"} else 0.0

        return cls(
            name=line["Name"],
            requests=int(number("Request Count")),
            failures=int(number("Failure Count")),
            p50=number("50%"),
            p95=number("95%"),
            p99=number("99%"),
            average=number("Average Response Time"),
            rps=number("Requests/s"),
        )


@dataclass(frozen=True)
class Phase:
    name: str
    rows: dict[str, Row]
    failures: list[str]
    seconds: float  # wall time of the locust run, start-up included
    cpu: dict[str, float]  # CPU seconds in that time: machine, gunicorn, postgres, locust, other

    @property
    def failed(self) -> int:
        row = self.rows.get("Aggregated")
        return row.failures if row is not None else 0

    def rps(self, names: tuple[str, ...]) -> float:
        return sum(self.rows[name].rps for name in names if name in self.rows)

    @property
    def requests(self) -> int:
        row = self.rows.get("Aggregated")
        return row.requests if row is not None else 0


# --- setting up the municipality, the campaign and the logins ----------------------------------------


def set_up(*, employees: int, participants: int, seed: int) -> Setup:
    started = time.perf_counter()
    result = municipality_generate(employees=employees, seed=seed)
    organisation = result.organisation
    print(
        f"    municipality: {result.rows:,} people, {result.units:,} units "
        f"({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    framework = Framework.objects.get(organisation=organisation, status=FrameworkStatus.PUBLISHED)
    admin = User.objects.create_user(email="kompetenceadmin@bench.invalid", password=None)
    membership_grant(user=admin, organisation=organisation, roles=[Role.COMPETENCE_ADMIN])
    actor = Actor(user=admin, organisation=organisation, roles=frozenset({Role.COMPETENCE_ADMIN}))
    today = timezone.localdate()
    roots = OrgUnit.objects.filter(organisation=organisation, parent__isnull=True)
    started = time.perf_counter()
    campaign = services.campaign_create(
        actor=actor,
        values=services.CampaignSettings(
            name="Digitale kompetencer 2026",
            framework=framework,
            opens_on=today,
            closes_on=today + dt.timedelta(days=21),
            instruments=(Instrument.SELF, Instrument.LEADER, Instrument.TEST),
            visibility=Visibility.DEVELOPMENT,
            units=[(unit, True) for unit in roots],
            test_area_codes=["DS"],
        ),
    )
    # Invitations go to no mail server; with the immediate task backend they are "sent" right here.
    with override_settings(EMAIL_BACKEND=DUMMY_EMAIL_BACKEND):
        campaign = services.campaign_open(campaign=campaign)
    count = Participant.objects.filter(campaign=campaign).count()
    print(
        f"    campaign opened for {count:,} participants ({time.perf_counter() - started:.1f} s)", flush=True
    )

    person_ids = list(
        Participant.objects.filter(campaign=campaign)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    if len(person_ids) < participants + 1:
        raise RuntimeError(f"only {len(person_ids)} participants; ask for fewer or more employees")
    chosen = random.Random(seed).sample(person_ids, participants + 1)
    users = logins_create(organisation=organisation, person_ids=chosen)
    profiles = dict(
        Participant.objects.filter(campaign=campaign, person_id__in=chosen).values_list(
            "person_id", "role_profile_code"
        )
    )
    areas_by_profile = {
        code: list(
            dict.fromkeys(
                competence.area_id
                for competence in selectors.questionnaire_competences(
                    campaign=campaign, role_profile_code=code
                )
            )
        )
        for code in set(profiles.values())
    }
    area_ids = [areas_by_profile[profiles[pk]] for pk in chosen[1:]]
    return Setup(organisation, campaign, users[1:], area_ids, users[0], person_ids)


def logins_create(*, organisation: Organisation, person_ids: list[int]) -> list[User]:
    """A login per person (same password for all), linked to the person, with the employee role."""
    # One hash for every login: hashing is what makes a login slow, and these share a password.
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(BENCH_PASSWORD, hasher.salt())
    people = Person.objects.in_bulk(person_ids)
    users = User.objects.bulk_create(
        User(email=f"medarbejder-{pk}@bench.invalid", full_name=people[pk].name, password=password)
        for pk in person_ids
    )
    with transaction.atomic():
        for pk, user in zip(person_ids, users, strict=True):
            membership_grant(user=user, organisation=organisation, roles=[Role.EMPLOYEE])
            person_link_user(organisation=organisation, employee_number=people[pk].employee_number, user=user)
    return users


def sessions_create(*, users: list[User], organisation: Organisation, secret_key: str) -> list[str]:
    """Session keys as `login()` would store them, signed with the server's SECRET_KEY."""
    keys = []
    with override_settings(SECRET_KEY=secret_key):
        for user in users:
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = MODEL_BACKEND
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store[ORGANISATION_SESSION_KEY] = organisation.pk
            store.create()
            assert store.session_key is not None
            keys.append(store.session_key)
    return keys


# --- queries and time per request, in-process ----------------------------------------------------------


def probe_queries(setup: Setup) -> list[tuple[str, int, float]]:
    """(request, queries, ms) for one person's pass through the self-assessment with the test client.

    Each page is asked twice and the second is kept, so template loading does not count; the baseline
    is asked without a session, as in the load test.
    """
    anonymous = Client()
    client = Client()
    client.force_login(setup.probe_user, backend=MODEL_BACKEND)
    base = f"/maalinger/{setup.campaign.pk}/selvvurdering/"
    found: list[tuple[str, int, float]] = []

    def measure(label: str, method: str, path: str, *, by: Client = client, **kwargs: Any) -> Any:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = getattr(by, method)(path, **kwargs)
            elapsed = (time.perf_counter() - started) * 1000
        found.append((f"{label} ({response.status_code})", len(queries), elapsed))
        return response

    def twice(label: str, path: str, *, by: Client = client) -> Any:
        by.get(path)
        return measure(label, "get", path, by=by)

    with override_settings(ROOT_URLCONF="bench.urls_bench", ALLOWED_HOSTS=["testserver"]):
        twice("baseline", f"{BASELINE_PATH}{setup.person_ids[0]}/", by=anonymous)
        intro = twice("intro", base)
        areas = re.findall(rf'href="{re.escape(base)}(\d+)/"', intro.content.decode())
        page = twice("questionnaire page", f"{base}{areas[0] if areas else 0}/")
        names = list(dict.fromkeys(re.findall(r'type="radio"\s+name="(c\d+)"', page.content.decode())))
        answers: dict[str, str] = {}
        for index, name in enumerate(names[:3]):
            answers[name] = str(1 + index % 4)
            measure(
                f"autosave, {index + 1} answered", "post", f"{base}gem/", data=answers, HTTP_HX_REQUEST="true"
            )
        measure("autosave, nothing changed", "post", f"{base}gem/", data=answers, HTTP_HX_REQUEST="true")
        twice("review page", f"{base}indsend/")
        measure("submit", "post", f"{base}indsend/")
        measure("submit again", "post", f"{base}indsend/")
        twice("feedback page", "/maalinger/min-profil/")
    return found


# --- the server and the load generator ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_database_url() -> str:
    """DATABASE_URL of the benchmark database (run.py created it next to the development database)."""
    url = os.environ.get("DATABASE_URL", "")
    if connection.vendor != "postgresql" or not url:
        raise RuntimeError("the load test needs PostgreSQL: run it with `./dev bench assessments`")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))


def executable(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed (it is in the dev dependency group)")
    return found


@contextlib.contextmanager
def gunicorn(
    *, port: int, secret_key: str, workers: int, worker_class: str, threads: int, log_path: Path
) -> Iterator[tuple[str, int]]:
    """A production-like server on loopback for the duration of the block: (base URL, master's pid)."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "FAGDIGITAL_TESTING": "0",
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": server_database_url(),
        "EMAIL_BACKEND": DUMMY_EMAIL_BACKEND,
        "TASKS_BACKEND": IMMEDIATE_TASKS_BACKEND,
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        executable("gunicorn"),
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        f"--chdir={ROOT}",
        "--timeout=60",
        "--log-level=warning",
    ]
    if worker_class == "gthread":
        command.append(f"--threads={threads}")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(process, f"{base_url}{BASELINE_PATH}0/", log_path)
            yield base_url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    """Until the server answers (the baseline's 404 for person 0 will do)."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 -- our own loopback server
                return
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return
            raise RuntimeError(f"gunicorn answered {error.code}:\n{tail(log_path)}") from error
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    raise RuntimeError(f"gunicorn did not answer within {SERVER_START_SECONDS} s:\n{tail(log_path)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


CpuSnapshot = dict[tuple[str, int], float]


def cpu_snapshot(*, server_pid: int, database: str) -> CpuSnapshot:
    """CPU seconds used so far by the whole machine (pid 0) and by each gunicorn process and PostgreSQL
    backend of the benchmark database (Linux /proc; empty elsewhere)."""
    proc = Path("/proc")
    if not (proc / "stat").exists():
        return {}
    ticks = os.sysconf("SC_CLK_TCK")
    fields = [int(value) for value in (proc / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    found: CpuSnapshot = {("machine", 0): (sum(fields[:8]) - idle) / ticks}  # guest time is in user time
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        values = stat.rsplit(")", 1)[1].split()
        pid, parent, cpu = int(entry.name), int(values[1]), (int(values[11]) + int(values[12])) / ticks
        if server_pid in {pid, parent}:
            found["gunicorn", pid] = cpu
        elif command.startswith("postgres:") and f" {database} " in command:
            found["postgres", pid] = cpu
    return found


def machine_busy_cores(seconds: float = 1.0) -> float | None:
    """How many cores the machine keeps busy, measured over `seconds` (None without /proc)."""
    before = cpu_snapshot(server_pid=-1, database="")
    time.sleep(seconds)
    after = cpu_snapshot(server_pid=-1, database="")
    if not after:
        return None
    return (after["machine", 0] - before["machine", 0]) / seconds


def cpu_used(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float]:
    """CPU seconds per group between two snapshots (a process that ended in between is not counted)."""
    used: dict[str, float] = {"machine": 0.0, "gunicorn": 0.0, "postgres": 0.0}
    for (group, pid), cpu in after.items():
        used[group] += cpu - before.get((group, pid), 0.0)
    return used


def locust(
    *,
    phase: str,
    user_class: str,
    seconds: int,
    users: int,
    host: str,
    plan_path: Path,
    out_dir: Path,
    server_pid: int,
    ramp_seconds: float = 0.0,
) -> Phase:
    """Run locust headless in a subprocess (gevent must not patch this process) and read its CSV."""
    prefix = out_dir / phase
    command = [
        executable("locust"),
        f"--locustfile={LOCUSTFILE}",
        "--headless",
        f"--users={users}",
        # All at once for the closed-loop phases; the flow's people arrive over a few seconds, as people do.
        f"--spawn-rate={users / ramp_seconds if ramp_seconds else users}",
        f"--run-time={seconds}s",
        f"--host={host}",
        f"--csv={prefix}",
        "--only-summary",
        "--loglevel=WARNING",
        "--stop-timeout=0",
        user_class,
    ]
    env = os.environ | {"BENCH_ASSESSMENTS_PLAN": str(plan_path)}
    database = str(connection.settings_dict["NAME"])
    before = cpu_snapshot(server_pid=server_pid, database=database)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    wall = time.perf_counter() - started
    after = cpu_snapshot(server_pid=server_pid, database=database)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_used(before, after) if after else {}
    if cpu:
        cpu["locust"] = (children_after.ru_utime + children_after.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
        cpu["other"] = max(0.0, cpu["machine"] - cpu["gunicorn"] - cpu["postgres"] - cpu["locust"])
    stats_path = prefix.with_name(f"{prefix.name}_stats.csv")
    if not stats_path.exists():
        raise RuntimeError(f"locust ({phase}) wrote no statistics:\n{completed.stdout}\n{completed.stderr}")
    with stats_path.open(encoding="utf-8", newline="") as handle:
        rows = {line["Name"]: Row.from_csv(line) for line in csv.DictReader(handle)}
    failures: list[str] = []
    failures_path = prefix.with_name(f"{prefix.name}_failures.csv")
    if failures_path.exists():
        with failures_path.open(encoding="utf-8", newline="") as handle:
            failures = [
                f"{line['Occurrences']} x {line['Method']} {line['Name']}: {line['Error']}"
                for line in csv.DictReader(handle)
            ]
    return Phase(phase, rows, failures, wall, cpu)


# --- reporting ----------------------------------------------------------------------------------------


def print_phase(phase: Phase, names: tuple[str, ...]) -> None:
    print(f"    {phase.name}:", flush=True)
    print(f"      {'request':<20} {'count':>7} {'fails':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>7}")
    for name in (*names, "Aggregated"):
        row = phase.rows.get(name)
        if row is None:
            continue
        print(
            f"      {name:<20} {row.requests:>7,} {row.failures:>6,} {row.p50:>6.0f} {row.p95:>6.0f} "
            f"{row.p99:>6.0f} {row.rps:>7.1f}"
        )
    for failure in phase.failures[:10]:
        print(f"      failed: {failure}")
    if phase.cpu and phase.seconds:
        cores = ", ".join(f"{key} {value / phase.seconds:.2f}" for key, value in phase.cpu.items())
        per_request = 1000 * phase.cpu["gunicorn"] / phase.requests if phase.requests else 0.0
        print(
            f"      CPU cores busy (of {os.cpu_count()}): {cores}; "
            f"gunicorn {per_request:.1f} ms CPU per request"
        )


def entry(value: float | None, unit: str, baseline: float | None) -> dict[str, Any]:
    ratio = round(value / baseline, 2) if value is not None and baseline else None
    return {"value": value, "unit": unit, "baseline": baseline, "ratio": ratio}


def offered_rate(flow: Phase, *, users: float, think: float) -> float:
    """Requests per second the flow's users would make if the server answered at once: every request
    but the intro page and the feedback page (which follow a redirect or a new person) comes after one
    think time."""
    total = sum(flow.rows[name].requests for name in FLOW_ROWS if name in flow.rows)
    unpaced = sum(flow.rows[name].requests for name in ("intro", "feedback page") if name in flow.rows)
    paced = total - unpaced
    return users / think * total / paced if paced and think else 0.0


def p95(phase: Phase, name: str) -> float | None:
    row = phase.rows.get(name)
    return row.p95 if row is not None and row.requests else None


def run(
    *,
    employees: int = DEFAULT_EMPLOYEES,
    users: int = 50,
    participants: int = 300,
    seed: int = 1,
    workers: int = 4,
    worker_class: str = "sync",
    threads: int = 2,
    baseline_seconds: int = 20,
    flow_seconds: int = 60,
    mix_seconds: int = 20,
    think_min: float = 0.5,
    think_max: float = 2.0,
    **_ignored: Any,
) -> dict[str, dict[str, Any]]:
    server_database_url()  # fail early without PostgreSQL
    if participants < 2 * users:
        raise ValueError(f"participants ({participants}) must be at least twice the users ({users})")
    busy = machine_busy_cores()
    if busy is not None and busy > 0.25:
        print(
            f"    warning: other processes keep {busy:.1f} of {os.cpu_count()} cores busy; the figures "
            "will be worse than on a quiet machine (see `other` in the CPU lines)",
            flush=True,
        )
    secret_key = secrets.token_urlsafe(50)
    setup = set_up(employees=employees, participants=participants, seed=seed)
    started = time.perf_counter()
    sessions = sessions_create(users=setup.users, organisation=setup.organisation, secret_key=secret_key)
    print(f"    {len(sessions)} logins and sessions ({time.perf_counter() - started:.1f} s)", flush=True)

    print("    queries per request (one person, in-process, no load):", flush=True)
    for label, queries, ms in probe_queries(setup):
        print(f"      {label:<36} {queries:>3} queries {ms:>7.1f} ms")
        if label.startswith("baseline") and queries != 1:
            print(f"      warning: the baseline should run exactly one query, not {queries}")

    out_dir = Path(settings.VAR_DIR) / "bench" / "assessments-locust"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    plan_path = out_dir / "plan.json"
    plan = {
        "campaign_id": setup.campaign.pk,
        "baseline_path": BASELINE_PATH,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        # The mix phase's users come first, so the flow phase starts with people who have not answered.
        "mix_sessions": [[key, areas] for key, areas in zip(sessions, setup.area_ids, strict=True)][:users],
        "flow_sessions": sessions[users:],
        "person_ids": setup.person_ids,
        "think_min": think_min,
        "think_max": think_max,
    }
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    log_path = Path(settings.VAR_DIR) / "bench" / "assessments-gunicorn.log"
    config = f"{workers} {worker_class} workers" + (
        f" x {threads} threads" if worker_class == "gthread" else ""
    )
    print(f"    gunicorn with {config}; {users} simulated users", flush=True)
    with gunicorn(
        port=free_port(),
        secret_key=secret_key,
        workers=workers,
        worker_class=worker_class,
        threads=threads,
        log_path=log_path,
    ) as (host, server_pid):

        def load(phase: str, user_class: str, seconds: int, ramp_seconds: float = 0.0) -> Phase:
            return locust(
                phase=phase,
                user_class=user_class,
                seconds=seconds,
                users=users,
                host=host,
                plan_path=plan_path,
                out_dir=out_dir,
                server_pid=server_pid,
                ramp_seconds=ramp_seconds,
            )

        baseline = load("baseline", "BaselineUser", baseline_seconds)
        print_phase(baseline, ("baseline",))
        # The mix before the flow: it also warms every worker's templates for the pages both use.
        mix = load("mix", "MixUser", mix_seconds)
        print_phase(mix, MIX_ROWS)
        flow = load("flow", "EmployeeUser", flow_seconds, ramp_seconds=FLOW_RAMP_SECONDS)
        print_phase(flow, FLOW_ROWS)

    baseline_p95 = p95(baseline, "baseline")
    baseline_rps = round(baseline.rps(("baseline",)), 1)
    flow_rps = round(flow.rps(FLOW_ROWS), 1)
    # On average over the phase, users were running for all but half the ramp.
    running = users * (1 - FLOW_RAMP_SECONDS / (2 * flow_seconds)) if flow_seconds else 0
    offered = round(offered_rate(flow, users=running, think=(think_min + think_max) / 2), 1)
    submitted = flow.rows["submit"].requests if "submit" in flow.rows else 0
    print(
        f"    flow: {submitted} submissions, {flow_rps} req/s of the {offered} req/s the users would make "
        f"if every answer were instant; mix: {mix.rps(MIX_ROWS):.1f} req/s; baseline: {baseline_rps} req/s",
        flush=True,
    )
    if flow.failed or mix.failed or baseline.failed:
        print(f"    the server's log (errors with tracebacks): {log_path}", flush=True)
    suffix = "" if employees == DEFAULT_EMPLOYEES else f"_{employees}"
    return {
        f"assessments_questionnaire_p95{suffix}": entry(p95(flow, "questionnaire page"), "ms", baseline_p95),
        f"assessments_autosave_p95{suffix}": entry(p95(flow, "autosave"), "ms", baseline_p95),
        f"assessments_submit_p95{suffix}": entry(p95(flow, "submit"), "ms", baseline_p95),
        f"assessments_errors{suffix}": {
            "value": flow.failed + mix.failed,
            "unit": "count",
            "baseline": baseline.failed,
            "ratio": None,
        },
        f"assessments_throughput{suffix}": entry(round(mix.rps(MIX_ROWS), 1), "req/s", baseline_rps),
        f"assessments_flow_throughput{suffix}": entry(flow_rps, "req/s", offered),
    }
