from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

logger = logging.getLogger("fagdigital.request")


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, user and organisation ids.

    Never logs query strings, form data or e-mail addresses: they may hold personal data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        organisation = getattr(request, "organisation", None)
        logger.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "organisation_id": organisation.pk if organisation is not None else None,
            },
        )
        response["X-Request-ID"] = request_id
        return response


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Danish unless the user chose English (language cookie); the browser's language is not consulted.

    Municipal staff often have English-language browsers but expect their workplace tools in Danish.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
