"""Forms of the user, role assignment and role permission pages, and the password reset."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.keys import PERMISSION_KEYS
from accounts.models import Role, User
from organisation.models import OrgNode
from people.links import queue_account_link

MANAGE_USERS = "accounts.manage_users"


class NodeChoiceField(forms.ModelChoiceField):
    """Units shown as an indented tree, so people with the same name stay apart."""

    def label_from_instance(self, obj):
        return f"{'– ' * obj.depth}{obj.name}"


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def manageable_nodes(actor):
    """The open units where the actor may give roles."""
    return OrgNode.objects.visible_to(actor, MANAGE_USERS).filter(is_active=True).order_by("path")


class UserDetailsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "title", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["email"].help_text = _("The invitation and reminders are sent here.")
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email


class UserCreateForm(UserDetailsForm):
    """A new account, and optionally its first role."""

    role = RoleChoiceField(
        label=_("Role"),
        queryset=Role.objects.all(),
        required=False,
        help_text=_("Optional: the person's first role. You can add more roles later."),
    )
    node = NodeChoiceField(label=_("At unit"), queryset=OrgNode.objects.none(), required=False)
    include_subtree = forms.BooleanField(label=_("Also covers the units below"), required=False)

    class Meta(UserDetailsForm.Meta):
        fields = ["username", *UserDetailsForm.Meta.fields]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = manageable_nodes(actor)
        self.fields["username"].help_text = _("Used to log in. Letters, digits and @/./+/-/_ only.")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with this username already exists."))
        return username

    def clean(self):
        data = super().clean()
        role, node = data.get("role"), data.get("node")
        if role and not node and "node" not in self.errors:
            self.add_error("node", _("Choose the unit where the role applies."))
        if node and not role and "role" not in self.errors:
            self.add_error("role", _("Choose the role the person has at this unit."))
        return data


class AssignmentForm(forms.Form):
    role = RoleChoiceField(label=_("Role"), queryset=Role.objects.all())
    node = NodeChoiceField(label=_("At unit"), queryset=OrgNode.objects.none())
    include_subtree = forms.BooleanField(
        label=_("Also covers the units below"),
        required=False,
        help_text=_("Without this the role applies to the chosen unit only."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to start at once."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day the role applies. Leave empty for no end date."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = manageable_nodes(actor)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date cannot be before the start date."))
        return data


class RolePermissionsForm(forms.Form):
    """One field per role: the permission keys it holds. Rendered as one fieldset per role.

    Each role also carries the keys it had when the page was shown, so saving applies only
    what this person changed: two administrators editing at once do not undo each other.
    """

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = list(roles)
        choices = list(PERMISSION_KEYS.items())
        for role in self.roles:
            held = sorted(p.key for p in role.permissions.all())
            self.fields[self.field_name(role)] = forms.MultipleChoiceField(
                label=role.label,
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=held,
            )
            self.fields[self.shown_name(role)] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=",".join(held)
            )

    @staticmethod
    def field_name(role):
        return f"role_{role.pk}"

    @staticmethod
    def shown_name(role):
        return f"shown_{role.pk}"

    def rows(self):
        """(role, bound field) for the template, in role order."""
        return [(role, self[self.field_name(role)]) for role in self.roles]

    def wanted(self):
        """{role: keys} for the roles this person changed, merged onto what they hold now."""
        result = {}
        for role in self.roles:
            chosen = set(self.cleaned_data[self.field_name(role)])
            shown_raw = self.cleaned_data.get(self.shown_name(role)) or ""
            shown = {k for k in shown_raw.split(",") if k}
            if chosen == shown:
                continue
            current = {p.key for p in role.permissions.all()}
            result[role] = (current | (chosen - shown)) - (shown - chosen)
        return result


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Name, username or e-mail address."),
    )
    role = RoleChoiceField(label=_("Role"), queryset=Role.objects.all(), required=False)
    node = NodeChoiceField(
        label=_("Unit"),
        queryset=OrgNode.objects.none(),
        required=False,
        help_text=_("People with a role at this unit or below it."),
    )
    status = forms.ChoiceField(
        label=_("Account"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = OrgNode.objects.visible_to(
            viewer, "accounts.view_users"
        ).order_by("path")


class QueuedPasswordResetForm(PasswordResetForm):
    """Queues the reset e-mail; the worker makes the link, so no token is stored on the way."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        queue_account_link(context["user"], "reset")
