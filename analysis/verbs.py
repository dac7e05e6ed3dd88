"""The wording of the aggregated analyses' domain events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("analysis.created", _("Aggregated analysis written by %(actor)s"))
register("analysis.updated", _("Aggregated analysis changed by %(actor)s (%(fields)s)"))
register(
    "analysis.decided",
    _(
        "Decision of %(body)s %(date)s, %(paragraph)s, Dnr %(registry_number)s, "
        "recorded by %(actor)s"
    ),
)
register("analysis.measure_added", _("Measure “%(title)s” added by %(actor)s"))
