"""The organisation and the people of the scale data: "Skalkommunen".

`build_tree` makes one organisation tree (board → administration → departments → units,
some with operations), `build_people` the people in the roles the benchmark logs in as (and
one staff member per reporting node, one manager per unit and department); `add_staff` adds
more staff members to each unit and operation (for the routine generator's acknowledgments).
Used by `generate_scale_data` (deviations.scale_data) and `generate_routine_scale_data`
(routines.scale_data), which run on the same tree.
"""

from itertools import accumulate
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast

from accounts.models import Role, RoleAssignment, User
from audit.models import Event
from core.scale_data import purge
from organisation.demo import DEMO_PASSWORD
from organisation.models import NodeKind, OrgNode
from organisation.services import create_node

ROOT_NAME = "Skalkommunen"
USER_PREFIX = "skala-"
# The extra staff of `add_staff` (within USER_PREFIX: removing the tree removes them too).
STAFF_PREFIX = "skala-r"
# The people the benchmark logs in as (password: the demo password).
BENCH_USERS = {
    "staff": "skala-personal",
    "unit_manager": "skala-enhetschef",
    "department_manager": "skala-avdelningschef",
    "quality_developer": "skala-kvalitet",
    "board_member": "skala-namnd",
}
BATCH = 5_000

# (department, share of the units, kinds of unit)
DEPARTMENTS = [
    ("Äldreomsorg", 0.34, ["Hemtjänst", "Särskilt boende", "Korttidsboende", "Dagverksamhet"]),
    ("Funktionsstöd", 0.24, ["Gruppbostad", "Servicebostad", "Daglig verksamhet", "Assistans"]),
    ("Individ- och familjeomsorg", 0.18, ["Barn och unga", "Försörjningsstöd", "Vuxen"]),
    ("Hälso- och sjukvård", 0.14, ["Hemsjukvård", "Rehabilitering", "Sjuksköterskegrupp"]),
    ("Stöd och utveckling", 0.10, ["Boendestöd", "Stödboende", "Socialpsykiatri"]),
]

FIRST_NAMES = [
    "Anna",
    "Maria",
    "Fatima",
    "Karin",
    "Sara",
    "Amira",
    "Johan",
    "Erik",
    "Ali",
    "Lars",
    "Elin",
    "Mohammed",
    "Ida",
    "Sofia",
    "Hanna",
    "Peter",
]


def find_root():
    """The generated tree's root, or None."""
    return OrgNode.objects.filter(parent=None, name=ROOT_NAME).first()


def build_tree(rng, unit_count):
    """The tree, with `unit_count` units spread over the departments by their shares; each
    unit has a weight (how much it reports) and one in ten two operations. Returns root,
    admin, departments, units, reporting_nodes (units and operations), unit_of (reporting node
    id → unit), cum_weights (cumulated weights of the reporting nodes) and bench_unit (the
    busiest unit, so the benchmark's figures are for the heaviest register)."""
    root = create_node(actor=None, kind=NodeKind.BOARD, name=ROOT_NAME)
    admin = create_node(
        actor=None, kind=NodeKind.ADMINISTRATION, name="Skalförvaltningen", parent=root
    )
    departments = DEPARTMENTS[: min(len(DEPARTMENTS), unit_count)]
    total = sum(share for _n, share, _k in departments)
    counts = [max(1, round(unit_count * share / total)) for _n, share, _k in departments]
    counts[0] += unit_count - sum(counts)
    tree = SimpleNamespace(
        root=root, admin=admin, departments=[], units=[], reporting_nodes=[], unit_of={}
    )
    weights = []
    for (name, _share, kinds), count in zip(departments, counts, strict=True):
        dept = create_node(actor=None, kind=NodeKind.DEPARTMENT, name=name, parent=admin)
        tree.departments.append(dept)
        for i in range(max(count, 0)):
            kind_name = kinds[i % len(kinds)]
            unit = create_node(
                actor=None,
                kind=NodeKind.UNIT,
                name=f"{kind_name} {i // len(kinds) + 1}",
                parent=dept,
            )
            unit.department = dept
            tree.units.append(unit)
            weight = rng.lognormvariate(0, 0.8)
            operations = []
            if rng.random() < 0.1:
                for letter in "AB":
                    operations.append(
                        create_node(
                            actor=None,
                            kind=NodeKind.OPERATION,
                            name=f"Avdelning {letter}",
                            parent=unit,
                        )
                    )
            share = weight / (len(operations) + 1)
            for node in [unit, *operations]:
                tree.reporting_nodes.append(node)
                tree.unit_of[node.pk] = unit
                weights.append(share)
            unit.weight = weight
    tree.cum_weights = list(accumulate(weights))
    tree.bench_unit = max(tree.units, key=lambda u: u.weight)
    return tree


