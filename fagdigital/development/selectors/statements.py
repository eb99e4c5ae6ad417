"""Reads of stored xAPI statements: for the Statements resource (a sender's own statements) and for the
pages (HR's unresolved statements, a provider's received ones)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.http import Http404

from fagdigital.development import xapi
from fagdigital.development.models import (
    UNRESOLVED_OUTCOMES,
    Statement,
    StatementCredential,
    StatementOutcome,
)
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import Role

MAX_LIMIT = 100
CURSOR_SALT = "fagdigital.development.xapi.more"


def statement_document(statement: Statement) -> dict[str, Any]:
    """The statement as the Statements resource returns it: as received, with what the LRS sets."""
    document = dict(statement.received)
    stored = statement.stored.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    document["id"] = str(statement.statement_id)
    document["stored"] = stored
    document["authority"] = statement.authority
    document.setdefault("timestamp", stored)
    document.setdefault("version", "1.0.0")
    return document


def statement_for_sender(
    *, credential: StatementCredential, statement_id: str, voided: bool
) -> Statement | None:
    """One statement the credential's organisation sent: not voided (statementId), or voided
    (voidedStatementId)."""
    if not xapi.is_uuid(statement_id):
        return None
    statement = Statement.objects.filter(
        statement_id=statement_id.lower(), sender_id=credential.organisation_id
    ).first()
    if statement is None or (statement.outcome == StatementOutcome.VOIDED) != voided:
        return None
    return statement


@dataclass(frozen=True)
class Query:
    verb: str | None = None
    activity: str | None = None
    agent_key: str | None = None
    registration: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = MAX_LIMIT
    ascending: bool = False
    after_pk: int | None = None  # the cursor of a "more" link

    def cursor(self, last_pk: int) -> str:
        data = {
            "verb": self.verb,
            "activity": self.activity,
            "agent_key": self.agent_key,
            "registration": self.registration,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "limit": self.limit,
            "ascending": self.ascending,
            "after_pk": last_pk,
        }
        return signing.dumps(data, salt=CURSOR_SALT, compress=True)


def query_from_cursor(token: str) -> Query | None:
    try:
        data = signing.loads(token, salt=CURSOR_SALT, max_age=dt.timedelta(days=1))
    except signing.BadSignature:
        return None
    return Query(
        verb=data["verb"],
        activity=data["activity"],
        agent_key=data["agent_key"],
        registration=data["registration"],
        since=dt.datetime.fromisoformat(data["since"]) if data["since"] else None,
        until=dt.datetime.fromisoformat(data["until"]) if data["until"] else None,
        limit=int(data["limit"]),
        ascending=bool(data["ascending"]),
        after_pk=int(data["after_pk"]),
    )


def agent_key_from_param(value: str) -> str:
    """The `agent` parameter (an Agent as JSON) as an actor key; raises StatementInvalidError."""
    try:
        agent = json.loads(value)
    except json.JSONDecodeError as error:
        raise xapi.StatementInvalidError("agent", "must be an Agent object as JSON") from error
    return xapi.actor_key(xapi.validate_agent(agent, "agent"))


def statements_query(*, credential: StatementCredential, query: Query) -> tuple[list[Statement], bool]:
    """The credential's organisation's statements (never voided ones) matching the query, in stored
    order, and whether there are more."""
    rows = Statement.objects.filter(sender_id=credential.organisation_id).exclude(
        outcome=StatementOutcome.VOIDED
    )
    if query.verb:
        rows = rows.filter(verb_id=query.verb)
    if query.activity:
        rows = rows.filter(object_id=query.activity)
    if query.agent_key:
        rows = rows.filter(actor_key=query.agent_key)
    if query.registration:
        rows = rows.filter(received__context__registration__iexact=query.registration)
    if query.since:
        rows = rows.filter(stored__gt=query.since)
    if query.until:
        rows = rows.filter(stored__lte=query.until)
    if query.after_pk is not None:
        rows = rows.filter(pk__gt=query.after_pk) if query.ascending else rows.filter(pk__lt=query.after_pk)
    rows = rows.order_by("pk" if query.ascending else "-pk")
    found = list(rows[: query.limit + 1])
    return found[: query.limit], len(found) > query.limit


# --- For the pages -----------------------------------------------------------------------------------------


def unresolved_for_municipality(*, actor: Actor) -> QuerySet[Statement]:
    """Statements about the municipality's people (or sent by its LMS) that HR has to match."""
    if not actor.has_role(Role.COMPETENCE_ADMIN):
        return Statement.objects.none()
    return (
        Statement.objects.filter(municipality=actor.organisation, outcome__in=UNRESOLVED_OUTCOMES)
        .select_related("sender", "person", "credential")
        .order_by("-stored", "-pk")
    )


def get_unresolved_for_user(*, actor: Actor, intake_id: int) -> Statement:
    statement = unresolved_for_municipality(actor=actor).filter(pk=intake_id).first()
    if statement is None:
        raise Http404
    return statement


def received_by_sender(*, actor: Actor, limit: int = 50) -> list[Statement]:
    """The latest statements the actor's organisation sent (a provider's or an LMS owner's view)."""
    return list(
        Statement.objects.filter(sender=actor.organisation)
        .select_related("activity", "credential")
        .order_by("-stored", "-pk")[:limit]
    )


def credentials_for(*, actor: Actor) -> list[StatementCredential]:
    return list(
        StatementCredential.objects.filter(organisation=actor.organisation).order_by("-created_at", "-pk")
    )


def get_credential_for_user(*, actor: Actor, credential_id: int) -> StatementCredential:
    credential = StatementCredential.objects.filter(organisation=actor.organisation, pk=credential_id).first()
    if credential is None:
        raise Http404
    return credential
