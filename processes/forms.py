import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.free_text import FreeTextMixin
from legal.models import RegulationSection
from organisation.models import OrgNode, Service
from processes import services
from processes.models import MANAGE, VIEW, PartnerKind
from routines.models import Routine

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.title})" if obj.title else name


class SectionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} – {obj.topic}"


class RoutineChoiceMixin:
    def label_from_instance(self, obj):
        return f"{obj.reference} {obj.title} ({obj.unit.name})"


class RoutineChoiceField(RoutineChoiceMixin, forms.ModelChoiceField):
    pass


class RoutineMultipleChoiceField(RoutineChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def manageable_nodes(actor):
    return OrgNode.objects.visible_to(actor, MANAGE).filter(is_active=True).order_by("path")


def in_force_sections(chosen=()):
    today = timezone.localdate()
    in_force = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    return (
        RegulationSection.objects.filter(in_force | Q(pk__in=[s.pk for s in chosen]))
        .select_related("regulation")
        .order_by("regulation__short_name", "regulation__name", "order", "reference")
    )


class ProcessForm(FreeTextMixin, forms.Form):
    """Create or edit a process. Levels: the nodes where the actor manages processes; owners:
    people who see processes there (checked again against the chosen level on saving)."""

    free_text_fields = ("name", "purpose")

    unit = NodeChoiceField(
        label=_("Level"),
        queryset=OrgNode.objects.none(),
        help_text=_("The organisation, a department or a unit: whose process this is."),
    )
    name = forms.CharField(label=_("Name of the process"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What value the process creates, for whom."),
    )
    owner = PersonChoiceField(
        label=_("Process owner"),
        queryset=User.objects.none(),
        help_text=_("Must work at the chosen level or below it."),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        required=False,
        queryset=Service.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    legal_sections = SectionChoiceField(
        label=_("Legal references"),
        required=False,
        queryset=RegulationSection.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the register of laws and regulations."),
    )

    def __init__(self, *args, actor, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = manageable_nodes(actor)
        owners = User.objects.visible_to(actor, MANAGE).filter(is_active=True)
        chosen = ()
        if process is not None:
            nodes = (nodes | OrgNode.objects.filter(pk=process.unit_id)).distinct()
            owners = services.owner_candidates(process.unit) | User.objects.filter(
                pk=process.owner_id
            )
            chosen = list(process.legal_sections.all())
        self.fields["unit"].queryset = nodes
        self.fields["owner"].queryset = owners.distinct().order_by(
            "last_name", "first_name", "username"
        )
        self.fields["legal_sections"].queryset = in_force_sections(chosen)


class ProcessCreateForm(ProcessForm):
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class ActivityForm(FreeTextMixin, forms.Form):
    free_text_fields = ("name", "description", "responsible_note")
    name = forms.CharField(label=_("Activity"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_role = forms.ModelChoiceField(
        label=_("Responsible role"),
        required=False,
        queryset=Role.objects.all(),
        empty_label=_("(none: describe below)"),
    )
    responsible_note = forms.CharField(
        label=_("Responsible (other)"),
        required=False,
        max_length=200,
        help_text=_("When no role fits, e.g. a named function or a partner."),
    )
    routines = RoutineMultipleChoiceField(
        label=_("Governing routines"),
        required=False,
        queryset=Routine.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Routines that apply to the process's level or lie below it."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["routines"].queryset = (
            services.linkable_routines(actor, process.unit).select_related("unit")
        ).order_by("title", "pk")
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("responsible_role") and not cleaned.get("responsible_note"):
            self.add_error("responsible_role", _("Choose a role or describe who is responsible."))
        return cleaned


class CollaborationForm(FreeTextMixin, forms.Form):
    free_text_fields = ("partner", "purpose", "agreement")
    kind = forms.ChoiceField(label=_("Kind of partner"), choices=PartnerKind.choices)
    partner = forms.CharField(
        label=_("Partner"),
        required=False,
        max_length=200,
        help_text=_("E.g. the health centre, the school or the police district."),
    )
    internal_unit = NodeChoiceField(
        label=_("Unit within the organisation"),
        required=False,
        queryset=OrgNode.objects.none(),
        help_text=_("Only for a unit within the organisation."),
    )
    purpose = forms.CharField(
        label=_("What the collaboration is about"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agreement = forms.CharField(
        label=_("Collaboration agreement"),
        required=False,
        max_length=200,
        help_text=_("Name or registry number of the written agreement, if there is one."),
    )
    agreement_valid_until = forms.DateField(
        label=_("Agreement valid until"), required=False, widget=DATE_WIDGET
    )
    routine = RoutineChoiceField(
        label=_("Collaboration routine"),
        required=False,
        queryset=Routine.objects.none(),
        empty_label=_("(no routine yet)"),
        help_text=_("The routine that says how the collaboration is done."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, process, collaboration=None, **kwargs):
        super().__init__(*args, **kwargs)
        root_path = process.unit.path[:9]
        self.fields["internal_unit"].queryset = OrgNode.objects.filter(
            path__startswith=root_path, is_active=True
        ).order_by("path")
        routines = services.linkable_routines(actor, process.unit)
        if collaboration is not None and collaboration.routine_id:
            routines = routines | Routine.objects.filter(pk=collaboration.routine_id)
        self.fields["routine"].queryset = (
            routines.distinct().select_related("unit").order_by("title", "pk")
        )
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PartnerKind.INTERNAL and not cleaned.get("internal_unit"):
            self.add_error("internal_unit", _("Choose the unit you collaborate with."))
        elif cleaned.get("kind") != PartnerKind.INTERNAL and not cleaned.get("partner"):
            self.add_error("partner", _("Name the partner."))
        return cleaned


LEVELS = (
    ("organisation", _("Organisation and administration")),
    ("department", _("Departments")),
    ("unit", _("Units")),
)
LEVEL_OF_KIND = {
    "board": "organisation",
    "administration": "organisation",
    "department": "department",
    "unit": "unit",
    "operation": "unit",
}


class RegisterFilterForm(forms.Form):
    node = NodeChoiceField(
        label=_("Part of the organisation"),
        required=False,
        queryset=OrgNode.objects.none(),
        empty_label=_("Everything you can see"),
        help_text=_("Its processes, those of the levels above it and those below it."),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        required=False,
        queryset=Service.objects.all(),
        empty_label=_("All services"),
    )
    inactive = forms.BooleanField(label=_("Also processes no longer in use"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes_for_filter(user)

    def filter(self, queryset):
        if self.is_bound and not self.is_valid():
            # A node the person is not offered (a shared link): its error and no rows, never
            # more than the link counted.
            return queryset.none()
        data = self.cleaned_data if self.is_bound else {}
        node = data.get("node")
        if node is not None:
            queryset = queryset.filter(
                Q(unit__path__startswith=node.path) | Q(unit_id__in=node.ancestor_ids())
            )
        if data.get("service"):
            queryset = queryset.filter(services=data["service"])
        if not data.get("inactive"):
            queryset = queryset.filter(is_active=True)
        return queryset


def nodes_for_filter(user):
    """The nodes of the processes the person may see, and the nodes of their own grants."""
    from processes.models import Process

    ids = Process.objects.visible_to(user).values("unit_id")
    own = OrgNode.objects.visible_to(user, VIEW)
    return (OrgNode.objects.filter(pk__in=ids) | own).distinct().order_by("path")
