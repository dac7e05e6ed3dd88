"""The demo organisation (seed 001's four departments) with one demo user per role."""

from datetime import date

from django.db import transaction

from accounts.models import Role, RoleAssignment, User
from legal.models import Applicability, Regulation
from organisation.models import NodeKind, OrgNode, Provider, ProviderKind, Service
from organisation.services import create_node, set_services

DEMO_PASSWORD = "hjulet-demo-2026"

# (name, kind, services, children)
TREE = (
    "Socialnämnden",
    NodeKind.BOARD,
    [],
    [
        (
            "Socialförvaltningen",
            NodeKind.ADMINISTRATION,
            [],
            [
                (
                    "Vård och omsorg",
                    NodeKind.DEPARTMENT,
                    [],
                    [
                        ("Hemtjänst Norr", NodeKind.UNIT, ["ordinart-boende"], []),
                        ("Hemtjänst Söder", NodeKind.UNIT, ["ordinart-boende"], []),
                        (
                            "Solbackens särskilda boende",
                            NodeKind.UNIT,
                            ["sarskilt-boende"],
                            [
                                ("Avdelning Rosen", NodeKind.OPERATION, ["sarskilt-boende"], []),
                                ("Avdelning Liljan", NodeKind.OPERATION, ["sarskilt-boende"], []),
                            ],
                        ),
                        ("Ekbackens särskilda boende", NodeKind.UNIT, ["sarskilt-boende"], []),
                        (
                            "Hemsjukvården",
                            NodeKind.UNIT,
                            ["ordinart-boende", "sarskilt-boende"],
                            [],
                        ),
                    ],
                ),
                (
                    "Funktionsstöd",
                    NodeKind.DEPARTMENT,
                    [],
                    [
                        ("Gruppbostaden Lärkan (LSS)", NodeKind.UNIT, ["sarskilt-boende"], []),
                        ("Gruppbostaden Linden (LSS)", NodeKind.UNIT, ["sarskilt-boende"], []),
                        ("Daglig verksamhet Verkstan", NodeKind.UNIT, ["daglig-verksamhet"], []),
                    ],
                ),
                (
                    "Individ- och familjeomsorg",
                    NodeKind.DEPARTMENT,
                    [],
                    [
                        ("Försörjningsstöd", NodeKind.UNIT, ["ekonomiskt-bistand"], []),
                        ("Barn och unga", NodeKind.UNIT, ["forebyggande", "stod-behandling"], []),
                        ("Vuxen – missbruk och beroende", NodeKind.UNIT, ["stod-behandling"], []),
                    ],
                ),
                (
                    "Kvalitet och utveckling",
                    NodeKind.DEPARTMENT,
                    [],
                    [
                        ("Kvalitetsenheten", NodeKind.UNIT, [], []),
                    ],
                ),
            ],
        ),
    ],
)

# (username, first, last, title, role, node name, covers subtree)
USERS = [
    ("anna", "Anna", "Andersson", "Undersköterska", "staff_member", "Hemtjänst Norr", False),
    (
        "kalle",
        "Kalle",
        "Karlsson",
        "Undersköterska",
        "quality_representative",
        "Hemtjänst Norr",
        False,
    ),
    ("eva", "Eva", "Ek", "Enhetschef", "unit_manager", "Hemtjänst Norr", True),
    ("adam", "Adam", "Berg", "Avdelningschef", "department_manager", "Vård och omsorg", True),
    (
        "fia",
        "Fia",
        "Forsberg",
        "Förvaltningschef",
        "administration_manager",
        "Socialförvaltningen",
        True,
    ),
    (
        "henrik",
        "Henrik",
        "Holm",
        "Verksamhetschef HSL",
        "health_care_manager",
        "Vård och omsorg",
        True,
    ),
    (
        "maria",
        "Maria",
        "Lind",
        "Medicinskt ansvarig sjuksköterska",
        "mas",
        "Socialförvaltningen",
        True,
    ),
    (
        "karin",
        "Karin",
        "Kvist",
        "Kvalitetsutvecklare",
        "quality_developer",
        # DESIGN: the quality developer works across the organisation and writes the board's
        # yearly report, so her part of the tree is the board's.
        "Socialnämnden",
        True,
    ),
    (
        "ulf",
        "Ulf",
        "Ulfsson",
        "Utredningssekreterare",
        "investigation_secretary",
        "Socialförvaltningen",
        True,
    ),
    ("rita", "Rita", "Rask", "Kvalitetsrevisor", "quality_auditor", "Socialförvaltningen", True),
    ("nils", "Nils", "Nord", "Ledamot i socialnämnden", "board_member", "Socialnämnden", True),
    (
        "petra",
        "Petra",
        "Palm",
        "Verksamhetschef, Omsorgia Vård AB",
        "provider_representative",
        "Ekbackens särskilda boende",
        True,
    ),
    ("sam", "Sam", "Sysadmin", "Systemförvaltare", "system_administrator", "Socialnämnden", True),
]

