"""The client's address behind a known number of reverse proxies (docs/decisions/0012).

Each proxy appends the address it received the request from to X-Forwarded-For, and the nearest proxy
is REMOTE_ADDR. With N trusted proxies the client is therefore the N-th address from the right of
"X-Forwarded-For, REMOTE_ADDR": anything further left was written by the client and is ignored, so a
client can neither pick its own address (to dodge a lockout) nor another's (to lock someone out).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()
    ]
    chain = [*forwarded, remote] if remote else forwarded
    if len(chain) <= proxies:
        # Fewer hops than proxies: the request did not come through all of them; trust only the socket.
        return remote
    return chain[-(proxies + 1)]
