"""What of the yearly reports waits for one person: the querysets behind the start page's
figures (reports/figures.py), the lists they open (reports/views/work.py) and Mina uppgifter
(reports/inbox.py), so that the three count the same rows.

- a chapter to write: no text yet, in a written report that is still a draft, whose text the
  person writes: as a named author who may still be one, or, with no author named, as one who
  writes the report (the rule of `reports.services.chapters.may_write_text`, read as one
  query; tests/test_reports_start_tasks.py holds the two together);
- a chapter to judge: no verdict yet, in a written draft the person writes;
- a report to take to the board: in review, and the person writes it;
- a report to start: last year's, due soon (reports/data/due.json names who starts it), and
  not yet started at the person's level or above.

Only the rows of reports the person may read; each is one query whatever the number of rows.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.models import RoleAssignment
from accounts.scoping import grants, inherited_q, scope_q
from legal.health_care import health_care_nodes
from reports.due import due_for, to_start
from reports.models import VIEW, WRITE, Chapter, Generation, Report, ReportKind, Stage

# A report being written again has its chapters' figures replaced: its chapters wait until the
# writing is done, as the report's page shows them only then.
_IN_DRAFT = Q(report__stage=Stage.DRAFT, report__generation=Generation.DONE)


def named_q(user):
    authors = Chapter.authors.through.objects.filter(chapter_id=OuterRef("pk"))
    return Q(Exists(authors.filter(user_id=user.pk)))


def _may_be_named(user):
    """The chapters of the reports the person may be named an author of
    (`reports.services.chapters.possible_authors`): they hold reports.view in the report's part
    of the organisation (at a unit within it, too) or above it over the units below."""
    return inherited_q(grants(user, VIEW), "report__scope") | scope_q(user, VIEW, "report__scope")


def write_q(user):
    """The chapters whose text the person writes and that have none yet."""
    authors = Chapter.authors.through.objects.filter(chapter_id=OuterRef("pk"))
    named = named_q(user) & _may_be_named(user)
    unnamed = ~Q(Exists(authors)) & scope_q(user, WRITE, "report__scope")
    return Q(narrative="") & (named | unnamed)


def judge_q(user):
    """The chapters the person judges that have no verdict yet."""
    return Q(verdict="") & scope_q(user, WRITE, "report__scope")


def draft_chapters(user):
    """The chapters of the written drafts the person may read (the reports' own rule)."""
    return Chapter.objects.filter(_IN_DRAFT, report__in=Report.objects.visible_to(user, VIEW))


def chapters_to_write(user, *, named=False):
    """The chapters to write; `named`: only those the person is a named author of."""
    rows = draft_chapters(user).filter(write_q(user))
    return rows.filter(named_q(user)) if named else rows


def chapters_to_judge(user):
    return draft_chapters(user).filter(judge_q(user))


def reports_to_review(user):
    """The reports in review that the person writes, and so takes to the board's decision."""
    return (
        Report.objects.visible_to(user, VIEW)
        .filter(scope_q(user, WRITE, "scope"))
        .filter(stage=Stage.IN_REVIEW)
    )


def reports_to_start(user, today):
    """[(kind, year, node, Due)]: the reports about last year the person is expected to start
    (reports/data/due.json: their role, from some days before the date) and that no one has
    started at their level or above. The patient safety report only where some unit of the
    node's part has stated the health-care law. A few queries per kind, whatever the rows."""
    year = today.year - 1
    found = []
    for kind in ReportKind.values:
        expected, due = to_start(kind), due_for(kind, year)
        if expected is None or due is None:
            continue
        roles, lead_days = expected
        if (due.on - today).days > lead_days:
            continue
        nodes = {
            a.node
            for a in RoleAssignment.objects.active()
            .filter(user=user, role__code__in=roles, role__permissions__key=WRITE)
            .filter(node__is_active=True)
            .select_related("node")
        }
        for node in sorted(nodes, key=lambda n: n.path):
            started = Report.objects.filter(
                kind=kind, year=year, scope_id__in=node.ancestor_ids()
            ).exists()
            if started:
                continue
            if kind == ReportKind.PATIENT_SAFETY and not health_care_nodes(node).exists():
                continue
            found.append((kind, year, node, due))
    return found
