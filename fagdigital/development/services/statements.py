"""The xAPI statement intake (decision 0018): credentials, storing statements, and turning them into
completions.

A statement is stored exactly as received (with the id filled in when the sender left it out) and
never changed. What fagdigital makes of it is kept beside it: a `completed` or `passed` statement about
a known person and a catalogue activity becomes a completion (learning evidence); an unknown person or
activity is kept and listed for the municipality's HR to match, never dropped; a voiding statement
withdraws what the voided one recorded. Storing is idempotent by statement id, and a different
statement under an id already used is refused with 409 Conflict, as the specification says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.development import xapi
from fagdigital.development.models import (
    ActivityAlias,
    ActorAlias,
    Completion,
    CompletionSource,
    LearningActivity,
    ProviderNetwork,
    Statement,
    StatementCredential,
    StatementOutcome,
)
from fagdigital.development.selectors.access import activities_visible_to_organisation
from fagdigital.orgs.models import Person
from fagdigital.orgs.selectors import active_engagements_q
from fagdigital.tenancy.actor import Actor
from fagdigital.tenancy.models import NetworkMember, Organisation, OrganisationKind

from .completions import CompletionRefusedError, completion_record, completion_withdraw

# --- Credentials --------------------------------------------------------------------------------------


def secret_hash(secret: str) -> str:
    """What is stored of a key's secret (decision 0018)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewCredential:
    credential: StatementCredential
    secret: str  # shown once; only its hash is stored


@transaction.atomic
def credential_create(*, actor: Actor, label: str) -> NewCredential:
    label = label.strip()
    if not label:
        raise ValidationError({"label": [_("Giv nøglen et navn, fx navnet på læringsplatformen.")]})
    secret = secrets.token_urlsafe(32)
    credential = StatementCredential.objects.create(
        organisation=actor.organisation,
        label=label[:200],
        key_id=f"fd-{secrets.token_hex(8)}",
        secret_hash=secret_hash(secret),
        created_by=actor.user,
    )
    return NewCredential(credential=credential, secret=secret)


@transaction.atomic
def credential_revoke(*, credential: StatementCredential) -> StatementCredential:
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at", "updated_at"])
    return credential


