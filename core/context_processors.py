from django.urls import reverse

from accounts.scoping import held_keys
from core.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "perms_held": frozenset()}
    current = request.resolver_match.view_name if request.resolver_match else ""
    entries = menu_for(user)
    names = {name for name, _label in entries}
    # An entry is current on its own page, or on a page of its module that has no entry.
    menu = [
        {
            "url": reverse(name),
            "label": label,
            "active": current == name
            or (
                current not in names
                and name != "core:start"
                and current.split(":")[0] == name.split(":")[0]
            ),
        }
        for name, label in entries
    ]
    return {"menu": menu, "perms_held": held_keys(user)}
