"""Limits on e-mails a visitor can ask for: password resets and new sign-in links (docs/decisions/0012).

Counted per e-mail address and per client address in a fixed window, in the default cache. The count
goes up whether or not the address belongs to anyone, so the answer never tells which addresses exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .client_ip import client_ip


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_minutes: int = 0


def _key(kind: str, part: str, value: str) -> str:
    # Hashed: the cache never holds e-mail addresses in the clear.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"email-limit:{kind}:{part}:{digest}"


def _hit(key: str, limit: int, window: int) -> bool:
    """Count one request; True while the count stays within the limit."""
    if cache.add(key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def email_request_allowed(*, request: HttpRequest, kind: str, email: str) -> Verdict:
    """Whether to send the `kind` e-mail to `email` for this request (and count it)."""
    window = settings.EMAIL_REQUEST_WINDOW_MINUTES * 60
    by_ip = _hit(_key(kind, "ip", client_ip(request)), settings.EMAIL_REQUEST_LIMIT_PER_IP, window)
    by_address = _hit(_key(kind, "address", email), settings.EMAIL_REQUEST_LIMIT_PER_ADDRESS, window)
    if by_ip and by_address:
        return Verdict(allowed=True)
    return Verdict(allowed=False, retry_minutes=settings.EMAIL_REQUEST_WINDOW_MINUTES)
