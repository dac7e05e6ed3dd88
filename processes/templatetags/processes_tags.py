from django import template
from django.utils.html import format_html

from processes.coverage import Status

register = template.Library()

# The colour repeats what the words say: the status is always written out.
BADGES = {
    Status.NO_ROUTINE: "badge--bad",
    Status.NOT_PUBLISHED: "badge--bad",
    Status.REVIEW_PASSED: "badge--warn",
    Status.COVERED: "badge--ok",
}


@register.simple_tag
def status_badge(status):
    status = Status(status)
    return format_html('<span class="badge {}">{}</span>', BADGES[status], status.label)
