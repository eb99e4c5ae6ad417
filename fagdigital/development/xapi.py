"""xAPI 1.0.3 statements: validation and comparison, as plain functions over parsed JSON.

Only what fagdigital's statement intake needs from the specification (xAPI-Data §2): the structure of a
statement and its agents, and *Statement Comparison Requirements* (§2.3.1) — two statements match when
they differ only in what an LRS may assign or reformat: id, authority, stored, version, attachments, a
verb's display, an activity's definition, the serialisation of the timestamp, the order of a group's
members and the case of e-mail addresses. Messages are in English: the readers are LMS developers.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import re
import uuid
from typing import Any

VERSION = "1.0.3"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
COMPLETION_VERBS = frozenset({COMPLETED, PASSED})
# A municipality's kommunekode in context.extensions: tells which municipality an unknown learner
# belongs to, so its HR can match them (providers serve several municipalities).
KOMMUNEKODE_EXTENSION = "https://fagdigital.dk/xapi/extensions/kommunekode"

_IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s]+")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
_STATEMENT_VERSION = re.compile(r"1\.0(\.[0-9]+)?")
_DURATION = re.compile(
    r"P(?!$)([0-9.]+Y)?([0-9.]+M)?([0-9.]+W)?([0-9.]+D)?(T(?=[0-9.])([0-9.]+H)?([0-9.]+M)?([0-9.]+S)?)?"
)
STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
GROUP_KEYS = AGENT_KEYS | {"member"}
IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
CONTEXT_KEYS = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})


class StatementInvalidError(ValueError):
    """A statement breaks the specification: what, and where (a JSON path)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _fail(path: str, message: str) -> StatementInvalidError:
    return StatementInvalidError(path, message)


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return str(parsed) == value.lower()


