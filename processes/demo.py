"""Demo processes for `load_demo` (development only): three processes with ordered activities
that link to the demo routines (routines/demo.py), with partners in the region,
Försäkringskassan, a school and the police. Made through the services, as real use would.
Running it again changes nothing: each process is looked up by its name and level first.
"""

from django.db import transaction

from accounts.models import Role, User
from organisation.models import OrgNode, Service
from processes import services as process_services
from processes.models import PartnerKind, Process
from routines.demo import load_demo_routines

# (name, level, owner, services, purpose, activities (name, role code, note, routine keys),
#  collaborations (kind, partner, purpose, agreement, routine key))
PROCESSES = [
    (
        "Utskrivning från slutenvård till hemmet",
        "Vård och omsorg",
        "adam",
        ["ordinart-boende"],
        "Att brukaren kommer hem tryggt, med rätt insatser och läkemedel från första dagen.",
        [
            ("Ta emot inskrivningsmeddelande", None, "Biståndshandläggare", ["discharge"]),
            (
                "Samordnad individuell plan (SIP)",
                None,
                "Biståndshandläggare och region",
                ["discharge"],
            ),
            ("Starta hemtjänstinsatser", "unit_manager", "", ["care_plan"]),
            ("Överlämna läkemedel enligt delegering", "staff_member", "", ["medication"]),
        ],
        [
            (
                PartnerKind.REGION,
                "Region Exempelstad, slutenvården",
                "Utskrivning och SIP",
                "Överenskommelse om utskrivning, Dnr SN 2023/45",
                "discharge",
            ),
        ],
    ),
    (
        "Ekonomiskt bistånd vid sjukskrivning",
        "Försörjningsstöd",
        "karin",
        ["ekonomiskt-bistand"],
        "Att den sökande får sin försörjning prövad i rätt ordning och snabbt.",
        [
            ("Ta emot ansökan", None, "Handläggare", []),
            ("Utreda rätten till sjukpenning", None, "Handläggare", ["social_insurance"]),
            ("Besluta och följa upp", None, "Handläggare", ["deviations"]),
        ],
        [
            (
                PartnerKind.SOCIAL_INSURANCE,
                "Försäkringskassan",
                "Samordning av sjukpenning och bistånd",
                "",
                "social_insurance",
            ),
        ],
    ),
    (
        "Orosanmälan om barn",
        "Barn och unga",
        "karin",
        ["forebyggande", "stod-behandling"],
        "Att varje orosanmälan bedöms skyndsamt och barnet får skydd och stöd.",
        [
            ("Ta emot orosanmälan", None, "Mottagningen", []),
            ("Skyddsbedömning samma dag", None, "Socialsekreterare", []),
            ("Förhandsbedömning inom 14 dagar", None, "Socialsekreterare", []),
            ("Samverkansmöte med skolan", None, "Socialsekreterare", ["school"]),
        ],
        [
            (
                PartnerKind.SCHOOL,
                "Norrskolan",
                "Tidigt stöd till elever",
                "Samverkansöverenskommelse skola–socialtjänst",
                "school",
            ),
            # No routine yet: coverage shows this gap.
            (
                PartnerKind.POLICE,
                "Polisen, lokalpolisområde Exempelstad",
                "Barn som misstänks för brott",
                "",
                None,
            ),
        ],
    ),
]


@transaction.atomic
def load_demo_processes():
    """Create the demo processes that do not exist yet, after the routines they link to."""
    routines = load_demo_routines()
    if not routines:
        return
    nodes = {n.name: n for n in OrgNode.objects.filter(is_active=True)}
    users = {u.username: u for u in User.objects.all()}
    roles = {r.code: r for r in Role.objects.all()}
    for spec in PROCESSES:
        _process(spec, nodes, users, roles, routines)


def _process(spec, nodes, users, roles, routines):
    name, level, owner, service_codes, purpose, activities, collaborations = spec
    unit = nodes[level]
    if Process.objects.filter(unit=unit, name=name).exists():
        return
    process = process_services.create_process(
        actor=None,
        unit=unit,
        name=name,
        purpose=purpose,
        owner=users[owner],
        services=list(Service.objects.filter(code__in=service_codes)),
    )
    for activity_name, role_code, note, keys in activities:
        process_services.add_activity(
            process,
            actor=None,
            name=activity_name,
            responsible_role=roles.get(role_code) if role_code else None,
            responsible_note=note,
            routines=[routines[k] for k in keys],
        )
    for kind, partner, about, agreement, key in collaborations:
        process_services.add_collaboration(
            process,
            actor=None,
            kind=kind,
            partner=partner,
            purpose=about,
            agreement=agreement,
            routine=routines[key] if key else None,
        )
