from accounts.scoping import holds


def restrict_admin(site):
    """Django admin is for holders of the system.admin key only."""

    def has_permission(request):
        return request.user.is_active and holds(request.user, "system.admin")

    site.has_permission = has_permission
    site.site_header = "Hjulet – systemadministration"
    site.site_title = "Hjulet"
