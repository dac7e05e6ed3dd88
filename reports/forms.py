import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.free_text import FreeTextMixin
from core.uploads import SizeCheckedFileInput, max_upload_bytes, with_upload_size
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
        empty_label=None,
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


class ChapterTextForm(FreeTextMixin, forms.Form):
    free_text_fields = ("narrative",)
    narrative = forms.CharField(
        label=_("The chapter's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "What was done in the year, the measures taken and their results, for the board "
            "and for anyone who asks. No names or personal identity numbers."
        ),
    )


class AuthorsForm(forms.Form):
    authors = forms.ModelMultipleChoiceField(
        label=_("Authors"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only they write the chapter's text. With none named, the report's writers do."
        ),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = people
        self.fields["authors"].label_from_instance = lambda u: u.get_full_name() or u.username


class CommentForm(FreeTextMixin, forms.Form):
    free_text_fields = ("text",)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class WordTemplateForm(forms.Form):
    file = forms.FileField(
        label=_("Word template"),
        help_text=with_upload_size(
            _(
                "A Word document (.docx) or Word template (.dotx) of at most %(size)s with the "
                "organisation's styles, headers and footers. Its text is not used."
            ),
            "report_template",
        ),
        widget=SizeCheckedFileInput(
            attrs={"accept": ".docx,.dotx"},
            max_bytes=max_upload_bytes("report_template"),
            # The server's own sentence (reports/services/word_templates.py).
            too_big=_("“%(name)s” is larger than %(size)s. Choose a smaller file."),
        ),
    )


class WordTemplateNodeForm(forms.Form):
    node = TreeNodeChoiceField(
        label=_("Part of the organisation"),
        queryset=OrgNode.objects.none(),
        empty_label=None,
        help_text=_("Its template is used for its reports and for those of the parts below it."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = (
            OrgNode.objects.visible_to(actor, WRITE).filter(is_active=True).order_by("path")
        )
