"""Chapter 3 of the quality report, responsibility for the management system (SOSFS 2011:9 3 kap
1–3 §§): the roles held and vacant in the report's part of the organisation, read from the
responsibility matrix. Each figure and fact equals the register's own count for the same scope,
counted here with the ORM; role holders are read on the last day of the year (or today); a
unit's report counts only its unit; no person is named."""

import datetime
import json

import pytest
from django.db.models import Q
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from organisation.models import NodeKind, OrgNode, RoleDuty
from organisation.report_chapter import reading_day, responsibility
from organisation.services import close_node, create_node, save_duties
from people import services as people
from reports.services import writing

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(today):
    return today.year


@pytest.fixture
def last_year(this_year):
    """The report's year, ended: its roles are read on its last day."""
    return this_year - 1


def _register(cast, this_year):
    """Units and assignments that test each way a role is held or vacant."""
    unit_c = create_node(actor=cast.admin, kind=NodeKind.UNIT, name="Enhet C", parent=cast.dept)
    unit_b1 = create_node(actor=cast.admin, kind=NodeKind.UNIT, name="Enhet B1", parent=cast.unit_b)
    closed = create_node(actor=cast.admin, kind=NodeKind.UNIT, name="Enhet D", parent=cast.dept)
    close_node(closed, actor=cast.admin)

    def appoint(username, role, node, **dates):
        user = people.create_user(
            actor=cast.admin,
            username=username,
            first_name="Namn",
            last_name=username.title(),
            email=f"{username}@kommun.test",
        )
        return people.assign_role(
            actor=cast.admin, user=user, role=Role.objects.get(code=role), node=node, **dates
        )

    # Unit C's manager starts this year: last year the unit had none.
    appoint("c_chef", "unit_manager", unit_c, valid_from=datetime.date(this_year, 1, 1))
    # Unit B's manager, over B1 too, ended yesterday: held last year, vacant now.
    b_manager = appoint("b_chef", "unit_manager", cast.unit_b, include_subtree=True)
    people.end_assignment(b_manager, actor=cast.admin)
    # At the department alone: held in the department's scope, not in unit A's.
    appoint("mas_avd", "mas", cast.dept)
    # A closed account holds nothing.
    gone = appoint("borta", "quality_representative", cast.unit_a)
    people.deactivate_user(gone.user, actor=cast.admin)
    save_duties(
        cast.board, Role.objects.get(code="health_care_manager"), ["Den enda"], actor=cast.admin
    )
    return unit_b1


def _counted(scope, day):
    """The register's own counts for `scope` on `day`, with the ORM."""
    holding = (
        RoleAssignment.objects.active(day)
        .filter(user__is_active=True, node__is_active=True)
        .filter(
            Q(node__path__startswith=scope.path)
            | Q(node_id__in=scope.ancestor_ids()[:-1], include_subtree=True)
        )
        .order_by()
    )
    units = OrgNode.objects.filter(path__startswith=scope.path, kind=NodeKind.UNIT, is_active=True)
    managed = set()
    leading = ("unit_manager", "provider_representative")
    for a in holding.filter(role__code__in=leading).select_related("node"):
        covered = OrgNode.objects.filter(pk=a.node_id)
        if a.include_subtree:
            covered = OrgNode.objects.filter(path__startswith=a.node.path)
        managed |= set(covered.values_list("pk", flat=True))
    duties = RoleDuty.objects.filter(organisation_id=scope.root_id).order_by()
    vacant = duties.exclude(role__in=holding.values("role"))
    return {
        "units": units.count(),
        "units_without_manager": units.exclude(pk__in=managed).count() if units.exists() else None,
        "duties": duties.count(),
        "roles_without_holder": vacant.values("role").distinct().count(),
        "duties_without_holder": vacant.count(),
        # Shown as figures only.
        "roles_with_duties": duties.values("role").distinct().count(),
        "holders": holding.values("user").distinct().count(),
        "holding": holding,
    }


def _figures(counted):
    return [
        counted["units"],
        counted["units_without_manager"] or 0,
        counted["roles_with_duties"],
        counted["duties"],
        counted["roles_without_holder"],
        counted["duties_without_holder"],
        counted["holders"],
    ]


def _facts(counted):
    names = ("units", "units_without_manager", "duties")
    names += ("roles_without_holder", "duties_without_holder")
    return {name: counted[name] for name in names}


