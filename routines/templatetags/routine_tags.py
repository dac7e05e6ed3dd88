"""The closed loop on an action's page ("Revise routine" and the versions answering it), and the
rows of the managers' acknowledgment overview."""

from html import escape

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from accounts.scoping import holds
from routines.models import DRAFT, Routine

register = template.Library()


@register.inclusion_tag("routines/_revise.html", takes_context=True)
def revise_routine(context, action):
    """The versions linked to the action (those the person may read), and for an open action
    the person may manage a form to open a revision of a routine they write."""
    from actions.models import Status
    from actions.services import may_manage
    from routines.forms import ReviseForm
    from routines.views.create import revisable_routines

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    visible = Routine.objects.visible_to(user).values("pk")
    linked = list(action.routine_versions.filter(routine__in=visible).select_related("routine"))
    form = None
    if (
        action.status in (Status.PLANNED, Status.IN_PROGRESS)
        and holds(user, DRAFT)
        and may_manage(user, action)
    ):
        routines = revisable_routines(user)
        if routines.exists():
            form = ReviseForm(routines=routines, auto_id="revise_%s")
    return {"show": bool(linked or form), "action": action, "linked": linked, "form": form}


# -- the rows of the managers' acknowledgment overview ----------------------------------------
# Drawn in code rather than in the template: a department's overview has hundreds of routines
# and units with up to ten names each, and the template engine spent most of the page's time
# on them. The markup and the wording are the template's; every value is escaped here.


class _Drawing:
    """What the rows share, worked out once per page: the number format, the wording by count
    and each person's escaped name (a department's overview names the same people hundreds of
    times)."""

    def __init__(self):
        self.number = formats.localize if settings.USE_THOUSAND_SEPARATOR else str
        self.everyone = gettext("Everyone")
        self._names, self._people, self._more = {}, {}, {}

    def name(self, person):
        drawn = self._names.get(person.pk)
        if drawn is None:
            drawn = self._names[person.pk] = escape(str(person))
        return drawn

    def rate(self, tally):
        return "–" if tally.rate is None else f"{self.number(tally.rate)} %"

    def people(self, count):
        drawn = self._people.get(count)
        if drawn is None:
            drawn = self._people[count] = ngettext(
                "%(counter)s person", "%(counter)s people", count
            ) % {"counter": self.number(count)}
        return drawn

    def more(self, count):
        drawn = self._more.get(count)
        if drawn is None:
            drawn = self._more[count] = ngettext(
                "and %(counter)s more", "and %(counter)s more", count
            ) % {"counter": self.number(count)}
        return drawn

    def waiting(self, routine, title, tally):
        """The cell of who has not acknowledged a routine, with its reminder button (which
        submits the page's reminder form, id remind-form, with the routine)."""
        if not tally.missing_count:
            if tally.asked:
                return f'<span class="badge badge--ok">{self.everyone}</span>'
            return '<span class="muted">–</span>'
        remind = gettext("Remind about “%(title)s”") % {"title": title}
        button = (
            f'<button type="submit" form="remind-form" name="routine" value="{routine.pk}"'
            f' class="button button--small button--secondary">{remind}</button>'
        )
        if not tally.missing:  # a department's overview counts; each unit's names them
            return f"{self.people(tally.missing_count)} {button}"
        names = "".join(f"<li>{self.name(person)}</li>" for person in tally.missing)
        more = tally.more_missing
        more = f'<li class="muted">{self.more(more)}</li>' if more else ""
        return (
            f"<details><summary>{self.people(tally.missing_count)}</summary>"
            f'<ul class="plain-list">{names}{more}</ul></details>{button}'
        )


@register.simple_tag
def acknowledgment_routine_rows(rows):
    """The table rows of (routine, Tally) pairs (routines.acknowledgments.overview)."""
    from routines.views.reading import read_links

    draw = _Drawing()
    number = draw.number
    link = read_links()
    parts = []
    for routine, tally in rows:
        title = escape(routine.title)
        parts.append(
            f'<tr data-pk="{routine.pk}">'
            f'<th scope="row"><a href="{escape(link(routine.pk))}">{title}</a>'
            f' <span class="muted">{escape(routine.unit_name)}</span></th>'
            f'<td class="num">{number(tally.asked)}</td>'
            f'<td class="num">{number(tally.acknowledged)}</td>'
            f'<td class="num">{draw.rate(tally)}</td>'
            f"<td>{draw.waiting(routine, title, tally)}</td></tr>\n"
        )
    return mark_safe("".join(parts))


@register.simple_tag
def acknowledgment_unit_rows(tallies, overview_url, chosen=None):
    """The table rows of the units' Tallies, each unit linking to its own overview (where the
    names of who has not acknowledged are)."""
    draw = _Drawing()
    number = draw.number
    link = escape(overview_url)
    parts = []
    for tally in tallies:
        name = escape(tally.unit.name)
        # The chosen unit's own people are in its overview, which is this page.
        if tally.unit.pk != getattr(chosen, "pk", None):
            name = f'<a href="{link}?unit={tally.unit.pk}">{name}</a>'
        parts.append(
            f'<tr><th scope="row">{name}</th>'
            f'<td class="num">{number(tally.asked)}</td>'
            f'<td class="num">{number(tally.acknowledged)}</td>'
            f'<td class="num">{draw.rate(tally)}</td>'
            f'<td class="num">{number(tally.waiting)}</td></tr>\n'
        )
    return mark_safe("".join(parts))
