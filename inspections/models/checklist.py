"""Methods, checklist templates and their questions.

A template belongs to a node and is usable in its subtree (a person sees the templates of the
nodes above them, as with routines). A unit adapts one by making a local copy (`parent` is the
template it came from); every change of a template's questions is a `TemplateChange` row, so
what differs from the parent is on record.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import InheritedScopeQuerySet

VIEW = "inspections.view"
EXECUTE = "inspections.execute"
MANAGE = "inspections.manage"


class Method(models.Model):
    """A method of self-inspection from the general advice (SOSFS 2011:9 5 kap.): data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    draws_sample = models.BooleanField(_("draws a sample of records"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("method of self-inspection")
        verbose_name_plural = _("methods of self-inspection")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class TemplateQuerySet(InheritedScopeQuerySet):
    def active(self):
        return self.filter(is_active=True)


class ChecklistTemplate(models.Model):
    scope_lookup = "unit"
    view_permission = VIEW

    unit = models.ForeignKey(
        "organisation.OrgNode",
        on_delete=models.PROTECT,
        related_name="checklist_templates",
        verbose_name=_("level"),
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("what is checked"), blank=True)
    method = models.ForeignKey(
        Method, on_delete=models.PROTECT, related_name="+", verbose_name=_("method")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adaptations",
        verbose_name=_("adapted from"),
    )
    is_example = models.BooleanField(_("example to adapt"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:template", args=[self.pk])

    def get_scope_node(self):
        return self.unit


class ByTemplateQuerySet(models.QuerySet):
    """Rows of the templates the person sees (templates apply down the tree)."""

    def visible_to(self, user, key=None):
        templates = ChecklistTemplate.objects.visible_to(user, key or VIEW)
        return self.filter(template__in=templates.values("pk"))


class Question(models.Model):
    scope_lookup = "template__unit"
    view_permission = VIEW

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("checklist"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=400)
    guidance = models.TextField(_("guidance"), blank=True)
    routine = models.ForeignKey(
        "routines.Routine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("routine"),
    )
    legal_section = models.ForeignKey(
        "legal.RegulationSection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("legal reference"),
    )
    # The question of the parent template this one was copied from (an adaptation).
    origin = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    is_active = models.BooleanField(_("asked"), default=True)

    objects = ByTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["template", "order", "pk"]

    def __str__(self):
        return self.text

    def get_scope_node(self):
        return self.template.unit

    @property
    def root_id(self):
        """The question this one stands for across adaptations (its origin, or itself)."""
        return self.origin_id or self.pk


class TemplateChange(models.Model):
    """One recorded change of a template: what differs from the template it was adapted from."""

    class Kind(models.TextChoices):
        ADAPTED = "adapted", _("Adapted from the template above")
        ADDED = "added", _("Question added")
        CHANGED = "changed", _("Question changed")
        REMOVED = "removed", _("Question removed")
        DETAILS = "details", _("Details changed")
        RETIRED = "retired", _("Taken out of use")
        RESTORED = "restored", _("Taken into use again")

    scope_lookup = "template__unit"
    view_permission = VIEW

    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("checklist"),
    )
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ByTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("change of a checklist")
        verbose_name_plural = _("changes of checklists")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.template}: {self.get_kind_display()}"

    def get_scope_node(self):
        return self.template.unit
