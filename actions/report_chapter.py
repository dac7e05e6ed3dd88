"""The measures taken to increase patient safety, in the patient safety report (PSL 3 kap 10 §):
the actions of the health-care part (legal/health_care.py) decided and carried out in the year,
by what they came from, whether their effect was checked, and those past their date today.
Registered in actions/registrations.py (core/chapters.py)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from actions.models import Action, EffectOutcome, Status
from core.chapters import Figure, Part, Table, share
from legal.health_care import health_care_nodes

DONE = (Status.DONE, Status.EFFECT_CHECKED)


def health_care_actions(scope, year):
    actions = Action.objects.filter(unit__in=health_care_nodes(scope))
    counts = actions.aggregate(
        decided=Count("pk", filter=Q(created_at__year=year)),
        done=Count("pk", filter=Q(completed_at__year=year, status__in=DONE)),
        checked=Count("pk", filter=Q(effect_checked_at__year=year)),
        effect=Count("pk", filter=Q(effect_checked_at__year=year, effect_ok=EffectOutcome.YES)),
    )
    overdue = actions.overdue().count()
    by_source = (
        actions.filter(Q(created_at__year=year) | Q(completed_at__year=year, status__in=DONE))
        .values("source_type")
        .order_by()
        .annotate(
            decided=Count("pk", filter=Q(created_at__year=year)),
            done=Count("pk", filter=Q(completed_at__year=year, status__in=DONE)),
        )
    )
    types = ContentType.objects.in_bulk(
        [row["source_type"] for row in by_source if row["source_type"]]
    )

    def source_name(pk):
        model = types[pk].model_class() if pk in types else None
        return str(model._meta.verbose_name_plural).capitalize() if model else _("Not stated")

    part = Part(heading=_("Measures in health care"))
    part.figures = [
        Figure(_("Actions decided in the year"), counts["decided"]),
        Figure(_("Actions carried out in the year"), counts["done"]),
        Figure(_("Effects checked in the year"), counts["checked"]),
        Figure(
            _("With the intended effect"),
            share(counts["effect"], counts["checked"]),
            share=True,
            note=_("%(yes)s of %(all)s") % {"yes": counts["effect"], "all": counts["checked"]},
        ),
        Figure(
            _("Actions past their date"),
            overdue,
            note=_("today, whatever the year they were decided"),
        ),
    ]
    part.tables = [
        Table(
            caption=_("Actions per source"),
            columns=[_("Came from"), _("Decided"), _("Carried out")],
            rows=sorted(
                ([source_name(r["source_type"]), r["decided"], r["done"]] for r in by_source),
                key=lambda row: (-row[1], row[0]),
            ),
        )
    ]
    part.facts = {
        "health_care_actions_decided": counts["decided"],
        "health_care_actions_done": counts["done"],
        "health_care_actions_overdue": overdue,
    }
    return part