def parse_timestamp(value: Any, path: str) -> dt.datetime:
    if not isinstance(value, str) or not re.match(r"\d{4}-\d{2}-\d{2}T", value):
        raise _fail(path, "must be an ISO 8601 date and time, e.g. 2026-03-01T10:00:00Z")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as error:
        raise _fail(path, "must be an ISO 8601 date and time, e.g. 2026-03-01T10:00:00Z") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _object(value: Any, path: str, allowed: frozenset[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "must be a JSON object")
    if allowed is not None:
        for key in value:
            if key not in allowed:
                raise _fail(f"{path}.{key}", "is not a property defined by xAPI 1.0.3 here")
    return value


def _iri(value: Any, path: str) -> str:
    if not isinstance(value, str) or not _IRI.fullmatch(value):
        raise _fail(path, "must be an absolute IRI, e.g. https://example.org/course/42")
    return value


def _language_map(value: Any, path: str) -> None:
    entries = _object(value, path)
    for key, text in entries.items():
        if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", key):
            raise _fail(f"{path}.{key}", "a language map maps RFC 5646 language tags to strings")


def _agent(value: Any, path: str, *, group_allowed: bool = True) -> dict[str, Any]:
    agent = _object(value, path)
    kind = agent.get("objectType", "Agent")
    if kind == "Group" and group_allowed:
        _object(agent, path, GROUP_KEYS)
        members = agent.get("member")
        ifis = [key for key in IFI_KEYS if key in agent]
        if len(ifis) > 1:
            raise _fail(path, "a group has at most one inverse functional identifier")
        if not ifis and not isinstance(members, list):
            raise _fail(f"{path}.member", "an anonymous group must list its members")
        if members is not None:
            if not isinstance(members, list):
                raise _fail(f"{path}.member", "must be an array of agents")
            for index, member in enumerate(members):
                _agent(member, f"{path}.member[{index}]", group_allowed=False)
        for key in ifis:
            _ifi(agent, key, path)
        return agent
    if kind != "Agent":
        raise _fail(f"{path}.objectType", "must be Agent or Group")
    _object(agent, path, AGENT_KEYS)
    ifis = [key for key in IFI_KEYS if key in agent]
    if len(ifis) != 1:
        raise _fail(path, "an agent needs exactly one of mbox, mbox_sha1sum, openid, account")
    _ifi(agent, ifis[0], path)
    if "name" in agent and not isinstance(agent["name"], str):
        raise _fail(f"{path}.name", "must be a string")
    return agent


def _ifi(agent: dict[str, Any], key: str, path: str) -> None:
    value = agent[key]
    if key == "mbox":
        if not isinstance(value, str) or not re.fullmatch(r"mailto:[^@\s]+@[^@\s]+", value):
            raise _fail(f"{path}.mbox", "must be a mailto IRI, e.g. mailto:anne@example.dk")
    elif key == "mbox_sha1sum":
        if not isinstance(value, str) or not _SHA1.fullmatch(value):
            raise _fail(f"{path}.mbox_sha1sum", "must be 40 hexadecimal characters")
    elif key == "openid":
        _iri(value, f"{path}.openid")
    else:
        account = _object(value, f"{path}.account", frozenset({"homePage", "name"}))
        _iri(account.get("homePage"), f"{path}.account.homePage")
        if not isinstance(account.get("name"), str) or not account["name"]:
            raise _fail(f"{path}.account.name", "must be a non-empty string")


def _verb(value: Any, path: str) -> str:
    verb = _object(value, path, frozenset({"id", "display"}))
    verb_id = _iri(verb.get("id"), f"{path}.id")
    if "display" in verb:
        _language_map(verb["display"], f"{path}.display")
    return verb_id


def _activity(value: dict[str, Any], path: str) -> None:
    _object(value, path, frozenset({"objectType", "id", "definition"}))
    _iri(value.get("id"), f"{path}.id")
    if "definition" in value:
        definition = _object(value["definition"], f"{path}.definition")
        for key in ("name", "description"):
            if key in definition:
                _language_map(definition[key], f"{path}.definition.{key}")


def _statement_object(value: Any, path: str, *, sub: bool) -> dict[str, Any]:
    target = _object(value, path)
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        _activity(target, path)
    elif kind in {"Agent", "Group"}:
        _agent(target, path)
    elif kind == "StatementRef":
        _object(target, path, frozenset({"objectType", "id"}))
        if not is_uuid(target.get("id")):
            raise _fail(f"{path}.id", "must be a statement id (a UUID)")
    elif kind == "SubStatement" and not sub:
        _body(target, path, SUBSTATEMENT_KEYS, sub=True)
    else:
        raise _fail(f"{path}.objectType", "must be Activity, Agent, Group, StatementRef or SubStatement")
    return target


def _result(value: Any, path: str) -> None:
    result = _object(value, path, RESULT_KEYS)
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            raise _fail(f"{path}.{key}", "must be true or false")
    if "response" in result and not isinstance(result["response"], str):
        raise _fail(f"{path}.response", "must be a string")
    if "duration" in result and not (
        isinstance(result["duration"], str) and _DURATION.fullmatch(result["duration"])
    ):
        raise _fail(f"{path}.duration", "must be an ISO 8601 duration, e.g. PT1H30M")
    if "score" in result:
        score = _object(result["score"], f"{path}.score", frozenset({"scaled", "raw", "min", "max"}))
        for key, number in score.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise _fail(f"{path}.score.{key}", "must be a number")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise _fail(f"{path}.score.scaled", "must be from -1 to 1")
    if "extensions" in result:
        _extensions(result["extensions"], f"{path}.extensions")


def _extensions(value: Any, path: str) -> None:
    for key in _object(value, path):
        _iri(key, f"{path}.{key}")


def _context(value: Any, path: str) -> None:
    context = _object(value, path, CONTEXT_KEYS)
    if "registration" in context and not is_uuid(context["registration"]):
        raise _fail(f"{path}.registration", "must be a UUID")
    for key in ("instructor", "team"):
        if key in context:
            _agent(context[key], f"{path}.{key}")
    if "contextActivities" in context:
        activities = _object(context["contextActivities"], f"{path}.contextActivities", CONTEXT_ACTIVITY_KEYS)
        for key, entries in activities.items():
            listed = entries if isinstance(entries, list) else [entries]
            for index, entry in enumerate(listed):
                _activity(
                    _object(entry, f"{path}.contextActivities.{key}[{index}]"),
                    f"{path}.contextActivities.{key}[{index}]",
                )
    for key in ("revision", "platform", "language"):
        if key in context and not isinstance(context[key], str):
            raise _fail(f"{path}.{key}", "must be a string")
    if "statement" in context:
        reference = _object(context["statement"], f"{path}.statement", frozenset({"objectType", "id"}))
        if reference.get("objectType") != "StatementRef" or not is_uuid(reference.get("id")):
            raise _fail(f"{path}.statement", "must be a StatementRef")
    if "extensions" in context:
        _extensions(context["extensions"], f"{path}.extensions")


def _body(statement: dict[str, Any], path: str, allowed: frozenset[str], *, sub: bool) -> str:
    _object(statement, path, allowed)
    for required in ("actor", "verb", "object"):
        if required not in statement:
            raise _fail(f"{path}.{required}", "is required")
    _agent(statement["actor"], f"{path}.actor")
    verb_id = _verb(statement["verb"], f"{path}.verb")
    target = _statement_object(statement["object"], f"{path}.object", sub=sub)
    if verb_id == VOIDED and target.get("objectType") != "StatementRef":
        raise _fail(f"{path}.object", "a voiding statement's object must be a StatementRef")
    if "result" in statement:
        _result(statement["result"], f"{path}.result")
    if "context" in statement:
        _context(statement["context"], f"{path}.context")
    if "timestamp" in statement:
        parse_timestamp(statement["timestamp"], f"{path}.timestamp")
    if "attachments" in statement and not isinstance(statement["attachments"], list):
        raise _fail(f"{path}.attachments", "must be an array")
    return verb_id


def validate(statement: Any, path: str = "$") -> dict[str, Any]:
    """Check a statement; raises StatementInvalidError naming the first problem's path."""
    body = _object(statement, path)
    _body(body, path, STATEMENT_KEYS, sub=False)
    if "id" in body and not is_uuid(body["id"]):
        raise _fail(f"{path}.id", "must be a UUID in its standard form")
    if "version" in body and not (
        isinstance(body["version"], str) and _STATEMENT_VERSION.fullmatch(body["version"])
    ):
        raise _fail(f"{path}.version", "must be 1.0.x")
    if "stored" in body:
        parse_timestamp(body["stored"], f"{path}.stored")
    if "authority" in body:
        _agent(body["authority"], f"{path}.authority")
    return body


# --- Identifying the actor ----------------------------------------------------------------------------


def actor_key(actor: dict[str, Any]) -> str:
    """The agent's inverse functional identifier as one normalised string (lower-case e-mail)."""
    if actor.get("objectType") == "Group":
        for key in IFI_KEYS:
            if key in actor:
                return "group:" + actor_key({**actor, "objectType": "Agent"})
        return "group:anonymous"
    if "mbox" in actor:
        return "mbox:" + str(actor["mbox"]).lower()
    if "mbox_sha1sum" in actor:
        return "sha1:" + str(actor["mbox_sha1sum"]).lower()
    if "openid" in actor:
        return "openid:" + str(actor["openid"])
    account = actor.get("account", {})
    return f"account:{account.get('homePage', '')}|{account.get('name', '')}"


def mbox_sha1(email: str) -> str:
    return hashlib.sha1(f"mailto:{email}".encode(), usedforsecurity=False).hexdigest()


# --- Comparison (xAPI-Data §2.3.1) -------------------------------------------------------------------


def _canonical_agent(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    result = dict(agent)
    if isinstance(result.get("mbox"), str):
        result["mbox"] = result["mbox"].lower()
    if isinstance(result.get("mbox_sha1sum"), str):
        result["mbox_sha1sum"] = result["mbox_sha1sum"].lower()
    if isinstance(result.get("member"), list):
        members = [_canonical_agent(m) for m in result["member"]]
        result["member"] = sorted(
            members, key=lambda m: repr(sorted(m.items())) if isinstance(m, dict) else repr(m)
        )
    result.pop("objectType", None) if result.get("objectType") == "Agent" else None
    return result


def _canonical_object(target: Any) -> Any:
    if not isinstance(target, dict):
        return target
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return {"objectType": "Activity", "id": target.get("id")}
    if kind in {"Agent", "Group"}:
        return _canonical_agent(target)
    if kind == "SubStatement":
        return _canonical_body(target)
    return {"objectType": kind, "id": str(target.get("id", "")).lower()}


def _canonical_body(statement: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(statement)
    for key in ("id", "authority", "stored", "version", "attachments"):
        result.pop(key, None)
    result["actor"] = _canonical_agent(result.get("actor"))
    if isinstance(result.get("verb"), dict):
        result["verb"] = {"id": result["verb"].get("id")}
    result["object"] = _canonical_object(result.get("object"))
    if "timestamp" in result:
        with contextlib.suppress(StatementInvalidError):
            result["timestamp"] = parse_timestamp(result["timestamp"], "$").astimezone(dt.UTC).isoformat()
    context = result.get("context")
    if isinstance(context, dict):
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _canonical_agent(context[key])
        activities = context.get("contextActivities")
        if isinstance(activities, dict):
            for key, entries in list(activities.items()):
                listed = entries if isinstance(entries, list) else [entries]
                activities[key] = [_canonical_object(entry) for entry in listed]
        if isinstance(context.get("registration"), str):
            context["registration"] = context["registration"].lower()
    return result


def same_statement(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Whether two statements with the same id match, as the specification compares them."""
    a, b = _canonical_body(first), _canonical_body(second)
    # A timestamp the sender left out is one the LRS assigns: only two given timestamps are compared.
    if ("timestamp" in a) != ("timestamp" in b):
        a.pop("timestamp", None)
        b.pop("timestamp", None)
    return a == b


def validate_agent(value: Any, path: str) -> dict[str, Any]:
    """Check an Agent or Group (e.g. the `agent` query parameter)."""
    return _agent(value, path)
