"""The client's address, the one every part of the portal uses (login throttling, the public forms' rate
limits, the audit).

Behind the TLS proxy REMOTE_ADDR is the proxy's own address, so every visitor would share it; and
X-Forwarded-For is written by whoever sends the request, so its leading entries are whatever a visitor
typed. Each trusted proxy appends the address it saw to the end of the header: with N trusted proxies the
Nth entry from the end is the address the outermost of them saw, and only entries after it are ours.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the visitor as the outermost trusted proxy saw it (REMOTE_ADDR with no proxy);
    None when the request carries no valid address (a request built in code, not from a socket)."""
    cached = getattr(request, "client_ip", None)
    if cached:
        return cached
    peer = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.KEHILA_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return peer
    chain = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [entry.strip() for entry in chain if entry.strip()]
    if not chain:
        # A request that reached us without passing a proxy: the peer is the only address we know.
        return peer
    # Fewer entries than proxies: every entry there was still written by a trusted proxy, the first one
    # by the proxy nearest the visitor.
    candidate = chain[-proxies] if len(chain) >= proxies else chain[0]
    return _valid(candidate) or peer


class ClientAddressMiddleware:
    """Works the client's address out once, early, so that every later reader (axes included, which reads
    REMOTE_ADDR through our callable) sees the same one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        return self.get_response(request)
