"""The standard cast for access tests.

    Kommunen (board) ── Förvaltningen ── Avdelningen ─┬─ Enhet A   (same unit)
                                                      ├─ Enhet B   (sibling unit)
                                                      └─ Utföraren (private provider)
    Annan nämnd (second root)

same_unit: staff member at A; manager_a: unit manager at A with subtree; sibling: staff
member at B; parent_manager: department manager with the subtree; provider_staff: provider
representative at the provider; outsider: no role; other_root: staff at the second root;
admin: system administrator over the first tree; log_reviewer: quality auditor over the first
tree, who reviews the access log (loggkontroll).
"""

from types import SimpleNamespace

from accounts.models import Role, RoleAssignment, User
from organisation.models import NodeKind, Provider, ProviderKind
from organisation.services import create_node

PASSWORD = "cast-password-2026"


def _user(username, first="", last=""):
    user = User.objects.create(
        username=username,
        first_name=first or username.title(),
        last_name=last,
        email=f"{username}@cast.test",
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _assign(user, role_code, node, subtree=False):
    return RoleAssignment.objects.create(
        user=user, role=Role.objects.get(code=role_code), node=node, include_subtree=subtree
    )


def build_cast():
    board = create_node(actor=None, kind=NodeKind.BOARD, name="Kommunen")
    admin_node = create_node(
        actor=None, kind=NodeKind.ADMINISTRATION, name="Förvaltningen", parent=board
    )
    dept = create_node(actor=None, kind=NodeKind.DEPARTMENT, name="Avdelningen", parent=admin_node)
    unit_a = create_node(actor=None, kind=NodeKind.UNIT, name="Enhet A", parent=dept)
    unit_b = create_node(actor=None, kind=NodeKind.UNIT, name="Enhet B", parent=dept)
    provider_node = create_node(actor=None, kind=NodeKind.UNIT, name="Utföraren", parent=dept)
    Provider.objects.create(
        node=provider_node, kind=ProviderKind.PRIVATE, name="Vård AB", contract_reference="AVT-1"
    )
    other_root = create_node(actor=None, kind=NodeKind.BOARD, name="Annan nämnd")

    c = SimpleNamespace(
        board=board,
        administration=admin_node,
        dept=dept,
        unit_a=unit_a,
        unit_b=unit_b,
        provider_node=provider_node,
        other_root_node=other_root,
        password=PASSWORD,
    )
    c.same_unit = _user("same", "Sara", "Samma")
    _assign(c.same_unit, "staff_member", unit_a)
    c.manager_a = _user("manager_a", "Maja", "Chef")
    _assign(c.manager_a, "unit_manager", unit_a, subtree=True)
    c.sibling = _user("sibling", "Sigge", "Syskon")
    _assign(c.sibling, "staff_member", unit_b)
    c.parent_manager = _user("parent", "Per", "Avdelning")
    _assign(c.parent_manager, "department_manager", dept, subtree=True)
    c.provider_staff = _user("provider", "Pia", "Utförare")
    _assign(c.provider_staff, "provider_representative", provider_node, subtree=True)
    c.outsider = _user("outsider", "Otto", "Utanför")
    c.other_root = _user("other", "Olle", "Annan")
    _assign(c.other_root, "staff_member", other_root)
    c.admin = _user("admin", "Ada", "Admin")
    _assign(c.admin, "system_administrator", board, subtree=True)
    c.quality = _user("quality", "Kim", "Kvalitet")
    _assign(c.quality, "quality_developer", admin_node, subtree=True)
    # Loggkontroll: the quality auditor reviews the access log and reads no case.
    c.log_reviewer = _user("auditor", "Alva", "Revisor")
    _assign(c.log_reviewer, "quality_auditor", board, subtree=True)
    return c
