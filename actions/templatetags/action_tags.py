"""Other modules' pages name an action only to people who may see it (actions/models.py)."""

from django import template

from actions.services import may_view

register = template.Library()


@register.filter
def if_visible_to(action, user):
    """The action, or None for a person who may not see it (its source is a lex Sarah track
    they may not read, or it lies outside their units)."""
    if action is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    return action if may_view(user, action) else None
