"""Small request helpers shared by the apps."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the login lockout sees it (behind AXES_PROXY_COUNT proxies), for audit
    trails. None when the request carries none."""
    address: str | None = get_client_ip_address(request)
    return address or None
