from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet

PATH_SEGMENT = "{:08d}/"


class NodeKind(models.TextChoices):
    BOARD = "board", _("Board (nämnd)")
    ADMINISTRATION = "administration", _("Administration (förvaltning)")
    DEPARTMENT = "department", _("Department (avdelning)")
    UNIT = "unit", _("Unit (enhet)")
    OPERATION = "operation", _("Operation (verksamhet)")


# Which kinds may stand directly below which; a root is a board or a provider's own top node.
ALLOWED_CHILD_KINDS = {
    None: {NodeKind.BOARD, NodeKind.ADMINISTRATION},
    NodeKind.BOARD: {NodeKind.ADMINISTRATION, NodeKind.DEPARTMENT, NodeKind.UNIT},
    NodeKind.ADMINISTRATION: {NodeKind.DEPARTMENT, NodeKind.UNIT},
    NodeKind.DEPARTMENT: {NodeKind.DEPARTMENT, NodeKind.UNIT},
    NodeKind.UNIT: {NodeKind.UNIT, NodeKind.OPERATION},
    NodeKind.OPERATION: {NodeKind.OPERATION},
}


class Service(models.Model):
    """A central social service (seed 000 §1.3) that units deliver."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class OrgNodeQuerySet(ScopedQuerySet):
    def subtree_of(self, node):
        return self.filter(path__startswith=node.path)


class OrgNode(models.Model):
    """A node of an organisation tree; `path` makes a subtree one prefix query."""

    scope_lookup = ""
    view_permission = "organisation.view"

    kind = models.CharField(_("kind"), max_length=20, choices=NodeKind.choices)
    name = models.CharField(_("name"), max_length=160)
    code = models.CharField(
        _("code"),
        max_length=40,
        blank=True,
        help_text=_("The organisation's own code, e.g. cost centre."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    description = models.TextField(_("description"), blank=True)
    services = models.ManyToManyField(
        Service, blank=True, related_name="nodes", verbose_name=_("services delivered")
    )
    is_active = models.BooleanField(_("active"), default=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Where the operation is: the authorities' forms ask for it (a unit without one of its own
    # is at the address of the nearest node above it that has one).
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    # The data protection officer (GDPR art 37), set on the controller's node (the board) or on
    # a provider's node; IMY's form asks for them.
    dpo_name = models.CharField(_("data protection officer"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    dpo_phone = models.CharField(_("data protection officer's phone"), max_length=40, blank=True)

    objects = OrgNodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self):
        return self.name

    def get_scope_node(self):
        return self

    @property
    def root_id(self):
        return int(self.path[:8])

    def ancestor_ids(self):
        """Ids from the root down to and including this node, read from the path."""
        return [int(seg) for seg in self.path.rstrip("/").split("/") if seg]

    def ancestors(self):
        ids = self.ancestor_ids()[:-1]
        return sorted(OrgNode.objects.filter(pk__in=ids), key=lambda n: n.depth)

    def root(self):
        return self if self.parent_id is None else OrgNode.objects.get(pk=self.root_id)

    def own_address(self):
        """This node's own postal address on one line, or ""."""
        place = " ".join(v for v in (self.postcode, self.town) if v)
        return ", ".join(v for v in (self.street_address, place) if v)

    def _nearest(self, has):
        """This node or the nearest above it for which `has(node)` is true."""
        ids = self.ancestor_ids()
        nodes = {n.pk: n for n in OrgNode.objects.filter(pk__in=ids)}
        nodes[self.pk] = self
        for node_id in reversed(ids):
            if node_id in nodes and has(nodes[node_id]):
                return nodes[node_id]
        return None

    def address(self):
        """The postal address of this node, or of the nearest node above it that has one."""
        node = self._nearest(lambda n: n.own_address())
        return node.own_address() if node else ""

    def data_protection_officer(self):
        """The data protection officer set on this node or the nearest above it, or None."""
        return self._nearest(lambda n: n.dpo_name)

    def effective_provider(self):
        """The provider running this node: its own record, or the nearest above it."""
        ids = self.ancestor_ids()
        providers = {p.node_id: p for p in Provider.objects.filter(node_id__in=ids)}
        for node_id in reversed(ids):
            if node_id in providers:
                return providers[node_id]
        return None


class ProviderKind(models.TextChoices):
    OWN = "own", _("Own management (egen regi)")
    PRIVATE = "private", _("Contracted provider (privat utförare)")


class Provider(models.Model):
    """The provider (utförare) running a node and everything below it."""

    scope_lookup = "node"
    view_permission = "organisation.view"

    node = models.OneToOneField(
        OrgNode,
        on_delete=models.CASCADE,
        related_name="provider",
        verbose_name=_("organisation unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    name = models.CharField(_("provider name"), max_length=160)
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    contract_reference = models.CharField(_("contract reference"), max_length=80, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__isnull=True)
                | models.Q(contract_start__isnull=True)
                | models.Q(contract_end__gte=models.F("contract_start")),
                name="provider_contract_period_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def get_scope_node(self):
        return self.node


class RoleDutyQuerySet(ScopedQuerySet):
    def visible_to(self, user, key=None):
        """Duties are organisation-wide text: anyone holding the key within the tree reads them."""
        from accounts.scoping import grants

        roots = {int(g.path[:8]) for g in grants(user, key or self.model.view_permission)}
        return self.filter(organisation_id__in=roots)


class RoleDuty(models.Model):
    """One duty of a quality role in the responsibility matrix, written per organisation."""

    scope_lookup = "organisation"
    view_permission = "responsibility.view"

    organisation = models.ForeignKey(
        OrgNode, on_delete=models.CASCADE, related_name="duties", verbose_name=_("organisation")
    )
    role = models.ForeignKey(
        "accounts.Role", on_delete=models.CASCADE, related_name="duties", verbose_name=_("role")
    )
    text = models.TextField(_("duty"))
    source = models.CharField(_("source"), max_length=160, blank=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    objects = RoleDutyQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["role__order", "order", "pk"]

    def __str__(self):
        return self.text[:60]

    def get_scope_node(self):
        return self.organisation
