import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.free_text import FreeTextMixin
from core.uploads import SizeCheckedFileInput, max_upload_bytes
from core.widgets import QuickNodeChoiceField, QuickSelect, ValueChoices
from legal.models import RegulationSection
from organisation.models import OrgNode
from routines.models import DRAFT, RoutineReview, VersionState

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


NodeChoiceField = QuickNodeChoiceField


class PersonChoiceField(forms.ModelChoiceField):
    widget = QuickSelect
    iterator = ValueChoices
    label_fields = ("first_name", "last_name", "username", "title")

    def label_from_instance(self, obj):
        return self.label_from_values(obj.first_name, obj.last_name, obj.username, obj.title)

    def label_from_values(self, first_name, last_name, username, title):
        # The User's get_full_name() or username.
        name = f"{first_name} {last_name}".strip() or username
        return f"{name} ({title})" if title else name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.title})" if obj.title else name


def draftable_units(user):
    return OrgNode.objects.visible_to(user, DRAFT).filter(is_active=True).order_by("path")


# Tag names in words: help texts are rendered as HTML, so literal tags would become markup.
BODY_HELP = _(
    "Write the routine here. A blank line starts a new paragraph and line breaks are kept. "
    "Simple formatting written in HTML is kept too: headings (h2 to h4), bold (strong), "
    "italics (em), lists (ul, ol, li), links and tables. Everything else (scripts, colours, "
    "styles) is removed when you save."
)


class ContentMixin(forms.Form):
    body = forms.CharField(
        label=_("Text of the routine"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=BODY_HELP,
    )
    file = forms.FileField(
        label=_("Or upload a document (PDF or Word .docx)"),
        required=False,
        help_text=_("The text of the document is read for search and for comparing versions."),
        widget=SizeCheckedFileInput(
            max_bytes=max_upload_bytes("routine_document"),
            # The server's own sentence (routines/text.py).
            too_big=_("“%(name)s” is larger than %(size)s. Choose a smaller file."),
        ),
    )
    change_summary = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A sentence for readers of the history, e.g. “new step 3 on double-checks”."),
    )


