import pytest
from django.urls import reverse

from audit.models import Event
from organisation.demo import load_demo
from organisation.models import NodeKind, OrgNode, Provider, RoleDuty, Service


def test_seeded_services_catalogue(db):
    assert list(Service.objects.values_list("name", flat=True)) == [
        "Förebyggande insatser",
        "Stöd i det ordinära boendet",
        "Särskilt boende",
        "Daglig verksamhet",
        "Stöd och behandling",
        "Ekonomiskt bistånd",
    ]


def test_paths_give_subtrees(cast):
    assert set(OrgNode.objects.subtree_of(cast.dept).values_list("name", flat=True)) == {
        "Avdelningen",
        "Enhet A",
        "Enhet B",
        "Utföraren",
    }
    assert cast.unit_a.ancestor_ids() == [
        cast.board.pk,
        cast.administration.pk,
        cast.dept.pk,
        cast.unit_a.pk,
    ]
    assert [n.name for n in cast.unit_a.ancestors()] == ["Kommunen", "Förvaltningen", "Avdelningen"]


def test_new_root_gets_default_duties(cast):
    assert RoleDuty.objects.filter(organisation=cast.board, role__code="unit_manager").count() >= 5
    assert RoleDuty.objects.filter(organisation=cast.other_root_node).exists()


def test_effective_provider_is_inherited(cast):
    child = OrgNode.objects.create(
        kind=NodeKind.OPERATION,
        name="Avd 1",
        parent=cast.provider_node,
        path=cast.provider_node.path + "99999999/",
        depth=4,
    )
    assert child.effective_provider().name == "Vård AB"
    assert cast.unit_a.effective_provider() is None


def test_tree_page_shows_only_visible_nodes(cast, login, django_assert_max_num_queries):
    client = login(cast.parent_manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("organisation:tree"))
    names = [n.name for n in _flatten(response.context["roots"])]
    assert names == ["Avdelningen", "Enhet A", "Enhet B", "Utföraren"]


def _flatten(nodes):
    for n in nodes:
        yield n
        yield from _flatten(n.visible_children)


def test_node_page(cast, login):
    response = login(cast.same_unit).get(reverse("organisation:node_detail", args=[cast.unit_a.pk]))
    assert response.status_code == 200
    assert response.context["can_manage"] is False


def test_quality_developer_creates_a_unit_with_event(cast, login):
    client = login(cast.quality)
    response = client.post(
        reverse("organisation:node_create"),
        {"parent": cast.dept.pk, "kind": "unit", "name": "Enhet C", "code": "", "description": ""},
    )
    node = OrgNode.objects.get(name="Enhet C")
    assert response.status_code == 302
    assert node.path == cast.dept.path + f"{node.pk:08d}/"
    assert Event.objects.filter(
        verb="organisation.node_created", object_id=str(node.pk), actor=cast.quality
    ).exists()


def test_invalid_node_keeps_input(cast, login):
    client = login(cast.quality)
    response = client.post(
        reverse("organisation:node_create"),
        {"parent": cast.dept.pk, "kind": "board", "name": "Felaktig"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert 'value="Felaktig"' in response.content.decode()
    assert not OrgNode.objects.filter(name="Felaktig").exists()


def test_staff_cannot_manage(cast, login):
    client = login(cast.same_unit)
    assert client.get(reverse("organisation:node_edit", args=[cast.unit_a.pk])).status_code == 403
    assert client.get(reverse("organisation:node_create")).status_code == 403


def test_new_root_needs_a_whole_tree(cast, login):
    assert login(cast.quality).get(reverse("organisation:node_create")).status_code == 403
    assert login(cast.admin).get(reverse("organisation:node_create")).status_code == 200


def test_provider_contract_period_is_checked(cast, login):
    client = login(cast.quality)
    response = client.post(
        reverse("organisation:node_provider", args=[cast.unit_b.pk]),
        {
            "kind": "private",
            "name": "Omsorg AB",
            "contract_reference": "X",
            "contract_start": "2026-05-01",
            "contract_end": "2026-01-01",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["contract_end"]
    assert not Provider.objects.filter(node=cast.unit_b).exists()
    client.post(
        reverse("organisation:node_provider", args=[cast.unit_b.pk]),
        {
            "kind": "private",
            "name": "Omsorg AB",
            "contract_reference": "X",
            "contract_start": "2026-01-01",
            "contract_end": "2027-01-01",
        },
    )
    assert Provider.objects.get(node=cast.unit_b).name == "Omsorg AB"


def test_services_and_close(cast, login):
    client = login(cast.quality)
    service = Service.objects.get(code="daglig-verksamhet")
    client.post(
        reverse("organisation:node_services", args=[cast.unit_b.pk]), {"services": [service.pk]}
    )
    assert list(cast.unit_b.services.all()) == [service]
    client.post(reverse("organisation:node_close", args=[cast.dept.pk]))
    assert OrgNode.objects.get(pk=cast.dept.pk).is_active  # open units below
    client.post(reverse("organisation:node_close", args=[cast.unit_b.pk]))
    assert not OrgNode.objects.get(pk=cast.unit_b.pk).is_active


def test_services_page_counts_only_visible_units(cast, login):
    service = Service.objects.get(code="daglig-verksamhet")
    cast.unit_b.services.add(service)
    cast.unit_a.services.add(service)
    response = login(cast.same_unit).get(reverse("organisation:services"))
    row = next(s for s in response.context["catalogue"] if s.pk == service.pk)
    assert [n.name for n in row.visible_nodes] == ["Enhet A"]


@pytest.mark.django_db
def test_demo_is_idempotent():
    first = load_demo()
    counts = OrgNode.objects.count(), Provider.objects.count()
    assert load_demo() == first
    assert (OrgNode.objects.count(), Provider.objects.count()) == counts
    root = OrgNode.objects.get(parent__isnull=True, name="Socialnämnden")
    departments = (
        OrgNode.objects.subtree_of(root)
        .filter(kind=NodeKind.DEPARTMENT)
        .values_list("name", flat=True)
    )
    assert set(departments) == {
        "Vård och omsorg",
        "Funktionsstöd",
        "Individ- och familjeomsorg",
        "Kvalitet och utveckling",
    }
    private = Provider.objects.get(kind="private", node__path__startswith=root.path)
    assert private.node.name == "Ekbackens särskilda boende"


@pytest.mark.django_db
def test_every_demo_login_reaches_its_start_page(client, settings):
    from organisation.demo import DEMO_PASSWORD, USERS

    load_demo()
    for username, *_rest in USERS:
        response = client.post(
            reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.resolver_match.view_name == "shell:start", username
        assert response.context["user"].username == username
        assert response.context["assignments"], username
        client.post(reverse("logout"))
