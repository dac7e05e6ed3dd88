"""The demo's yearly reports for last year, for `load_demo`, written from the demo registers
through the services as the people would:

- the quality report of Socialnämnden (seed 004's structure), written by the quality developer
  with the MAS as author of the complaints chapter, its verdicts confirmed, the focus areas for
  this year written; in review, and approved by the board once the spring meeting's date has
  passed, with its published version on the public page;
- the patient safety report of Socialförvaltningen's health care, written by the MAS: a draft
  until the board's February meeting, approved and published after it.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from organisation.models import OrgNode
from reports.models import Chapter, Report, ReportKind
from reports.services import chapters, decision, judging, writer
from reports.services.writing import start_report

# Seed 004: the board approves last year's report at its spring meeting (§ 79, Dnr SN …-511).
MEETING = (3, 25)
# The patient safety report is due by 1 March (PSL 3 kap 10 §): the February meeting.
SAFETY_MEETING = (2, 20)
TEXTS = {
    "3": (
        "Socialnämnden har det övergripande ansvaret för ledningssystemet. Förvaltningschefen "
        "ansvarar för att det införs och används, avdelnings- och enhetschefer för att det "
        "tillämpas i den egna verksamheten. Ansvarsfördelningen finns i Hjulet."
    ),
    "5:3": (
        "Klagomål och synpunkter tas emot i alla verksamheter och via e-tjänsten. De som gäller "
        "hälso- och sjukvården har handlagts tillsammans med den medicinskt ansvariga "
        "sjuksköterskan."
    ),
    "focus": (
        "1. Fastställa de processer och rutiner som behövs och göra dem tillgängliga för chefer "
        "och medarbetare.\n2. Följa upp att riskanalyser görs inför förändringar.\n"
        "3. Minska tiden från avvikelse till beslutad åtgärd."
    ),
}
PATIENT_SAFETY_TEXTS = {
    "ps-1": (
        "Målet är att ingen patient ska drabbas av en vårdskada som hade kunnat undvikas. "
        "Arbetet har under året inriktats på fall, läkemedelshantering och trycksår."
    ),
    "ps-7": (
        "Avvikelserna i hälso- och sjukvården har utretts av enhetscheferna tillsammans med den "
        "medicinskt ansvariga sjuksköterskan; de allvarliga har anmälts till IVO enligt lex Maria."
    ),
}


def _written(actor, kind, scope, year):
    report = Report.objects.filter(kind=kind, scope=scope, year=year).first()
    if report is not None:
        return None
    report = start_report(actor=actor, kind=kind, scope=scope, year=year)
    # The demo is loaded in one transaction: write it now rather than when it commits.
    writer.write(report.pk)
    report.refresh_from_db()
    return report


def _write_texts(report, actor, texts):
    for code, text in texts.items():
        chapter = Chapter.objects.filter(report=report, code=code).first()
        if chapter is not None:
            chapters.write_text(chapter, actor=actor, narrative=text)


def _dated(report, day):
    """A report approved at a meeting before today was written in the weeks before it."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    Report.objects.filter(pk=report.pk).update(created_at=moment, generated_at=moment)
    Chapter.objects.filter(report=report).exclude(text_at=None).update(text_at=moment)
    Chapter.objects.filter(report=report).exclude(verdict_at=None).update(verdict_at=moment)


def _confirm_verdicts(report, actor):
    for chapter in report.chapters.exclude(proposed=""):
        judging.judge(chapter, actor=actor, verdict=chapter.proposed)


def load_demo_report():
    users = {u.username: u for u in User.objects.filter(username__in=("karin", "maria"))}
    board = OrgNode.objects.filter(name="Socialnämnden").first()
    administration = OrgNode.objects.filter(name="Socialförvaltningen").first()
    if len(users) < 2 or board is None or administration is None:
        return
    karin, maria = users["karin"], users["maria"]
    today = timezone.localdate()
    year = today.year - 1
    report = _written(karin, ReportKind.QUALITY, board, year)
    if report is not None:
        complaints = report.chapters.get(code="5:3")
        chapters.set_authors(complaints, actor=karin, authors=[maria])
        _write_texts(report, karin, {k: v for k, v in TEXTS.items() if k != "5:3"})
        _write_texts(report, maria, {"5:3": TEXTS["5:3"]})
        _confirm_verdicts(report, karin)
        decision.send_for_review(report, actor=karin)
        meeting = datetime.date(today.year, *MEETING)
        if meeting <= today:
            report.refresh_from_db()
            decision.approve(
                report,
                actor=karin,
                decision_body=board.name,
                decision_date=meeting,
                paragraph="79",
                registry_number=f"SN {year}-511",
            )
            _dated(report, meeting - datetime.timedelta(days=30))
    safety = _written(maria, ReportKind.PATIENT_SAFETY, administration, year)
    if safety is not None:
        _write_texts(safety, maria, PATIENT_SAFETY_TEXTS)
        # Before 1 March the MAS is still writing it; after, the board has approved it.
        board_meeting = datetime.date(today.year, *SAFETY_MEETING)
        if board_meeting <= today:
            _confirm_verdicts(safety, maria)
            decision.send_for_review(safety, actor=maria)
            safety.refresh_from_db()
            decision.approve(
                safety,
                actor=maria,
                decision_body=board.name,
                decision_date=board_meeting,
                paragraph="18",
                registry_number=f"SN {year}-87",
            )
            _dated(safety, board_meeting - datetime.timedelta(days=30))
