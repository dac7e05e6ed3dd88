"""Object URLs of the yearly reports: unit A's quality report of last year."""

from reports.models import Report


def _pk(c):
    from django.utils import timezone

    found = Report.objects.filter(scope=c.unit_a).first()
    if found is None:
        found = Report.objects.create(
            kind="quality",
            scope=c.unit_a,
            year=timezone.localdate().year - 1,
            title="Kvalitetsberättelse: Enhet A",
            generation="done",
        )
    return {"pk": found.pk}


def _chapter(c):
    from reports.models import Chapter

    report = Report.objects.get(pk=_pk(c)["pk"])
    chapter, _created = Chapter.objects.get_or_create(
        report=report, code="5:3", defaults={"order": 5, "title": "Klagomål och synpunkter"}
    )
    return {"pk": report.pk, "chapter_pk": chapter.pk}


def _version(c):
    from reports.models import PublishedVersion

    report = Report.objects.get(pk=_pk(c)["pk"])
    found = report.versions.first() or PublishedVersion.objects.create(
        report=report,
        number=1,
        decision_body="Nämnden",
        decision_date="2026-04-25",
        paragraph="79",
        registry_number="SN 2026-1",
        snapshot={"title": report.title, "chapters": []},
    )
    return {"pk": report.pk, "number": found.number}


def _word_template(c):
    """Unit A's own Word template (its file need not exist for the refusal to be tested)."""
    from reports.models import WordTemplate

    WordTemplate.objects.get_or_create(
        node=c.unit_a,
        defaults={"file": "reports/word-templates/test/mall.docx", "name": "mall.docx"},
    )
    return {"node_pk": c.unit_a.pk}


OBJECT_URLS = {
    "reports:detail": (_pk, "get", True),
    "reports:progress": (_pk, "get", True),
    "reports:rewrite": (_pk, "post", True),
    "reports:judge": (_chapter, "post", True),
    "reports:send_for_review": (_pk, "post", True),
    "reports:back_to_draft": (_pk, "get", True),
    "reports:approve": (_pk, "get", True),
    "reports:new_version": (_pk, "post", True),
    "reports:version": (_version, "get", True),
    "reports:export": (lambda c: {**_pk(c), "fmt": "pdf"}, "get", True),
    "reports:version_export": (lambda c: {**_version(c), "fmt": "pdf"}, "get", True),
    "reports:chapter_text": (_chapter, "get", True),
    "reports:chapter_authors": (_chapter, "get", True),
    "reports:chapter_comment": (_chapter, "get", True),
    "reports:word_template": (_word_template, "get", True),
    "reports:word_template_remove": (_word_template, "post", True),
    "reports:word_template_file": (_word_template, "get", True),
}
