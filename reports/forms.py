from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.free_text import FreeTextMixin
from core.widgets import TreeNodeChoiceField
from organisation.models import OrgNode
from reports.models import WRITE, ReportKind, Verdict
from reports.services.writing import FIRST_YEAR


class NewReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("yearly report", "Report"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
    )
    scope = TreeNodeChoiceField(
        label=_("Part of the organisation"),
        queryset=OrgNode.objects.none(),
        help_text=_("The report covers this part and everything below it."),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = (
            OrgNode.objects.visible_to(actor, WRITE).filter(is_active=True).order_by("path")
        )
        this_year = timezone.localdate().year
        years = list(range(this_year, FIRST_YEAR - 1, -1))
        self.fields["year"].choices = [(year, str(year)) for year in years]
        if not self.is_bound:
            # The report is written in the spring about the year before.
            self.initial.setdefault("year", this_year - 1)
            self.initial.setdefault("kind", ReportKind.QUALITY)


class JudgeForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the verdict differs from the proposal."),
    )

    def __init__(self, *args, chapter, **kwargs):
        kwargs.setdefault("prefix", f"chapter-{chapter.pk}")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("verdict", chapter.verdict or chapter.proposed or None)
            self.initial.setdefault("reason", chapter.verdict_reason)
