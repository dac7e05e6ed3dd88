from django.urls import reverse

from accounts.scoping import held_keys
from shell.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "perms_held": frozenset()}
    current = request.resolver_match.view_name if request.resolver_match else ""
    menu = [
        {"url": reverse(name), "label": label, "active": active}
        for name, label, active in menu_for(user, current)
    ]
    return {"menu": menu, "perms_held": held_keys(user)}
