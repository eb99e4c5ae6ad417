"""The xAPI 1.0.3 Statements resource against the specification's rules, over real HTTP: a running server
(pytest-django's live_server) and urllib as the client, as an LMS would call it.

Covered: the version header (required, 1.0.x accepted, 1.1+ refused, sent on every response), Basic
authentication with per-provider keys (unknown, wrong, revoked), POST and PUT, idempotency by statement
id, 409 for a different statement under a used id (nothing of the batch stored), 400 for a batch naming
an id twice and for statements that break the specification, GET by statementId and voidedStatementId,
voiding (the completion is withdrawn, the voiding statement cannot be voided, nobody voids another
sender's statements), completions raising the estimate, and unknown learners and activities kept for
HR to match.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from fagdigital.assessments.models import CompetenceEstimate, EvidenceSource
from fagdigital.conftest import actor_for
from fagdigital.development import xapi
from fagdigital.development.models import (
    Completion,
    Statement,
    StatementOutcome,
)
from fagdigital.development.selectors.statements import unresolved_for_municipality
from fagdigital.development.services import statements as services
from fagdigital.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import Dev, set_level

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


class Client:
    """An xAPI client over HTTP: Basic auth and the version header unless told otherwise."""

    def __init__(self, base: str, key_id: str = "", secret: str = "") -> None:
        self.base = base
        self.key_id = key_id
        self.secret = secret

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        version: str | None = "1.0.3",
        auth: tuple[str, str] | None = None,
        content_type: str = "application/json",
        raw: bytes | None = None,
    ) -> Reply:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310 -- a test server
        if data is not None:
            request.add_header("Content-Type", content_type)
        if version is not None:
            request.add_header("X-Experience-API-Version", version)
        key_id, secret = auth if auth is not None else (self.key_id, self.secret)
        if key_id:
            token = base64.b64encode(f"{key_id}:{secret}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
                payload = response.read()
                status, headers = response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            payload = error.read()
            status, headers = error.code, dict(error.headers)
        text = payload.decode() if payload else ""
        return Reply(status=status, headers=headers, body=json.loads(text) if text else None)

    def post(self, statements: Any, **kwargs: Any) -> Reply:
        return self.call("POST", "/xapi/statements", statements, **kwargs)

    def put(self, statement_id: str, statement: Any, **kwargs: Any) -> Reply:
        return self.call("PUT", f"/xapi/statements?statementId={statement_id}", statement, **kwargs)

    def get(self, query: str, **kwargs: Any) -> Reply:
        return self.call("GET", f"/xapi/statements?{query}", **kwargs)


def statement(
    email: str,
    activity: str,
    *,
    verb: str = xapi.COMPLETED,
    statement_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Deltager", "mbox": f"mailto:{email}"},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": activity, "definition": {"name": {"da-DK": "Kursus"}}},
        "timestamp": "2026-01-15T10:00:00Z",
    }
    if statement_id:
        body["id"] = statement_id
    body.update(extra)
    return body


LRS = tuple[Dev, Client, services.NewCredential]


@pytest.fixture
def lrs(dev: Dev, live_server: Any) -> LRS:
    new = services.credential_create(actor=dev.provider_actor, label="UC's LMS")
    return dev, Client(live_server.url, new.credential.key_id, new.secret), new


def _email(dev: Dev, index: int = 0) -> str:
    person = dev.team.members[index]
    return person.user.email if person.user else person.email


def test_about_names_the_version_without_authentication(lrs: LRS) -> None:
    _dev, client, _new = lrs
    reply = client.call("GET", "/xapi/about", version=None, auth=("", ""))
    assert reply.status == 200 and reply.body == {"version": ["1.0.3"]}
    assert reply.headers["X-Experience-API-Version"] == "1.0.3"


def test_the_version_header_is_required_and_only_1_0_x_is_accepted(lrs: LRS) -> None:
    dev, client, _new = lrs
    body = statement(_email(dev), dev.activities["uc-ds"].xapi_id)
    missing = client.post(body, version=None)
    assert missing.status == 400 and "X-Experience-API-Version" in missing.body["error"]
    assert missing.headers["X-Experience-API-Version"] == "1.0.3"
    assert client.post(body, version="1.1.0").status == 400
    assert client.post(body, version="0.95").status == 400
    assert client.post(body, version="1.0").status == 200
    assert client.post(body, version="1.0.1").status == 200  # no id: stored twice, which is allowed
    assert Statement.objects.count() == 2


def test_basic_authentication_with_a_valid_unrevoked_key(lrs: LRS) -> None:
    dev, client, new = lrs
    body = statement(_email(dev), dev.activities["uc-ds"].xapi_id)
    for auth in (("", ""), (new.credential.key_id, "wrong"), ("fd-nobody", new.secret)):
        reply = client.post(body, auth=auth)
        assert reply.status == 401
        assert reply.headers["WWW-Authenticate"].startswith("Basic")
        assert reply.headers["X-Experience-API-Version"] == "1.0.3"
    services.credential_revoke(credential=new.credential)
    assert client.post(body).status == 401
    assert not Statement.objects.exists()
    new.credential.refresh_from_db()
    assert new.credential.secret_hash != new.secret and len(new.credential.secret_hash) == 64


def test_a_completed_statement_is_stored_read_back_and_becomes_learning_evidence(lrs: LRS) -> None:
    dev, client, _new = lrs
    person = dev.team.members[0]
    set_level(person, "DS1", 1)
    statement_id = str(uuid.uuid4())
    reply = client.post(statement(_email(dev), dev.activities["uc-ds"].xapi_id, statement_id=statement_id))
    assert reply.status == 200 and reply.body == [statement_id]
    assert reply.headers["X-Experience-API-Consistent-Through"].endswith("Z")
    fetched = client.get(f"statementId={statement_id}")
    assert fetched.status == 200
    assert fetched.body["id"] == statement_id
    assert fetched.body["verb"]["id"] == xapi.COMPLETED
    assert fetched.body["authority"]["account"]["name"] == client.key_id
    assert fetched.body["stored"] and fetched.body["version"] == "1.0.0"
    completion = Completion.objects.get(person=person)
    assert (completion.source, completion.completed_on) == ("lms", dt.date(2026, 1, 15))
    estimate = CompetenceEstimate.objects.get(person=person, competence__code="DS1")
    assert (estimate.level, estimate.source) == (2, EvidenceSource.LEARNING)


def test_posting_the_same_statement_again_is_idempotent(lrs: LRS) -> None:
    dev, client, _new = lrs
    statement_id = str(uuid.uuid4())
    body = statement(_email(dev), dev.activities["uc-ds"].xapi_id, statement_id=statement_id)
    assert client.post(body).status == 200
    # The same statement, serialised differently where the specification allows it: another timezone,
    # another verb display, no activity definition, upper-case e-mail domain, the id in upper case.
    again = json.loads(json.dumps(body))
    again["timestamp"] = "2026-01-15T11:00:00+01:00"
    again["verb"]["display"] = {"da-DK": "gennemførte"}
    del again["object"]["definition"]
    again["actor"]["mbox"] = again["actor"]["mbox"].upper().replace("MAILTO:", "mailto:")
    again["id"] = statement_id.upper()
    assert client.post([again]).status == 200
    assert client.put(statement_id, again).status == 204
    assert Statement.objects.count() == 1
    assert Completion.objects.count() == 1


def test_a_different_statement_under_a_used_id_is_a_409_and_nothing_of_the_batch_is_stored(lrs: LRS) -> None:
    dev, client, _new = lrs
    statement_id = str(uuid.uuid4())
    assert (
        client.post(statement(_email(dev), dev.activities["uc-ds"].xapi_id, statement_id=statement_id)).status
        == 200
    )
    changed = statement(_email(dev, 1), dev.activities["uc-ds"].xapi_id, statement_id=statement_id)
    fresh = statement(_email(dev, 2), dev.activities["uc-ds"].xapi_id, statement_id=str(uuid.uuid4()))
    reply = client.post([fresh, changed])
    assert reply.status == 409 and statement_id in reply.body["error"]
    assert client.put(statement_id, changed).status == 409
    assert Statement.objects.count() == 1
    assert not Completion.objects.filter(person=dev.team.members[2]).exists()
    assert client.get(f"statementId={statement_id}").body["actor"]["mbox"] == f"mailto:{_email(dev)}"


def test_put_needs_a_matching_statement_id(lrs: LRS) -> None:
    dev, client, _new = lrs
    body = statement(_email(dev), dev.activities["uc-ds"].xapi_id)
    assert client.call("PUT", "/xapi/statements", body).status == 400
    assert client.put(str(uuid.uuid4()), {**body, "id": str(uuid.uuid4())}).status == 400
    statement_id = str(uuid.uuid4())
    reply = client.put(statement_id, body)
    assert reply.status == 204 and reply.body is None
    assert client.get(f"statementId={statement_id}").status == 200


def test_a_batch_naming_an_id_twice_and_invalid_statements_are_400s(lrs: LRS) -> None:
    dev, client, _new = lrs
    iri = dev.activities["uc-ds"].xapi_id
    statement_id = str(uuid.uuid4())
    twice = [
        statement(_email(dev), iri, statement_id=statement_id),
        statement(_email(dev), iri, statement_id=statement_id),
    ]
    assert client.post(twice).status == 400
    no_verb = statement(_email(dev), iri)
    del no_verb["verb"]
    reply = client.post([statement(_email(dev), iri), no_verb])
    assert reply.status == 400 and reply.body["error"].startswith("$[1].verb")
    assert client.post({**statement(_email(dev), iri), "mood": "happy"}).status == 400
    two_ifis = statement(_email(dev), iri)
    two_ifis["actor"]["openid"] = "https://example.org/me"
    assert client.post(two_ifis).status == 400
    assert client.post({**statement(_email(dev), iri), "id": "not-a-uuid"}).status == 400
    assert client.post(statement(_email(dev), "not an iri")).status == 400
    assert client.call("POST", "/xapi/statements", raw=b"{not json").status == 400
    assert client.call("POST", "/xapi/statements", raw=b"{}", content_type="text/plain").status == 400
    assert client.call("POST", "/xapi/statements", raw=b"[" + b" " * (1024 * 1024 + 10) + b"]").status == 413
    assert not Statement.objects.exists()


def test_statements_without_an_id_get_one(lrs: LRS) -> None:
    dev, client, _new = lrs
    reply = client.post(statement(_email(dev), dev.activities["uc-ds"].xapi_id))
    assert reply.status == 200 and xapi.is_uuid(reply.body[0])


def test_only_completed_or_passed_and_successful_statements_are_completions(lrs: LRS) -> None:
    dev, client, _new = lrs
    iri = dev.activities["uc-ds"].xapi_id
    client.post(
        [
            statement(_email(dev, 0), iri, verb="http://adlnet.gov/expapi/verbs/attempted"),
            statement(_email(dev, 1), iri, verb=xapi.COMPLETED, result={"success": False}),
            statement(
                _email(dev, 2), iri, verb=xapi.PASSED, result={"success": True, "score": {"scaled": 0.9}}
            ),
        ]
    )
    assert list(Statement.objects.order_by("pk").values_list("outcome", flat=True)) == [
        StatementOutcome.NOT_COMPLETION,
        StatementOutcome.NOT_COMPLETION,
        StatementOutcome.COMPLETION,
    ]
    assert list(Completion.objects.values_list("person", flat=True)) == [dev.team.members[2].pk]


def test_voiding_withdraws_the_completion_and_follows_the_specification(lrs: LRS) -> None:
    dev, client, _new = lrs
    person = dev.team.members[0]
    set_level(person, "DS1", 1)
    target = str(uuid.uuid4())
    client.post(statement(_email(dev), dev.activities["uc-ds"].xapi_id, statement_id=target))
    assert CompetenceEstimate.objects.get(person=person, competence__code="DS1").level == 2
    voiding_id = str(uuid.uuid4())
    voiding = {
        "id": voiding_id,
        "actor": {"mbox": "mailto:lms@uc.example"},
        "verb": {"id": xapi.VOIDED},
        "object": {"objectType": "StatementRef", "id": target},
    }
    assert client.post(voiding).status == 200
    estimate = CompetenceEstimate.objects.get(person=person, competence__code="DS1")
    assert (estimate.level, estimate.source) == (1, EvidenceSource.SELF)
    assert Completion.objects.get(person=person).withdrawn_at is not None
    assert client.get(f"statementId={target}").status == 404
    assert client.get(f"voidedStatementId={target}").status == 200
    assert client.get(f"voidedStatementId={voiding_id}").status == 404
    assert client.get(f"statementId={voiding_id}").status == 200
    assert client.get(f"statementId={target}&voidedStatementId={target}").status == 400
    assert client.get(f"statementId={target}&verb=x").status == 400
    void_the_void = {
        **voiding,
        "id": str(uuid.uuid4()),
        "object": {"objectType": "StatementRef", "id": voiding_id},
    }
    assert client.post(void_the_void).status == 400
    # Listing never returns the voided statement.
    listed = client.get("limit=10")
    assert [s["id"] for s in listed.body["statements"]] == [voiding_id]


def test_a_voiding_statement_before_its_target_voids_it_when_it_comes(lrs: LRS) -> None:
    dev, client, _new = lrs
    target = str(uuid.uuid4())
    client.post(
        {
            "actor": {"mbox": "mailto:lms@uc.example"},
            "verb": {"id": xapi.VOIDED},
            "object": {"objectType": "StatementRef", "id": target},
        }
    )
    client.post(statement(_email(dev), dev.activities["uc-ds"].xapi_id, statement_id=target))
    assert Statement.objects.get(statement_id=target).outcome == StatementOutcome.VOIDED
    assert not Completion.objects.exists()


def test_nobody_reads_or_voids_another_senders_statements(lrs: LRS) -> None:
    dev, client, _new = lrs
    target = str(uuid.uuid4())
    client.post(statement(_email(dev), dev.activities["uc-ds"].xapi_id, statement_id=target))
    hr_key = services.credential_create(actor=dev.hr, label="Kommunens LMS")
    other = Client(client.base, hr_key.credential.key_id, hr_key.secret)
    assert other.get(f"statementId={target}").status == 404
    voiding = {
        "actor": {"mbox": "mailto:lms@kommune.example"},
        "verb": {"id": xapi.VOIDED},
        "object": {"objectType": "StatementRef", "id": target},
    }
    assert other.post(voiding).status == 403
    assert Completion.objects.get().withdrawn_at is None


def test_unknown_learners_and_activities_are_kept_and_listed_for_hr_to_match(lrs: LRS) -> None:
    dev, client, _new = lrs
    code = dev.team.organisation.kommunekode
    unknown_learner = statement(
        "ukendt@andetsted.example",
        dev.activities["uc-ds"].xapi_id,
        context={"extensions": {xapi.KOMMUNEKODE_EXTENSION: code}},
    )
    unknown_activity = statement(_email(dev, 1), "https://lms.uc.example/course/999")
    reply = client.post([unknown_learner, unknown_activity])
    assert reply.status == 200
    assert all(client.get(f"statementId={i}").status == 200 for i in reply.body)
    pending = list(unresolved_for_municipality(actor=dev.hr))
    assert {s.outcome for s in pending} == {StatementOutcome.UNKNOWN_ACTOR, StatementOutcome.UNKNOWN_ACTIVITY}
    learner = next(s for s in pending if s.outcome == StatementOutcome.UNKNOWN_ACTOR)
    assert services.statement_match_person(actor=dev.hr, statement=learner, person=dev.team.members[4]) == 1
    assert Completion.objects.filter(person=dev.team.members[4]).exists()
    # The match is remembered: the same learner's next statement needs no HR.
    client.post(
        statement(
            "ukendt@andetsted.example",
            dev.activities["uc-ds"].xapi_id,
            context={"extensions": {xapi.KOMMUNEKODE_EXTENSION: code}},
        )
    )
    assert Statement.objects.order_by("-pk").first().outcome == StatementOutcome.COMPLETION
    activity = next(s for s in pending if s.outcome == StatementOutcome.UNKNOWN_ACTIVITY)
    assert (
        services.statement_match_activity(
            actor=dev.hr, statement=activity, activity=dev.activities["ds3-kursus"]
        )
        == 1
    )
    assert Completion.objects.filter(
        person=dev.team.members[1], activity=dev.activities["ds3-kursus"]
    ).exists()
    assert not unresolved_for_municipality(actor=dev.hr).exists()


def test_another_municipalitys_hr_never_sees_the_unknown_statements(lrs: LRS) -> None:
    dev, client, _new = lrs
    client.post(statement("ukendt@andetsted.example", dev.activities["uc-ds"].xapi_id))
    other = OrganisationFactory()
    user = UserFactory()
    MembershipFactory(user=user, organisation=other, roles=["competence_admin"])
    assert not unresolved_for_municipality(actor=actor_for(user, other)).exists()
    # Without a kommunekode and with no one matching, no municipality is named at all.
    assert Statement.objects.get().municipality_id is None


def test_listing_pages_with_a_more_link(lrs: LRS) -> None:
    dev, client, _new = lrs
    client.post([statement(_email(dev, i % 6), dev.activities["uc-ds"].xapi_id) for i in range(5)])
    first = client.get("limit=2")
    assert len(first.body["statements"]) == 2 and first.body["more"]
    second = client.call("GET", first.body["more"])
    third = client.call("GET", second.body["more"])
    ids = [s["id"] for page in (first, second, third) for s in page.body["statements"]]
    assert len(ids) == len(set(ids)) == 5 and third.body["more"] == ""
    assert client.get("unknown=1").status == 400


def test_replay_command_stores_a_file_once_and_reports_refusals(lrs: LRS, tmp_path: Path) -> None:
    dev, _client, new = lrs
    iri = dev.activities["uc-ds"].xapi_id
    statement_id = str(uuid.uuid4())
    good = statement(_email(dev), iri, statement_id=statement_id)
    path = tmp_path / "statements.json"
    path.write_text(json.dumps({"statements": [good, statement(_email(dev, 1), iri)]}), encoding="utf-8")
    call_command("xapi_replay", str(path), key=new.credential.key_id)
    assert Statement.objects.count() == 2 and Completion.objects.count() == 2
    path.write_text(json.dumps([good, {**good, "id": str(uuid.uuid4()), "verb": {}}]), encoding="utf-8")
    with pytest.raises(CommandError, match="stored=0 already=1 refused=1"):
        call_command("xapi_replay", str(path), key=new.credential.key_id)
    assert Statement.objects.count() == 2
    with pytest.raises(CommandError, match="no active xAPI key"):
        call_command("xapi_replay", str(path), key="fd-nobody")
    assert timezone.now()
