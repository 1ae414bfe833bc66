"""The address a request came from, believing X-Forwarded-For only from the portal's own proxies.

Behind the TLS proxy every request arrives from the proxy's address; the proxy names the client in
X-Forwarded-For. Anyone can send that header, so it counts only when the request came from an
address in TRUSTED_PROXIES, and then only the part those proxies appended: the chain is read from
the right, skipping trusted proxies, and the first other address is the client.
"""

import ipaddress

from django.conf import settings


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """Return the client's address for throttling and logs (axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR")
    networks = [ipaddress.ip_network(n, strict=False) for n in settings.TRUSTED_PROXIES]
    if not _trusted(_address(remote or ""), networks):
        return remote
    for part in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(part)
        if address is None:
            break  # a garbled chain: believe no more of it
        if not _trusted(address, networks):
            return str(address)
    return remote
