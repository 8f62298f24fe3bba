"""Who is asking: a request's client address, behind the trusted proxies (TRUSTED_PROXY_COUNT)."""

import ipaddress

from rest_framework.throttling import BaseThrottle


def client_address(request):
    """The address the outermost trusted proxy appended to X-Forwarded-For, or REMOTE_ADDR without a proxy.

    DRF's throttle reads it so, with the count as its NUM_PROXIES setting; what a client writes in the header
    before the proxies' entries is never taken. The API's rate limit and the login lockouts both ask here.
    """
    address = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        # Not an address: with more proxies counted than there are, the entry is what the client wrote.
        return request.META.get("REMOTE_ADDR")
