"""The xAPI 1.0.3 Statements resource (`/xapi/statements`) and `/xapi/about` (decision 0018).

HTTP only: Basic authentication with a key the provider or HR made in fagdigital, the version header on
every request and response, JSON in and out; storing and meaning live in services.statements. Every
response carries `X-Experience-API-Version: 1.0.3`; statement responses also
`X-Experience-API-Consistent-Through` (statements are readable as soon as they are stored).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from fagdigital.development import xapi
from fagdigital.development.models import StatementCredential
from fagdigital.development.selectors import statements as selectors
from fagdigital.development.services import statements as services

REALM = 'Basic realm="fagdigital xAPI", charset="UTF-8"'
GET_PARAMETERS = frozenset(
    {
        "statementId",
        "voidedStatementId",
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
        "more",
    }
)
_SUPPORTED_VERSION = re.compile(r"1\.0(\.[0-9]+)?")


def _headers(response: HttpResponse, *, statements: bool = True) -> HttpResponse:
    response["X-Experience-API-Version"] = xapi.VERSION
    if statements:
        now = timezone.now().astimezone(dt.UTC)
        response["X-Experience-API-Consistent-Through"] = now.isoformat().replace("+00:00", "Z")
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, message: str) -> HttpResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = REALM
    return _headers(response)


def _credential(request: HttpRequest) -> StatementCredential | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    key_id, colon, secret = decoded.partition(":")
    if not colon:
        return None
    return services.credential_authenticate(key_id=key_id, secret=secret)


Handler = Callable[[HttpRequest, StatementCredential], HttpResponse]


def _protocol(handler: Handler) -> Callable[[HttpRequest], HttpResponse]:
    """Version header, then credentials, for every Statements request."""

    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        version = request.headers.get("X-Experience-API-Version", "").strip()
        if not version:
            return _error(400, "the X-Experience-API-Version header is required (send 1.0.3)")
        if not _SUPPORTED_VERSION.fullmatch(version):
            return _error(400, f"xAPI version {version} is not supported; send 1.0.3")
        credential = _credential(request)
        if credential is None:
            return _error(401, "HTTP Basic authentication with an active fagdigital xAPI key is required")
        return handler(request, credential)

    return view


def _body(request: HttpRequest) -> Any:
    content_type = request.content_type or ""
    if content_type != "application/json":
        raise services.StatementRefusedError(
            400, "send the statements as application/json (attachments in multipart/mixed are not supported)"
        )
    if len(request.body) > settings.XAPI_MAX_BODY_BYTES:
        raise services.StatementRefusedError(
            413, f"the request is larger than {settings.XAPI_MAX_BODY_BYTES} bytes"
        )
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise services.StatementRefusedError(400, f"the body is not valid JSON: {error}") from error


def _unknown_parameters(request: HttpRequest, allowed: frozenset[str]) -> HttpResponse | None:
    for name in request.GET:
        if name not in allowed:
            return _error(400, f"unknown parameter {name}")
    return None


def _post(request: HttpRequest, credential: StatementCredential) -> HttpResponse:
    refused = _unknown_parameters(request, frozenset())
    if refused is not None:
        return refused
    data = _body(request)
    batch = data if isinstance(data, list) else [data]
    result = services.statements_store(credential=credential, statements=batch)
    return _headers(JsonResponse(result.ids, safe=False, status=200))


def _put(request: HttpRequest, credential: StatementCredential) -> HttpResponse:
    refused = _unknown_parameters(request, frozenset({"statementId"}))
    if refused is not None:
        return refused
    statement_id = request.GET.get("statementId", "")
    if not xapi.is_uuid(statement_id.lower()):
        return _error(400, "PUT needs a statementId parameter with the statement's id (a UUID)")
    data = _body(request)
    if not isinstance(data, dict):
        return _error(400, "PUT stores one statement: send a JSON object")
    services.statements_store(credential=credential, statements=[data], statement_id=statement_id)
    return _headers(HttpResponse(status=204))


def _get(request: HttpRequest, credential: StatementCredential) -> HttpResponse:
    refused = _unknown_parameters(request, GET_PARAMETERS)
    if refused is not None:
        return refused
    single = {"statementId", "voidedStatementId"} & set(request.GET)
    if single:
        if len(single) > 1:
            return _error(400, "use statementId or voidedStatementId, not both")
        if set(request.GET) - single - {"format", "attachments"}:
            return _error(
                400, "with statementId or voidedStatementId only format and attachments may be given"
            )
        name = single.pop()
        statement = selectors.statement_for_sender(
            credential=credential, statement_id=request.GET[name], voided=name == "voidedStatementId"
        )
        if statement is None:
            return _error(404, "no such statement")
        response = _headers(JsonResponse(selectors.statement_document(statement)))
        response["Last-Modified"] = http_date(statement.stored.timestamp())
        return response
    query = _query(request)
    if isinstance(query, HttpResponse):
        return query
    rows, more = selectors.statements_query(credential=credential, query=query)
    more_url = ""
    if more and rows:
        more_url = request.path + "?" + urlencode({"more": query.cursor(rows[-1].pk)})
    body = {"statements": [selectors.statement_document(row) for row in rows], "more": more_url}
    return _headers(JsonResponse(body))


def _query(request: HttpRequest) -> selectors.Query | HttpResponse:
    params = request.GET
    if "more" in params:
        query = selectors.query_from_cursor(params["more"])
        return query if query is not None else _error(400, "the more link has expired or is not ours")
    try:
        since = xapi.parse_timestamp(params["since"], "since") if "since" in params else None
        until = xapi.parse_timestamp(params["until"], "until") if "until" in params else None
        agent_key = selectors.agent_key_from_param(params["agent"]) if "agent" in params else None
    except xapi.StatementInvalidError as error:
        return _error(400, str(error))
    for name in ("ascending", "related_activities", "related_agents", "attachments"):
        if name in params and params[name] not in {"true", "false"}:
            return _error(400, f"{name} must be true or false")
    if params.get("attachments") == "true":
        return _error(400, "attachments are not stored here, so attachments=true cannot be served")
    if "format" in params and params["format"] not in {"ids", "exact", "canonical"}:
        return _error(400, "format must be ids, exact or canonical")
    limit_text = params.get("limit", "0")
    if not limit_text.isdigit():
        return _error(400, "limit must be a non-negative integer")
    limit = int(limit_text)
    if "registration" in params and not xapi.is_uuid(params["registration"].lower()):
        return _error(400, "registration must be a UUID")
    return selectors.Query(
        verb=params.get("verb") or None,
        activity=params.get("activity") or None,
        agent_key=agent_key,
        registration=params.get("registration") or None,
        since=since,
        until=until,
        limit=min(limit, selectors.MAX_LIMIT) if limit else selectors.MAX_LIMIT,
        ascending=params.get("ascending") == "true",
    )


def _statements(request: HttpRequest, credential: StatementCredential) -> HttpResponse:
    handlers: dict[str, Handler] = {"GET": _get, "HEAD": _get, "POST": _post, "PUT": _put}
    handler = handlers.get(request.method or "")
    if handler is None:
        response = _error(405, "the Statements resource takes GET, PUT and POST")
        response["Allow"] = "GET, HEAD, PUT, POST"
        return response
    try:
        return handler(request, credential)
    except services.StatementRefusedError as refusal:
        return _error(refusal.status, refusal.message)


statements = _protocol(_statements)


@csrf_exempt
def about(request: HttpRequest) -> HttpResponse:
    """The versions this LRS speaks (no authentication, as the specification allows)."""
    if request.method not in {"GET", "HEAD"}:
        return _headers(JsonResponse({"error": "GET only"}, status=405), statements=False)
    return _headers(JsonResponse({"version": [xapi.VERSION]}), statements=False)
