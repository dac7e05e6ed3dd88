"""Links that start a risk analysis, for other apps' pages (a process, an aggregated analysis,
a unit): drawn only for a person who may make risk analyses (of a unit's change: in that unit;
otherwise anywhere, and the form offers the units the person manages), so the page of the other
app needs no knowledge of the risks app beyond the tag. `wrap=False` gives the bare link.

    {% load risks_tags %}{% start_risk_analysis process=process %}
    {% start_risk_analysis origin=analysis %}
    {% start_risk_analysis unit=node subject="organisation_change" %}
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.scoping import can, holds
from risks.models import MANAGE, SubjectKind
from risks.services.base import ORIGINS

register = template.Library()


@register.simple_tag(takes_context=True)
def start_risk_analysis(context, process=None, origin=None, unit=None, subject="", wrap=True):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if process is not None:
        node, query = process.unit, {"process": process.pk}
        label = _("Make a risk analysis of the process")
    elif origin is not None:
        label_lower = origin._meta.label_lower
        if label_lower not in ORIGINS:
            return ""
        node, query = origin.get_scope_node(), {"origin": f"{label_lower}:{origin.pk}"}
        label = _("Start a risk analysis from this analysis")
    elif unit is not None:
        node, query = unit, {"unit": unit.pk}
        if subject in SubjectKind.values:
            query["subject"] = subject
        label = _("Risk analysis before a change")
    else:
        return ""
    if not node.is_active or not (holds(user, MANAGE) if unit is None else can(user, MANAGE, node)):
        return ""
    url = reverse("risks:create") + "?" + urlencode(query)
    if not wrap:
        return format_html('<a href="{}" id="risk-analysis-start">{}</a>', url, label)
    return format_html(
        '<div class="actions"><a class="button button--secondary" href="{}" '
        'id="risk-analysis-start">{}</a></div>',
        url,
        label,
    )