def credential_authenticate(*, key_id: str, secret: str) -> StatementCredential | None:
    """The active credential with this key id and secret, else None (compared in constant time)."""
    credential = (
        StatementCredential.objects.filter(key_id=key_id, revoked_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    expected = credential.secret_hash if credential is not None else secret_hash(secrets.token_hex(16))
    if not secrets.compare_digest(expected, secret_hash(secret)) or credential is None:
        return None
    if not credential.organisation.is_active:
        return None
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at > dt.timedelta(minutes=1):
        StatementCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return credential


# --- Storing ----------------------------------------------------------------------------------------------


class StatementRefusedError(Exception):
    """The request is refused as a whole; `status` is the HTTP status the specification asks for."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class StoreResult:
    ids: list[str]
    stored: int  # new statements (the rest were already stored, unchanged)


def authority_for(credential: StatementCredential) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": credential.label,
        "account": {"homePage": settings.SITE_URL.rstrip("/"), "name": credential.key_id},
    }


def statements_store(
    *, credential: StatementCredential, statements: Sequence[Any], statement_id: str | None = None
) -> StoreResult:
    """Store a batch (POST) or one statement under `statement_id` (PUT), all or nothing.

    Raises StatementRefusedError: 400 for a statement that breaks the specification or a batch naming
    one id twice, 403 for voiding another sender's statement, 409 for an id already used by a
    different statement. Statements already stored unchanged are left alone (idempotent).
    """
    if len(statements) > settings.XAPI_MAX_STATEMENTS:
        raise StatementRefusedError(413, f"at most {settings.XAPI_MAX_STATEMENTS} statements per request")
    checked: list[dict[str, Any]] = []
    for index, statement in enumerate(statements):
        path = "$" if statement_id is not None else f"$[{index}]"
        try:
            body = dict(xapi.validate(statement, path))
        except xapi.StatementInvalidError as error:
            raise StatementRefusedError(400, str(error)) from error
        if statement_id is not None:
            if "id" in body and body["id"].lower() != statement_id.lower():
                raise StatementRefusedError(400, "$.id: must equal the statementId parameter")
            body["id"] = statement_id.lower()
        body.pop("authority", None)
        body.pop("stored", None)
        body["id"] = str(body.get("id") or uuid.uuid4()).lower()
        checked.append(body)
    ids = [body["id"] for body in checked]
    if len(set(ids)) != len(ids):
        raise StatementRefusedError(400, "the batch names the same statement id twice")
    with transaction.atomic():
        stored = 0
        for body in checked:
            if _store_one(credential, body):
                stored += 1
    return StoreResult(ids=ids, stored=stored)


def _store_one(credential: StatementCredential, body: dict[str, Any]) -> bool:
    existing = Statement.objects.filter(statement_id=body["id"]).first()
    if existing is not None:
        return _already(existing, credential, body)
    verb_id = body["verb"]["id"]
    target = body["object"]
    if verb_id == xapi.VOIDED:
        _check_voiding(credential, target["id"].lower())
    actor = body["actor"]
    now = timezone.now()
    statement = Statement(
        statement_id=body["id"],
        credential=credential,
        sender_id=credential.organisation_id,
        received=body,
        stored=now,
        authority=authority_for(credential),
        verb_id=verb_id,
        object_id=(
            target["id"].lower() if target.get("objectType") == "StatementRef" else str(target.get("id", ""))
        )[:500],
        actor_key=xapi.actor_key(actor)[:600],
        actor_name=str(actor.get("name", ""))[:300],
        outcome=StatementOutcome.NOT_COMPLETION,
    )
    try:
        with transaction.atomic():
            statement.save()
    except IntegrityError:
        # Stored by a request running at the same moment: the same rule as if it had come first.
        return _already(Statement.objects.get(statement_id=body["id"]), credential, body)
    statement_process(statement=statement)
    return True


def _already(existing: Statement, credential: StatementCredential, body: dict[str, Any]) -> bool:
    if existing.sender_id != credential.organisation_id or not xapi.same_statement(existing.received, body):
        raise StatementRefusedError(
            409, f"statement {body['id']} is already stored, and this one does not match it"
        )
    return False


def _check_voiding(credential: StatementCredential, target_id: str) -> None:
    target = Statement.objects.filter(statement_id=target_id).first()
    if target is None:
        return  # the specification says not to refuse a voiding statement whose target is unknown
    if target.sender_id != credential.organisation_id:
        raise StatementRefusedError(
            403, f"statement {target_id} was sent by someone else and cannot be voided here"
        )
    if target.verb_id == xapi.VOIDED:
        raise StatementRefusedError(
            400, f"statement {target_id} is a voiding statement, which cannot be voided"
        )


# --- What a statement means --------------------------------------------------------------------------


def _served_municipalities(sender: Organisation) -> list[int]:
    """Municipalities whose people a sender may report about: a municipality itself; a provider the
    active members of the networks it was admitted to."""
    if sender.kind == OrganisationKind.MUNICIPALITY:
        return [sender.pk]
    if sender.kind != OrganisationKind.EDUCATION_PROVIDER:
        return []
    networks = ProviderNetwork.objects.filter(provider=sender).values_list("network_id", flat=True)
    return list(
        NetworkMember.objects.filter(
            network_id__in=list(networks),
            organisation__kind=OrganisationKind.MUNICIPALITY,
            organisation__is_active=True,
        )
        .values_list("organisation_id", flat=True)
        .distinct()
    )


def _named_municipality(statement: Statement, candidates: list[int]) -> int | None:
    context = statement.received.get("context")
    extensions = context.get("extensions") if isinstance(context, dict) else None
    code = extensions.get(xapi.KOMMUNEKODE_EXTENSION) if isinstance(extensions, dict) else None
    if not isinstance(code, str | int):
        return None
    return (
        Organisation.objects.filter(pk__in=candidates, kommunekode=str(code).strip().zfill(4))
        .values_list("pk", flat=True)
        .first()
    )


def _people_for(statement: Statement, candidates: list[int]) -> list[Person]:
    """People the statement's actor can be: HR's earlier match, else by e-mail (or its SHA-1)."""
    if not candidates:
        return []
    aliases = list(
        ActorAlias.objects.filter(
            organisation_id__in=candidates, actor_key=statement.actor_key
        ).select_related("person")
    )
    if aliases:
        return [alias.person for alias in aliases]
    key = statement.actor_key
    people = Person.objects.filter(organisation_id__in=candidates)
    if key.startswith("mbox:mailto:"):
        email = key.removeprefix("mbox:mailto:")
        return list(people.filter(Q(email__iexact=email) | Q(user__email__iexact=email)).distinct())
    if key.startswith("sha1:"):
        digest = key.removeprefix("sha1:")
        found = []
        for person in people.exclude(email="", user__isnull=True).select_related("user"):
            addresses = {person.email, person.email.lower()}
            if person.user is not None:
                addresses |= {person.user.email, person.user.email.lower()}
            if any(xapi.mbox_sha1(a) == digest for a in addresses if a):
                found.append(person)
        return found
    return []


def _one_person(people: list[Person]) -> Person | None:
    """The one person meant; with several, the one employed now if only one is."""
    if len(people) == 1:
        return people[0]
    employed = [p for p in people if p.engagements.filter(active_engagements_q()).exists()]
    return employed[0] if len(employed) == 1 else None


def _activity_for(statement: Statement, person: Person) -> tuple[LearningActivity | None, bool]:
    """The catalogue activity the statement's activity id means for the person, and whether the person's
    municipality vouched for it (HR matched the id)."""
    iri = statement.object_id
    offered = activities_visible_to_organisation(organisation=person.organisation)
    alias = ActivityAlias.objects.filter(organisation_id=person.organisation_id, xapi_id=iri).first()
    if alias is not None and offered.filter(pk=alias.activity_id).exists():
        return alias.activity, True
    sender = statement.sender
    found = offered.filter(xapi_id=iri)
    if sender.kind == OrganisationKind.EDUCATION_PROVIDER:
        found = found.filter(organisation=sender)
    matches = list(found[:2])
    return (matches[0] if len(matches) == 1 else None), False


def _is_completion(statement: Statement) -> bool:
    if statement.verb_id not in xapi.COMPLETION_VERBS:
        return False
    if statement.actor_key.startswith("group:"):
        return False
    target = statement.received.get("object", {})
    if target.get("objectType", "Activity") != "Activity":
        return False
    result = statement.received.get("result")
    return not (isinstance(result, dict) and result.get("success") is False)


def _completed_on(statement: Statement) -> dt.date:
    moment = statement.stored
    if "timestamp" in statement.received:
        moment = xapi.parse_timestamp(statement.received["timestamp"], "$.timestamp")
    day = timezone.localtime(moment).date()
    return min(day, timezone.localdate())


@transaction.atomic
def statement_process(*, statement: Statement) -> str:
    """Work out (again) what the statement means and record it; returns the outcome. Idempotent."""
    statement = Statement.objects.select_for_update().select_related("sender").get(pk=statement.pk)
    if statement.verb_id == xapi.VOIDED:
        return _void(statement)
    voider = Statement.objects.filter(
        verb_id=xapi.VOIDED, object_id__iexact=str(statement.statement_id), sender_id=statement.sender_id
    ).first()
    if voider is not None:
        return _save(statement, StatementOutcome.VOIDED, voided_by=voider.statement_id)
    if not _is_completion(statement):
        return _save(statement, StatementOutcome.NOT_COMPLETION)
    candidates = _served_municipalities(statement.sender)
    named = _named_municipality(statement, candidates)
    if named is not None:
        candidates = [named]
    people = _people_for(statement, candidates)
    person = _one_person(people)
    municipality = (
        person.organisation_id
        if person is not None
        else statement.sender_id
        if statement.sender.kind == OrganisationKind.MUNICIPALITY
        else named
        if named is not None
        else (people[0].organisation_id if people and len({p.organisation_id for p in people}) == 1 else None)
    )
    if person is None:
        return _save(statement, StatementOutcome.UNKNOWN_ACTOR, municipality=municipality)
    activity, vouched = _activity_for(statement, person)
    if activity is None:
        return _save(statement, StatementOutcome.UNKNOWN_ACTIVITY, municipality=municipality, person=person)
    try:
        completion = completion_record(
            person=person,
            activity=activity,
            completed_on=_completed_on(statement),
            source=CompletionSource.LMS,
            reported_by=statement.sender,
            vouched=vouched,
        )
    except CompletionRefusedError:
        return _save(statement, StatementOutcome.UNKNOWN_ACTIVITY, municipality=municipality, person=person)
    return _save(
        statement,
        StatementOutcome.COMPLETION,
        municipality=municipality,
        person=person,
        activity=activity,
        completion=completion,
    )


def _save(
    statement: Statement,
    outcome: str,
    *,
    municipality: int | None = None,
    person: Person | None = None,
    activity: LearningActivity | None = None,
    completion: Completion | None = None,
    voided_by: uuid.UUID | None = None,
) -> str:
    statement.outcome = outcome
    statement.municipality_id = municipality
    statement.person = person
    statement.activity = activity
    statement.completion = completion
    statement.voided_by = voided_by
    statement.resolved_at = timezone.now() if outcome == StatementOutcome.COMPLETION else None
    statement.save(
        update_fields=[
            "outcome",
            "municipality",
            "person",
            "activity",
            "completion",
            "voided_by",
            "resolved_at",
        ]
    )
    return outcome


def _void(voiding: Statement) -> str:
    """A voiding statement: the voided statement's completion is withdrawn (and re-made from any other
    statement that reports the same completion)."""
    target = (
        Statement.objects.select_for_update()
        .filter(statement_id=voiding.object_id.lower(), sender_id=voiding.sender_id)
        .first()
    )
    _save(voiding, StatementOutcome.VOIDING, municipality=target.municipality_id if target else None)
    if target is None or target.verb_id == xapi.VOIDED:
        return StatementOutcome.VOIDING
    completion = target.completion
    _save(
        target, StatementOutcome.VOIDED, municipality=target.municipality_id, voided_by=voiding.statement_id
    )
    if completion is not None:
        completion_withdraw(completion=completion)
        others = Statement.objects.filter(completion=completion, outcome=StatementOutcome.COMPLETION).exclude(
            pk=target.pk
        )
        for other in others:
            statement_process(statement=other)
    return StatementOutcome.VOIDING


# --- HR's matching --------------------------------------------------------------------------------------


@transaction.atomic
def statement_match_person(*, actor: Actor, statement: Statement, person: Person) -> int:
    """HR says who the statement's learner is: remembered for the municipality, and every unresolved
    statement with the same learner is tried again; returns how many became completions."""
    if person.organisation_id != actor.organisation.pk or statement.municipality_id != actor.organisation.pk:
        raise ValidationError(_("Personen og udsagnet skal høre til jeres kommune."))
    ActorAlias.objects.update_or_create(
        organisation=actor.organisation,
        actor_key=statement.actor_key,
        defaults={"person": person, "matched_by": actor.user},
    )
    return _retry(actor.organisation, Q(actor_key=statement.actor_key))


@transaction.atomic
def statement_match_activity(*, actor: Actor, statement: Statement, activity: LearningActivity) -> int:
    """HR says which catalogue activity the statement's activity id means (for their municipality)."""
    if statement.municipality_id != actor.organisation.pk:
        raise ValidationError(_("Udsagnet hører ikke til jeres kommune."))
    if (
        not activities_visible_to_organisation(organisation=actor.organisation)
        .filter(pk=activity.pk)
        .exists()
    ):
        raise ValidationError(_("Vælg en aktivitet fra jeres katalog."))
    ActivityAlias.objects.update_or_create(
        organisation=actor.organisation,
        xapi_id=statement.object_id,
        defaults={"activity": activity, "matched_by": actor.user},
    )
    return _retry(actor.organisation, Q(object_id=statement.object_id))


def _retry(organisation: Organisation, which: Q) -> int:
    pending = Statement.objects.filter(
        which,
        municipality=organisation,
        outcome__in=[StatementOutcome.UNKNOWN_ACTOR, StatementOutcome.UNKNOWN_ACTIVITY],
    )
    return sum(1 for s in pending if statement_process(statement=s) == StatementOutcome.COMPLETION)


def statements_retry_for_sender(*, sender: Organisation) -> int:
    """Try a sender's unresolved statements again (after a provider fixed an activity id, say)."""
    pending = Statement.objects.filter(
        sender=sender, outcome__in=[StatementOutcome.UNKNOWN_ACTOR, StatementOutcome.UNKNOWN_ACTIVITY]
    )
    return sum(1 for s in pending if statement_process(statement=s) == StatementOutcome.COMPLETION)