def test_figures_and_facts_are_the_registers_counts_on_the_last_day_of_the_year(
    cast, this_year, last_year
):
    _register(cast, this_year)
    counted = _counted(cast.dept, datetime.date(last_year, 12, 31))
    part = responsibility(cast.dept, last_year)
    assert [f.value for f in part.figures] == _figures(counted)
    assert part.facts == _facts(counted)
    # Active units: A, B, B1, C and the provider's; D is closed. Without a manager on the
    # last day of the year: C (from this year); the provider's unit is led by its
    # representative.
    assert part.facts["units"] == 5 and part.facts["units_without_manager"] == 1
    holders = {row[0]: row[2] for row in part.tables[1].rows}
    assert holders[Role.objects.get(code="mas").label] == 1  # the department's own MAS
    tree = reverse("organisation:node_detail", kwargs={"pk": cast.dept.pk})
    matrix = reverse("organisation:responsibility_node", kwargs={"pk": cast.dept.pk})
    assert part.figures[0].url == tree
    assert {f.url for f in part.figures[1:]} == {matrix}


def test_this_year_reads_the_roles_held_today(cast, this_year, today):
    _register(cast, this_year)
    part = responsibility(cast.dept, this_year)
    assert reading_day(this_year) == today
    assert part.facts == _facts(_counted(cast.dept, today))
    # B's manager has gone (B and B1 vacant), C's has come.
    assert part.facts["units_without_manager"] == 2


def test_the_units_directly_below_with_their_managers(cast, this_year, last_year):
    unit_b1 = _register(cast, this_year)
    day = datetime.date(last_year, 12, 31)
    units, roles = responsibility(cast.dept, last_year).tables
    children = OrgNode.objects.filter(parent=cast.dept, is_active=True).order_by("name")
    expected = []
    for child in children:
        below = _counted(child, day)
        managers = RoleAssignment.objects.active(day).filter(
            Q(node=child) | Q(node_id__in=child.ancestor_ids()[:-1], include_subtree=True),
            role__code="unit_manager",
            user__is_active=True,
            node__is_active=True,
        )
        expected.append(
            [
                child.name,
                managers.values("user").distinct().count(),
                below["units"],
                below["units_without_manager"],
            ]
        )
    assert units.rows == expected
    assert [r[0] for r in units.rows] == ["Enhet A", "Enhet B", "Enhet C", "Utföraren"]
    assert unit_b1.name not in [r[0] for r in units.rows]  # below B, counted in its row

    holding = _counted(cast.dept, day)["holding"]
    duties = RoleDuty.objects.filter(organisation=cast.board).order_by()
    expected = [
        [
            role.label,
            duties.filter(role=role).count(),
            holding.filter(role=role).values("user").distinct().count(),
        ]
        for role in Role.objects.all()
        if duties.filter(role=role).exists() or holding.filter(role=role).exists()
    ]
    assert roles.rows == expected


def test_a_units_scope_counts_only_its_unit(cast, this_year, last_year):
    _register(cast, this_year)
    counted = _counted(cast.unit_a, datetime.date(last_year, 12, 31))
    part = responsibility(cast.unit_a, last_year)
    assert [f.value for f in part.figures] == _figures(counted)
    assert part.facts == _facts(counted)
    assert part.facts["units"] == 1 and part.facts["units_without_manager"] == 0
    units, roles = part.tables
    assert units.rows == []
    by_role = {row[0]: row[2] for row in roles.rows}
    # Unit A's staff member, not unit B's; the department's MAS does not reach the unit.
    assert by_role[Role.objects.get(code="staff_member").label] == 1
    assert by_role.get(Role.objects.get(code="mas").label, 0) == 0
    # Unit A's quality representative closed their account.
    assert by_role.get(Role.objects.get(code="quality_representative").label, 0) == 0
    department = responsibility(cast.dept, last_year).facts
    assert department["roles_without_holder"] < part.facts["roles_without_holder"]


def test_with_nothing_to_count_the_facts_are_not_read(cast, last_year):
    part = responsibility(cast.other_root_node, last_year)
    assert part.facts["units"] == 0 and part.facts["units_without_manager"] is None
    for role in Role.objects.filter(duties__organisation=cast.other_root_node).distinct():
        save_duties(cast.other_root_node, role, [], actor=cast.admin)
    facts = responsibility(cast.other_root_node, last_year).facts
    assert facts["duties"] == 0 and facts["duties_without_holder"] is None


def test_the_written_report_has_the_part_and_names_no_one(
    cast, django_capture_on_commit_callbacks, this_year, last_year
):
    _register(cast, this_year)
    with django_capture_on_commit_callbacks(execute=True):
        report = writing.start_report(
            actor=cast.quality, kind="quality", scope=cast.administration, year=last_year
        )
    chapter = report.chapters.get(code="3")
    [part] = chapter.parts
    counted = _counted(cast.administration, datetime.date(last_year, 12, 31))
    assert part["facts"] == chapter.facts == _facts(counted)
    assert [f["value"] for f in part["figures"]] == _figures(counted)
    written = json.dumps(part, ensure_ascii=False)
    for user in User.objects.all():
        assert user.get_full_name() not in written and f'"{user.username}"' not in written