APPLICABLE = {
    "Hemtjänst Norr": [
        "sol-2025",
        "hsl",
        "psl",
        "sosfs-2011-9",
        "sosfs-2011-5",
        "hslf-fs-2017-41",
        "gdpr",
    ],
    "Solbackens särskilda boende": [
        "sol-2025",
        "hsl",
        "psl",
        "sosfs-2011-9",
        "sosfs-2011-5",
        "hslf-fs-2017-41",
        "gdpr",
    ],
    # Health care under HSL/PSL: the patient safety report covers these (legal/health_care.py).
    "Hemtjänst Söder": ["sol-2025", "hsl", "psl", "sosfs-2011-9", "gdpr"],
    "Ekbackens särskilda boende": ["sol-2025", "hsl", "psl", "sosfs-2011-9", "gdpr"],
    "Hemsjukvården": ["hsl", "psl", "sosfs-2011-9", "hslf-fs-2017-41", "gdpr"],
    "Gruppbostaden Lärkan (LSS)": ["lss", "sosfs-2011-9", "sosfs-2011-5", "gdpr"],
    "Barn och unga": [
        "sol-2025",
        "lvu",
        "barnkonventionen",
        "sosfs-2011-9",
        "sosfs-2011-5",
        "osl",
        "gdpr",
    ],
}

# Clearly demo: a municipality's kind of number (212000-…) that belongs to no one, and addresses
# in a town that does not exist.
DEMO_MUNICIPALITY_NUMBER = "212000-0000"
ADDRESSES = {
    "Socialnämnden": ("Stadshusgatan 1", "123 45", "Exempelstad"),
    "Hemtjänst Norr": ("Norra vägen 12", "123 50", "Exempelstad"),
    "Hemtjänst Söder": ("Södra torget 3", "123 60", "Exempelstad"),
    "Solbackens särskilda boende": ("Solbacksvägen 8", "123 52", "Exempelstad"),
    "Ekbackens särskilda boende": ("Ekbacksgatan 20", "123 54", "Exempelstad"),
    "Hemsjukvården": ("Vårdgränd 2", "123 46", "Exempelstad"),
    "Gruppbostaden Lärkan (LSS)": ("Lärkstigen 5", "123 56", "Exempelstad"),
    "Gruppbostaden Linden (LSS)": ("Lindallén 14", "123 58", "Exempelstad"),
    "Daglig verksamhet Verkstan": ("Verkstadsgatan 9", "123 62", "Exempelstad"),
}
DEMO_DPO = {
    "dpo_name": "Dataskyddsombudet, Exempelstads kommun",
    "dpo_email": "dataskyddsombud@demo.hjulet.local",
    "dpo_phone": "010-000 00 00",
}


def _build(parent, spec, nodes, actor):
    name, kind, services, children = spec
    node = OrgNode.objects.filter(parent=parent, name=name).first()
    if node is None:
        node = create_node(actor=actor, kind=kind, name=name, parent=parent)
        set_services(node, Service.objects.filter(code__in=services), actor=actor)
    nodes[name] = node
    for child in children:
        _build(node, child, nodes, actor)


@transaction.atomic
def load_demo():
    """Create the demo organisation; running it again changes nothing."""
    nodes = {}
    _build(None, TREE, nodes, actor=None)
    own, _created = Provider.objects.get_or_create(
        node=nodes["Socialförvaltningen"],
        defaults={"kind": ProviderKind.OWN, "name": "Socialförvaltningen (egen regi)"},
    )
    if not own.organisation_number:  # a demo database from before the number was set
        own.organisation_number = DEMO_MUNICIPALITY_NUMBER
        own.save(update_fields=["organisation_number"])
    for node_name, (street, postcode, town) in ADDRESSES.items():
        OrgNode.objects.filter(pk=nodes[node_name].pk, street_address="").update(
            street_address=street, postcode=postcode, town=town
        )
    OrgNode.objects.filter(pk=nodes["Socialnämnden"].pk, dpo_name="").update(**DEMO_DPO)
    Provider.objects.get_or_create(
        node=nodes["Ekbackens särskilda boende"],
        defaults={
            "kind": ProviderKind.PRIVATE,
            "name": "Omsorgia Vård AB",
            "organisation_number": "556000-0000",
            "contract_reference": "SN 2024/118",
            "contract_start": date(2024, 4, 1),
            "contract_end": date(2028, 3, 31),
        },
    )
    roles = {r.code: r for r in Role.objects.all()}
    users = []
    for username, first, last, title, role, node_name, subtree in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "title": title,
                "email": f"{username}@demo.hjulet.local",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(
            user=user,
            role=roles[role],
            node=nodes[node_name],
            defaults={"include_subtree": subtree},
        )
        users.append((username, roles[role].name, node_name))
    regulations = {r.code: r for r in Regulation.objects.all()}
    for node_name, codes in APPLICABLE.items():
        for code in codes:
            Applicability.objects.get_or_create(node=nodes[node_name], regulation=regulations[code])
    _load_holidays(nodes[TREE[0]])
    return users


def _load_holidays(root):
    """This year's and next year's days off, so working-day clocks skip them in the demo."""
    from django.utils import timezone

    from legal.holidays import load_swedish_holidays

    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        load_swedish_holidays(root, year, actor=None)
