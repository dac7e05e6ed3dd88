from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from legal.models import Regulation, RegulationKind, RegulationSection
from legal.services import REGULATION_FIELDS, SECTION_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterFilterForm(forms.Form):
    """The register's filters; an empty form shows the laws in force today."""

    IN_FORCE = ""
    ALL = "all"

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Name, short name or number, e.g. SoL or 2011:9."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *RegulationKind.choices],
    )
    status = forms.ChoiceField(
        label=_("Validity"),
        required=False,
        choices=[(IN_FORCE, _("In force today")), (ALL, _("All, including historical"))],
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.in_force()
        data = self.cleaned_data
        if data.get("status") != self.ALL:
            queryset = queryset.in_force()
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        term = (data.get("q") or "").strip()
        if term:
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(short_name__icontains=term) | Q(number__icontains=term)
            )
        return queryset


def _check_period(form, cleaned):
    start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
    if start and end and end < start:
        form.add_error("valid_until", _("The end date cannot be before the start date."))


class RegulationForm(FreeTextMixin, forms.ModelForm):
    free_text_fields = ("notes",)

    class Meta:
        model = Regulation
        fields = REGULATION_FIELDS
        widgets = {"valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        successors = Regulation.objects.order_by("name", "number")
        if self.instance.pk:
            successors = successors.exclude(pk=self.instance.pk)
        self.fields["replaced_by"].queryset = successors
        self.fields["replaced_by"].help_text = _(
            "The law or regulation that took over when this one ended."
        )
        self.fields["short_name"].help_text = _("E.g. SoL, LSS, GDPR.")

    def clean_number(self):
        number = " ".join(self.cleaned_data["number"].split())
        duplicates = Regulation.objects.filter(number__iexact=number)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                _("The register already has an entry with this number."), code="duplicate"
            )
        return number

    def clean(self):
        cleaned = super().clean()
        _check_period(self, cleaned)
        successor = cleaned.get("replaced_by")
        seen = set()
        while successor is not None and self.instance.pk:
            if successor.pk == self.instance.pk or successor.pk in seen:
                self.add_error("replaced_by", _("A law cannot be replaced by itself."))
                break
            seen.add(successor.pk)
            successor = successor.replaced_by
        return cleaned


class SectionForm(forms.ModelForm):
    class Meta:
        model = RegulationSection
        fields = SECTION_FIELDS
        widgets = {"valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = _("E.g. 14 kap 2–7 §§ or artikel 33.")
        self.fields["verified"].help_text = _(
            "Untick when the section number has not been checked against the law text. An "
            "unverified section is never cited on a case or in a package."
        )
        counterpart = self.fields["counterpart"]
        sections = RegulationSection.objects.select_related("regulation").order_by(
            "regulation__kind", "regulation__name", "regulation__number", "order"
        )
        if self.instance.regulation_id:
            sections = sections.exclude(regulation_id=self.instance.regulation_id)
        counterpart.queryset = sections
        counterpart.label_from_instance = lambda section: section.citation

    def has_changed(self):
        # An empty new row whose "verified" box alone was unticked is still an empty row.
        if self.instance.pk is None:
            return any(name != "verified" for name in self.changed_data)
        return super().has_changed()

    def clean(self):
        cleaned = super().clean()
        _check_period(self, cleaned)
        return cleaned


SectionFormSet = inlineformset_factory(
    Regulation,
    RegulationSection,
    form=SectionForm,
    fields=SECTION_FIELDS,
    extra=2,
    can_delete=True,
)


def section_rows(formset):
    """The sections to save, in the order shown: dicts for `create/update_regulation`."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        row = {name: data.get(name) for name in SECTION_FIELDS}
        if form.instance.pk:
            row["id"] = form.instance.pk
        rows.append(row)
    return rows


class ApplicabilityForm(FreeTextMixin, forms.Form):
    """One checkbox and one comment per law: which laws apply to this node."""

    def get_free_text_fields(self):
        return [name for name in self.fields if name.startswith("comment_")]

    def __init__(self, *args, regulations, statements, inherited=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regulations = list(regulations)
        self.statements = {s.regulation_id: s for s in statements}
        self.inherited = inherited or {}
        for regulation in self.regulations:
            statement = self.statements.get(regulation.pk)
            self.fields[f"applies_{regulation.pk}"] = forms.BooleanField(
                label=regulation.name,
                required=False,
                initial=statement is not None,
            )
            self.fields[f"comment_{regulation.pk}"] = forms.CharField(
                label=_("Comment on %(law)s") % {"law": regulation.short_name or regulation.number},
                required=False,
                max_length=255,
                initial=statement.comment if statement else "",
            )

    def groups(self):
        """[(kind label, [row, ...]), ...] in the order of the kinds."""
        order = [value for value, _label in RegulationKind.choices]
        labels = dict(RegulationKind.choices)
        by_kind = {}
        for regulation in self.regulations:
            by_kind.setdefault(regulation.kind, []).append(
                {
                    "regulation": regulation,
                    "applies": self[f"applies_{regulation.pk}"],
                    "comment": self[f"comment_{regulation.pk}"],
                    "statement": self.statements.get(regulation.pk),
                    "inherited_from": self.inherited.get(regulation.pk),
                }
            )
        return [
            (labels.get(kind, kind), sorted(rows, key=lambda r: r["regulation"].name))
            for kind, rows in sorted(
                by_kind.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
            )
        ]

    def selected_ids(self):
        return [r.pk for r in self.regulations if self.cleaned_data.get(f"applies_{r.pk}")]

    def comments(self):
        return {r.pk: self.cleaned_data.get(f"comment_{r.pk}", "") for r in self.regulations}


class CoverageFilterForm(forms.Form):
    missing = forms.BooleanField(label=_("Only units where nothing is stated"), required=False)
