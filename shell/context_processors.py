from accounts.scoping import held_keys
from shell.navigation import menu_groups_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "menu_groups": [], "perms_held": frozenset()}
    current = request.resolver_match.view_name if request.resolver_match else ""
    menu, groups = menu_groups_for(user, current)
    return {"menu": menu, "menu_groups": groups, "perms_held": held_keys(user)}
