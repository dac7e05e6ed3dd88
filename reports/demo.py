"""The demo's quality report for last year, for `load_demo`: written from the demo registers
through the service, as the quality developer would start it."""

from django.utils import timezone

from accounts.models import User
from organisation.models import OrgNode
from reports.models import Report, ReportKind
from reports.services.writing import start_report


def load_demo_report():
    karin = User.objects.filter(username="karin").first()
    scope = OrgNode.objects.filter(name="Socialförvaltningen").first()
    year = timezone.localdate().year - 1
    if karin is None or scope is None:
        return
    if Report.objects.filter(kind=ReportKind.QUALITY, scope=scope, year=year).exists():
        return
    start_report(actor=karin, kind=ReportKind.QUALITY, scope=scope, year=year)
