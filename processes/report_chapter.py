"""The process register in the yearly quality report, chapter 4 (SOSFS 2011:9 4 kap 2–6 §§):
the processes in use of the scope and every node below it, their activities, whether each
activity has a routine in force (processes/coverage.py, the coverage page's own reading) and
the collaborations with their routines and agreements. Registered in processes/registrations.py
(core/chapters.py), after the routines' part.

The register keeps no history of processes, activities and collaborations, so this part is
the register as it stands when the report is written, judged on that day, whatever the year;
the part says so. The processes of the levels above, which also apply to the scope, count in
those levels' reports.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.chapters import Figure, Part, Table, share
from processes.coverage import Status, coverage
from processes.models import Process
from routines.report_chapter import units_below

# 4 kap 2–4 §§ ask for routines established for each activity: one only drafted or withdrawn
# is no routine yet.
WITHOUT = (Status.NO_ROUTINE, Status.NOT_PUBLISHED)


def _coverage_link(scope):
    """The coverage page for the scope, which also shows the processes of the levels above it:
    a link only when there are none, so that it lists exactly the processes counted."""
    above = [pk for pk in scope.ancestor_ids() if pk != scope.pk]
    if Process.objects.filter(unit_id__in=above, is_active=True).exists():
        return ""
    return reverse("processes:coverage") + "?" + urlencode({"node": scope.pk})


def _without(row):
    return sum(row.status_counts[status] for status in WITHOUT)


def process_register(scope, year):
    """Chapter 4: the register today (`year` is not read: there is no history to read it in)."""
    today = timezone.localdate()
    found = coverage(
        Process.objects.filter(unit__path__startswith=scope.path, is_active=True).order_by(
            "unit__path", "name", "pk"
        ),
        today=today,
    )
    totals = found.totals
    without = sum(_without(row) for row in found)
    lacking = sum(1 for row in found if _without(row))
    collaborating = sum(1 for row in found if row.has_collaboration)
    empty = sum(1 for row in found if not row.activities_total)
    part = Part(heading=_("Processes"))
    part.text = [
        _(
            "The process register as it stands on %(date)s: it keeps no history of processes "
            "and activities."
        )
        % {"date": today.isoformat()}
    ]
    part.figures = [
        Figure(_("Processes in use"), totals.processes, url=_coverage_link(scope)),
        Figure(_("Activities"), totals.activities),
        Figure(_("Processes without activities described"), empty),
        Figure(
            _("Activities with a routine in force within its review date"),
            share(totals.activities_covered, totals.activities),
            share=True,
            note=_("%(covered)s of %(all)s")
            % {"covered": totals.activities_covered, "all": totals.activities},
        ),
        Figure(
            _("Activities whose routine is past its review date"),
            totals.status_counts[Status.REVIEW_PASSED],
        ),
        Figure(_("Activities without a routine in force"), without),
        Figure(_("Processes with an activity without a routine in force"), lacking),
        Figure(_("Processes with collaboration"), collaborating),
        Figure(
            _("Processes with a collaboration without a routine in force"),
            totals.processes_lacking_collaboration_routine,
        ),
        Figure(_("Collaboration agreements past their end date"), totals.expired_agreements),
    ]
    rows = units_below(
        scope,
        [(row.process.unit.path, (1, row.activities_total, _without(row))) for row in found],
        3,
    )
    if rows:
        part.tables = [
            Table(
                caption=_("Processes per unit, including the units below"),
                columns=[
                    _("Unit"),
                    _("Processes"),
                    _("Activities"),
                    _("Without a routine in force"),
                ],
                rows=rows,
            )
        ]
    # Nothing to judge where there is nothing described: such facts are left unread.
    part.facts = {
        "processes": totals.processes,
        "activities": totals.activities,
        "processes_without_activities": empty if totals.processes else None,
        "activities_without_routine": without if totals.activities else None,
        "processes_with_activities_without_routine": lacking if totals.processes else None,
        "activities_covered_share": share(totals.activities_covered, totals.activities),
        "processes_lacking_collaboration_routine": (
            totals.processes_lacking_collaboration_routine if collaborating else None
        ),
        "expired_collaboration_agreements": totals.expired_agreements if collaborating else None,
    }
    return part
