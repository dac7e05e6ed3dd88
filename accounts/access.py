"""View-side helpers of the permission layer.

Each view is marked with the rule guarding it (`access_rule`), so a test can walk every URL
pattern and fail on a view that is not behind the layer.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.scoping import can, holds

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

    Reads of records marked `sensitive` are written to the access log.
    """
    model = queryset.model
    try:
        obj = queryset.visible_to(user, key).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if getattr(model, "sensitive", False):
        from audit.services import log_read

        log_read(user, obj, request=request)
    return obj


def require(user, key, obj=None):
    """403 for a person who may see the object but not do this to it."""
    if not can(user, key, obj):
        raise PermissionDenied
