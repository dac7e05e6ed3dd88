"""A demo aggregated analysis for `load_demo`, made through the services: the quality
developer's draft of the year so far for the social services administration, its figures taken
from the demo's deviations and feedback, waiting for the board's decision."""

from django.utils import timezone

from accounts.models import User
from analysis.models import AggregatedAnalysis
from analysis.services import create_analysis
from organisation.models import OrgNode

TITLE = "Avvikelser, klagomål och synpunkter hittills i år"


def load_demo_analysis():
    karin = User.objects.filter(username="karin").first()
    scope = OrgNode.objects.filter(name="Socialförvaltningen").first()
    if karin is None or scope is None or AggregatedAnalysis.objects.filter(title=TITLE).exists():
        return
    today = timezone.localdate()
    create_analysis(
        actor=karin,
        scope=scope,
        title=TITLE,
        period_from=today.replace(month=1, day=1),
        period_to=today,
        findings=(
            "Sena och uteblivna besök i hemtjänsten syns både i avvikelserna och i klagomålen, "
            "oftast när personal är sjuk och ingen ringer brukaren. Läkemedel ges för sent i "
            "hemsjukvården på kvällen. Rutinen för att ringa vid försening behöver bli känd av "
            "alla, och kvällens läkemedelsrutin ses över."
        ),
    )
