"""View-side helpers of the permission layer.

Each view is marked with the rule guarding it (`access_rule`), so a test can walk every URL
pattern and fail on a view that is not behind the layer.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import Resolver404, resolve

from accounts.need_to_know import read_is_sensitive
from accounts.scoping import can, holds
from accounts.signals import sensitive_read

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def _mark(view, rule):
    view.access_rule = rule
    return view


def public(view):
    """Open to everyone, also without login (login page, health check)."""
    return _mark(view, PUBLIC)


def login_only(view):
    """Any logged-in person: pages about the person themself."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapper, AUTHENTICATED)


def requires(*keys):
    """The person must hold the key (or one of the keys) somewhere; object views then check the
    object itself."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(holds(request.user, key) for key in keys):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(wrapper, "|".join(keys))

    return decorator


def get_visible_or_404(queryset, user, key=None, request=None, **lookup):
    """The object if it exists and the person may see it; 404 alike for both other cases.

    Reads of records marked `sensitive`, and of records derived from one (an action of a lex
    Sarah investigation: accounts/need_to_know.py), are written to the access log through the
    `sensitive_read` signal (accounts/signals.py), and so are refused attempts at such a record
    (loggkontroll); the answer is the same 404 either way.
    """
    model = queryset.model
    try:
        obj = queryset.visible_to(user, key).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        _log_refused(user, model, lookup, request)
        raise Http404 from None
    if read_is_sensitive(obj):
        _log(user, obj, request)
    return obj


def _log(user, obj, request, denied=False):
    """Hand the read (or the refused attempt) to the access log (accounts/signals.py)."""
    sensitive_read.send(type(obj), user=user, obj=obj, request=request, denied=denied)


def _log_refused(user, model, lookup, request):
    if not (getattr(model, "sensitive", False) or getattr(model, "derived_from", None)):
        return
    try:
        target = model._base_manager.filter(**lookup).first()
    except (ValueError, TypeError):
        return
    if target is not None and read_is_sensitive(target):
        _log(user, target, request, denied=True)


def require(user, key, obj=None, request=None):
    """403 for a person who may see the object but not do this to it (a refused attempt at a
    sensitive record is written to the access log)."""
    if not can(user, key, obj):
        if obj is not None and read_is_sensitive(obj):
            _log(user, obj, request, denied=True)
        raise PermissionDenied


def may_open(user, path, obj=None):
    """Whether the person may open the page at `path`, decided by the rule its view is marked
    with (above): a breadcrumb or any other link is drawn only where it leads somewhere.

    With `obj` (the record the page shows), the record itself must be visible to the person
    under one of the view's keys, as `get_visible_or_404` asks; without it, holding a key
    somewhere is enough, as `requires` asks.
    """
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    rule = getattr(view, "access_rule", None)
    if rule == PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    if rule == AUTHENTICATED:
        return True
    if not rule:
        return False  # an unmarked view: tests/test_access.py fails on it
    keys = [key for key in rule.split("|") if holds(user, key)]
    if obj is None:
        return bool(keys)
    return any(_visible(user, key, obj) for key in keys)


def _visible(user, key, obj):
    queryset = type(obj)._default_manager.all()
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user, key).filter(pk=obj.pk).exists()
    return can(user, key, obj)