class MetadataMixin(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        help_text=_("Responsible for the routine being correct and reviewed in time."),
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("For roles"),
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: for everyone in the units it applies to."),
    )
    legal_sections = forms.ModelMultipleChoiceField(
        label=_("Legal references"),
        queryset=RegulationSection.objects.select_related("regulation"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    review_interval_months = forms.IntegerField(
        label=_("Review interval (months)"), min_value=1, max_value=60, initial=12
    )
    requires_acknowledgment = forms.BooleanField(
        label=_("Staff acknowledge having read it"), required=False, initial=True
    )


class RoutineCreateForm(FreeTextMixin, MetadataMixin, ContentMixin):
    free_text_fields = ("title", "body", "change_summary")
    field_order = [
        "unit",
        "title",
        "owner",
        "roles",
        "legal_sections",
        "review_interval_months",
        "requires_acknowledgment",
        "body",
        "file",
        "change_summary",
    ]
    unit = NodeChoiceField(
        label=_("Applies to"),
        queryset=OrgNode.objects.none(),
        help_text=_("The routine applies to this part of the organisation and everything below."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = draftable_units(actor)
        self.fields["owner"].queryset = User.objects.visible_to(actor, DRAFT).filter(is_active=True)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("owner", actor.pk)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip() and not cleaned.get("file"):
            self.add_error("body", _("Write the routine, or upload it as a PDF or Word document."))
        return cleaned


class DraftForm(FreeTextMixin, MetadataMixin, ContentMixin):
    free_text_fields = ("title", "body", "change_summary")

    def __init__(self, *args, actor, routine, **kwargs):
        super().__init__(*args, **kwargs)
        owners = User.objects.visible_to(actor, DRAFT).filter(is_active=True)
        self.fields["owner"].queryset = (
            owners | User.objects.filter(pk=routine.owner_id)
        ).distinct()


class SubmitForm(FreeTextMixin, forms.Form):
    free_text_fields = ("note",)
    reviewers = PeopleChoiceField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People who may read the routine. They get the version in My tasks."),
    )
    note = forms.CharField(
        label=_("Message to the reviewers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = candidates


class CommentForm(FreeTextMixin, forms.Form):
    free_text_fields = ("text",)
    text = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    done = forms.BooleanField(label=_("My review is done"), required=False)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class NoteForm(FreeTextMixin, forms.Form):
    free_text_fields = ("note",)
    note = forms.CharField(
        label=_("What needs to change?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(FreeTextMixin, forms.Form):
    free_text_fields = ("note",)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, board=False, **kwargs):
        super().__init__(*args, **kwargs)
        if board:
            self.fields["board_paragraph"] = forms.CharField(
                label=_("Board minutes §"), max_length=20, help_text=_("E.g. § 47")
            )
            self.fields["board_registry_number"] = forms.CharField(
                label=_("Registry number (Dnr)"), max_length=40
            )
            self.fields["board_decided_on"] = forms.DateField(
                label=_("Date of the board's decision"), widget=DATE_WIDGET
            )


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=DATE_WIDGET,
        help_text=_("Today or later. A later date publishes the version that morning."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("effective_from", timezone.localdate())

    def clean_effective_from(self):
        value = self.cleaned_data["effective_from"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("A version comes into force today or later."))
        return value


class WithdrawForm(FreeTextMixin, forms.Form):
    free_text_fields = ("reason",)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ProposeForm(FreeTextMixin, forms.Form):
    free_text_fields = ("motivation",)
    motivation = forms.CharField(
        label=_("Why should the routine apply to all?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecideForm(FreeTextMixin, forms.Form):
    free_text_fields = ("note",)
    ADOPT = "adopt"
    DECLINE = "decline"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ADOPT, _("Adopt: a routine for the whole level is drafted from it")),
            (DECLINE, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when declining."),
    )


class DiffForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    b = forms.TypedChoiceField(label=_("Newer version"), coerce=int)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(number)s") % {"number": n}) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


class RegisterFilterForm(forms.Form):
    STATE_CHOICES = [
        ("", _("All")),
        ("published", _("Published")),
        ("in_work", _("Has a version in the works")),
        ("review", VersionState.REVIEW.label),
        ("no_version", _("Not published")),
        ("overdue", _("Review overdue")),
    ]
    q = forms.CharField(label=_("Text"), required=False, help_text=_("Reference or title."))
    unit = NodeChoiceField(
        label=_("Unit"),
        required=False,
        queryset=OrgNode.objects.none(),
        empty_label=_("All units you can see"),
        help_text=_("Includes the units below."),
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)
    owner = PersonChoiceField(
        label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=_("Anyone")
    )
    mine = forms.BooleanField(label=_("Only routines I own"), required=False)

    def __init__(self, *args, user, routines, **kwargs):
        super().__init__(*args, **kwargs)
        # The units below the person's and those above them that have routines.
        self.fields["unit"].queryset = OrgNode.objects.filter(
            Q(pk__in=routines.values("unit_id"))
            | Q(pk__in=OrgNode.objects.visible_to(user, "routines.view").values("pk"))
        ).order_by("path")
        # Only the owners of routines the person sees: no names from elsewhere.
        self.fields["owner"].queryset = User.objects.filter(
            pk__in=routines.values("owner_id")
        ).order_by("last_name", "first_name", "username")


class ReviseForm(FreeTextMixin, forms.Form):
    free_text_fields = ("change_summary",)
    routine = forms.ModelChoiceField(label=_("Routine to revise"), queryset=None)
    change_summary = forms.CharField(
        label=_("What is to change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, routines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["routine"].queryset = routines


# -- staff's reading, the acknowledgment overview and the periodic reviews -------------------


class MineForm(forms.Form):
    q = forms.CharField(
        label=_("Search the routines"),
        required=False,
        max_length=200,
        help_text=_("Words from the title or the text, e.g. “läkemedel delegering”."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    role = forms.BooleanField(label=_("Only those for my role"), required=False)
    todo = forms.BooleanField(label=_("Only those I have to acknowledge"), required=False)


class UnitForm(forms.Form):
    """The unit to show the overview of: only drawn (the view reads `unit` from the query and
    checks it against the person's units), from the units the view has already read."""

    unit = forms.ChoiceField(label=_("Unit"), widget=QuickSelect)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        top = min((node.depth for node in units), default=0)
        # Indented by depth so the tree reads in the list (an em space per level).
        self.fields["unit"].choices = [
            (node.pk, "\u2003" * max(node.depth - top, 0) + node.name) for node in units
        ]


class ReviewsFilter(forms.Form):
    within = forms.TypedChoiceField(
        label=_("Upcoming within"),
        coerce=int,
        choices=[
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("a year")),
        ],
        initial=90,
        required=False,
    )
    mine = forms.BooleanField(label=_("Only routines I own"), required=False)


class ReviewForm(FreeTextMixin, forms.Form):
    free_text_fields = ("note",)

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=RoutineReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    reviewed_on = forms.DateField(
        label=_("Reviewed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who took part and what was checked; for a revision, what needs to change."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("reviewed_on", timezone.localdate())
