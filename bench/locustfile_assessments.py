"""Simulated employees for the assessment load benchmark (bench/bench_assessments.py starts it).

Not run on its own: `bench_assessments` writes a plan (JSON, path in BENCH_ASSESSMENTS_PLAN) with the
campaign, one ready-made session per simulated person and the people the baseline may look up, then
runs locust headless once per user class:

- BaselineUser: the baseline view (one indexed query), no think time.
- EmployeeUser: the whole self-assessment as a person does it, with think time: the intro page, each
  focus area's questionnaire page, one autosave per answer (the growing form, as htmx posts it at every
  change), the review page, the submission and the feedback page it leads to; then the next person.
- MixUser: questionnaire pages and autosaves without think time, to measure throughput against the
  baseline under the same number of users (the person's areas come from the plan: no intro page).

Each request type is one row in locust's statistics (the `name`). A response counts as failed when its
status or content is not what a browser needs: e.g. an autosave must answer 200 with the saved state,
a submission 302 to the feedback page.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, constant, task

PLAN_ENV = "BENCH_ASSESSMENTS_PLAN"
if PLAN_ENV not in os.environ:
    raise RuntimeError(f"{PLAN_ENV} is not set: run this through `./dev bench assessments`.")
PLAN: dict[str, Any] = json.loads(Path(os.environ[PLAN_ENV]).read_text(encoding="utf-8"))

CAMPAIGN_PATH = f"/maalinger/{PLAN['campaign_id']}/selvvurdering/"
REVIEW_PATH = f"{CAMPAIGN_PATH}indsend/"
AREA_LINK = re.compile(rf'href="({re.escape(CAMPAIGN_PATH)}\d+/)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL)
INPUT = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')
SAVED_STATE = 'id="save-status"'
SAVE_ERROR = "save-status-error"
# A person answers "Ved ikke" now and then; otherwise any level.
DONT_KNOW_SHARE = 0.1

FLOW_SESSIONS = itertools.cycle(PLAN["flow_sessions"])
MIX_SESSIONS = itertools.cycle(PLAN["mix_sessions"])
PERSON_IDS: list[int] = PLAN["person_ids"]


def attributes(tag: str) -> dict[str, str]:
    return {name: html.unescape(value or "") for name, value in ATTRIBUTE.findall(tag)}


@dataclass
class QuestionnaireForm:
    """What the autosave posts: the form's action, its hidden fields and its questions' choices."""

    action: str
    hidden: list[tuple[str, str]]
    questions: dict[str, list[str]]  # field name (c<competence id>) → values of its radios, in order


def questionnaire_form(page: str) -> QuestionnaireForm | None:
    """The form that autosaves (its action is the save URL), parsed as a browser would send it."""
    for form_tag, body in FORM.findall(page):
        action = attributes(form_tag).get("action", "")
        if not action.endswith("/selvvurdering/gem/"):
            continue
        hidden: list[tuple[str, str]] = []
        questions: dict[str, list[str]] = {}
        for input_tag in INPUT.findall(body):
            field = attributes(input_tag)
            name = field.get("name", "")
            if field.get("type") == "hidden" and name:
                hidden.append((name, field.get("value", "")))
            elif field.get("type") == "radio" and re.fullmatch(r"c\d+", name):
                questions.setdefault(name, []).append(field.get("value", ""))
        return QuestionnaireForm(action=action, hidden=hidden, questions=questions)
    return None


def choose(values: list[str]) -> str:
    levels = [value for value in values if value != "dont_know"]
    if "dont_know" in values and (not levels or random.random() < DONT_KNOW_SHARE):
        return "dont_know"
    return random.choice(levels)


class Respondent(FastHttpUser):
    """A logged-in employee: the session is made by the benchmark, as a login would make it."""

    abstract = True
    csrf_token: str = ""

    def use_session(self, session_key: str) -> None:
        """Start afresh as another person: only their session cookie, as right after logging in."""
        self.client.cookiejar.clear()
        self.client.cookiejar.set_cookie(
            Cookie(
                version=0,
                name=PLAN["session_cookie_name"],
                value=session_key,
                port=None,
                port_specified=False,
                domain=urlsplit(str(self.host)).hostname or "127.0.0.1",
                domain_specified=False,
                domain_initial_dot=False,
                path="/",
                path_specified=True,
                secure=False,
                expires=None,
                discard=True,
                comment=None,
                comment_url=None,
                rest={"HttpOnly": ""},
            )
        )
        self.csrf_token = ""

    def think(self) -> None:
        """The user's wait_time (locust's wait, which also ends the user promptly when the run stops)."""
        self.wait()  # type: ignore[no-untyped-call]

    def page(self, path: str, name: str, *, must_contain: str = "<h1") -> str | None:
        """GET a page; the text, or None when it failed (then it is counted as a failure)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return None
            if must_contain not in text:
                response.failure(f"page lacks {must_contain!r}")
                return None
            token = CSRF_HEADER.search(text) or CSRF_INPUT.search(text)
            if token is not None:
                self.csrf_token = html.unescape(token.group(1))
            response.success()
            return text

    def autosave(self, form: QuestionnaireForm, answers: dict[str, str], *, page_path: str) -> bool:
        """Post the whole form as htmx does at a change; True when the saved state came back."""
        body = urlencode([*form.hidden, *answers.items()])
        headers = {
            "HX-Request": "true",
            "HX-Current-URL": f"{self.host}{page_path}",
            "HX-Target": "save-status",
            "X-CSRFToken": self.csrf_token,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        with self.client.post(
            form.action, data=body, headers=headers, name="autosave", catch_response=True
        ) as response:
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return False
            if SAVED_STATE not in text or SAVE_ERROR in text:
                response.failure("no saved state in the answer")
                return False
            response.success()
            return True

    def area_paths(self) -> list[str] | None:
        intro = self.page(CAMPAIGN_PATH, "intro")
        if intro is None:
            return None
        return list(dict.fromkeys(AREA_LINK.findall(intro)))

    def open_area(self, path: str) -> QuestionnaireForm | None:
        page = self.page(path, "questionnaire page", must_contain='type="radio"')
        if page is None:
            return None
        form = questionnaire_form(page)
        if form is None or not form.questions:
            self.environment.events.request.fire(
                request_type="PARSE",
                name="questionnaire form",
                response_time=0,
                response_length=0,
                exception=RuntimeError("no autosaving form with questions on the page"),
                context={},
            )
            return None
        return form


class BaselineUser(FastHttpUser):
    """The baseline: one indexed query behind the full middleware stack, as fast as it answers."""

    wait_time = constant(0)

    @task
    def baseline(self) -> None:
        self.client.get(f"{PLAN['baseline_path']}{random.choice(PERSON_IDS)}/", name="baseline")


class EmployeeUser(Respondent):
    """A person answering their whole self-assessment, with think time between the steps."""

    wait_time = between(PLAN["think_min"], PLAN["think_max"])

    @task
    def self_assessment(self) -> None:
        self.use_session(next(FLOW_SESSIONS))
        paths = self.area_paths()
        if not paths:
            return
        for path in paths:
            self.think()
            form = self.open_area(path)
            if form is None:
                return
            answers: dict[str, str] = {}
            for name, values in form.questions.items():
                self.think()  # reading the competence and its level descriptions
                answers[name] = choose(values)
                if not self.autosave(form, answers, page_path=path):
                    return
        self.think()
        if self.page(REVIEW_PATH, "review page") is None:
            return
        self.think()
        location = self.submit()
        if location:
            self.page(urlsplit(location).path, "feedback page")

    def submit(self) -> str | None:
        """POST the review form; the feedback page's address on success (a 302, as for a browser)."""
        body = urlencode({"csrfmiddlewaretoken": self.csrf_token})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post(
            REVIEW_PATH, data=body, headers=headers, name="submit", allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location") if response.headers else None
            if response.status_code != 302 or not location:
                response.failure(f"status {response.status_code}, not a redirect to the feedback page")
                return None
            response.success()
            return str(location)


class MixUser(Respondent):
    """Questionnaire pages and their autosaves back to back (no think time): the throughput mix."""

    wait_time = constant(0)
    paths: Iterator[str] = iter(())

    def on_start(self) -> None:
        # The person's areas come from the plan, so the run is only questionnaire pages and autosaves.
        session_key, area_ids = next(MIX_SESSIONS)
        self.use_session(session_key)
        self.paths = itertools.cycle([f"{CAMPAIGN_PATH}{area_id}/" for area_id in area_ids])

    @task
    def answer_area(self) -> None:
        path = next(self.paths)
        form = self.open_area(path)
        if form is None:
            return
        answers: dict[str, str] = {}
        for name, values in form.questions.items():
            answers[name] = choose(values)
            if not self.autosave(form, answers, page_path=path):
                return
