"""Signals the permission layer sends; higher apps connect to them from their AppConfig.ready().

`sensitive_read`: a sensitive record was read, or (denied=True) a refused attempt was made at
one (accounts/access.py). Keyword arguments: user, obj, request (or None), denied. The audit
app writes them to the access log (loggkontroll); a system check (accounts/checks.py) fails
when nothing is connected, since the reads would then go unlogged without a sound.
"""

from django.dispatch import Signal

sensitive_read = Signal()