def build_people(tree):
    """A staff member per reporting node, a manager per unit and department, at the
    administration a quality developer, an investigation secretary, a MAS and the head of
    the administration, and a board member at the board; the benchmark's people (BENCH_USERS)
    in the busiest unit and its department. Returns users, by_role ((role code, node id) →
    user), reporter (reporting node id → staff member id) and manager (unit id → unit manager
    id)."""
    roles = {r.code: r for r in Role.objects.all()}
    usable = make_password(DEMO_PASSWORD)
    people = []  # (username, first, last, title, role, node)
    for i, node in enumerate(tree.reporting_nodes, start=1):
        name = BENCH_USERS["staff"] if node == tree.bench_unit else f"skala-p{i:04d}"
        people.append((name, "Personal", f"{i:04d}", "Undersköterska", "staff_member", node))
    for i, unit in enumerate(tree.units, start=1):
        name = BENCH_USERS["unit_manager"] if unit == tree.bench_unit else f"skala-ec{i:04d}"
        people.append((name, "Enhetschef", f"{i:04d}", "Enhetschef", "unit_manager", unit))
    bench_dept = tree.bench_unit.department
    for i, dept in enumerate(tree.departments, start=1):
        name = BENCH_USERS["department_manager"] if dept == bench_dept else f"skala-ac{i}"
        people.append(
            (name, "Avdelningschef", str(i), "Avdelningschef", "department_manager", dept)
        )
    for name, first, title, role in (
        (
            BENCH_USERS["quality_developer"],
            "Kvalitet",
            "Kvalitetsutvecklare",
            "quality_developer",
        ),
        ("skala-utredare", "Utredare", "Utredningssekreterare", "investigation_secretary"),
        ("skala-mas", "Mas", "Medicinskt ansvarig sjuksköterska", "mas"),
        ("skala-fc", "Förvaltningschef", "Förvaltningschef", "administration_manager"),
    ):
        people.append((name, first, "Skala", title, role, tree.admin))
    # The board follows the figures of the whole municipality (its start page, the statistics).
    people.append(
        (
            BENCH_USERS["board_member"],
            "Nämndledamot",
            "Skala",
            "Ledamot i socialnämnden",
            "board_member",
            tree.root,
        )
    )
    bench = set(BENCH_USERS.values())
    users = User.objects.bulk_create(
        User(
            username=username,
            first_name=first,
            last_name=last,
            title=title,
            email=f"{username}@skalkommunen.invalid",
            password=usable if username in bench else make_password(None),
        )
        for username, first, last, title, _role, _node in people
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=user,
            role=roles[role],
            node=node,
            include_subtree=role != "staff_member",
        )
        for user, (_u, _f, _l, _t, role, node) in zip(users, people, strict=True)
    )
    by_role = {}
    for user, person in zip(users, people, strict=True):
        by_role.setdefault((person[4], person[5].pk), user)
    return SimpleNamespace(
        users=users,
        by_role=by_role,
        reporter={n.pk: by_role[("staff_member", n.pk)].pk for n in tree.reporting_nodes},
        manager={u.pk: by_role[("unit_manager", u.pk)].pk for u in tree.units},
    )


def clear_tree(root):
    """Remove the tree, its events, its role assignments and the generated people (after
    the apps have removed what they keep on its nodes)."""
    nodes = OrgNode.objects.filter(path__startswith=root.path)
    node_ids = list(nodes.values_list("pk", flat=True))
    Event.objects.filter(
        content_type=ContentType.objects.get_for_model(OrgNode),
        object_id__in=nodes.annotate(key=Cast("pk", output_field=CharField())).values("key"),
    )._raw_delete(Event.objects.db)
    RoleAssignment.objects.filter(node_id__in=node_ids).delete()
    User.objects.filter(username__startswith=USER_PREFIX).delete()
    for node in nodes.order_by("-depth"):
        node.delete()


def add_staff(rng, nodes, per_node):
    """`per_node` more staff members (users STAFF_PREFIX…, unusable passwords) at each of the
    nodes. Returns the new users, or None when there is nobody to add (or no staff role)."""
    role = Role.objects.filter(code="staff_member").first()
    if not per_node or role is None:
        return None
    unusable = make_password(None)
    people = [
        (node, f"{STAFF_PREFIX}{i:04d}-{k}")
        for i, node in enumerate(nodes, start=1)
        for k in range(1, per_node + 1)
    ]
    users = User.objects.bulk_create(
        (
            User(
                username=name,
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"Personal {name[len(STAFF_PREFIX) :]}",
                title="Undersköterska",
                email=f"{name}@skalkommunen.invalid",
                password=unusable,
            )
            for _node, name in people
        ),
        batch_size=BATCH,
    )
    RoleAssignment.objects.bulk_create(
        (
            RoleAssignment(user=user, role=role, node=node, include_subtree=False)
            for user, (node, _name) in zip(users, people, strict=True)
        ),
        batch_size=BATCH,
    )
    return users


def remove_staff():
    """Remove the staff `add_staff` added, with their assignments."""
    RoleAssignment.objects.filter(user__username__startswith=STAFF_PREFIX)._raw_delete(
        RoleAssignment.objects.db
    )
    purge(User.objects.filter(username__startswith=STAFF_PREFIX))
