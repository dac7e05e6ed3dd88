"""The address of the person at the other end, for the access log and login throttling.

Behind a reverse proxy REMOTE_ADDR is the proxy's own address, and X-Forwarded-For can be
written by anyone. With HJULET_PROXY_COUNT proxies of our own in front (default 0: none), the
client is the address the outermost of them added: the HJULET_PROXY_COUNT-th from the right.
"""

from ipaddress import ip_address

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "HJULET_PROXY_COUNT", 0)
    if not count:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        # Not through all our proxies (a direct request, a misconfiguration): do not guess.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
