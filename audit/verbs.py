"""The wording of domain events, keyed by verb; modules add theirs with `register`."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "organisation.node_created": _("%(name)s created by %(actor)s"),
    "organisation.node_updated": _("Details changed by %(actor)s"),
    "organisation.node_closed": _("Closed by %(actor)s"),
    "organisation.node_reopened": _("Reopened by %(actor)s"),
    "organisation.cases_moved": _("Open cases moved to %(target)s by %(actor)s (%(count)s)"),
    "organisation.services_set": _("Services set to “%(services)s” by %(actor)s"),
    "organisation.provider_set": _("Provider %(provider)s recorded by %(actor)s"),
    "organisation.duties_edited": _("Duties of %(role)s edited by %(actor)s"),
    "accounts.role_assigned": _("Role %(role)s at %(node)s given by %(actor)s"),
    "accounts.role_ended": _("Role %(role)s at %(node)s ended by %(actor)s"),
    "accounts.role_permissions_changed": _("Permissions of %(role)s changed by %(actor)s"),
    "accounts.user_created": _("Account created by %(actor)s"),
    "accounts.user_updated": _("Account details changed by %(actor)s"),
    "accounts.user_deactivated": _("Account deactivated by %(actor)s"),
    "legal.regulation_created": _("Added to the register by %(actor)s"),
    "legal.regulation_updated": _("Register entry changed by %(actor)s"),
    "legal.applicability_stated": _("Applicable laws stated by %(actor)s (%(count)s)"),
    "audit.sample_drawn": _("Sample of %(count)s reads drawn by %(actor)s"),
    "audit.sample_reviewed": _("Sample reviewed by %(actor)s"),
}


def register(verb, wording):
    VERBS[verb] = wording


class _SafeParams(dict):
    def __missing__(self, key):
        return "?"


def render(event):
    """The event as a sentence; an unknown verb or a broken wording still reads as something."""
    params = _SafeParams(event.params if isinstance(event.params, dict) else {})
    params["actor"] = str(event.actor) if event.actor_id else str(_("the system"))
    wording = VERBS.get(event.verb)
    if wording is not None:
        try:
            return str(wording) % params
        except (TypeError, ValueError):
            pass
    return str(_("%(event)s by %(actor)s")) % {"event": event.verb, "actor": params["actor"]}
