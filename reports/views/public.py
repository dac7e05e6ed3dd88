"""The published versions for the public: what the board approved, without personal data. A
published version holds no person's name by construction (the snapshot keeps the verdicts and
texts, not who wrote or judged them); a personal identity number that slipped into a text is
taken out here as well. Figures are shown without links: those lead to the registers."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import public
from core.pin import redact
from reports.exports import chapters_of
from reports.models import PublishedVersion


def _latest_versions():
    """The newest published version of each report, newest year first."""
    newest = {}
    for version in PublishedVersion.objects.select_related("report__scope").order_by(
        "-report__year", "report__title", "-number"
    ):
        newest.setdefault(version.report_id, version)
    return list(newest.values())


@public
def index(request):
    return render(request, "reports/public_index.html", {"versions": _latest_versions()})


@public
def version(request, pk, number):
    found = (
        PublishedVersion.objects.filter(report_id=pk, number=number)
        .select_related("report")
        .first()
    )
    if found is None:
        raise Http404
    hidden = _("[personal identity number removed]")
    chapters = []
    for chapter in chapters_of(found.snapshot):
        chapter["narrative"] = redact(chapter.get("narrative") or "", hidden)
        chapter["verdict_reason"] = redact(chapter.get("verdict_reason") or "", hidden)
        chapters.append(chapter)
    context = {"version": found, "snapshot": found.snapshot, "chapters": chapters}
    return render(request, "reports/public_version.html", context)
